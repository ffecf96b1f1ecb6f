"""The admin's screen on an action's followers: how many follow it, per language and how often, in a fixed number of
queries whatever their number. Reached from the action's header menu (wagtail_hooks.py registers the item); it links
the screen of what each update told them (told_updates.py)."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import Locale

from actions.models import ActionPage

from ..following import STOPS_EVERYTHING
from ..models import Follow

FOLLOWERS_PRIORITY = 14


def follower_counts(action):
    """{"languages": [(code, name)], "rows": [{"label", "counts" per language, "total"}], "pending": n} for the
    Dutch `action`: confirmed follows of addresses that still receive mail, and the requests not confirmed yet."""
    rows = (
        Follow.objects.filter(action=action)
        .exclude(subscriber__state__in=STOPS_EVERYTHING)
        .values("state", "frequency", "subscriber__language")
        .annotate(n=Count("pk"))
    )
    counts, pending = {}, 0
    for row in rows:
        if row["state"] == Follow.State.CONFIRMED:
            counts[row["frequency"], row["subscriber__language"]] = row["n"]
        elif row["state"] == Follow.State.PENDING:
            pending += row["n"]
    languages = list(settings.LANGUAGES)
    table = [
        {
            "label": label,
            "counts": [counts.get((frequency, code), 0) for code, _name in languages],
            "total": sum(counts.get((frequency, code), 0) for code, _name in languages),
        }
        for frequency, label in Follow.Frequency.choices
    ]
    return {"languages": languages, "rows": table, "total": sum(counts.values()), "pending": pending}


class FollowersView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "newsletter/admin/followers.html"
    header_icon = "group"

    def dispatch(self, request, page_id):
        page = get_object_or_404(ActionPage, pk=page_id)
        if not page.permissions_for_user(request.user).can_edit():
            raise PermissionDenied
        self.action = page.get_translation(Locale.get_default())
        return super().dispatch(request, page_id)

    def get_page_title(self):
        return _("Followers: “%(title)s”") % {"title": self.action.title}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            counts=follower_counts(self.action),
            edit_url=reverse("wagtailadmin_pages:edit", args=[self.action.pk]),
            told_url=reverse("newsletter_told_updates", args=[self.action.pk]),
            **kwargs,
        )


def followers_header_buttons(page, user, view_name, next_url=None):
    """On an action, for who may edit it: how many follow it."""
    if page.specific_class is ActionPage and page.permissions_for_user(user).can_edit():
        url = reverse("newsletter_followers", args=[page.pk])
        yield PageMenuItem(_("Followers"), url, "group", FOLLOWERS_PRIORITY, page=page)
