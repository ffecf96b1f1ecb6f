"""The admin's password reset, answered alike for every address and limited per address and per client.

Wagtail's view (Django's) looks the address up and mails the link inside the request, so an address with an account
answered measurably slower than one without, and nothing limited how often it mailed one editor. Here the request
only counts itself against the limits and queues a task on the worker that sends the newsletter (one queue, one
`db_worker`); the task looks the address up and sends Wagtail's own mail, with Wagtail's form and templates.
"""

import hashlib
from urllib.parse import urlsplit

from django.conf import settings
from django.shortcuts import redirect
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django_ratelimit.core import is_ratelimited
from django_tasks import task
from wagtail.admin.views.account import PasswordResetView, get_password_reset_form

# Per address as the subscribe form (an editor asking a few times is enough); per client (home.security.client) more,
# since an office shares one address. Fixed windows in Django's cache; a cache that cannot count refuses.
RATE_PER_ADDRESS = "5/h"
RATE_PER_CLIENT = "20/h"


@task(backend="newsletter", queue_name="newsletter")
def send_password_reset(email, language):
    """Mails Wagtail's reset link to the active accounts with this address, if there are any."""
    form = get_password_reset_form()({"email": email})
    if not form.is_valid():
        return
    base_url = urlsplit(settings.WAGTAILADMIN_BASE_URL)
    with translation.override(language):
        form.save(
            # No request in the worker: the link is built on WAGTAILADMIN_BASE_URL (Wagtail's mail template reads it).
            domain_override=base_url.netloc,
            use_https=base_url.scheme == "https",
            subject_template_name=PasswordResetView.subject_template_name,
            email_template_name=PasswordResetView.email_template_name,
        )


def too_many_requests(request, email):
    """Counts this request against both limits; True when either is exceeded."""
    group = "password_reset"
    address = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    by_client = is_ratelimited(request, group=group, key="ip", rate=RATE_PER_CLIENT, increment=True)
    by_address = is_ratelimited(request, group=group, key=lambda *_: address, rate=RATE_PER_ADDRESS, increment=True)
    return by_client or by_address


class QueuedPasswordResetView(PasswordResetView):
    """Wagtail's page and form; every valid address takes the same path: the limits, the queue, "check your mail"."""

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        if too_many_requests(self.request, email):
            form.add_error(None, _("Too many requests to reset a password. Please try again in an hour."))
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        send_password_reset.enqueue(email=email, language=translation.get_language())
        return redirect(self.get_success_url())
