"""Serving pages to visitors: a page cache for those without a session, and the site shell handed to Wagtail."""

from django.http import Http404
from django.utils.cache import patch_cache_control

from ..conf import home_settings
from . import routing, shell
from .cache_hits import cache_key
from .canonical import shows_the_page_asked
from .page_cache import page_cache, read_page, store_page, stored_response


class AnonymousPageCacheMiddleware:
    """Serves Wagtail pages to visitors without a session from the shared cache, before any other middleware.

    The first middleware, so that a hit costs one cache read and nothing else (behind a WSGI server, the layer in
    home.serving.cache_hits answers hits before this, on the same conditions): a page is stored as the other
    middleware left it, with every header it was rendered with (security headers, CSP, Permissions-Policy,
    Content-Length), and answered as it is. What the others would do on the way in is done on a miss: a request
    they would turn away (a host not allowed, a redirect to https) gets no 200 of a Wagtail page, so nothing is
    stored for it, and the key holds the scheme and the host.

    Only responses that `home.wagtail_hooks` marked as a served Wagtail page are stored, and only when they set
    no cookie and do not vary on one; a request that carries a session cookie (an editor) is never answered from
    the cache nor stored, so previews and the userbar stay the editor's own. Only a page's canonical addresses
    (`home.serving.canonical`) use the cache: any other is served, but not stored, so strangers cannot fill it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = cache_key(request)
        if key is None:
            return self.get_response(request)
        cache = page_cache()
        request._page_generation, stored = read_page(cache, key)
        if stored is not None:
            return stored_response(stored)
        response = self.get_response(request)
        if self.may_store(request, response):
            patch_cache_control(response, public=True, max_age=0, s_maxage=home_settings.PAGE_CACHE_SHARED_SECONDS)
            store_page(cache, key, request._page_generation, response, home_settings.PAGE_CACHE_SECONDS)
        return response

    @staticmethod
    def may_store(request, response):
        return (
            getattr(response, "is_public_page", False)
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
            and "Cookie" not in response.get("Vary", "")
            and shows_the_page_asked(request, response)
        )


class SiteShellMiddleware:
    """Hands Wagtail the Site, the site settings and the page's route from `home.serving.shell` instead of the
    database.

    After PathLocaleMiddleware: the shell and the route depend on the language of the address.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        shell.prepare(request)
        token = shell.current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            shell.current_request.reset(token)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # Wagtail's serve view takes a route it finds here, as its own cache for the request.
        if request.resolver_match.url_name == "wagtail_serve":
            try:
                request._wagtail_route_for_request = routing.route(request, view_args[0])
            except Http404:
                request._wagtail_route_for_request = None
