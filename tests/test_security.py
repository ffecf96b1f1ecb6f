"""Security headers on every response, security.txt, secure sessions, and admin logins that lock out guessing."""

from datetime import UTC, datetime, timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.core import checks
from django.urls import reverse
from django.utils import timezone
from test_settings import REQUIRED, manage

from actions.models import ActionPage

PASSWORD = "a-long-and-proper-password"


def csp_directives(response):
    return {
        directive.split()[0]: directive.split()[1:]
        for directive in response["Content-Security-Policy"].split(";")
        if directive.strip()
    }


YEAR = 60 * 60 * 24 * 365


@pytest.fixture
def public_requests(seeded):
    """One request of each kind a visitor makes, including the newsletter's forms and links and the errors."""
    actions = [page.url for page in ActionPage.objects.filter(number=1)]
    action = ActionPage.objects.get(number=1, locale__language_code="nl")
    join = reverse("joining:join", kwargs={"page_id": action.pk})
    gets = ["/", "/en/", "/acties-en-interventies/", *actions, "/bestaat-niet/", "/sitemap.xml", "/robots.txt"]
    gets += ["/.well-known/security.txt", "/zoeken/?q=ambtenaar", "/en/search/?q=civil", "/nieuwsbrief/"]
    gets += ["/nieuwsbrief/feed/", "/nieuwsbrief-aanmelding/", "/nieuwsbrief-aanmelding/bevestigen/onzin/"]
    gets += [join]  # a method the view does not take
    posts = [
        ("/nieuwsbrief-aanmelding/", {"email": "ans@example.org", "language": "nl", "consent": "on"}),
        ("/nieuwsbrief-aanmelding/", {"email": "geen adres"}),
        ("/nieuwsbrief-aanmelding/afmelden/onzin/", {}),
        (join, {"name": "Ans", "email": "ans@example.org", "message": "Ik doe mee."}),
    ]
    return [("get", path, None) for path in gets] + [("post", path, data) for path, data in posts]


@pytest.fixture
def production_security(settings):
    """The production settings that add headers (HSTS only ever goes out over https)."""
    settings.SECURE_HSTS_SECONDS = YEAR


def assert_security_headers(response, label):
    policy = csp_directives(response)
    assert "'unsafe-inline'" not in response["Content-Security-Policy"], label
    assert "'unsafe-eval'" not in response["Content-Security-Policy"], label
    assert policy["script-src"] == ["'self'"] and policy["style-src"] == ["'self'"], label
    assert policy["frame-ancestors"] == ["'none'"] and policy["object-src"] == ["'none'"], label
    assert int(response["Strict-Transport-Security"].removeprefix("max-age=").split(";")[0]) >= YEAR, label
    assert response["X-Content-Type-Options"] == "nosniff", label
    assert response["Referrer-Policy"] in ("same-origin", "no-referrer"), label
    assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"], label


def test_public_responses_carry_a_strict_policy_and_the_other_security_headers(
    public_requests, production_security, client
):
    statuses = set()
    for method, path, data in public_requests:
        response = getattr(client, method)(path, data, secure=True)
        statuses.add(response.status_code)
        assert_security_headers(response, f"{method} {path}")
        # The answer depends on the address and the form alone: caches must not keep a copy per browser.
        assert "Cookie" not in response.get("Vary", "") and "Accept-Language" not in response.get("Vary", ""), path
    assert statuses == {200, 302, 400, 404, 405}, "the answers covered include redirects and errors"


def test_only_the_admin_allows_its_inline_scripts_and_frames_its_previews(admin_client):
    policy = csp_directives(admin_client.get("/admin/"))
    assert policy["script-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["frame-ancestors"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]


def test_security_txt_follows_rfc_9116(db, client):
    response = client.get("/.well-known/security.txt")
    assert response.status_code == 200 and response["Content-Type"] == "text/plain; charset=utf-8"
    fields = dict(line.split(": ", 1) for line in response.content.decode().splitlines())
    assert fields["Contact"] == "mailto:security@localhost"
    expires = datetime.strptime(fields["Expires"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    assert expires > timezone.now()
    assert fields["Canonical"] == "http://testserver/.well-known/security.txt"
    assert fields["Preferred-Languages"] == "nl, en"


@pytest.mark.parametrize(
    ("expires", "check_id"),
    [(timedelta(days=10), "home.W001"), (timedelta(days=-1), "home.W001"), (None, "home.E001")],
    ids=["soon", "passed", "malformed"],
)
def test_deploy_checks_warn_before_security_txt_lapses(settings, expires, check_id):
    settings.SECURITY_TXT_EXPIRES = "next year" if expires is None else (timezone.now() + expires).isoformat()
    found = [
        message.id for message in checks.run_checks(include_deployment_checks=True) if message.id.startswith("home")
    ]
    assert found == [check_id]


@pytest.fixture
def editor(db):
    return get_user_model().objects.create_superuser("redacteur", "redacteur@example.org", PASSWORD)


def log_in(client, username, password, address="192.0.2.10"):
    return client.post("/admin/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


def test_a_client_locks_after_five_wrong_passwords_and_unlocks_after_the_cool_off(editor, client):
    for attempt in range(5):
        log_in(client, "redacteur", f"wrong-{attempt}")
    locked = log_in(client, "redacteur", PASSWORD)
    assert locked.status_code == 429, "the right password no longer helps from that client"
    # Only that client: a stranger's failures never lock the editor out elsewhere (tests/test_lockout.py).
    assert log_in(client, "redacteur", PASSWORD, address="198.51.100.7").status_code == 302
    client.post("/admin/logout/")
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))  # the cool-off passes
    assert log_in(client, "redacteur", PASSWORD).status_code == 302


def test_an_address_that_guesses_many_accounts_is_locked_out(editor, client):
    for attempt in range(5):
        log_in(client, f"someone-{attempt}", "guess")
    assert log_in(client, "redacteur", PASSWORD).status_code == 429
    assert log_in(client, "redacteur", PASSWORD, address="198.51.100.7").status_code == 302


def test_production_sessions_travel_only_over_https_and_out_of_reach_of_scripts(editor, client, settings):
    show = "from django.conf import settings as s; print(s.SESSION_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY)"
    assert manage("shell", "--no-imports", "-c", show, **REQUIRED).stdout.split() == ["True", "True"]
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    response = client.post("/admin/login/", {"username": "redacteur", "password": PASSWORD}, secure=True)
    assert response.status_code == 302
    session = response.cookies[settings.SESSION_COOKIE_NAME]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"
