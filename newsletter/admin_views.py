"""The editors' two edition actions in the Wagtail admin: draft an edition from the actions, and send a test.

Each GET shows what will happen and a button; only the POST acts.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from . import editions
from .models import NewsletterIndexPage, NewsletterPage


def confirm(request, title, explanation, submit_label, cancel_url):
    context = {
        "page_title": title,
        "header_title": title,
        "header_icon": "mail",
        "explanation": explanation,
        "submit_label": submit_label,
        "cancel_url": cancel_url,
    }
    return TemplateResponse(request, "newsletter/admin/confirm_edition_action.html", context)


def draft(request, page_id):
    index = get_object_or_404(NewsletterIndexPage, pk=page_id)
    if not index.permissions_for_user(request.user).can_add_subpage():
        raise PermissionDenied
    if request.method != "POST":
        return confirm(
            request,
            _("Draft an edition from the actions"),
            _(
                "This creates a draft edition, in Dutch and (where the actions are translated) in English, with "
                "every action's progress updates since the previous edition. Nothing is published or sent."
            ),
            _("Draft the edition"),
            reverse("wagtailadmin_explore", args=[index.pk]),
        )
    drafted = editions.draft_edition(user=request.user)
    if drafted.actions:
        messages.success(request, _("Drafted “%(title)s”.") % {"title": drafted.edition.title})
    else:
        messages.warning(
            request,
            _("Drafted “%(title)s”, but no action has new progress updates yet.") % {"title": drafted.edition.title},
        )
    return redirect("wagtailadmin_pages:edit", drafted.edition.pk)


def send_test(request, page_id):
    edition = get_object_or_404(NewsletterPage, pk=page_id)
    if not edition.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    if request.method != "POST":
        return confirm(
            request,
            _("Send a test"),
            _("The latest draft of “%(title)s” goes to your own address, %(email)s, marked as a test.")
            % {"title": edition.title, "email": request.user.email or "–"},
            _("Send the test"),
            reverse("wagtailadmin_pages:edit", args=[edition.pk]),
        )
    try:
        editions.send_test(edition, request.user)
    except editions.NoAddress:
        messages.error(request, _("Your account has no e-mail address: add one under Account first."))
    else:
        messages.success(request, _("A test was sent to %(email)s.") % {"email": request.user.email})
    return redirect("wagtailadmin_pages:edit", edition.pk)
