"""The admin's screen on an action: for each of its progress updates, whether and when its followers were told, and
how many of them. Reached from the action's header menu (wagtail_hooks.py registers the item)."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import Locale

from actions.models import ActionPage

from ..alerts.told import told_updates

TOLD_PRIORITY = 13


class ToldUpdatesView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "newsletter/admin/told_updates.html"
    header_icon = "date"

    def dispatch(self, request, page_id):
        page = get_object_or_404(ActionPage, pk=page_id)
        if not page.permissions_for_user(request.user).can_edit():
            raise PermissionDenied
        self.action = page.get_translation(Locale.get_default())
        return super().dispatch(request, page_id)

    def get_page_title(self):
        return _("Told to followers: “%(title)s”") % {"title": self.action.title}

    def get_context_data(self, **kwargs):
        names = dict(settings.LANGUAGES)
        rows = told_updates(self.action)
        for row in rows:
            row.languages = [(names[code], row.alerts[code]) for code in names if code in row.alerts]
        return super().get_context_data(
            rows=rows, edit_url=reverse("wagtailadmin_pages:edit", args=[self.action.pk]), **kwargs
        )


def told_header_buttons(page, user, view_name, next_url=None):
    """On an action, for who may edit it: what its followers were told."""
    if page.specific_class is ActionPage and page.permissions_for_user(user).can_edit():
        url = reverse("newsletter_told_updates", args=[page.pk])
        yield PageMenuItem(_("Told to followers"), url, "date", TOLD_PRIORITY, page=page)
