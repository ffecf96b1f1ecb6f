"""The site behind its proxy (deploy/nginx/): gunicorn with the production settings and two workers, nginx in front,
as tests/proxy_site.py starts them. What the audit found without the proxy (half-sent requests holding every
worker, 50 MB bodies reaching the forms) and what the app must see through it (the client's address, https)."""

import http.client
import http.cookies
import re
import shutil
import socket
import sqlite3
import ssl
import time
import urllib.parse

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.utils import timezone
from proxy_site import WORKERS, ProxiedSite

from home.conf import DEFAULTS
from home.visitors.rate_limits import RATE_PER_CLIENT

pytestmark = pytest.mark.skipif(
    shutil.which("nginx") is None, reason="nginx is not installed (apt-get install nginx; .ci/run installs it)"
)

FIFTY_MB = 50 * 1024 * 1024
# The public forms' addresses, Dutch and English: each takes at most a small body at the proxy.
FORM_PATHS = [
    "/nieuwsbrief-aanmelding/",
    "/en/newsletter-subscription/",
    "/nieuwsbrief-aanmelding/afmelden/abc/een-klik/",
    "/en/newsletter-subscription/unsubscribe/abc/one-click/",
    "/doe-mee/3/",
    "/en/join-action/3/",
    "/volg-actie/3/",
    "/en/follow-action/stop/abc/one-click/",
]
OVERVIEW = "/acties-en-interventies/"
PRIVATE = "/privacyverklaring/"  # made login-restricted by the `editor` fixture, never asked for before
PASSWORD = "a-long-and-proper-password"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    site = ProxiedSite(tmp_path_factory.mktemp("proxy"))
    try:
        site.start()
        yield site
    finally:
        site.stop()


def tls(site, source="127.0.0.1"):
    """A raw TLS connection to the proxy, for requests that http.client cannot leave half-sent."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    raw = socket.create_connection(("127.0.0.1", site.https_port), timeout=10, source_address=(source, 0))
    return context.wrap_socket(raw, server_hostname="localhost")


def test_http_redirects_to_the_https_address(site):
    connection = http.client.HTTPConnection("127.0.0.1", site.http_port, timeout=10)
    connection.request("GET", "/robots.txt?x=1", headers={"Host": "localhost"})
    response = connection.getresponse()
    assert response.status == 301
    assert response.getheader("Location") == f"https://{site.public_host}/robots.txt?x=1"


def test_the_app_sees_https_through_the_proxy(site):
    """The production settings redirect plain http themselves (SECURE_SSL_REDIRECT): they do not through nginx,
    because they trust its X-Forwarded-Proto."""
    direct = http.client.HTTPConnection("127.0.0.1", site.app_port, timeout=10)
    direct.request("GET", "/robots.txt", headers={"Host": "localhost"})
    assert direct.getresponse().status == 301
    assert site.request("GET", "/robots.txt").status == 200


def test_a_host_the_site_does_not_serve_is_refused(site):
    assert site.request("GET", "/", headers={"Host": "evil.example"}).status == 400


def refused_by_proxy(site, path, length):
    """Sends only the head of a POST with a body of `length` bytes: True when the proxy answers 413 at once (it
    never reads the body) and the app saw nothing of it."""
    with tls(site) as connection:
        head = f"POST {path} HTTP/1.1\r\nHost: {site.public_host}\r\nContent-Length: {length}\r\n"
        connection.sendall(f"{head}Content-Type: multipart/form-data; boundary=x\r\n\r\n".encode())
        status = connection.recv(100)
    return status.startswith(b"HTTP/1.1 413 ") and f"POST {path} " not in site.app_requests()


def test_a_50_mb_body_to_the_subscription_form_never_reaches_the_app(site):
    assert refused_by_proxy(site, "/nieuwsbrief-aanmelding/", FIFTY_MB)


@pytest.mark.parametrize("path", FORM_PATHS)
def test_the_public_forms_take_small_bodies_only(site, path):
    assert refused_by_proxy(site, path, 100_000)


def test_the_admin_takes_an_upload_of_10_mb(site):
    """Its own limit is WAGTAILDOCS_MAX_UPLOAD_SIZE: the proxy passes the body on (here CSRF then refuses it)."""
    body = b"x" * (10 * 1024 * 1024 + 1000)
    response = site.request("POST", "/admin/documents/multiple/add/", body, {"Content-Type": "text/plain"})
    assert response.status != 413
    assert site.app_received("POST /admin/documents/multiple/add/ ")


def test_the_app_counts_the_client_the_proxy_saw(site):
    """Rate limits count per client: a client that makes up X-Forwarded-For entries is still one client, and
    another client is not limited by it. Each 127.x source address is a client of its own to nginx."""
    limit = int(RATE_PER_CLIENT.split("/")[0])

    def subscribe(number, source, forwarded):
        body = urllib.parse.urlencode(
            {"email": f"proxy-{number}@example.org", "language": "nl", "consent": "on", "website": ""}
        )
        headers = {"Content-Type": "application/x-www-form-urlencoded", "X-Forwarded-For": forwarded}
        return site.request("POST", "/nieuwsbrief-aanmelding/", body, headers, source=source).status

    statuses = [subscribe(n, "127.0.0.2", f"198.51.100.{n}") for n in range(limit + 1)]
    assert 429 not in statuses[:limit]
    assert statuses[limit] == 429
    assert subscribe(limit + 1, "127.0.0.3", "198.51.100.1") != 429


def test_half_sent_requests_hold_no_worker(site):
    """Many more clients than workers send half a request (headers or body) and wait: pages still answer."""
    slow = []
    try:
        for number in range(5 * WORKERS + 10):
            connection = tls(site)
            if number % 2:
                connection.sendall(f"GET / HTTP/1.1\r\nHost: {site.public_host}\r\nX-Slow: ".encode())
            else:
                head = f"POST /nieuwsbrief-aanmelding/ HTTP/1.1\r\nHost: {site.public_host}\r\nContent-Length: 100"
                connection.sendall(f"{head}\r\n\r\nemail=".encode())
            slow.append(connection)
        for _ in range(3):
            assert site.request("GET", "/robots.txt").status == 200
    finally:
        for connection in slow:
            connection.close()


def test_public_pages_are_cached_for_visitors_only(site):
    first = site.request("GET", OVERVIEW)
    assert first.status == 200
    assert "s-maxage=60" in first.getheader("Cache-Control")
    assert site.request("GET", OVERVIEW).getheader("X-Cache-Status") == "HIT"
    # An editor's session is never answered from the cache.
    assert site.request("GET", OVERVIEW, headers={"Cookie": "sessionid=x"}).getheader("X-Cache-Status") == "BYPASS"


def test_answers_with_a_cookie_or_private_are_never_cached(site):
    """Wagtail's sign-in page for private pages sets the CSRF cookie and is marked private."""
    for _ in range(2):
        response = site.request("GET", "/_util/login/")
        assert response.getheader("Set-Cookie")
        assert response.getheader("X-Cache-Status") != "HIT"


def test_purge_from_this_machine_refreshes_a_page(site):
    """What Wagtail does on publish (CDN_PURGE_URL): the page changes at the proxy at once, not a minute later."""
    site.request("GET", OVERVIEW)
    with sqlite3.connect(site.database) as database:
        overview = "/home/acties-en-interventies/"
        database.execute("UPDATE wagtailcore_page SET title = 'Vernieuwd overzicht' WHERE url_path = ?", [overview])
    empty_page_cache(site)  # which publishing would do
    assert b"Vernieuwd overzicht" not in site.request("GET", OVERVIEW).body

    def purge(source):
        connection = http.client.HTTPConnection("127.0.0.1", site.purge_port, timeout=10, source_address=(source, 0))
        connection.request("PURGE", OVERVIEW, headers={"Host": site.public_host})
        return connection.getresponse().status

    assert purge("127.0.0.2") == 403  # only this machine's own processes
    assert purge("127.0.0.1") == 200
    assert b"Vernieuwd overzicht" in site.request("GET", OVERVIEW).body


def empty_page_cache(site):
    """Empties the app's own page cache, and waits for what each worker remembers of it to lapse
    (home.serving.memory): after a change no signal reported, as after another process's publish."""
    shutil.rmtree(site.cache_dir / "pages", ignore_errors=True)
    time.sleep(DEFAULTS["PAGE_CACHE_MEMORY_SECONDS"])


def hashed(password):
    """As production stores it (the tests' own settings use a faster hasher that production does not know)."""
    hasher = PBKDF2PasswordHasher()
    return hasher.encode(password, hasher.salt())


@pytest.fixture(scope="module")
def editor(site):
    """An editor who has not set up the second factor (production requires it), and a login-restricted page.
    Written into the site's database directly, so the app's page cache, which no signal emptied, is emptied."""
    with sqlite3.connect(site.database) as database:
        database.execute(
            "INSERT INTO auth_user (password, is_superuser, username, first_name, last_name, email, is_staff,"
            " is_active, date_joined) VALUES (?, 1, 'redacteur', '', '', 'redacteur@example.org', 1, 1, ?)",
            [hashed(PASSWORD), timezone.now().isoformat()],
        )
        database.execute(
            "INSERT INTO wagtailcore_pageviewrestriction (page_id, restriction_type, password)"
            " SELECT id, 'login', '' FROM wagtailcore_page WHERE url_path = '/home/privacyverklaring/'"
        )
    empty_page_cache(site)
    return "redacteur"


def sign_in(site, source, username, password):
    """The admin's login form as a browser fills it in, from `source`; returns the answer and its cookies."""
    form = site.request("GET", "/admin/login/", source=source)
    cookies = http.cookies.SimpleCookie(form.getheader("Set-Cookie"))
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', form.body).group(1).decode()
    body = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": username, "password": password})
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": f"csrftoken={cookies['csrftoken'].value}",
        "Origin": f"https://{site.public_host}",
        "Referer": f"https://{site.public_host}/admin/login/",
    }
    answer = site.request("POST", "/admin/login/", body, headers, source=source)
    cookies = http.cookies.SimpleCookie()
    for header in answer.headers.get_all("Set-Cookie") or []:
        cookies.load(header)
    return answer, cookies


def test_a_strangers_failed_logins_lock_out_the_stranger_only(site, editor):
    """Five wrong passwords for a known editor from one client: that client is locked out, the editor signing in
    from elsewhere is not (the app counts the address nginx saw, not nginx's own)."""
    for _ in range(5):
        sign_in(site, "127.0.0.4", editor, "a-guess")
    assert sign_in(site, "127.0.0.4", editor, PASSWORD)[0].status == 429
    assert sign_in(site, "127.0.0.5", editor, PASSWORD)[0].status == 302, "signed in (the code comes next)"


def test_a_session_without_the_second_factor_opens_no_private_page(site, editor):
    answer, cookies = sign_in(site, "127.0.0.6", editor, PASSWORD)
    assert answer.status == 302, "the password was right: the next step asks for the code"
    session = f"sessionid={cookies['sessionid'].value}"
    page = site.request("GET", PRIVATE, headers={"Cookie": session}, source="127.0.0.6")
    assert page.status == 302
    assert page.getheader("Location").startswith("/_util/login/")
    admin = site.request("GET", "/admin/", headers={"Cookie": session}, source="127.0.0.6")
    assert admin.getheader("Location").startswith("/admin/two-factor/")
