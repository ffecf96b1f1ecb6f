"""The Content-Security-Policy blocks nothing the site or the Wagtail admin needs: Chromium reports no violation."""

import pytest

PASSWORD = "a-long-and-proper-password"


@pytest.fixture
def pages_to_visit(seeded_site):
    """The public page types, and the admin screens editors use most: read before the browser starts (the test
    asks for this fixture before `browser`)."""
    from django.contrib.auth import get_user_model

    from actions.models import ActionPage

    get_user_model().objects.create_superuser("redacteur", "redacteur@example.org", PASSWORD)
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


def test_public_pages_and_the_admin_run_without_policy_violations(pages_to_visit, browser, seeded_site):
    public, admin = pages_to_visit
    context = browser.new_context()
    try:
        page = context.new_page()
        assert violations_while_visiting(page, seeded_site, public) == []

        page.goto(seeded_site + "/admin/login/")
        page.fill("input[name=username]", "redacteur")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(seeded_site + "/admin/")
        # The page editor, wagtail-localize's translation editor, and a public page with the editor's userbar.
        assert violations_while_visiting(page, seeded_site, admin) == []
        assert page.locator("wagtail-userbar").count() == 1
    finally:
        context.close()
