"""The confirmation screen before an edition goes to every subscriber: who gets it in which language, and when.

A POST starts (or schedules) the sending, which is newsletter.delivery's; the editor then follows it on its
progress screen (progress.py).
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from wagtail.admin.views.generic.base import BaseObjectMixin, WagtailAdminTemplateMixin

from newsletter.delivery import api, status
from newsletter.models import NewsletterPage
from newsletter.preflight.report import preflight

from .permissions import MailingPermissionMixin
from .preflight import PreflightForm
from .translation_check import translation_check


class SendForm(PreflightForm):
    """When to send, and (only while a translation is not live) whether its readers get the Dutch edition."""

    send_at = forms.DateTimeField(
        label=gettext_lazy("Schedule for"),
        required=False,
        # The browser's own date-time field: accessible, and no script of its own (the admin's is inline).
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    dutch_for_english = forms.BooleanField(required=False)
    despite_translations = forms.BooleanField(
        error_messages={"required": gettext_lazy("Tick this to send with the translations as they are.")}
    )

    def __init__(self, *args, untranslated, stale_translations, **kwargs):
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
        # Required while an action item leads some readers to a missing, draft or out-of-date translation.
        if stale_translations:
            self.fields["despite_translations"].label = _(
                "Send although action pages for the readers of %(languages)s are not translated, drafts or out of date"
            ) % {"languages": ", ".join(stale_translations)}
        else:
            del self.fields["despite_translations"]

    def clean_send_at(self):
        send_at = self.cleaned_data["send_at"]
        if send_at is not None and send_at <= timezone.now():
            raise forms.ValidationError(_("This time has passed: choose a later one, or leave it empty to send now."))
        return send_at


class SendEditionView(MailingPermissionMixin, BaseObjectMixin, WagtailAdminTemplateMixin, View):
    permission_required = "send"
    model = NewsletterPage
    pk_url_kwarg = "page_id"
    template_name = "newsletter/admin/send_edition.html"
    header_icon = "mail"
    breadcrumbs_items = []  # the title in the screen's own header, as on the edition's other action screens

    def get_object(self):
        # The Dutch edition is the one sent, whichever language's page the editor came from.
        return status.source_edition(super().get_object())

    def dispatch(self, request, *args, **kwargs):
        existing = status.mailing_for(self.object)
        if existing is not None:
            messages.info(request, _("This edition has already been sent or is being sent."))
            return redirect("newsletter_mailings:progress", existing.pk)
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def audience(self):
        return status.audience(self.object)

    @cached_property
    def untranslated(self):
        names = dict(settings.LANGUAGES)
        return ", ".join(names[code] for code in self.audience.untranslated)

    @cached_property
    def preflight(self):
        """The preflight of what the sending would freeze now (nothing while the edition is not published)."""
        return preflight(api.live_editions(self.object)) if self.object.live else None

    @cached_property
    def translation_check(self):
        return translation_check(self.object, self.audience)

    def get_form(self):
        # Bound only to a submitted form: a POST with nothing in it shows the screen again, as a GET does.
        check = self.translation_check
        return SendForm(
            self.request.POST or None,
            untranslated=self.untranslated,
            stale_translations=[language["name"] for language in check.stale_languages],
            preflight_report=self.preflight,
            # The preflight's warning about a link to an untranslated action is the translation check's question.
            asked=check.stale_pages if check.stale_languages else (),
        )

    def get_page_title(self):
        return _("Send “%(title)s”") % {"title": self.object.title}

    def get_context_data(self, form, **kwargs):
        names = dict(settings.LANGUAGES)
        found = self.audience
        languages = [
            {
                "name": names[code],
                "count": count,
                "live": found.pages[code] is not None,
                "waits": code in found.untranslated,
            }
            for code, count in found.counts.items()
        ]
        return super().get_context_data(
            languages=languages,
            total=found.total,
            untranslated=self.untranslated,
            preflight=self.preflight,
            translation_check=self.translation_check,
            form=form if self.object.live else None,
            cancel_url=reverse("wagtailadmin_pages:edit", args=[self.object.pk]),
            **kwargs,
        )

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=self.get_form()))

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        if form.is_valid():
            try:
                mailing = api.start_send(
                    self.object,
                    request.user,
                    send_at=form.cleaned_data["send_at"],
                    dutch_for_english=form.cleaned_data.get("dutch_for_english", False),
                )
            except api.CannotSend as refusal:
                messages.error(request, str(refusal))
                # A second submit (another tab, a double click) finds the sending the first one started.
                existing = status.mailing_for(self.object)
                if existing is not None:
                    return redirect("newsletter_mailings:progress", existing.pk)
            else:
                self.say_started(mailing, scheduled=bool(form.cleaned_data["send_at"]))
                return redirect("newsletter_mailings:progress", mailing.pk)
        return self.render_to_response(self.get_context_data(form=form))

    def say_started(self, mailing, scheduled):
        title = self.object.title
        if scheduled:
            when = formats.date_format(timezone.localtime(mailing.send_at), "DATETIME_FORMAT")
            message = _("“%(title)s” is scheduled for %(when)s.") % {"title": title, "when": when}
        else:
            message = _("Sending “%(title)s” has started.") % {"title": title}
        messages.success(self.request, message)
