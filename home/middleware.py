"""The site's own middleware: the language from the URL alone, a page cache for visitors, the security policy."""

import hashlib
import uuid

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.http import Http404
from django.middleware.locale import LocaleMiddleware
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.cache import has_vary_header, patch_cache_control

from . import shell
from .canonical import canonical_query, own_host, shows_the_page_asked

GENERATION_KEY = "pages:generation"


class PathLocaleMiddleware(LocaleMiddleware):
    """The language is in the URL and only there: /en/... is English, everything else Dutch.

    Django's LocaleMiddleware also reads Accept-Language and the language cookie for addresses without a language
    prefix (all Dutch ones) and so sends `Vary: Accept-Language`, which makes every Dutch page a separate entry per
    browser language in caches and CDNs, although Wagtail serves the same page whatever the browser asks.
    """

    def process_request(self, request):
        translation.activate(translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


def page_cache():
    return caches[settings.PAGE_CACHE_ALIAS]


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


def current_generation(cache):
    """The generation pages are stored under; a lost one (evicted, or never set) starts a new one."""
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
        generation = cache.get(GENERATION_KEY)
    return generation


class AnonymousPageCacheMiddleware:
    """Serves Wagtail pages to visitors without a session from the shared cache, before routing or any query.

    Only responses that `home.wagtail_hooks` marked as a served Wagtail page are stored, and only when they set
    no cookie and do not vary on one; a request that carries a session cookie (an editor) is never answered from
    the cache nor stored, so previews and the userbar stay the editor's own. Only a page's canonical addresses
    (`home.canonical`) use the cache: any other is served, but not stored, so strangers cannot fill it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = canonical_query(request)
        if query is None or not self.may_use_cache(request):
            return self.get_response(request)
        cache = page_cache()
        request._page_generation = generation = current_generation(cache)
        key = self.key(request, query, generation)
        response = cache.get(key)
        if response is not None:
            return response
        response = self.get_response(request)
        if self.may_store(request, response):
            patch_cache_control(response, public=True, max_age=0, s_maxage=settings.PAGE_CACHE_SHARED_SECONDS)
            cache.set(key, response, settings.PAGE_CACHE_SECONDS)
        return response

    @staticmethod
    def may_use_cache(request):
        return (
            not getattr(request, "is_dummy", False)  # Wagtail's previews pass through middleware as a dummy request
            and request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and not (settings.PAGE_CACHE_BYPASS_HEADER and settings.PAGE_CACHE_BYPASS_HEADER in request.META)
            and own_host(request)
        )

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

    @staticmethod
    def key(request, query, generation):
        # The host is the site's own (own_host), so the key needs no validated one: a stranger's gets its 400 later.
        address = f"{request.scheme}://{request._get_raw_host()}{request.path}?{query}"
        return f"pages:{generation}:{hashlib.sha256(address.encode()).hexdigest()}"


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


class SiteShellMiddleware:
    """Hands Wagtail the Site, the site settings and the page's route from `home.shell` instead of the database.

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
                request._wagtail_route_for_request = shell.route(request, view_args[0])
            except Http404:
                request._wagtail_route_for_request = None


class SiteCSPMiddleware(CSPMiddleware):
    """Public pages get CONTENT_SECURITY_POLICY (no inline script or style at all).

    The admin writes some scripts and styles inline, in Wagtail's and wagtail-localize's own templates, and frames
    its previews; CONTENT_SECURITY_POLICY_ADMIN replaces just those directives there, so meeting the admin's needs
    never weakens the public pages. A preview is rendered through the middleware as a dummy request for the page's
    public address, and framed by the admin: it gets the admin's policy too.
    """

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        for_admin = request.path_info.startswith(reverse("wagtailadmin_home")) or getattr(request, "is_dummy", False)
        if not report_only and parts.replace is None and for_admin:
            parts.replace = settings.CONTENT_SECURITY_POLICY_ADMIN
        return parts


class ErrorPageMiddleware:
    """Gives an error answer that has no body of its own a page of the site, so a visitor is told what went wrong:
    Django answers a method a view does not take (405) with nothing at all. Its own 400, 404 and 500 use the
    templates already; headers such as Allow are kept."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if 400 <= response.status_code < 500 and not response.streaming and not response.content:
            context = {"method_not_allowed": response.status_code == 405}
            response.content = render_to_string("400.html", context, request)
            response["Content-Type"] = "text/html; charset=utf-8"
            # CommonMiddleware, further in, already said the empty answer's length (0), and servers believe it.
            response["Content-Length"] = str(len(response.content))
        return response
