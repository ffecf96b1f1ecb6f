"""Security headers on every response, security.txt, and admin logins that lock out guessing."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.core import checks
from django.utils import timezone

from actions.models import ActionPage

PASSWORD = "a-long-and-proper-password"


def csp_directives(response):
    return {
        directive.split()[0]: directive.split()[1:]
        for directive in response["Content-Security-Policy"].split(";")
        if directive.strip()
    }


@pytest.fixture
def public_paths(seeded):
    actions = [page.url for page in ActionPage.objects.filter(number=1)]
    return ["/", "/en/", "/acties-en-interventies/", *actions, "/bestaat-niet/", "/sitemap.xml", "/robots.txt"]


def test_public_responses_carry_a_strict_policy_and_the_other_security_headers(public_paths, client):
    for path in public_paths:
        response = client.get(path)
        policy = csp_directives(response)
        assert "'unsafe-inline'" not in response["Content-Security-Policy"], path
        assert "'unsafe-eval'" not in response["Content-Security-Policy"], path
        assert policy["script-src"] == ["'self'"] and policy["style-src"] == ["'self'"], path
        assert policy["frame-ancestors"] == ["'none'"] and policy["object-src"] == ["'none'"], path
        assert response["X-Content-Type-Options"] == "nosniff", path
        assert response["Referrer-Policy"] == "same-origin", path
        assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]


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


def test_an_account_locks_after_five_wrong_passwords_and_unlocks_after_the_cool_off(editor, client):
    for attempt in range(5):
        log_in(client, "redacteur", f"wrong-{attempt}", address=f"192.0.2.{attempt}")  # from five addresses
    locked = log_in(client, "redacteur", PASSWORD, address="198.51.100.7")
    assert locked.status_code == 429, "the right password no longer helps, from any address"
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))  # the cool-off passes
    assert log_in(client, "redacteur", PASSWORD).status_code == 302


def test_an_address_that_guesses_many_accounts_is_locked_out(editor, client):
    for attempt in range(5):
        log_in(client, f"someone-{attempt}", "guess")
    assert log_in(client, "redacteur", PASSWORD).status_code == 429
    assert log_in(client, "redacteur", PASSWORD, address="198.51.100.7").status_code == 302


def test_an_editor_can_reset_a_forgotten_password(editor, client, mailoutbox):
    response = client.post("/admin/password_reset/", {"email": "redacteur@example.org"})
    assert response.status_code == 302 and len(mailoutbox) == 1
    link = re.search(r"https?://\S+/admin/password_reset/confirm/\S+/", mailoutbox[0].body).group(0)
    form = client.get(link, follow=True)
    assert form.status_code == 200
    new_password = "another-long-proper-password"
    done = client.post(form.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password})
    assert done.status_code == 302
    assert log_in(client, "redacteur", new_password).status_code == 302
