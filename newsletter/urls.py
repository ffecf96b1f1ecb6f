from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import views

app_name = "newsletter"
# Translated paths: /nieuwsbrief-aanmelding/... in Dutch, /en/newsletter-subscription/... in English.
urlpatterns = [
    path(_("newsletter-subscription/"), views.subscribe, name="subscribe"),
    path(_("newsletter-subscription/confirm/<str:token>/"), views.confirm, name="confirm"),
    path(_("newsletter-subscription/unsubscribe/<str:token>/"), views.unsubscribe, name="unsubscribe"),
    path(
        _("newsletter-subscription/unsubscribe/<str:token>/one-click/"),
        views.one_click_unsubscribe,
        name="one_click",
    ),
]
