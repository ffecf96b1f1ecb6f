"""As an editor would: send an edition from the admin, confirm it, watch the progress bar reach done while a worker
sends in the background, and read the copy as sent. And: sync an out-of-date translation from Reports →
Translations, see the preflight block an edition with a broken link until the editor fixes it, and send. axe-core
checks each of these admin screens."""

import re
import threading

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core import mail
from django.db import connections
from playwright.sync_api import expect
from test_accessibility import AXE_OPTIONS, describe_violations

from tests.browser.admin import make_editor, sign_in
from tests.edition_content import publish_edition
from tests.worker import newsletter_worker

# The WCAG 2.2 rules as well as 2.1's, for the admin screens that are new.


@pytest.fixture
def published_edition(action_with_update):
    """A sender's account, a published edition in both languages, three Dutch and two English subscribers."""
    from django.utils import timezone

    from newsletter.models import Subscriber
    from newsletter.services import CONSENT_VERSION

    make_editor("verzender")
    draft = publish_edition()
    now = timezone.now()
    for email, language in [("a@example.org", "nl"), ("b@example.org", "nl"), ("c@example.org", "nl")] + [
        ("d@example.org", "en"),
        ("e@example.org", "en"),
    ]:
        Subscriber.objects.create(
            email=email,
            language=language,
            state=Subscriber.State.CONFIRMED,
            state_changed_at=now,
            consent_given_at=now,
            consent_version=CONSENT_VERSION,
        )
    return {"id": draft.edition.pk, "subject": draft.edition.subject}


def run_worker():
    """The newsletter's db_worker, in a thread, until its queue is empty (what `make run` starts beside the server)."""
    try:
        newsletter_worker("browser-test", interval=0.1).run()
    finally:
        connections.close_all()


def assert_accessible(axe, page, where, options=AXE_OPTIONS):
    # Wagtail's flash messages fade in: axe, running at once, measures their colours half-way (they are Wagtail's).
    context = {"exclude": [[".messages"]]}
    violations = axe.run(page, context=context, options=options).response["violations"]
    assert not violations, f"{where}: axe-core found violations:\n" + describe_violations(violations)


def test_an_editor_sends_an_edition_and_watches_it_reach_done(published_edition, browser, seeded_site, settings):
    settings.NEWSLETTER_BATCH_SIZE = 2  # several batches, so the figures move
    mail.outbox.clear()
    edition_id = published_edition["id"]
    axe = Axe()
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    # The admin's content security policy holds on these screens: the refresh is a script file, the mail is sandboxed.
    refused = []
    page.on("console", lambda message: "Content Security Policy" in message.text and refused.append(message.text))
    worker = threading.Thread(target=run_worker)
    try:
        sign_in(page, seeded_site, "verzender")

        # The edition's menu offers Send; its screen says who gets what, and sends nothing yet.
        page.goto(f"{seeded_site}/admin/pages/{edition_id}/edit/")
        page.locator("header [data-w-dropdown-target='toggle']").first.click()
        page.locator(f"a[href='/admin/newsletter/editions/{edition_id}/send/']").click()
        audience = page.locator("table[data-audience] tbody tr")
        expect(audience.nth(0).locator("td").first).to_have_text("3")
        expect(audience.nth(1).locator("td").first).to_have_text("2")
        expect(page.locator("input[type=datetime-local][name=send_at]")).to_be_visible()
        # The update made the first action's English page out of date: the screen flags it, and sending takes a tick.
        expect(page.locator("[data-translation-check] td[data-state='out_of_date']")).to_have_count(1)
        expect(page.locator("[data-stale-language]")).to_be_visible()
        assert_accessible(axe, page, "the confirmation screen")

        page.locator("input[name=despite_translations]").check()
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(re.compile(r"/admin/newsletter/sends/\d+/progress/$"))
        figures = page.locator("[data-mailing-figures]")
        expect(figures).to_have_attribute("data-state", "scheduled")  # no worker has taken it up yet
        assert_accessible(axe, page, "the progress screen, before sending")

        # A worker starts; the page refreshes itself (no reload) until every delivery is done.
        page.evaluate("window.notReloaded = true")
        worker.start()
        expect(figures).to_have_attribute("data-state", "done", timeout=30000)
        bar = page.locator("progress#mailing-progress-bar")
        expect(bar).to_have_attribute("max", "5")
        expect(bar).to_have_attribute("value", "5")
        expect(page.locator("td[data-state='sent']")).to_have_text("5")
        assert page.evaluate("window.notReloaded") is True
        expect(page.locator("[data-mailing-announce]")).not_to_be_empty()
        assert_accessible(axe, page, "the progress screen, done")

        # What was sent, per language (the links came with the refreshed figures): the HTML framed in a sandbox, and
        # the plain text.
        page.locator("main a[href$='/sent/nl/']").click()
        expect(page.locator("main pre")).to_contain_text("Nieuwsbrief")
        frame = page.frame_locator("main iframe[sandbox='']")
        expect(frame.locator("table[role='presentation']").first).to_be_attached()
        assert_accessible(axe, page, "the copy as sent")

        # The admin menu leads to the list of sendings, and that back to this one's progress.
        page.locator(".sidebar-menu-item__link[href='/admin/newsletter/sends/']").click()
        expect(page.locator("main table tbody tr")).to_have_count(1)
        expect(page.locator("main table tbody a[href$='/progress/']")).to_be_visible()
        assert_accessible(axe, page, "the list of sendings")
        assert refused == []
    finally:
        context.close()
        if worker.ident is not None:
            worker.join(timeout=30)
    assert sorted(address for message in mail.outbox for address in message.to) == [
        f"{letter}@example.org" for letter in "abcde"
    ]


# On the site's public address (SITE_URL below): the test settings' "testserver" is no address a URL field takes.
SITE = "https://kernteam.example"
BROKEN = f"{SITE}/acties-en-interventies/bestaat-niet/"
FIXED = f"{SITE}/acties-en-interventies/"


def open_edition_menu_item(page, base_url, edition_id, path):
    page.goto(f"{base_url}/admin/pages/{edition_id}/edit/")
    page.locator("header [data-w-dropdown-target='toggle']").first.click()
    page.locator(f"a[href='/admin/newsletter/editions/{edition_id}/{path}/']").click()


def test_an_editor_syncs_a_translation_and_fixes_a_broken_link_the_preflight_found_before_sending(
    published_edition, action_with_update, open_page, seeded_site, settings
):
    from newsletter.models import Mailing, NewsletterPage

    settings.SITE_URL = SITE
    edition_id = published_edition["id"]
    edition = NewsletterPage.objects.get(pk=edition_id)
    edition.body = [("call_to_action", {"text": "Lees verder", "page": None, "url": BROKEN})]
    edition.save_revision().publish()
    axe = Axe()
    page = open_page()
    sign_in(page, seeded_site, "verzender")

    # Reports → Translations: the action the edition tells about changed after its English page was last synced.
    page.get_by_role("button", name="Reports").click()
    page.get_by_role("link", name="Translations").click()
    row = page.locator("main table tbody tr").filter(has_text=action_with_update.title).first
    expect(row).to_contain_text("Live, out of date")
    row.get_by_role("link", name="Sync translation").click()
    page.get_by_label("Publish immediately").check()
    page.locator("main input[type=submit]").click()
    page.wait_for_url(re.compile(r"/admin/reports/translations/"))
    row = page.locator("main table tbody tr").filter(has_text=action_with_update.title).first
    expect(row).not_to_contain_text("out of date")

    # The edition's Preflight screen names the broken link.
    open_edition_menu_item(page, seeded_site, edition_id, "preflight")
    expect(page.locator("[data-preflight-findings='nl'] li[data-level='error']")).to_contain_text(BROKEN)
    assert_accessible(axe, page, "the preflight screen")

    # The send screen shows the same and offers no way to send.
    open_edition_menu_item(page, seeded_site, edition_id, "send")
    expect(page.locator("[data-preflight-blocks]")).to_be_visible()
    expect(page.locator("main form button[type=submit]")).to_have_count(0)
    assert_accessible(axe, page, "the confirmation screen, blocked by the preflight")

    # The editor fixes the link in the edition and publishes it.
    page.locator("main a.button-secondary", has_text="Cancel").click()
    page.wait_for_url(re.compile(rf"/admin/pages/{edition_id}/edit/$"))
    url_field = page.locator("input[name='body-0-value-url']")
    expect(url_field).to_have_value(BROKEN)
    url_field.fill(FIXED)
    page.locator("footer").get_by_role("button", name="More actions").click()
    page.locator("footer").get_by_role("button", name="Publish", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("published")

    # Now the preflight lets it go, and the synced translation needs no tick.
    open_edition_menu_item(page, seeded_site, edition_id, "send")
    expect(page.locator("[data-preflight-blocks]")).to_have_count(0)
    expect(page.locator("[data-stale-language]")).to_have_count(0)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/admin/newsletter/sends/\d+/progress/$"))
    assert Mailing.objects.filter(edition_id=edition_id).exists()
