import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403


def required(name):
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"Set the environment variable {name} to run in production.")
    return value


def flag(name, default="false"):
    return os.environ.get(name, default).strip().lower() == "true"


DEBUG = False
SECRET_KEY = required("DJANGO_SECRET_KEY")
required("ALLOWED_HOSTS")  # base reads the list; production has no default hosts
# Mail and links made without a request (mail, background tasks) must name the real site and sender.
SITE_URL = required("SITE_URL").rstrip("/")
if not SITE_URL.startswith("https://"):
    raise ImproperlyConfigured("SITE_URL must be the site's https:// address in production.")
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", SITE_URL)
DEFAULT_FROM_EMAIL = required("DEFAULT_FROM_EMAIL")
SECURITY_TXT_CONTACT = required("SECURITY_TXT_CONTACT")
# Without it anymail only warns, and anyone could report bounces and complaints that stop mail to subscribers.
required("ANYMAIL_WEBHOOK_SECRET")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

# A new dict, not a change to base's: a module that reads these settings beside others (a test does) must leave
# base's objects as they were.
STORAGES = {
    **STORAGES,  # noqa: F405
    # Hashed names (cacheable forever) and gzip + Brotli copies served by whitenoise.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

SECURE_SSL_REDIRECT = flag("SECURE_SSL_REDIRECT", "true")
if flag("BEHIND_TLS_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The lock-out and the rate limits count per client (home.security.client): behind the one documented proxy, the
# address it appended to X-Forwarded-For; a second proxy in front of it (a CDN) makes it 2.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "1" if flag("BEHIND_TLS_PROXY") else "0"))
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
# Both bind every subdomain of the domain (preload for years, through the browsers' lists): the domain's owner
# decides, so they are off unless switched on.
SECURE_HSTS_INCLUDE_SUBDOMAINS = flag("HSTS_INCLUDE_SUBDOMAINS")
SECURE_HSTS_PRELOAD = flag("HSTS_PRELOAD")
# check --deploy recommends both; left off they are a decision taken, not an oversight.
SILENCED_SYSTEM_CHECKS = [
    check
    for check, on in [("security.W005", SECURE_HSTS_INCLUDE_SUBDOMAINS), ("security.W021", SECURE_HSTS_PRELOAD)]
    if not on
]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# Editors give a code from their authenticator app after the password; TWO_FACTOR_REQUIRED=false makes it optional.
TWO_FACTOR_REQUIRED = flag("TWO_FACTOR_REQUIRED", "true")

# Mail through anymail: ANYMAIL_ESP names the provider (postmark, mailgun, brevo, amazon_ses, ...);
# every other ANYMAIL_* variable becomes an anymail setting, e.g. ANYMAIL_POSTMARK_SERVER_TOKEN.
ANYMAIL_ESP = os.environ.get("ANYMAIL_ESP", "")
if ANYMAIL_ESP:
    EMAIL_BACKEND = f"anymail.backends.{ANYMAIL_ESP}.EmailBackend"
    ANYMAIL = {
        key.removeprefix("ANYMAIL_"): value
        for key, value in os.environ.items()
        if key.startswith("ANYMAIL_") and key != "ANYMAIL_ESP"
    }
else:
    EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = flag("EMAIL_USE_TLS")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "INFO"},
}
