"""The client's address: the one answer the login lock-out (django-axes) and the rate limits (django-ratelimit) both
count by, so that behind a proxy neither counts the proxy for everyone.

TRUSTED_PROXY_COUNT proxies stand in front of the site. Each appends to X-Forwarded-For the address it received the
request from (nginx: `$proxy_add_x_forwarded_for`), so with N trusted proxies the N-th entry from the right was
written by the outermost one and is the client it saw. Everything left of it is whatever the client sent itself.
With fewer than N entries the request did not come through the proxies the settings describe (it reached a server
behind them directly), and any entry could be the client's own text: then REMOTE_ADDR, the one address a client
cannot choose, is the answer.
"""

import ipaddress

from ..conf import home_settings


def client_ip(request):
    """The address of the client as the outermost trusted proxy saw it (REMOTE_ADDR with no trusted proxy)."""
    count = home_settings.TRUSTED_PROXY_COUNT
    entries = [entry.strip() for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if count and len(entries) >= count and valid(entries[-count]):
        return entries[-count]
    # Missing only in a request made up in code (Django's test client signing in): axes then records no address.
    return request.META.get("REMOTE_ADDR")


def valid(address):
    """A proxy that is not set up as documented could pass on a port or a name; both limits need an address."""
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return False
    return True
