"""The preflight in the admin: the edition's "Preflight" screen, and the send form's part (errors refuse, warnings
need a tick). Both show the report with includes/preflight_report.html."""

from django import forms
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from newsletter.models import NewsletterPage
from newsletter.preflight.report import preflight

from .confirm import ConfirmPageActionView


class PreflightForm(forms.Form):
    """A form that refuses while the preflight's report has errors, and asks for a tick while it has warnings
    (`preflight_report` None: there is nothing to send, so nothing to check). A warning about a link to a page whose
    translation_key is in `asked` needs no tick of its own: another tick of the form already asks about that page."""

    preflight_seen = forms.BooleanField(label=gettext_lazy("I have read the preflight's warnings and send anyway"))

    def __init__(self, *args, preflight_report, asked=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.preflight_report = preflight_report
        warnings = [] if preflight_report is None else preflight_report.warnings
        if all(warning.untranslated and warning.untranslated in asked for warning in warnings):
            del self.fields["preflight_seen"]

    def clean(self):
        if self.preflight_report is not None and self.preflight_report.errors:
            raise forms.ValidationError(
                _("The preflight found errors in this edition: fix them and publish it, then send it.")
            )
        return super().clean()


class PreflightView(ConfirmPageActionView):
    """The preflight on the latest draft of each language of an edition (what "Send a test" would send)."""

    model = NewsletterPage
    template_name = "newsletter/admin/preflight.html"
    header_icon = "tasks"
    page_title = gettext_lazy("Preflight")

    def may_act(self, permissions):
        return permissions.can_edit()

    def get_cancel_url(self):
        return reverse("wagtailadmin_pages:edit", args=[self.object.pk])

    def get_context_data(self, **kwargs):
        pages = [
            page.get_latest_revision_as_object() for page in self.object.get_translations(inclusive=True).specific()
        ]
        pages.sort(key=lambda page: page.locale_id != self.object.locale_id)  # the edition's own language first
        return super().get_context_data(preflight=preflight(pages), **kwargs)
