"""The limits on the public forms that send mail (the newsletter's, the join form): per address and per client
(home.security.client: its IP address, or its /64 for IPv6), in fixed windows, through Django's cache."""

from django.template.response import TemplateResponse
from django_ratelimit.core import is_ratelimited

from . import addresses

RATE_PER_ADDRESS = "5/h"
RATE_PER_CLIENT = "30/h"


def address_key(group, request):
    return addresses.counting_key(request.POST.get("email", ""))


def too_many_requests(request, group):
    """Counts this request against both limits; True when either is exceeded."""
    by_client = too_many_posts(request, group)
    by_address = is_ratelimited(request, group=group, key=address_key, rate=RATE_PER_ADDRESS, increment=True)
    return by_client or by_address


def rate_limited(request):
    return TemplateResponse(request, "rate_limited.html", status=429)


def too_many_posts(request, group):
    """Counts a POST of a form behind a personal link (no address typed) against the client's limit only."""
    return is_ratelimited(request, group=group, key="ip", rate=RATE_PER_CLIENT, increment=True)
