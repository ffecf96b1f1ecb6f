"""Failed logins lock out the client that failed, as the proxy in front saw it, and never an editor elsewhere."""

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings

PASSWORD = "a-long-and-proper-password"
STRANGER = "6.6.6.6"
EDITOR = "203.0.113.7"
PROXY = "10.0.0.1"

pytestmark = pytest.mark.usefixtures("editor")


@pytest.fixture(autouse=True)
def behind_the_proxy():
    """As production runs behind its TLS proxy (BEHIND_TLS_PROXY=true): one trusted proxy, every request from it."""
    with override_settings(TRUSTED_PROXY_COUNT=1):
        yield


@pytest.fixture
def editor(db):
    return get_user_model().objects.create_superuser("redacteur", "redacteur@example.org", PASSWORD)


def log_in(client, address, username, password, claimed=""):
    """A login through the proxy, which appends the address it saw to what the client sent."""
    forwarded = f"{claimed}, {address}" if claimed else address
    return client.post(
        "/admin/login/",
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded,
    )


@pytest.mark.parametrize("names", [[f"nobody{n}" for n in range(5)], ["redacteur"] * 5], ids=["made-up", "known"])
def test_a_strangers_failures_lock_out_the_stranger_and_not_the_editor(client, names):
    answers = [log_in(client, STRANGER, name, "guess").status_code for name in names]
    assert answers == [200, 200, 200, 200, 429], "the fifth failure locks the stranger's client"
    assert log_in(client, STRANGER, "redacteur", PASSWORD).status_code == 429, "the stranger's client is locked"
    assert log_in(client, EDITOR, "redacteur", PASSWORD).status_code == 302, "the editor elsewhere signs in"


def test_a_made_up_forwarded_address_does_not_escape_the_lock_out(client):
    for attempt in range(5):
        log_in(client, STRANGER, "redacteur", "guess", claimed=f"192.0.2.{attempt}")
    assert log_in(client, STRANGER, "redacteur", PASSWORD, claimed="192.0.2.99").status_code == 429
