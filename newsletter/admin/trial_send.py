"""The admin's "Send a test": an edition's latest draft to the editor's own address, marked as a test."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from newsletter import messages as edition_mail
from newsletter.models import NewsletterPage

from .confirm import ConfirmPageActionView


class SendTestView(ConfirmPageActionView):
    model = NewsletterPage
    page_title = gettext_lazy("Send a test")
    submit_label = gettext_lazy("Send the test")

    def may_act(self, permissions):
        return permissions.can_edit()

    def get_explanation(self):
        return _("The latest draft of “%(title)s” goes to your own address, %(email)s, marked as a test.") % {
            "title": self.object.title,
            "email": self.request.user.email or "–",
        }

    def get_cancel_url(self):
        return reverse("wagtailadmin_pages:edit", args=[self.object.pk])

    def post(self, request, *args, **kwargs):
        try:
            edition_mail.send_test(self.object, request.user)
        except edition_mail.NoAddress:
            messages.error(request, _("Your account has no e-mail address: add one under Account first."))
        else:
            messages.success(request, _("A test was sent to %(email)s.") % {"email": request.user.email})
        return redirect("wagtailadmin_pages:edit", self.object.pk)
