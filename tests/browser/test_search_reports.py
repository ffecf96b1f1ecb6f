"""As an editor would: a visitor's search finds nothing, the editor opens Reports → Search terms that found nothing,
and one click opens Wagtail's promotion form with the term filled in. axe-core checks the report."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect
from test_accessibility import AXE_OPTIONS, describe_violations

from tests.browser.admin import make_editor, sign_in


@pytest.fixture
def editor(seeded_site):
    make_editor("zoekredacteur")


def test_an_editor_promotes_a_page_for_a_term_that_found_nothing(editor, seeded_site, open_page):
    page = open_page()
    page.goto(f"{seeded_site}/zoeken/?q=blauwe+olifanten")
    sign_in(page, seeded_site, "zoekredacteur")
    page.goto(f"{seeded_site}/admin/reports/search/unanswered/")
    link = page.get_by_role("link", name="Promote a page for “blauwe olifanten”")
    expect(link).to_be_visible()
    violations = Axe().run(page, options=AXE_OPTIONS).response["violations"]
    assert not violations, "the report: axe-core found violations:\n" + describe_violations(violations)
    link.click()
    expect(page.locator("input[name=query_string]")).to_have_value("blauwe olifanten")
