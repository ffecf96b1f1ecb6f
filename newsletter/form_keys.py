"""A cookie-free stand-in for Django's CSRF token on the pages behind a personal link.

The signed link is the visitor's session there: it names the subscriber and only they received it. Each form on
those pages carries a key signed for that link and dated, so a POST is accepted only from a form we rendered for
this link lately, never from another site (whose browser also says so: Sec-Fetch-Site). No cookie is set, so the
pages stay as private and uncached as they are (never_cache), and no consent banner is needed.
"""

from datetime import timedelta

from django.core import signing

FORM_KEY_SALT = "newsletter.personal-form"
FORM_KEY_MAX_AGE = timedelta(days=1)
FIELD = "form_key"


def form_key(token):
    return signing.TimestampSigner(salt=FORM_KEY_SALT).sign(token)


def is_own_post(request, token):
    """Whether this POST comes from a form on our page for the personal link `token`, rendered within a day."""
    if request.headers.get("Sec-Fetch-Site") == "cross-site":
        return False
    try:
        signed = signing.TimestampSigner(salt=FORM_KEY_SALT).unsign(
            request.POST.get(FIELD, ""), max_age=FORM_KEY_MAX_AGE
        )
    except signing.BadSignature:
        return False
    return signed == token
