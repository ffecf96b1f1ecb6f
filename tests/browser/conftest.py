"""Fixtures for the browser tests: the site's real seed content behind a live server, and a headless Chromium.

The tests use Debian's Chromium at /usr/bin/chromium (CI installs it) and never download a browser.
"""

import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection, connections
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
    """The real seed content, Dutch and English, committed so the live server's thread sees it: for a test that
    writes what the next test must not see (each one loads the seed again; shared_site is faster).

    transactional_db empties every table after each test, including what the migrations created (the Dutch
    Locale, Wagtail's root page) that the loader builds on; serialized rollback puts that back before each test.
    Returns the live server's base URL, without a trailing slash.
    """
    load_seed()
    return live_server.url


def load_seed():
    from home.seeding.loader import Loader

    Loader(report=lambda *args: None).run()


@pytest.fixture(scope="session")
def migrated_rows(django_db_setup, django_db_blocker):
    """What the migrations wrote into the test database (the Dutch Locale, Wagtail's root page), serialized.

    pytest-django serializes it when a test of the run asks for serialized rollback (seeded_site does); run alone,
    a shared_site module serializes it here, before anything has emptied the database.
    """
    with django_db_blocker.unblock():
        return getattr(connection, "_test_serialized_contents", None) or connection.creation.serialize_db_to_string()


def reset_database(migrated_rows):
    """Empties every table and puts back what the migrations wrote, as a transactional test's teardown and the
    next one's serialized rollback do."""
    call_command("flush", verbosity=0, interactive=False, reset_sequences=False, inhibit_post_migrate=True)
    connection.creation.deserialize_db_from_string(migrated_rows)


@pytest.fixture(scope="module")
def shared_site(migrated_rows, django_db_blocker):
    """The seed content behind a live server, loaded and committed once for a whole module, for tests that only
    read it or write what no other test of the module looks at (each test its own address, say).

    The tests of such a module use no `db` fixture: a test transaction would hold the server's writes on SQLite
    (the live server shares the in-memory database's connection). Database access stays open for the module
    instead, and the database is reset before (a transactional test may have left it empty) and after it.
    The server is the module's own: pytest-django's live_server, once a test uses it, wraps every test in
    transactional_db, which empties the database after each one. Returns its base URL, without a trailing slash.
    """
    from pytest_django.live_server_helper import LiveServer

    django_db_blocker.unblock()
    try:
        reset_database(migrated_rows)
        load_seed()
        server = LiveServer("localhost")
        yield server.url
        server.stop()
        reset_database(migrated_rows)
    finally:
        django_db_blocker.restore()


@pytest.fixture(scope="module")
def shared_edition(shared_site):
    """edition (below) on the shared site: made once for the module."""
    add_progress_update()
    return edition_links(publish_edition())


@pytest.fixture
def browser(request, monkeypatch):
    """A headless Chromium, started after the seed is loaded and closed before the database is emptied: the test's
    site (shared_site when the test asks for it, else seeded_site) is set up first, and so torn down after."""
    from playwright.sync_api import sync_playwright

    request.getfixturevalue("shared_site" if "shared_site" in request.fixturenames else "seeded_site")
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
    # after the seed is loaded (and, in the tests, the page list is read) and stops before the database is emptied
    # (transactional_db's teardown, or shared_site's at the end of its module); these tests make no ORM call while
    # it runs. A test that does must keep to reading committed data.
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
    return edition_links(publish_edition())


def edition_links(draft):
    return {"nl": draft.edition.get_url(), "en": draft.translation.get_url(), "page": draft.edition}
