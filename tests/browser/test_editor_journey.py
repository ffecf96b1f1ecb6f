"""As an editor would, in the real Wagtail admin: write an action with body blocks and a progress update, preview
and publish it, find it on the site, translate it in wagtail-localize's editor and publish the translation, then
draft a newsletter edition from the actions, preview it as e-mail and send a test to their own address."""

import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.admin import make_editor, sign_in

# The action the editor writes, and its translation: (Dutch, English) for every text segment.
ACTION = {
    "title": ("Vakmanschap in de praktijk", "Craftsmanship in practice"),
    "summary": ("We leren van ambtenaren die hun vak verstaan.", "We learn from civil servants who know their craft."),
    "heading": ("Wat we doen", "What we do"),
    "paragraph": ("We praten met ambtenaren over hun vak.", "We talk with civil servants about their craft."),
    "update": ("De eerste gesprekken zijn gevoerd.", "The first conversations have taken place."),
}
NUMBER = "8"  # the seed has seven actions


@pytest.fixture
def admin_pages(seeded_site):
    """The editor's account and the pages they work under: made before the browser starts."""
    from actions.models import ActionIndexPage
    from newsletter.models import NewsletterIndexPage

    make_editor()
    return {
        "overview": ActionIndexPage.objects.get(locale__language_code="nl").pk,
        "newsletter": NewsletterIndexPage.objects.get(locale__language_code="nl").pk,
    }


def dutch(name):
    return ACTION[name][0]


def add_block(stream, page, label=None):
    """Adds a block at the end of a StreamField panel; `label` picks it in the block chooser (if it has a choice)."""
    stream.locator("button.c-sf-add-button").last.click()
    if label:
        page.get_by_role("option", name=label, exact=True).click()


def type_rich_text(page, editor, text):
    expect(editor).to_be_visible()  # Draftail makes its editable box once its script has started
    editor.click()
    expect(editor).to_be_focused()  # Draftail may still be starting; keys typed before would land elsewhere
    page.keyboard.type(text)
    expect(editor).to_have_text(text)
    # Draftail copies the text into the form's hidden field a moment later, and nothing tells the preview panel
    # when it does: a preview opened before then renders the form without it.
    expect(page.locator(f"form input[type=hidden][value*='{text}']")).to_have_count(1)


def write_action(page, base_url, overview_id):
    page.goto(f"{base_url}/admin/pages/{overview_id}/")
    page.get_by_role("link", name="Add child page").first.click()
    page.wait_for_url(re.compile(rf"/admin/pages/add/actions/actionpage/{overview_id}/$"))
    page.fill("#id_title", dutch("title"))
    page.fill("#id_number", NUMBER)
    page.fill("#id_summary", dutch("summary"))

    body = page.locator("[data-contentpath='body']").first
    add_block(body, page, "Heading")
    body.locator("input[name$='-value-text']").last.fill(dutch("heading"))
    add_block(body, page, "Paragraph")
    type_rich_text(page, body.locator("[contenteditable='true']").last, dutch("paragraph"))

    updates = page.locator("[data-contentpath='updates']").first
    add_block(updates, page)  # the only kind of block there: no chooser
    updates.locator("input[name$='-value-date']").last.fill(timezone.localdate().isoformat())
    page.keyboard.press("Escape")  # closes the date picker
    type_rich_text(page, updates.locator("[contenteditable='true']").last, dutch("update"))


def preview_shows(page, texts):
    toggle = page.locator("[data-side-panel-toggle='preview']")
    toggle.click()
    preview = page.frame_locator("iframe.w-preview__iframe").last
    expect(preview.locator("main h1")).to_have_text(texts[0], timeout=15000)
    for text in texts[1:]:
        expect(preview.locator("main")).to_contain_text(text)
    toggle.click()  # closed again: Wagtail remembers an open panel for the next page the editor opens


def publish_a_new_page(page):
    """Publishes from the editor's footer; Wagtail then shows the parent's listing. Returns the new page's id."""
    page.locator("footer").get_by_role("button", name="More actions").click()
    page.locator("footer").get_by_role("button", name="Publish", exact=True).click()
    message = page.locator(".messages").filter(has_text="created and published")
    edit = message.get_by_role("link", name="Edit").get_attribute("href")
    return int(re.search(r"/pages/(\d+)/edit/", edit).group(1))


def open_page_menu(page):
    page.locator("header [data-w-dropdown-target='toggle']").first.click()


def translate_into_english(page, base_url, page_id):
    """Translate → English, then every segment in wagtail-localize's editor, then publish in English."""
    page.goto(f"{base_url}/admin/pages/{page_id}/edit/")
    open_page_menu(page)
    page.get_by_role("link", name="Translate this page").click()
    page.get_by_label("English").check()
    page.locator("main input[type=submit]").click()
    page.wait_for_url(re.compile(r"/admin/pages/\d+/edit/$"))
    for source, english in ACTION.values():
        segment = page.locator("li.incomplete").filter(has=page.locator("p", has_text=source)).last
        segment.get_by_role("button", name="Translate", exact=True).click()
        segment.locator("textarea").fill(english)
        segment.get_by_role("button", name="Save", exact=True).click()
        expect(page.locator("li.incomplete").filter(has=page.locator("p", has_text=source))).to_have_count(0)
    page.get_by_role("button", name="Publish in English").click()
    page.wait_for_load_state()


def draft_an_edition(page, base_url, newsletter_id):
    """The newsletter page's menu offers the draft; its page asks before anything happens. Returns the edition's id."""
    page.goto(f"{base_url}/admin/pages/{newsletter_id}/")
    open_page_menu(page)
    draft_link = page.locator(f"a[href='/admin/newsletter/{newsletter_id}/draft/']")
    expect(draft_link).to_be_visible()
    draft_link.click()
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/admin/pages/\d+/edit/$"))
    return int(re.search(r"/pages/(\d+)/edit/", page.url).group(1))


def preview_the_edition(page, action_title, update):
    """The preview panel offers the web page, the e-mail and its plain text."""
    page.locator("[data-side-panel-toggle='preview']").click()
    mode = page.locator("select[name='preview-mode'], select#preview-mode, .w-preview select").first
    expect(mode.locator("option")).to_have_count(3)
    iframe = page.frame_locator("iframe.w-preview__iframe").last
    expect(iframe.locator("main h1")).to_contain_text("Nieuwsbrief", timeout=15000)  # the web page first
    mode.select_option("email")
    expect(iframe.locator("table[role='presentation']").first).to_be_attached(timeout=15000)
    expect(iframe.locator("h2").first).to_contain_text(action_title)
    mode.select_option("text")
    expect(iframe.locator("body")).to_contain_text("# Nieuwsbrief", timeout=15000)
    expect(iframe.locator("body")).to_contain_text(update)


def send_a_test(page, edition_id):
    """The edition's own menu, a confirmation, then the mail goes to the editor's own address."""
    open_page_menu(page)
    page.locator(f"a[href='/admin/newsletter/editions/{edition_id}/test/']").click()
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/admin/pages/{edition_id}/edit/$"))
    expect(page.get_by_text("redacteur@example.org")).to_be_visible()


def test_an_editor_writes_translates_and_reports_an_action(admin_pages, open_page, seeded_site):
    page = open_page("wide")
    sign_in(page, seeded_site)

    write_action(page, seeded_site, admin_pages["overview"])
    preview_shows(page, [dutch(name) for name in ("title", "heading", "paragraph", "update")])
    action_id = publish_a_new_page(page)

    # On the site, as a visitor finds it: in the overview, then its own page.
    visitor = open_page()
    visitor.goto(seeded_site + "/acties-en-interventies/")
    visitor.get_by_role("link", name=dutch("title")).click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text(dutch("title"))
    for name in ("heading", "paragraph", "update"):
        expect(visitor.locator("main")).to_contain_text(dutch(name))

    translate_into_english(page, seeded_site, action_id)
    visitor.goto(seeded_site + "/en/actions-and-interventions/")
    visitor.get_by_role("link", name=ACTION["title"][1]).click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text(ACTION["title"][1])
    for name in ("heading", "paragraph", "update"):
        expect(visitor.locator("main")).to_contain_text(ACTION[name][1])

    mail.outbox.clear()
    edition_id = draft_an_edition(page, seeded_site, admin_pages["newsletter"])
    preview_the_edition(page, dutch("title"), dutch("update"))
    send_a_test(page, edition_id)
    (message,) = mail.outbox
    assert message.to == ["redacteur@example.org"]
    assert message.subject.startswith("[Test] Nieuwsbrief ")
    assert dutch("update") in message.body

    # Sending it to the subscribers, from the same menu, is the journey of test_sending.py (with a worker running).
