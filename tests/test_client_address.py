"""One client address for the login lock-out and the rate limits: the address the outermost trusted proxy saw."""

import runpy
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings
from test_settings import REQUIRED

from home.security.client import client_ip

PRODUCTION = Path(settings.BASE_DIR) / "config" / "settings" / "production.py"


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "6.6.6.6", "10.0.0.1"),  # no proxy in front: the header is the client's own words
        (1, "203.0.113.7", "203.0.113.7"),
        (1, "6.6.6.6, 203.0.113.7", "203.0.113.7"),  # what the client wrote itself stands left of the proxy's entry
        (2, "6.6.6.6, 203.0.113.7, 198.51.100.9", "203.0.113.7"),
        (1, "2001:db8::7", "2001:db8::7"),
        (2, "203.0.113.7", "10.0.0.1"),  # fewer entries than proxies: it did not come through them, so no entry
        (1, "", "10.0.0.1"),
        (1, "203.0.113.7:4711", "10.0.0.1"),  # not an address
    ],
)
def test_the_client_is_the_entry_the_outermost_trusted_proxy_appended(rf, proxies, forwarded, expected):
    request = rf.post("/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR="10.0.0.1")
    with override_settings(TRUSTED_PROXY_COUNT=proxies):
        assert client_ip(request) == expected


def test_without_the_header_the_client_is_the_peer(rf):
    with override_settings(TRUSTED_PROXY_COUNT=1):
        assert client_ip(rf.post("/", REMOTE_ADDR="198.51.100.2")) == "198.51.100.2"


def test_the_lock_out_and_the_rate_limits_ask_the_same_function():
    assert settings.AXES_CLIENT_IP_CALLABLE == settings.RATELIMIT_IP_META_KEY == "home.security.client.client_ip"


def production_settings(monkeypatch, **environ):
    for name, value in {**REQUIRED, **environ}.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(PRODUCTION), run_name="config.settings.x")


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, 0),
        ({"BEHIND_TLS_PROXY": "true"}, 1),
        ({"BEHIND_TLS_PROXY": "true", "TRUSTED_PROXY_COUNT": "2"}, 2),
    ],
)
def test_production_trusts_one_proxy_behind_the_tls_proxy(monkeypatch, environ, expected):
    monkeypatch.delenv("BEHIND_TLS_PROXY", raising=False)
    monkeypatch.delenv("TRUSTED_PROXY_COUNT", raising=False)
    assert production_settings(monkeypatch, **environ)["TRUSTED_PROXY_COUNT"] == expected
