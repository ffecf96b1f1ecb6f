"""The admin's screen on what an action's followers were told: for each of its progress updates, whether and when its
alert started in each language, and how many followers it reached. Reached from the action's header menu
(wagtail_hooks.py registers the item) and from its followers screen (followers.py), whose access rule it shares."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.admin.ui.menus.pages import PageMenuItem

from actions.models import ActionPage

from ..alerts.told import told_updates
from .followers import FollowersView

TOLD_PRIORITY = 13


class ToldUpdatesView(FollowersView):
    template_name = "newsletter/admin/told_updates.html"
    header_icon = "date"

    def get_page_title(self):
        return _("Told to followers: “%(title)s”") % {"title": self.action.title}

    def get_context_data(self, **kwargs):
        names = dict(settings.LANGUAGES)
        rows = told_updates(self.action)
        for row in rows:
            row.languages = [(names[code], row.alerts[code]) for code in names if code in row.alerts]
        # The followers screen's own figures are not shown here: its context is skipped, not computed.
        return super(FollowersView, self).get_context_data(
            rows=rows,
            edit_url=reverse("wagtailadmin_pages:edit", args=[self.action.pk]),
            followers_url=reverse("newsletter_followers", args=[self.action.pk]),
            **kwargs,
        )


def told_header_buttons(page, user, view_name, next_url=None):
    """On an action, for who may edit it: what its followers were told."""
    if page.specific_class is ActionPage and page.permissions_for_user(user).can_edit():
        url = reverse("newsletter_told_updates", args=[page.pk])
        yield PageMenuItem(_("Told to followers"), url, "date", TOLD_PRIORITY, page=page)
