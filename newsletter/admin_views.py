"""The editors' edition actions in the Wagtail admin: draft an edition from the actions, send a test, send the
edition to every subscriber and follow its progress.

Each GET shows what will happen and a button; only the POST acts. Sending itself is newsletter/delivery/'s.
"""

from csp.decorators import csp_update
from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from . import drafting
from . import messages as edition_mail
from .delivery import api, status
from .models import Delivery, Mailing, MailingCopy, NewsletterIndexPage, NewsletterPage

State = Delivery.State


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
    drafted = drafting.draft_edition(user=request.user)
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
        edition_mail.send_test(edition, request.user)
    except edition_mail.NoAddress:
        messages.error(request, _("Your account has no e-mail address: add one under Account first."))
    else:
        messages.success(request, _("A test was sent to %(email)s.") % {"email": request.user.email})
    return redirect("wagtailadmin_pages:edit", edition.pk)


# Sending an edition ---------------------------------------------------------------------------------------------


class SendForm(forms.Form):
    """When to send, and (only while a translation is not live) whether its readers get the Dutch edition."""

    send_at = forms.DateTimeField(
        label=gettext_lazy("Schedule for"),
        required=False,
        # The browser's own date-time field: accessible, and no script of its own (the admin's is inline).
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    dutch_for_english = forms.BooleanField(required=False)

    def __init__(self, *args, untranslated, **kwargs):
        super().__init__(*args, **kwargs)
        # The admin works in the editor's own time zone (their account setting, else the site's).
        self.fields["send_at"].help_text = _(
            "Leave empty to send now. Times are in the %(zone)s time zone; it is now %(now)s."
        ) % {"zone": timezone.get_current_timezone_name(), "now": formats.date_format(timezone.localtime(), "H:i")}
        if untranslated:
            self.fields["dutch_for_english"].label = _(
                "Send the Dutch edition to the subscribers who read %(languages)s"
            ) % {"languages": untranslated}
        else:
            del self.fields["dutch_for_english"]

    def clean_send_at(self):
        send_at = self.cleaned_data["send_at"]
        if send_at is not None and send_at <= timezone.now():
            raise forms.ValidationError(_("This time has passed: choose a later one, or leave it empty to send now."))
        return send_at


def require_send_permission(user):
    if not api.can_send(user):
        raise PermissionDenied


def send(request, page_id):
    """The confirmation screen: who gets the edition in which language; a POST starts (or schedules) the sending."""
    require_send_permission(request.user)
    edition = status.source_edition(get_object_or_404(NewsletterPage, pk=page_id))
    existing = status.mailing_for(edition)
    if existing is not None:
        messages.info(request, _("This edition has already been sent or is being sent."))
        return redirect("newsletter_mailings:progress", existing.pk)
    found = status.audience(edition)
    names = dict(settings.LANGUAGES)
    untranslated = ", ".join(names[code] for code in found.untranslated)
    form = SendForm(request.POST or None, untranslated=untranslated)
    if request.method == "POST" and form.is_valid():
        try:
            mailing = api.start_send(
                edition,
                request.user,
                send_at=form.cleaned_data["send_at"],
                dutch_for_english=form.cleaned_data.get("dutch_for_english", False),
            )
        except api.CannotSend as refusal:
            messages.error(request, str(refusal))
            # A second submit (another tab, a double click) finds the sending the first one started.
            existing = status.mailing_for(edition)
            if existing is not None:
                return redirect("newsletter_mailings:progress", existing.pk)
        else:
            if form.cleaned_data["send_at"]:
                when = formats.date_format(timezone.localtime(mailing.send_at), "DATETIME_FORMAT")
                messages.success(
                    request, _("“%(title)s” is scheduled for %(when)s.") % {"title": edition.title, "when": when}
                )
            else:
                messages.success(request, _("Sending “%(title)s” has started.") % {"title": edition.title})
            return redirect("newsletter_mailings:progress", mailing.pk)
    languages = [
        {
            "name": names[code],
            "count": count,
            "live": found.pages[code] is not None,
            "waits": code in found.untranslated,
        }
        for code, count in found.counts.items()
    ]
    title = _("Send “%(title)s”") % {"title": edition.title}
    context = {
        "page_title": title,
        "header_title": title,
        "header_icon": "mail",
        "languages": languages,
        "total": found.total,
        "untranslated": untranslated,
        "form": form if edition.live else None,
        "cancel_url": reverse("wagtailadmin_pages:edit", args=[edition.pk]),
    }
    return TemplateResponse(request, "newsletter/admin/send_edition.html", context)


# A mailing's progress -------------------------------------------------------------------------------------------


def may_view_mailings(user):
    """Whoever may send sees the mailings; the model's view permission lets others watch without acting."""
    return api.can_send(user) or user.has_perm("newsletter.view_mailing")


def viewable_mailing(request, pk):
    if not may_view_mailings(request.user):
        raise PermissionDenied
    return get_object_or_404(Mailing.objects.select_related("edition", "started_by"), pk=pk)


def progress_context(request, mailing):
    # The mailing was read before its deliveries are counted: its state may lag behind the figures, never run ahead,
    # so the screen stops refreshing ("done") only with the final figures.
    found = status.progress(mailing)
    waiting_for = []
    if found.waiting and not mailing.dutch_for_english:
        names = dict(settings.LANGUAGES)
        waiting_for = [names[code] for code in status.audience(mailing.edition).untranslated]
    return {
        "mailing": mailing,
        "progress": found,
        "states": [{"state": state, "label": label, "count": found.counts[state]} for state, label in State.choices],
        "failed": found.counts[State.FAILED],
        "unknown": found.counts[State.UNKNOWN],
        "waiting_for": ", ".join(waiting_for),
        "zone": timezone.get_current_timezone_name(),
        "copies": mailing.copies.order_by("language"),
        "can_send": api.can_send(request.user),
        # The page fetches this part again while the sending is not done (newsletter/admin/mailing-progress.js).
        "refresh_url": reverse("newsletter_mailings:progress_region", args=[mailing.pk])
        if found.state != Mailing.State.DONE
        else "",
    }


def progress(request, pk):
    mailing = viewable_mailing(request, pk)
    title = _("Sending “%(title)s”") % {"title": mailing.edition.title}
    context = progress_context(request, mailing) | {
        "page_title": title,
        "header_title": title,
        "header_icon": "mail",
        "breadcrumbs_items": [
            {"url": reverse("wagtailadmin_home"), "label": _("Home")},
            {"url": reverse("newsletter_mailings:index"), "label": _("Newsletter sends")},
            {"url": "", "label": mailing.edition.title},
        ],
        "edit_url": reverse("wagtailadmin_pages:edit", args=[mailing.edition_id]),
    }
    return TemplateResponse(request, "newsletter/admin/mailing_progress.html", context)


def progress_region(request, pk):
    """Only the figures, for the page to refresh itself."""
    mailing = viewable_mailing(request, pk)
    return TemplateResponse(
        request, "newsletter/admin/includes/mailing_progress_region.html", progress_context(request, mailing)
    )


@require_POST
def cancel(request, pk):
    """Cancels a sending that has not begun; the editor is back on the edition, which can be sent again."""
    require_send_permission(request.user)
    mailing = get_object_or_404(Mailing.objects.select_related("edition"), pk=pk)
    if not api.cancel(mailing):
        messages.error(request, _("Sending has begun: it can no longer be cancelled."))
        return redirect("newsletter_mailings:progress", mailing.pk)
    messages.success(request, _("Sending “%(title)s” is cancelled.") % {"title": mailing.edition.title})
    return redirect("wagtailadmin_pages:edit", mailing.edition_id)


def requeue(request, pk, again, message):
    """Puts the deliveries in one state back in the queue: `again` is api.retry_failed or resend_unknown."""
    require_send_permission(request.user)
    mailing = get_object_or_404(Mailing, pk=pk)
    count = again(mailing)
    messages.success(request, message(count) % {"count": count})
    return redirect("newsletter_mailings:progress", mailing.pk)


@require_POST
def retry_failed(request, pk):
    return requeue(
        request,
        pk,
        api.retry_failed,
        lambda n: ngettext(
            "%(count)s failed delivery is sent again.", "%(count)s failed deliveries are sent again.", n
        ),
    )


@require_POST
def resend_unknown(request, pk):
    return requeue(
        request,
        pk,
        api.resend_unknown,
        lambda n: ngettext(
            "%(count)s interrupted delivery is sent again.", "%(count)s interrupted deliveries are sent again.", n
        ),
    )


def sent_copy(request, pk, language):
    """Exactly what one language's subscribers received: the subject, the HTML (framed, sandboxed) and the text."""
    mailing = viewable_mailing(request, pk)
    copy = get_object_or_404(MailingCopy, mailing=mailing, language=language)
    title = _("Sent in %(language)s") % {"language": copy.get_language_display()}
    context = {
        "page_title": title,
        "header_title": title,
        "header_icon": "mail",
        "breadcrumbs_items": [
            {"url": reverse("wagtailadmin_home"), "label": _("Home")},
            {"url": reverse("newsletter_mailings:index"), "label": _("Newsletter sends")},
            {"url": reverse("newsletter_mailings:progress", args=[mailing.pk]), "label": mailing.edition.title},
            {"url": "", "label": title},
        ],
        "copy": copy,
        "personal_link": MailingCopy.PERSONAL_LINK,
        "html_url": reverse("newsletter_mailings:sent_copy_html", args=[mailing.pk, language]),
    }
    return TemplateResponse(request, "newsletter/admin/sent_copy.html", context)


# The mail's HTML runs nothing and reaches nothing of the admin: a sandbox (no scripts, a unique origin) by the
# response's own policy as well as by the frame's attribute, and framed only by the admin.
@xframe_options_sameorigin
@csp_update({"sandbox": True})
def sent_copy_html(request, pk, language):
    mailing = viewable_mailing(request, pk)
    copy = get_object_or_404(MailingCopy, mailing=mailing, language=language)
    return HttpResponse(copy.html)
