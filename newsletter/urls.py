from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import follow_views, preference_views, views

app_name = "newsletter"
# Translated paths: /nieuwsbrief-aanmelding/... in Dutch, /en/newsletter-subscription/... in English.
urlpatterns = [
    path(_("newsletter-subscription/"), views.subscribe, name="subscribe"),
    path(_("newsletter-subscription/confirm/<str:token>/"), views.confirm, name="confirm"),
    # The preference page keeps the path of the unsubscribe page it replaced: the links in sent mail still work.
    path(_("newsletter-subscription/unsubscribe/<str:token>/"), preference_views.preferences_page, name="preferences"),
    path(
        _("newsletter-subscription/unsubscribe/<str:token>/one-click/"),
        views.one_click_unsubscribe,
        name="one_click",
    ),
    path(
        _("newsletter-subscription/unsubscribe/<str:token>/weekly-digest/one-click/"),
        preference_views.one_click_stop_digest,
        name="one_click_stop_digest",
    ),
    path(_("follow-action/<int:page_id>/"), follow_views.follow, name="follow"),
    path(_("follow-action/confirm/<str:token>/"), follow_views.confirm_follow, name="confirm_follow"),
    path(_("follow-action/stop/<str:token>/"), preference_views.stop_follow, name="stop_follow"),
    path(
        _("follow-action/stop/<str:token>/one-click/"),
        preference_views.one_click_stop_follow,
        name="one_click_stop_follow",
    ),
]
