"""Which addresses are a page's own: the only ones the page cache keeps.

ALLOWED_HOSTS lets every port, capital and trailing dot of an allowed name through, and a page renders the same for
`?page=fill1`, `?page=999` (the last page) and a long `?untranslated=`: each spelling would be one more copy of the
page in the cache for an hour, made at a stranger's will. An address is canonical when its host is the site's own as
its links spell it, and its query is one the site's own links make.
"""

import re
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.core.paginator import Page as PageOfResults

# Query parameters the public pages read, and the values the site's links give them: a page number (overviews and
# the newsletter archive paginate) and the language switcher's `untranslated=1`.
QUERY_VALUES = {"page": re.compile(r"[1-9][0-9]{0,5}"), "untranslated": re.compile(r"1")}
HOST = re.compile(r"(?P<name>\[[^\]]*\]|[^:]*)(?::(?P<port>[0-9]+))?")


def own_host(request):
    """The Host exactly as the site spells it: SITE_URL's, or a name ALLOWED_HOSTS lists (not a pattern) alone or
    with the port this server listens on (as the benchmarks and `make load` reach gunicorn)."""
    # The raw header, as Wagtail's Site lookup reads it: this runs before Django validates it (a stranger's Host
    # gets its 400 further in, and must not be a cache key before).
    host = request._get_raw_host()
    if host == urlsplit(settings.SITE_URL).netloc:
        return True
    names = {name for name in settings.ALLOWED_HOSTS if name != "*" and not name.startswith(".")}
    match = HOST.fullmatch(host)
    return bool(match) and match["name"] in names and match["port"] in (None, request.META.get("SERVER_PORT"))


def canonical_query(request):
    """The query string in one spelling (sorted, encoded once), or None when it is not one the site's links make."""
    pairs = []
    for key, values in request.GET.lists():
        pattern = QUERY_VALUES.get(key)
        if pattern is None or len(values) != 1 or not pattern.fullmatch(values[0]):
            return None
        pairs.append((key, values[0]))
    return urlencode(sorted(pairs))


def shows_the_page_asked(request, response):
    """A `?page=` names the page of results the response shows: Django's `Paginator.get_page()` shows the last page
    for any number beyond it, and a page that does not paginate ignores it."""
    asked = request.GET.get("page")
    if asked is None:
        return True
    context = getattr(response, "context_data", None) or {}
    shown = [str(value.number) for value in context.values() if isinstance(value, PageOfResults)]
    return shown == [asked]
