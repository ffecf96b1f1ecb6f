"""The cache behind the rate limits, the catalogue, and which way imports run."""

import ast
import re
import runpy
import socket
import uuid
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.cache import caches
from django.test import override_settings
from django.utils.translation.template import templatize

from config.settings.base import cache

BASE = Path(settings.BASE_DIR)
REDIS_URL = "redis://127.0.0.1:6379/0"


def settings_with(monkeypatch, **environ):
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(BASE / "config" / "settings" / "base.py"))


def test_the_caches_are_redis_when_redis_url_is_set_and_shared_files_otherwise(monkeypatch):
    monkeypatch.delenv("REDIS_URL", raising=False)
    for config in settings_with(monkeypatch)["CACHES"].values():
        assert config["BACKEND"].endswith("FileBasedCache")  # shared by the web server and the clock
    redis = settings_with(monkeypatch, REDIS_URL=REDIS_URL)["CACHES"]
    assert redis["default"]["BACKEND"] == "django_redis.cache.RedisCache"
    assert redis["default"]["LOCATION"] == REDIS_URL and redis["default"]["KEY_PREFIX"] == "site"
    assert redis["default"]["OPTIONS"]["IGNORE_EXCEPTIONS"], "the site goes on while Redis is down"
    assert redis["pages"]["KEY_PREFIX"] == "pages"


def test_the_webhook_secret_comes_from_the_environment(monkeypatch):
    assert settings_with(monkeypatch, ANYMAIL_WEBHOOK_SECRET="a:b")["ANYMAIL"]["WEBHOOK_SECRET"] == "a:b"


def redis_is_running():
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


@pytest.mark.skipif(not redis_is_running(), reason="needs Redis at 127.0.0.1:6379 (REDIS_URL in production)")
def test_rate_limits_hold_across_processes_through_redis(pages, client):
    run = uuid.uuid4()  # other runs share this Redis
    redis = {name: cache(f"{run}-{name}", REDIS_URL) for name in settings.CACHES}
    form = {"email": "ans@example.org", "language": "nl", "consent": "on"}
    with override_settings(CACHES=redis):
        assert "Redis" in type(caches["default"]).__name__
        statuses = [client.post("/nieuwsbrief-aanmelding/", form).status_code for _ in range(6)]
    assert statuses == [200] * 5 + [429]


def used_msgids(paths):
    for path in paths:
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".py":
            for node in ast.walk(ast.parse(text)):
                is_gettext = isinstance(node, ast.Call) and getattr(node.func, "id", None) == "_" and node.args
                if is_gettext and isinstance(node.args[0], ast.Constant):
                    yield node.args[0].value
        else:
            for match in re.finditer(r"gettext\((u?'(?:[^'\\]|\\.)*')\)", templatize(text, origin=str(path))):
                yield ast.literal_eval(match.group(1))


def test_every_newsletter_text_has_a_dutch_translation():
    # The newsletter, the join form, and what they share on the ground floor.
    shared = ["home/visitors/forms.py", "site/templates/mail/base.html", "site/templates/rate_limited.html"]
    paths = [
        path
        for app in ("newsletter", "joining")
        for path in (BASE / app).rglob("*")
        if path.suffix in (".py", ".html", ".txt") and "migrations" not in path.parts
    ] + [BASE / name for name in shared]
    catalogue = {
        entry.msgid: entry.msgstr for entry in polib.pofile(str(BASE / "site/locale/nl/LC_MESSAGES/django.po"))
    }
    used = set(used_msgids(paths))
    assert len(used) > 80
    assert sorted(msgid for msgid in used if not catalogue.get(msgid)) == []
