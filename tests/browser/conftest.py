"""Fixtures for the browser tests: the site's real seed content behind a live server, and a headless Chromium.

The tests use Debian's Chromium at /usr/bin/chromium (CI installs it) and never download a browser.
"""

import os
from pathlib import Path

import pytest

# Playwright's sync API drives the browser from an asyncio event loop that runs in the main thread. While that
# loop runs, Django's async-safety check sees "an event loop in this thread" and raises SynchronousOnlyOperation
# on every ORM call made by the test or its fixtures, although nothing here is async: the Playwright calls block,
# and the live server answers from its own thread. The setting only switches that check off; it is read when a
# database call is made, so setting it while this conftest is imported is early enough.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOT_DIR = Path(__file__).resolve().parents[2] / "screenshots"
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 375, "height": 667}}


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium for the module; each test opens its own pages in it."""
    if not CHROMIUM.exists():
        pytest.skip(f"Browser tests need Debian's Chromium at {CHROMIUM} (apt-get install chromium); CI installs it.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def seeded_site(django_db_serialized_rollback, transactional_db, live_server):
    """The real seed content, Dutch and English, committed so the live server's thread sees it.

    transactional_db empties every table after each test, including what the migrations created (the Dutch
    Locale, Wagtail's root page) that the loader builds on; serialized rollback puts that back before each test.
    Returns the live server's base URL, without a trailing slash.
    """
    from actions.seed import Loader

    from django.db import connection
    from wagtail.models import Locale, Page
    print("DBG", hasattr(connection, "_test_serialized_contents"), len(getattr(connection, "_test_serialized_contents", "") or ""), Locale.objects.count(), Page.objects.count())
    Loader(report=lambda *args: None).run()
    return live_server.url


@pytest.fixture(scope="session")
def screenshot_dir():
    SCREENSHOT_DIR.mkdir(exist_ok=True)
    return SCREENSHOT_DIR
