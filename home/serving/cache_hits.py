"""Which requests the page cache may answer, under which key, and the WSGI layer that answers them.

A hit costs one cache read and the write of stored bytes: the WSGI layer (config/wsgi.py) answers it before Django's
handler does any work (its signals, the middleware, a response object). The page cache's middleware
(home.serving.middleware) decides on the same conditions, so that a server without the layer (the test client, ASGI)
answers the same, and stores what the layer answers.
"""

import hashlib

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.core.handlers.wsgi import WSGIRequest

from ..conf import home_settings
from . import memory
from .canonical import canonical_query, own_host
from .page_cache import page_cache, read_page


def cache_key(request):
    """The key of the page this request asks for, or None when the cache may neither answer nor store it.

    Only a visitor without a session, and only a page's canonical address on the site's own host: an editor's
    previews and userbar stay the editor's own, and strangers cannot fill the cache with spellings of one page.
    """
    if not may_use_cache(request):
        return None
    query = canonical_query(request)
    if query is None:
        return None
    # The host is the site's own (own_host), so the key needs no validated one: a stranger's gets its 400 later.
    address = f"{request.scheme}://{request._get_raw_host()}{request.path}?{query}"
    # "v2": pages are stored as plain (status, headers, bytes) since this layer came; a key of its own keeps a
    # response pickled by an earlier release, still in a shared cache during a deploy, from ever being read as one.
    return f"pages:v2:{hashlib.sha256(address.encode()).hexdigest()}"


def may_use_cache(request):
    bypass = home_settings.PAGE_CACHE_BYPASS_HEADER
    return (
        not getattr(request, "is_dummy", False)  # Wagtail's previews pass through middleware as a dummy request
        and request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        # A signed-in API client or a proxy's credentials: never a stored answer, whatever the page.
        and "HTTP_AUTHORIZATION" not in request.META
        and not (bypass and bypass in request.META)
        and own_host(request)
    )


class CachedPagesApplication:
    """Wraps Django's WSGI application: a request the page cache holds an answer for gets the stored status, headers
    and bytes at once (no body for HEAD); any other goes to Django, whose middleware renders and stores it."""

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        request = WSGIRequest(environ)
        try:
            key = cache_key(request)
        except SuspiciousOperation:  # a query of too many fields: Django answers it with its 400
            key = None
        stored = None if key is None else memory.recent_answer(key)
        if stored is None and key is not None:
            stored = read_page(page_cache(), key)[1]
            if stored is not None:
                memory.keep_answer(key, stored)
        if stored is None:
            return self.application(environ, start_response)
        status, headers, content = stored
        start_response(status, list(headers))
        return [b"" if request.method == "HEAD" else content]
