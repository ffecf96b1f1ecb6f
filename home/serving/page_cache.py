"""The page cache's storage and its generation: what the middleware answers from and the site shell is kept in.

Below both: the middleware (home.serving.middleware) stores pages here and the shell (home.serving.shell) its values,
and everything that changes what pages show calls `invalidate_page_cache` (home.signal_handlers).
"""

import uuid

from django.core.cache import caches
from django.db import transaction
from django.http import HttpResponse
from django.http.response import ResponseHeaders

from ..conf import home_settings
from .memory import forget, keep_generation, recent_generation

GENERATION_KEY = "pages:generation"


def page_cache():
    return caches[home_settings.PAGE_CACHE_ALIAS]


def invalidate_page_cache(**kwargs):
    """Every cached page becomes stale at once: pages show each other (menus, overviews, language switchers), so
    a change to one can change many. Publishing is rare next to reading, so starting over costs little.

    The generation is a new random value each time, set rather than incremented: a file cache's `incr` would give
    it the default expiry, and a generation that is gone must never bring back the pages of an earlier one.

    Once now and once more when the change commits: a visitor's request between the two still reads the old content
    from the database, and what it stores under the first new generation is dropped with it.
    """
    new_generation()
    transaction.on_commit(new_generation)


def new_generation():
    page_cache().set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
    forget()  # this process sees its own change at once (others: home.serving.memory)


def current_generation(cache):
    """The generation pages are stored under (as this process read it within the last PAGE_CACHE_MEMORY_SECONDS);
    a lost one (evicted, or never set) starts a new one."""
    generation = recent_generation()
    if generation is not None:
        return generation
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
        generation = cache.get(GENERATION_KEY)
    keep_generation(generation)
    return generation


def read_page(cache, key):
    """The current generation and the page stored under `key` in it (None if there is none), in one round trip (the
    generation may come from this process's memory): the page as `store_page` keeps it, its status line, headers and
    bytes.

    A page is stored with the generation it was rendered in, under a key without it: reading both at once spares
    the second round trip that reading the generation first and the page under it would cost on every hit. A page
    of an earlier generation is a miss, just as if it were under another key.
    """
    generation = recent_generation()
    if generation is not None:
        stored = cache.get(key)
    else:
        found = cache.get_many([GENERATION_KEY, key])
        generation, stored = found.get(GENERATION_KEY), found.get(key)
        if generation is None:
            return current_generation(cache), None
        keep_generation(generation)
    if stored is None or stored[0] != generation:
        return generation, None
    return generation, stored[1]


def store_page(cache, key, generation, response, timeout):
    """Keeps what a WSGI server is given for `response` (which sets no cookie): plain values, which cost less to
    unpickle than a response object and can be written as they are (home.serving.cache_hits)."""
    status = f"{response.status_code} {response.reason_phrase}"
    cache.set(key, (generation, (status, tuple(response.items()), response.content)), timeout)


def stored_response(stored):
    """A stored page as Django's response, for a server without the WSGI layer (the test client, ASGI)."""
    status, headers, content = stored
    code, reason = status.split(" ", 1)
    response = HttpResponse(content, status=int(code), reason=reason)
    response.headers = ResponseHeaders(dict(headers))
    return response
