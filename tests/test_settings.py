"""Production settings refuse an unsafe configuration and pass Django's deployment checklist."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
STRONG_KEY = secrets.token_urlsafe(50)
REQUIRED = {
    "DJANGO_SECRET_KEY": STRONG_KEY,
    "ALLOWED_HOSTS": "kernteam.example.nl",
    "SITE_URL": "https://kernteam.example.nl",
    "DEFAULT_FROM_EMAIL": "Kernteam <nieuwsbrief@kernteam.example.nl>",
    "SECURITY_TXT_CONTACT": "mailto:security@kernteam.example.nl",
    "ANYMAIL_WEBHOOK_SECRET": "provider:a-long-random-secret",
}


def manage(*args, **env):
    clean = {k: v for k, v in os.environ.items() if k not in REQUIRED}
    return subprocess.run(
        [sys.executable, "manage.py", *args, "--settings=config.settings.production"],
        cwd=PROJECT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("missing", list(REQUIRED))
@pytest.mark.parametrize("value", [None, "  "], ids=["unset", "blank"])
def test_production_refuses_to_start_without_each_required_setting(missing, value):
    env = {name: setting for name, setting in REQUIRED.items() if name != missing}
    if value is not None:
        env[missing] = value
    result = manage("check", **env)
    assert result.returncode != 0
    assert f"Set the environment variable {missing} to run in production." in result.stderr


def test_production_refuses_a_public_address_without_https():
    result = manage("check", **{**REQUIRED, "SITE_URL": "http://kernteam.example.nl"})
    assert result.returncode != 0
    assert "SITE_URL must be the site's https:// address in production." in result.stderr


def test_deploy_checklist_is_clean():
    # HSTS for subdomains and preloading are off until the domain's owner switches them on; the checklist's two
    # reminders of them are silenced then, and only then.
    result = manage("check", "--deploy", **REQUIRED)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "System check identified no issues (2 silenced)."
    assert result.stderr == ""
    result = manage("check", "--deploy", **REQUIRED, HSTS_INCLUDE_SUBDOMAINS="true", HSTS_PRELOAD="true")
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."


def test_hsts_covers_a_year_and_subdomains_only_when_asked():
    show = "from django.conf import settings as s; print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS)"
    off = manage("shell", "--no-imports", "-c", show, **REQUIRED)
    assert off.stdout.split() == ["31536000", "False"], off.stderr
    on = manage("shell", "--no-imports", "-c", show, **REQUIRED, HSTS_INCLUDE_SUBDOMAINS="true")
    assert on.stdout.split() == ["31536000", "True"]


def test_production_chooses_the_anymail_backend_from_the_environment():
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.EMAIL_BACKEND, settings.ANYMAIL)",
        **REQUIRED,
        ANYMAIL_ESP="postmark",
        ANYMAIL_POSTMARK_SERVER_TOKEN="token-from-env",
    )
    assert result.returncode == 0, result.stderr
    assert (
        "anymail.backends.postmark.EmailBackend "
        "{'WEBHOOK_SECRET': 'provider:a-long-random-secret', 'POSTMARK_SERVER_TOKEN': 'token-from-env'}"
    ) in result.stdout
