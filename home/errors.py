"""What a visitor sees when something goes wrong: every error answer is a page of the site."""

import sys

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpResponseBadRequest
from django.template.loader import render_to_string
from django.utils.translation import get_language_from_path, override
from django.views import defaults
from django.views.decorators.csrf import csrf_exempt


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


@csrf_exempt
def not_found(request):
    """Not found, for any method: where only machines post (webhooks), an address that does not exist is a 404, not
    the 403 of a POST without a CSRF token that it would otherwise get from Wagtail's catch-all."""
    raise Http404


def server_error(request):
    """Django's 500 page; a 503 with Retry-After when the database could not be reached (stopped, restarting, out of
    connections), as that fault passes by itself: browsers, caches and crawlers are told to come back, not that the
    page is broken."""
    response = defaults.server_error(request)
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        response.status_code = 503
        response["Retry-After"] = "60"
    return response


def bad_request(request, exception):
    """Django's 400 page; for a Host the site does not serve, the same page made without the request.

    Everything that builds a page around the request (the site shell, absolute links) asks for its host, which
    raises DisallowedHost again inside the handler: a 500. Without a request the page's links lead to the site's own
    address. The language comes from the path, as PathLocaleMiddleware would have set it had it run.
    """
    if not isinstance(exception, DisallowedHost):
        return defaults.bad_request(request, exception)
    with override(get_language_from_path(request.path_info) or settings.LANGUAGE_CODE):
        return HttpResponseBadRequest(render_to_string("400.html"))
