"""Settings shared by every environment. Values that differ per deployment come from the environment."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
SITE_DIR = BASE_DIR / "site"


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "newsletter",
    "joining",
    "actions",
    "home",
    "search",
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.search_promotions",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "anymail",
    "django_tasks_db",
    "axes",
    # Two-factor login for editors (authenticator apps), see home.security.two_factor.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "wagtail.contrib.frontend_cache",
    "whitenoise.runserver_nostatic",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    # First: a cached page costs one cache read, and is stored with the headers the middleware below gave it.
    "home.serving.middleware.AnonymousPageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "home.security.csp.SiteCSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Answers made for a session: `Cache-Control: private, no-store` (reads SessionMiddleware's Vary: Cookie).
    "home.security.private_responses.PrivateResponseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "home.languages.middleware.PathLocaleMiddleware",
    "home.serving.middleware.SiteShellMiddleware",
    "home.errors.ErrorPageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Editors give the code of their authenticator app (or set one up) before the admin opens.
    "django_otp.middleware.OTPMiddleware",
    "home.security.two_factor.SecondFactorMiddleware",
    # Passwords of private pages and documents are guessed no faster than admin logins.
    "home.security.page_passwords.PagePasswordLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # After LocaleMiddleware, so redirects are matched per language.
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: locks out repeated failed admin logins.
    "axes.middleware.AxesMiddleware",
]

# Django's cache, shared by every process (web workers, the clock): rate limits, the clock's locks, pages. Redis
# where REDIS_URL is set, else files in CACHE_DIR, which every process on this machine shares (a memory cache would
# not: the clock publishing a page could not empty the web server's page cache). Pages have a cache of their own,
# emptied on every publish (see home.serving.page_cache).
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHE_DIR = Path(os.environ.get("CACHE_DIR", BASE_DIR / ".cache"))


def cache(name, redis_url=REDIS_URL):
    if redis_url:
        # When Redis is down or slow, the site goes on without it (django-redis's IGNORE_EXCEPTIONS): every read is
        # a miss and every write is dropped, so pages are rendered afresh and rate limits refuse (see
        # RATELIMIT_FAIL_OPEN), rather than every request failing. Each ignored error is logged.
        return {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": name,
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1},
        }
    return {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": CACHE_DIR / name}


CACHES = {"default": cache("site"), "pages": cache("pages")}
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
# Rate limits whose counters cannot be read (Redis down) refuse with the "try again later" page: a newsletter form
# that waits a while is better than one that mails anyone without a limit.
RATELIMIT_FAIL_OPEN = False
# The page cache's alias and lifetimes (PAGE_CACHE_*) have their defaults in home/conf.py.

# The client's address, for the login lock-out and every rate limit alike (home.security.client): the
# TRUSTED_PROXY_COUNT-th X-Forwarded-For entry from the right, or REMOTE_ADDR with no proxy in front (production sets
# 1 behind its proxy).
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
RATELIMIT_IP_META_KEY = AXES_CLIENT_IP_CALLABLE = "home.security.client.client_ip"

# Failed logins lock out the client they came from for a cool-off period, after which it unlocks by itself. Only the
# client: an account is locked only together with the client that failed (five failures on one name from one client
# lock that client), so a stranger cannot lock an editor out, whatever names the stranger tries.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False  # no banner on every start (check --deploy must print nothing); lockouts are still logged

# Two-factor login (home.security.two_factor on django-otp): when required, every editor sets up an authenticator
# app and gives its code after the password. Production requires it; elsewhere only editors who set one up are
# asked, so the development admin that `make run` prints signs in with its password alone.
TWO_FACTOR_REQUIRED = os.environ.get("TWO_FACTOR_REQUIRED", "false").strip().lower() == "true"
OTP_TOTP_ISSUER = "Kernteam Ambtelijk Vakmanschap"


def frontend_cache(environ):
    """A CDN in front of the site: Wagtail purges a page's addresses from it when the page is published or
    unpublished. CDN_PURGE_URL is any cache that accepts an HTTP PURGE (Varnish, nginx, Fastly); Cloudflare takes
    its zone and an API token allowed to purge it. Other pages that show the changed one follow within
    PAGE_CACHE_SHARED_SECONDS."""
    backends = {}
    if environ.get("CDN_PURGE_URL"):
        backends["http"] = {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": environ["CDN_PURGE_URL"],
        }
    if environ.get("CLOUDFLARE_ZONE_ID"):
        backends["cloudflare"] = {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
            "ZONEID": environ["CLOUDFLARE_ZONE_ID"],
            "BEARER_TOKEN": environ.get("CLOUDFLARE_API_TOKEN", ""),
        }
    return backends


WAGTAILFRONTENDCACHE = frontend_cache(os.environ)
# Each translation is a page of its own, purged when it is published; Wagtail would otherwise also purge a made-up
# /nl/ address for every English one.
WAGTAILFRONTENDCACHE_LANGUAGES = []

# Content-Security-Policy: the public site runs no inline script or style and loads nothing from elsewhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# What the Wagtail admin needs on top (CONTENT_SECURITY_POLICY_ADMIN) is home's, in home/conf.py.
# Browser features the site never uses are switched off for it and for anything it might embed.
PERMISSIONS_POLICY = {
    feature: []
    for feature in [
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "screen-wake-lock",
        "sync-xhr",
        "usb",
        "xr-spatial-tracking",
    ]
}
SECURE_REFERRER_POLICY = "same-origin"
# No avatars from an outside service: it would tell Gravatar who edits the site (and CSP would block it).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Nor does the admin ask wagtail.org for new releases from editors' browsers; upgrades go through requirements.txt.
WAGTAIL_ENABLE_UPDATE_CHECK = False
SECURE_CONTENT_TYPE_NOSNIFF = True

# /.well-known/security.txt (RFC 9116): where to report a vulnerability, and until when that holds. The date is a
# promise to look again: a system check warns a month before it passes.
SECURITY_TXT_CONTACT = os.environ.get("SECURITY_TXT_CONTACT", "mailto:security@localhost")
SECURITY_TXT_EXPIRES = os.environ.get("SECURITY_TXT_EXPIRES", "2027-11-30T00:00:00+00:00")

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SITE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# SQLite in the project folder unless DATABASE_URL names another database (PostgreSQL in production).
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}", conn_max_age=600, conn_health_checks=True
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Dutch is the source language: the first Locale is created from LANGUAGE_CODE by the first migration.
LANGUAGE_CODE = "nl"
LANGUAGES = WAGTAIL_CONTENT_LANGUAGES = WAGTAILADMIN_PERMITTED_LANGUAGES = [
    ("nl", "Nederlands"),
    ("en", "English"),
]
LOCALE_PATHS = [SITE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True
WAGTAIL_I18N_ENABLED = True
# "Translate" and "Sync translated pages" create English drafts; without this, wagtail-localize publishes them
# at once when the Dutch page is live, showing Dutch text under /en/ until a translator gets to it.
WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = False

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "static"))
STATICFILES_DIRS = [SITE_DIR / "static"]
# Served at the site's root by whitenoise: /favicon.ico and /apple-touch-icon.png (manage.py draw_icons).
WHITENOISE_ROOT = SITE_DIR / "root"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Mail: DEFAULT_FROM_EMAIL is the team's sender (required in production); the backend is chosen per environment.
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Kernteam Ambtelijk Vakmanschap <nieuwsbrief@localhost>")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

WAGTAIL_SITE_NAME = _("Core Team for Public Service Craftsmanship")
# The site's public address (scheme, host, and port where it is not the scheme's own), without a trailing slash.
# Links in mail and anything else rendered without a request are built on it; the default Wagtail Site follows it.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", SITE_URL)
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# Uploads: office documents and raster images only (no SVG or HTML, which can carry script), 10 MB at most.
# Documents are always served through Wagtail's view, which checks privacy and adds its own sandboxing CSP.
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILIMAGES_EXTENSIONS = ["avif", "gif", "jpg", "jpeg", "png", "webp"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
# Management commands, with their options, that the clock (`manage.py run_clock`, in the worker process) runs every
# CLOCK_INTERVAL seconds (a minute, home/conf.py). Finished tasks are deleted after a day (a failed one after two
# weeks, to find out why): a password reset's task holds the address someone typed, which is nobody's business once
# the mail went.
CLOCK_COMMANDS = [
    "publish_scheduled",
    "resume_newsletter_sends",
    "send_weekly_digest",
    "prune_db_task_results --backend newsletter --queue-name newsletter --min-age-days 1 --failed-min-age-days 14",
    "prune_search_log",
]
# How long search terms are kept (search/management/commands/prune_search_log.py): a quarter of weekly reports, as the
# privacy statement says. Wagtail's own log of searches (its "popular searches") follows the same limit.
SEARCH_LOG_DAYS = 91
WAGTAILSEARCH_HITS_MAX_AGE = SEARCH_LOG_DAYS

# Complex page forms in the editor exceed Django's default of 1,000 fields.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Anymail's tracking webhooks (/anymail/<esp>/tracking/) accept only requests with this basic-auth "user:password".
ANYMAIL = {"WEBHOOK_SECRET": os.environ.get("ANYMAIL_WEBHOOK_SECRET", "")}

# Background tasks (the Django Tasks API, django-tasks until Django 6). Wagtail's own tasks keep running at once in
# the process that asks for them, as they did without this setting; sending the newsletter goes through the
# database to the worker (`manage.py db_worker --backend newsletter --queue-name newsletter`, started by make run).
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "newsletter": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["newsletter"]},
}
# Sending the newsletter, where the operator tunes it from the environment (newsletter/conf.py says what each setting
# means and holds its default; it reads these texts in the default's type).
for _name in (
    "NEWSLETTER_BATCH_SIZE",
    "NEWSLETTER_SINGLE_BATCH_SIZE",
    "NEWSLETTER_CLAIM_LEASE",
    "NEWSLETTER_RESEND_IN_DOUBT",
    "NEWSLETTER_MAX_ATTEMPTS",
    "NEWSLETTER_SEND_TASKS",
    "NEWSLETTER_RETRY_DELAY",
    "NEWSLETTER_MAX_RATE",
    "NEWSLETTER_DIGEST_WEEKDAY",
    "NEWSLETTER_DIGEST_HOUR",
):
    if _name in os.environ:
        globals()[_name] = os.environ[_name]
