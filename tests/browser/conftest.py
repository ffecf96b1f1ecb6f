"""Fixtures for the browser tests: the site's real seed content behind a live server, and a headless Chromium.

The tests use Debian's Chromium at /usr/bin/chromium (CI installs it) and never download a browser.
"""

import re
from pathlib import Path

import pytest
from django.db import connections
from playwright.sync_api import expect

from tests.edition_content import add_progress_update, publish_edition

# What the tests wait for takes milliseconds on a quiet machine; on a loaded two-core CI machine Wagtail's preview
# or Draftail may take seconds to appear. Waiting longer costs nothing when things are fast.
expect.set_options(timeout=20_000)

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
# Where a failing test leaves the screenshot and HTML of every page it had open (git-ignored with screenshots/).
FAILURE_DIR = SCREENSHOT_DIR / "failures"
# "wide" leaves room for the Wagtail editor's preview panel beside the form.
VIEWPORTS = {
    "desktop": {"width": 1280, "height": 800},
    "phone": {"width": 375, "height": 667},
    "wide": {"width": 1400, "height": 1000},
}


def pytest_runtest_setup(item):
    # Runs before any fixture, so a machine without Chromium skips without building the test database.
    if not CHROMIUM.exists():
        pytest.skip(f"the browser tests need Debian's Chromium at {CHROMIUM} (apt-get install chromium); CI has it")


@pytest.fixture
def seeded_site(django_db_serialized_rollback, transactional_db, live_server):
    """The real seed content, Dutch and English, committed so the live server's thread sees it.

    transactional_db empties every table after each test, including what the migrations created (the Dutch
    Locale, Wagtail's root page) that the loader builds on; serialized rollback puts that back before each test.
    Returns the live server's base URL, without a trailing slash.
    """
    from home.seeding.loader import Loader

    Loader(report=lambda *args: None).run()
    return live_server.url


@pytest.fixture
def browser(seeded_site, monkeypatch):
    """A headless Chromium, started after the seed is loaded and closed before the database is emptied."""
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an asyncio event loop in the main thread (in a greenlet) and leaves it marked as
    # running between calls. Django then sees "an event loop in this thread" and raises SynchronousOnlyOperation
    # on any ORM call made while the browser is open, although nothing here is async: Playwright's calls block, and
    # the live server answers from its own thread. This switches that check off, and only while the browser is
    # open: set for the whole process, the variable would leak into the rest of the suite and into subprocesses
    # (`manage.py check --deploy` reports it as async.E001).
    #
    # Caveat: with a running loop, Django's per-thread connection storage (asgiref's Local) switches too, so an
    # ORM call made while the browser is open gets a second connection without the test case's state (that is how
    # serialized rollback lost the migrations' data when the browser outlived a test). So this fixture starts only
    # after the seed is loaded (and, in the tests, the page list is read) and stops before transactional_db empties
    # the database; these tests make no ORM call while it runs. A test that does must keep to reading committed data.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        # Closes the connections a test opened through that second storage; left open, PostgreSQL refuses to drop
        # the test database at the end of the run ("being accessed by other users").
        connections.close_all()
        browser.close()


@pytest.fixture
def open_page(browser, request):
    """Opens a page in a fresh browser context (no cookies) at one of the VIEWPORTS.

    The contexts stay open until the test's teardown, after its report is made, so a failing test's pages can still
    be saved (pytest_runtest_makereport below); tests need no try/finally of their own.
    """
    contexts = request.node.browser_contexts = []

    def open_page(viewport="desktop"):
        context = browser.new_context(viewport=VIEWPORTS[viewport])
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def save_browser_state(item):
    """Saves a screenshot and the HTML of every page the test has open; returns the files written."""
    FAILURE_DIR.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^\w-]+", "-", item.nodeid.rpartition("/")[2]).strip("-")
    pages = [page for context in getattr(item, "browser_contexts", []) for page in context.pages]
    saved = []
    for number, page in enumerate(pages, start=1):
        screenshot, html = (FAILURE_DIR / f"{name}-{number}.{suffix}" for suffix in ("png", "html"))
        try:
            page.screenshot(path=screenshot, full_page=True)
            html.write_text(page.content(), encoding="utf-8")
        except Exception as error:  # noqa: BLE001 (a crashed page must not hide the test's own failure)
            saved.append(f"{page.url}: not saved ({error})")
            continue
        saved.append(f"{page.url}\n  {screenshot}\n  {html}")
    return saved


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """A browser test that fails names the screenshot and HTML of the pages it had open in its failure message."""
    report = yield
    saved = save_browser_state(item) if report.failed and report.when == "call" else []
    if saved:
        title, text = "Pages open when the test failed (screenshot, HTML)", "\n".join(saved)
        if isinstance(report.longrepr, str):  # pytest.fail(..., pytrace=False)
            report.longrepr += f"\n\n{title}\n{text}"
        else:
            report.longrepr.addsection(title, text)
    return report


@pytest.fixture(scope="session")
def screenshot_dir():
    SCREENSHOT_DIR.mkdir(exist_ok=True)
    return SCREENSHOT_DIR


@pytest.fixture
def action_with_update(seeded_site):
    """The first Dutch action, with a progress update for a newsletter edition to report (the seed has none)."""
    return add_progress_update()


@pytest.fixture
def edition(action_with_update):
    """A published newsletter edition in both languages, drafted from the progress update on the first action."""
    draft = publish_edition()
    return {"nl": draft.edition.get_url(), "en": draft.translation.get_url(), "page": draft.edition}
