"""Reports → Translations in the real admin: it lists the seeded pages with their translation state, filters by
state, and axe-core (WCAG 2.2 AA) finds nothing on it."""

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect
from test_accessibility import AXE_OPTIONS, describe_violations

from tests.browser.admin import make_editor, sign_in

# The WCAG 2.2 rules as well as 2.1's, as for every new admin screen.


def test_the_translation_report_filters_and_passes_axe(shared_site, browser):
    make_editor("vertaler")
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    try:
        sign_in(page, shared_site, "vertaler")
        page.goto(f"{shared_site}/admin/reports/translations/")
        expect(page.locator("h1")).to_contain_text("Translations")
        # The seed translates every page and publishes it: all twelve live.
        expect(page.locator("[data-translation-counts] dd[data-state='live']")).to_have_text("12")
        expect(page.locator("main table tbody tr").first).to_be_visible()
        violations = Axe().run(page, options=AXE_OPTIONS).response["violations"]
        assert not violations, "the translation report: axe-core found violations:\n" + describe_violations(violations)

        page.goto(f"{shared_site}/admin/reports/translations/?translation_state=none")
        expect(page.locator("main")).to_contain_text("No pages match these filters.")
        violations = Axe().run(page, options=AXE_OPTIONS).response["violations"]
        assert not violations, "the filtered report: axe-core found violations:\n" + describe_violations(violations)
    finally:
        context.close()
