"""Wagtail's routing, from the site shell's root page: kept per generation, else in two queries."""

import hashlib

from django.conf import settings
from django.http import Http404
from django.utils.translation import get_language
from wagtail.models import Page
from wagtail.url_routing import RouteResult

from .canonical import own_host
from .shell import cached, shell

OWN_ROUTE = "routes itself"


def route(request, path):
    """Wagtail's routing, kept with the site shell until the next change to any page: the page a path leads to is
    the same for every visitor (view restrictions are checked when it is served). A page type that routes on its own
    (`overrides_route`) is asked every time, as it may read the rest of the path or the request. Whoever the page
    cache never serves (an editor, whose userbar shows the page's draft state) or keeps nothing for (another host) gets
    the page as it is now.
    """
    if settings.SESSION_COOKIE_NAME in request.COOKIES or not own_host(request):
        found = find_route(request, path, own_route)
    else:
        name = f"route:{get_language()}:{request.get_host()}:{hashlib.sha256(path.encode()).hexdigest()}"
        # What is kept: the page, or that a page type routing on its own answers (which is then asked below).
        found = cached(request, name, lambda: find_route(request, path, lambda *_: OWN_ROUTE))
        if found == OWN_ROUTE:
            found = find_route(request, path, own_route)
    return found if isinstance(found, RouteResult) else RouteResult(found)


def find_route(request, path, routes_itself):
    """Wagtail's routing (`Page.route` from the root page in the visitor's language) in two queries: the page the
    path leads to, or what `routes_itself(page, request, rest of the path)` returns for a page type that routes on
    its own.

    Wagtail asks the database for each level of the path twice (the child, then its specific page). All pages on
    the path are found at once here by their url_path; a page type with routing of its own takes over from where
    it stands on the path, as it would in Wagtail.
    """
    root = shell(request).root
    if root is None:
        raise Http404
    components = [component for component in path.split("/") if component]
    url_paths = [
        root.url_path + "".join(f"{part}/" for part in components[:depth]) for depth in range(1, len(components) + 1)
    ]
    by_depth = {
        page.depth: page
        for page in Page.objects.filter(url_path__in=url_paths, path__startswith=root.path, depth__gt=root.depth)
    }
    page = root
    for depth, component in enumerate(components):
        if overrides_route(page):
            return routes_itself(page, request, components[depth:])
        child = by_depth.get(page.depth + 1)
        if child is None or child.slug != component:
            raise Http404
        child._cached_parent_obj = page
        page = child
    if overrides_route(page):
        return routes_itself(page, request, [])
    if not page.live:
        raise Http404
    return specific(page, request)


def own_route(page, request, components):
    return specific(page, request).route(request, components)


def specific(page, request):
    found = page.specific  # keeps the parent found on the way (`_cached_parent_obj`)
    locale = shell(request).locale
    if locale is not None and found.locale_id == locale.pk:
        found.locale = locale  # templates and forms ask for the page's language; it is the visitor's
    return found


def overrides_route(page):
    return page.specific_class is not None and page.specific_class.route is not Page.route
