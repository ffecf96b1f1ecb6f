"""Answers made for one session are kept by no cache on the way."""

from django.conf import settings
from django.utils.cache import has_vary_header, patch_cache_control


class PrivateResponseMiddleware:
    """Marks what was made for one session `Cache-Control: private, no-store`, so that no cache on the way keeps it.

    `Vary: Cookie` alone leaves it to caches to honour it, and a CDN may not: an editor's page (with the userbar) or
    a document of a restricted collection could then be shown to the next visitor. Wagtail marks only restricted
    pages. Any answer to a request with a session, or that varies on the cookie, and says nothing of its own about
    caching (the web manifest is the same for everyone) is marked. Between the page cache, which never serves nor
    stores these, and SessionMiddleware, whose `Vary: Cookie` it reads.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        for_a_session = settings.SESSION_COOKIE_NAME in request.COOKIES or has_vary_header(response, "Cookie")
        if for_a_session and "Cache-Control" not in response:
            patch_cache_control(response, private=True, no_store=True)
        return response
