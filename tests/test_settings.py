"""Production settings refuse an unsafe configuration and pass Django's deployment checklist."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
STRONG_KEY = secrets.token_urlsafe(50)


def manage(*args, **env):
    clean = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SECRET_KEY", "ALLOWED_HOSTS"}}
    return subprocess.run(
        [sys.executable, "manage.py", *args, "--settings=config.settings.production"],
        cwd=PROJECT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("env", "missing"),
    [
        ({"ALLOWED_HOSTS": "example.org"}, "DJANGO_SECRET_KEY"),
        ({"DJANGO_SECRET_KEY": STRONG_KEY}, "ALLOWED_HOSTS"),
        ({"DJANGO_SECRET_KEY": "  ", "ALLOWED_HOSTS": "example.org"}, "DJANGO_SECRET_KEY"),
    ],
)
def test_production_refuses_to_start_without_secret_key_and_hosts(env, missing):
    result = manage("check", **env)
    assert result.returncode != 0
    assert f"Set the environment variable {missing} to run in production." in result.stderr


def test_deploy_checklist_is_clean():
    result = manage("check", "--deploy", DJANGO_SECRET_KEY=STRONG_KEY, ALLOWED_HOSTS="example.org")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."
    assert result.stderr == ""


def test_production_chooses_the_anymail_backend_from_the_environment():
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.EMAIL_BACKEND, settings.ANYMAIL)",
        DJANGO_SECRET_KEY=STRONG_KEY,
        ALLOWED_HOSTS="example.org",
        ANYMAIL_ESP="postmark",
        ANYMAIL_POSTMARK_SERVER_TOKEN="token-from-env",
    )
    assert result.returncode == 0, result.stderr
    assert "anymail.backends.postmark.EmailBackend {'POSTMARK_SERVER_TOKEN': 'token-from-env'}" in result.stdout


def test_static_files_are_hashed_and_compressed_in_production(tmp_path):
    result = manage(
        "collectstatic",
        "--no-input",
        DJANGO_SECRET_KEY=STRONG_KEY,
        ALLOWED_HOSTS="example.org",
        STATIC_ROOT=str(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    hashed = [path.name for path in (tmp_path / "css").glob("site.*.css")]
    assert any(name.endswith(".css") for name in hashed)
    assert any(path.suffix == ".br" for path in (tmp_path / "css").iterdir())
    assert any(path.suffix == ".gz" for path in (tmp_path / "css").iterdir())
