"""As an editor would: draft an edition from the actions in the admin, preview it as e-mail and as plain text, and
send a test to their own address."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

PASSWORD = "redactie-wachtwoord"  # noqa: S105 (a test account)


@pytest.fixture
def editor_and_index(action_with_update):
    """An editor account and the Dutch newsletter page; one action has a new update. Made before the browser."""
    from django.contrib.auth import get_user_model

    from newsletter.models import NewsletterIndexPage

    action = action_with_update
    get_user_model().objects.create_superuser("redacteur", "redacteur@example.org", PASSWORD)
    index = NewsletterIndexPage.objects.get(locale__language_code="nl")
    return {"index_id": index.pk, "action_title": action.title}


def test_an_editor_drafts_previews_and_sends_a_test(editor_and_index, browser, seeded_site, log_in_to_admin):
    mail.outbox.clear()
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    try:
        log_in_to_admin(page, "redacteur", PASSWORD)

        # The newsletter page's menu offers the draft; its page asks before anything happens.
        page.goto(f"{seeded_site}/admin/pages/{editor_and_index['index_id']}/")
        page.locator("header [data-w-dropdown-target='toggle']").first.click()
        draft_link = page.locator(f"a[href='/admin/newsletter/{editor_and_index['index_id']}/draft/']")
        expect(draft_link).to_be_visible()
        draft_link.click()
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(re.compile(r"/admin/pages/\d+/edit/$"))
        edition_id = re.search(r"/pages/(\d+)/edit/", page.url).group(1)

        # The preview panel offers the web page, the e-mail and its plain text.
        page.locator("[data-side-panel-toggle='preview']").click()
        mode = page.locator("select[name='preview-mode'], select#preview-mode, .w-preview select").first
        expect(mode.locator("option")).to_have_count(3)
        iframe = page.frame_locator("iframe.w-preview__iframe").last
        expect(iframe.locator("main h1")).to_contain_text("Nieuwsbrief", timeout=15000)  # the web page first
        mode.select_option("email")
        expect(iframe.locator("table[role='presentation']").first).to_be_attached(timeout=15000)
        expect(iframe.locator("h2").first).to_contain_text(editor_and_index["action_title"])
        mode.select_option("text")
        expect(iframe.locator("body")).to_contain_text("# Nieuwsbrief", timeout=15000)
        expect(iframe.locator("body")).to_contain_text("De eerste gesprekken zijn gevoerd.")

        # Send a test: the edition's own menu, a confirmation, then the mail to the editor's address.
        page.locator("header [data-w-dropdown-target='toggle']").first.click()
        page.locator(f"a[href='/admin/newsletter/editions/{edition_id}/test/']").click()
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(re.compile(rf"/admin/pages/{edition_id}/edit/$"))
        expect(page.get_by_text("redacteur@example.org")).to_be_visible()
    finally:
        context.close()
    (message,) = mail.outbox
    assert message.to == ["redacteur@example.org"]
    assert message.subject.startswith("[Test] Nieuwsbrief ")
    assert "De eerste gesprekken zijn gevoerd." in message.body
