"""Limits on guessing the password of a private page or of a private collection's documents.

Wagtail checks those passwords in views of its own (`/_util/authenticate_with_password/<restriction>/<page>/` and
`/documents/authenticate_with_password/<restriction>/`) without any limit, and django-axes guards only the login:
this middleware counts every password given there, per client (home.security.client) and per restriction, the way
the admin login is guarded, and answers "too many attempts" (429) in the visitor's language once either limit is
reached.
"""

from django.template.response import TemplateResponse
from django_ratelimit.core import is_ratelimited

# A visitor who knows the password needs one try, and mistypes a few times at most; a restriction is tried by all
# its visitors together. Fixed windows in Django's cache; a cache that cannot count refuses (RATELIMIT_FAIL_OPEN).
RATE_PER_CLIENT = "5/15m"
RATE_PER_RESTRICTION = "30/15m"
PASSWORD_VIEWS = {
    "wagtailcore_authenticate_with_password": "page_view_restriction_id",
    "wagtaildocs_authenticate_with_password": "restriction_id",
}


def restriction_key(group, request):
    match = request.resolver_match
    return f"{match.url_name}:{match.kwargs[PASSWORD_VIEWS[match.url_name]]}"


def too_many_attempts(request):
    """Counts this attempt against both limits; True when either is exceeded."""
    group = "page_password"
    by_client = is_ratelimited(request, group=group, key="ip", rate=RATE_PER_CLIENT, increment=True)
    by_restriction = is_ratelimited(
        request, group=group, key=restriction_key, rate=RATE_PER_RESTRICTION, increment=True
    )
    return by_client or by_restriction


class PagePasswordLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method != "POST" or request.resolver_match.url_name not in PASSWORD_VIEWS:
            return None
        if too_many_attempts(request):
            response = TemplateResponse(request, "home/too_many_attempts.html", status=429)
            response["Retry-After"] = str(15 * 60)
            return response
        return None
