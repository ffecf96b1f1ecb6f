"""The newsletter's settings, each with its default: the project's settings name only what differs.

Read at each use (not once at import), so that a test's or an operator's value counts. config/settings/base.py
passes on the values an operator sets in the environment, as text; they are read here in the default's type.
"""

from django.conf import settings

DEFAULTS = {
    # Recipients per call to the mail provider where anymail's backend supports batch sending with our merge syntax
    # (Brevo's limit is 1,000), else per claim of one-message-per-recipient sending.
    "NEWSLETTER_BATCH_SIZE": 1000,
    "NEWSLETTER_SINGLE_BATCH_SIZE": 100,
    # Seconds after which a worker that has not reported is taken for dead: its sending is taken up again, and the one
    # batch it had handed over is sent again (nobody is skipped; if the provider had accepted it, those recipients get
    # it twice) or, with NEWSLETTER_RESEND_IN_DOUBT off, marked unknown for an editor to decide (nobody twice, but
    # they may miss it).
    "NEWSLETTER_CLAIM_LEASE": 600,
    "NEWSLETTER_RESEND_IN_DOUBT": True,
    "NEWSLETTER_MAX_ATTEMPTS": 8,
    # Tasks queued per sending: as many workers as this share it (on PostgreSQL; SQLite has one writer at a time).
    "NEWSLETTER_SEND_TASKS": 1,
    "NEWSLETTER_RETRY_DELAY": 2.0,  # seconds, doubled each attempt
    # None: batch sending when EMAIL_BACKEND is one whose merge syntax delivery/senders.py speaks (Brevo); True or
    # False forces it.
    "NEWSLETTER_BATCH_SENDING": None,
    # Messages per second to the mail provider, all workers together (delivery/pace.py); None: as fast as the
    # provider answers (its rate-limit headers and a 429's Retry-After are heeded either way).
    "NEWSLETTER_MAX_RATE": None,
    # When the weekly digest of the followed actions goes out, in the site's time zone (TIME_ZONE): the weekday
    # (0 is Monday) and the hour.
    "NEWSLETTER_DIGEST_WEEKDAY": 0,
    "NEWSLETTER_DIGEST_HOUR": 8,
}


def setting(name):
    """The value of the newsletter setting `name`: the project's, or its default."""
    default = DEFAULTS[name]
    value = getattr(settings, name, default)
    if isinstance(value, str) and default is not None and not isinstance(default, str):  # from the environment
        return value.lower() == "true" if isinstance(default, bool) else type(default)(value)
    return value
