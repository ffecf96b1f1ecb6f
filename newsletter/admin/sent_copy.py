"""Exactly what one language's subscribers received: the subject, the HTML (framed, sandboxed) and the text."""

from csp.decorators import csp_update
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.clickjacking import xframe_options_sameorigin

from newsletter.models import MailingCopy

from .screens import MailingMixin, MailingScreenMixin


class SentCopyMixin(MailingMixin):
    """The mailing's copy in the `language` of the URL."""

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.copy = get_object_or_404(MailingCopy, mailing=self.object, language=kwargs["language"])


class SentCopyView(SentCopyMixin, MailingScreenMixin, View):
    template_name = "newsletter/admin/sent_copy.html"

    def get_page_title(self):
        return _("Sent in %(language)s") % {"language": self.copy.get_language_display()}

    def get_breadcrumbs_items(self):
        *path, edition = super().get_breadcrumbs_items()
        progress_url = reverse("newsletter_mailings:progress", args=[self.object.pk])
        return [*path, {**edition, "url": progress_url}, {"url": "", "label": self.get_page_title()}]

    def get(self, request, *args, **kwargs):
        context = self.get_context_data(
            copy=self.copy,
            personal_link=MailingCopy.PERSONAL_LINK,
            html_url=reverse("newsletter_mailings:sent_copy_html", args=[self.object.pk, self.copy.language]),
        )
        return self.render_to_response(context)


# The mail's HTML runs nothing and reaches nothing of the admin: a sandbox (no scripts, a unique origin) by the
# response's own policy as well as by the frame's attribute, and framed only by the admin.
@method_decorator([xframe_options_sameorigin, csp_update({"sandbox": True})], name="dispatch")
class SentCopyHtmlView(SentCopyMixin, View):
    def get(self, request, *args, **kwargs):
        return HttpResponse(self.copy.html)
