"""The Content-Security-Policy blocks nothing the site or the Wagtail admin needs: Chromium reports no violation."""

import pytest

from tests.browser.admin import make_editor, sign_in


@pytest.fixture
def pages_to_visit(seeded_site):
    """The public page types, and the admin screens editors use most: read before the browser starts (the test
    asks for this fixture before `browser`)."""
    from actions.models import ActionPage

    make_editor()
    dutch, english = (ActionPage.objects.get(locale__language_code=code, number=4) for code in ("nl", "en"))
    public = ["/", "/acties-en-interventies/", dutch.url, "/en/", english.url, "/bestaat-niet/"]
    admin = ["/admin/", f"/admin/pages/{dutch.pk}/edit/", f"/admin/pages/{english.pk}/edit/", dutch.url]
    return public, admin


def violations_while_visiting(page, base_url, paths):
    seen = []
    page.on("console", lambda message: seen.append(message.text) if "Content Security Policy" in message.text else 0)
    for path in paths:
        page.goto(base_url + path, wait_until="networkidle")
    return seen


def test_public_pages_and_the_admin_run_without_policy_violations(pages_to_visit, open_page, seeded_site):
    public, admin = pages_to_visit
    page = open_page()
    assert violations_while_visiting(page, seeded_site, public) == []

    sign_in(page, seeded_site)
    # The page editor, wagtail-localize's translation editor, and a public page with the editor's userbar.
    assert violations_while_visiting(page, seeded_site, admin) == []
    assert page.locator("wagtail-userbar").count() == 1
