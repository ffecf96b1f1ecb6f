"""Lighthouse's four category scores for the home, overview, action and edition pages in both languages.

Run with `make lighthouse`. The site runs as `make serve` runs it (production settings, gunicorn, whitenoise with
hashed and compressed files), on a fresh SQLite database with the seed content and one published edition, in a
temporary folder; Lighthouse (npm, pinned in package.json) drives Debian's Chromium. Prints the scores; asserts
nothing. HOST and PORT choose the address (default 127.0.0.1:8000); LIGHTHOUSE_PRESET=desktop scores the desktop
profile instead of Lighthouse's default (a throttled phone).
"""

import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

BASE = Path(__file__).resolve().parents[2]
HOST = os.environ.get("HOST", "127.0.0.1")
PORT = os.environ.get("PORT", "8000")
CHROMIUM = "/usr/bin/chromium"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
WORK = Path(tempfile.mkdtemp(prefix="lighthouse-"))
ENVIRONMENT = {
    **os.environ,
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "DATABASE_URL": f"sqlite:///{WORK / 'site.sqlite3'}",
    "CACHE_DIR": str(WORK / "cache"),
    "STATIC_ROOT": str(WORK / "static"),
    "ALLOWED_HOSTS": f"{HOST},localhost",
    "SITE_URL": "https://localhost",
    "SECURE_SSL_REDIRECT": "false",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DEFAULT_FROM_EMAIL": "Kernteam Ambtelijk Vakmanschap <nieuwsbrief@localhost>",
    "SECURITY_TXT_CONTACT": "mailto:security@localhost",
    "ANYMAIL_WEBHOOK_SECRET": f"local:{secrets.token_urlsafe(24)}",
    "CHROME_PATH": CHROMIUM,
}
ENVIRONMENT.pop("REDIS_URL", None)  # the cache in files in the temporary folder: nothing shared is touched


def manage(*args):
    """Runs a management command in the server's settings; its output (the seed's log) shows only if it fails."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE, env=ENVIRONMENT, capture_output=True, text=True
    )
    if result.returncode:
        sys.exit(f"manage.py {args[0]} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


# Runs under the production settings, in the server's database: publishes an edition and names the pages.
PREPARE = """
import json
from wagtail.models import Page
from actions.models import ActionIndexPage, ActionPage
from newsletter.drafting import draft_edition

draft = draft_edition()
for page in [draft.edition, *draft.translations.values()]:
    page.get_latest_revision().publish()
pages = {}
for language in ("nl", "en"):
    pages[f"home ({language})"] = Page.objects.get(depth=2, locale__language_code=language)
    pages[f"overview ({language})"] = ActionIndexPage.objects.get(locale__language_code=language)
    pages[f"action ({language})"] = ActionPage.objects.filter(locale__language_code=language).order_by("path").first()
    pages[f"edition ({language})"] = draft.edition if language == "nl" else draft.translations[language]
print(json.dumps({name: page.specific.url for name, page in pages.items()}))
"""


def prepare_site():
    manage("migrate", "--no-input")
    manage("compile_catalogues")
    manage("collectstatic", "--no-input")
    manage("load_seed_content")
    return json.loads(manage("shell", "-c", PREPARE).strip().splitlines()[-1])


def wait_for(url, seconds=30):
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url):  # noqa: S310 - our own local server
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


class LighthouseFailed(Exception):
    pass


def scores(url):
    command = [
        str(BASE / "node_modules" / ".bin" / "lighthouse"),
        url,
        "--quiet",
        "--output=json",
        "--output-path=stdout",
        f"--only-categories={','.join(CATEGORIES)}",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
    ]
    if os.environ.get("LIGHTHOUSE_PRESET"):
        command.append(f"--preset={os.environ['LIGHTHOUSE_PRESET']}")
    # On a busy machine a run now and then fails (Chromium too slow to start or to answer): one more try.
    for _ in range(2):
        result = subprocess.run(command, env=ENVIRONMENT, capture_output=True, text=True)
        if result.returncode == 0:
            break
    else:
        raise LighthouseFailed(result.stderr.strip().splitlines()[-1] if result.stderr.strip() else "no output")
    report = json.loads(result.stdout)
    failing = [
        audit["id"]
        for category in report["categories"].values()
        for ref in category["auditRefs"]
        if ref["weight"] and (audit := report["audits"][ref["id"]])["score"] is not None and audit["score"] < 1
    ]
    return [round(report["categories"][name]["score"] * 100) for name in CATEGORIES], failing


def main():
    print(f"building the site in {WORK} ...", flush=True)
    try:
        pages = prepare_site()
        serve_and_score(pages)
    finally:
        shutil.rmtree(WORK, ignore_errors=True)


def serve_and_score(pages):
    server = subprocess.Popen(
        [str(BASE / ".venv" / "bin" / "gunicorn"), "config.wsgi", "--bind", f"{HOST}:{PORT}", "--workers", "3"],
        cwd=BASE,
        env=ENVIRONMENT,
        stderr=subprocess.DEVNULL,
    )
    try:
        origin = f"http://{HOST}:{PORT}"
        wait_for(origin + "/")
        print(f"load average {os.getloadavg()}")
        print(f"{'page':<16} {'perf':>5} {'a11y':>5} {'best':>5} {'seo':>5}  url / audits below 100")
        for name, path in pages.items():
            url = origin + path
            urllib.request.urlopen(url).read()  # noqa: S310 - warms the page cache, as a visited page would be
            try:
                (performance, accessibility, practices, seo), failing = scores(url)
            except LighthouseFailed as error:
                print(f"{name:<16} Lighthouse failed twice: {error}")
                continue
            print(f"{name:<16} {performance:>5} {accessibility:>5} {practices:>5} {seo:>5}  {path}")
            if failing:
                print(f"{'':<40}{', '.join(failing)}")
        print(f"load average {os.getloadavg()}")
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
