"""The settings only this app reads, with their defaults: a project's settings set only what differs.

Read at the moment they are used (as Wagtail's frontend_cache reads its own), so a test's changed setting counts.
Settings an operator sets per deployment (SITE_URL, TRUSTED_PROXY_COUNT, TWO_FACTOR_REQUIRED, SECURITY_TXT_*,
CLOCK_COMMANDS) stay in config/settings, as do the ones Django and the libraries read (CACHES,
CONTENT_SECURITY_POLICY).
"""

from csp.constants import SELF, UNSAFE_INLINE
from django.conf import settings

DEFAULTS = {
    # The cache (an alias of CACHES) that keeps pages and the site shell, emptied on every publish.
    "PAGE_CACHE_ALIAS": "pages",
    # On the server, where publishing empties it at once.
    "PAGE_CACHE_SECONDS": 60 * 60,
    # In each web server process's own memory, after it read a page from the shared cache: a publish in another
    # process shows there within this time (home.serving.memory). 0: every visit reads the shared cache.
    "PAGE_CACHE_MEMORY_SECONDS": 1,
    # In a CDN, which nothing empties: a change shows there within a minute. Browsers ask again every time (and get
    # the server's cached copy), so an editor sees a change, and the userbar once signed in, at once.
    "PAGE_CACHE_SHARED_SECONDS": 60,
    # A request header (a META name) that makes the page cache neither answer nor store: only the benchmark's
    # settings (tests/bench/settings.py) set one, to measure a full render on the production setup; never set it in
    # production.
    "PAGE_CACHE_BYPASS_HEADER": None,
    # What the Wagtail admin needs on top of CONTENT_SECURITY_POLICY (see home.security.csp): its own inline scripts
    # and styles, blob: images from uploads, and framing its own previews.
    "CONTENT_SECURITY_POLICY_ADMIN": {
        "script-src": [SELF, UNSAFE_INLINE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:"],
        "frame-ancestors": [SELF],
    },
    # The management commands, with their options, the clock runs (home.clock); the project adds its own.
    "CLOCK_COMMANDS": ["publish_scheduled"],
    # Seconds between the clock's runs.
    "CLOCK_INTERVAL": 60,
    # Proxies in front of the site whose X-Forwarded-For is trusted (home.security.client).
    "TRUSTED_PROXY_COUNT": 0,
    # Whether every editor must give a code from an authenticator app (home.security.two_factor).
    "TWO_FACTOR_REQUIRED": False,
}


class HomeSettings:
    """`home_settings.NAME`: the project's setting, or this app's default."""

    def __getattr__(self, name):
        return getattr(settings, name, DEFAULTS[name])


home_settings = HomeSettings()
