from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import views

app_name = "joining"
# A translated path: /doe-mee/<page id>/ in Dutch, /en/join-action/<page id>/ in English.
urlpatterns = [path(_("join-action/<int:page_id>/"), views.join, name="join")]
