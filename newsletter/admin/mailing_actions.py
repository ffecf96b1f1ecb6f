"""What a sender does to a mailing from its progress screen: cancel it before it begins, or put the failed or
interrupted deliveries back in the queue. Only a POST acts."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.admin.views.generic.base import BaseOperationView

from newsletter.delivery import api
from newsletter.models import Mailing

from .permissions import MailingPermissionMixin


class MailingOperationView(MailingPermissionMixin, BaseOperationView):
    permission_required = "send"
    model = Mailing
    success_url_name = "newsletter_mailings:progress"

    def add_success_message(self):
        # Plain text, as on the other screens (Wagtail's own helper would wrap it in its buttons template).
        messages.success(self.request, self.get_success_message())


class CancelView(MailingOperationView):
    """Cancels a sending that has not begun; the editor is back on the edition, which can be sent again."""

    def get_base_object_queryset(self):
        return super().get_base_object_queryset().select_related("edition")

    def post(self, request, *args, **kwargs):
        mailing = self.object
        if not api.cancel(mailing):
            messages.error(request, _("Sending has begun: it can no longer be cancelled."))
            return redirect(self.get_success_url())
        messages.success(request, _("Sending “%(title)s” is cancelled.") % {"title": mailing.edition.title})
        return redirect("wagtailadmin_pages:edit", mailing.edition_id)


class RequeueView(MailingOperationView):
    """Puts the deliveries in one state back in the queue: `requeue` is api.retry_failed or resend_unknown."""

    def requeue(self, mailing):
        raise NotImplementedError

    def perform_operation(self):
        self.count = self.requeue(self.object)


class RetryFailedView(RequeueView):
    def requeue(self, mailing):
        return api.retry_failed(mailing)

    def get_success_message(self):
        return ngettext(
            "%(count)s failed delivery is sent again.", "%(count)s failed deliveries are sent again.", self.count
        ) % {"count": self.count}


class ResendUnknownView(RequeueView):
    def requeue(self, mailing):
        return api.resend_unknown(mailing)

    def get_success_message(self):
        return ngettext(
            "%(count)s interrupted delivery is sent again.",
            "%(count)s interrupted deliveries are sent again.",
            self.count,
        ) % {"count": self.count}
