"""What visitors come to do, start to finish, on the live site with the seed content: in Dutch and English, on a
desktop and a phone-sized screen, with the mouse and with the keyboard alone (tests/browser/visitor.py)."""

import re
import threading
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.utils import translation
from playwright.sync_api import expect
from test_sending import run_worker

from tests.browser.visitor import Visitor

OTHER = {"nl": "en", "en": "nl"}
# A word with results in each language, as a visitor would type it.
SEARCH_WORD = {"nl": "verkiezingen", "en": "elections"}


def t(language, text):
    """`text` as the site shows it in `language` (the site's own catalogue)."""
    with translation.override(language):
        return translation.gettext(text)


@pytest.fixture(params=["nl", "en"])
def language(request):
    return request.param


@pytest.fixture(
    params=[("desktop", False), ("phone", False), ("desktop", True), ("phone", True)],
    ids=["mouse-desktop", "mouse-phone", "keyboard-desktop", "keyboard-phone"],
)
def how(request):
    return request.param


@pytest.fixture
def site(seeded_site):
    """What the journeys expect to find, per language: read before the browser starts."""
    from actions.models import ActionIndexPage, ActionPage
    from home.models import HomePage

    found = {}
    for code in ("nl", "en"):
        action = ActionPage.objects.live().filter(locale__language_code=code).order_by("path").first()
        found[code] = {
            "home": HomePage.objects.get(locale__language_code=code).url,
            "overview": ActionIndexPage.objects.get(locale__language_code=code).title,
            "action": {"title": action.title, "url": action.url, "id": action.pk},
        }
    return found


@pytest.fixture
def visitor(open_page, how):
    viewport, keyboard = how
    return Visitor(open_page(viewport), keyboard)


def heading(page):
    return page.get_by_role("heading", level=1)


def test_browse_from_home_to_an_action_and_between_languages(site, seeded_site, visitor, language):
    page, here, there = visitor.page, site[language], site[OTHER[language]]
    page.goto(seeded_site + here["home"])
    expect(heading(page)).to_be_visible()

    visitor.press(
        page.get_by_role("navigation", name=t(language, "Main navigation")).get_by_role("link", name=here["overview"])
    )
    expect(heading(page)).to_have_text(here["overview"])

    visitor.press(page.locator("main .card__title a").first)
    expect(heading(page)).to_have_text(here["action"]["title"])
    assert urlsplit(page.url).path == here["action"]["url"]

    switcher = page.get_by_role("navigation", name=t(language, "Language"))
    visitor.press(switcher.locator(f"a[hreflang={OTHER[language]}]"))
    expect(heading(page)).to_have_text(there["action"]["title"])
    expect(page.locator("html")).to_have_attribute("lang", OTHER[language])
    assert urlsplit(page.url).path == there["action"]["url"]

    switcher = page.get_by_role("navigation", name=t(OTHER[language], "Language"))
    visitor.press(switcher.locator(f"a[hreflang={language}]"))
    expect(heading(page)).to_have_text(here["action"]["title"])
    assert urlsplit(page.url).path == here["action"]["url"]


def test_search_from_the_header_and_open_a_result(site, seeded_site, visitor, language):
    page = visitor.page
    page.goto(seeded_site + site[language]["home"])
    search = page.get_by_role("search")
    visitor.type_into(search.get_by_role("searchbox"), SEARCH_WORD[language])
    visitor.press(search.get_by_role("button"))
    expect(heading(page)).to_have_text(t(language, "Search"))
    expect(page.locator("#search-status")).to_contain_text(SEARCH_WORD[language])

    result = page.locator(".search-results a").first
    title, address = result.inner_text(), result.get_attribute("href")
    visitor.press(result)
    expect(heading(page)).to_have_text(title)
    assert urlsplit(page.url).path == address


@pytest.fixture
def editions(edition):
    """The edition in each language, and the newsletter page with its archive (read before the browser starts)."""
    from wagtail.models import Locale

    found = {}
    for code in ("nl", "en"):
        page = edition["page"].get_translation(Locale.objects.get(language_code=code))
        newsletter = page.get_parent()
        found[code] = {
            "page": page,
            "title": page.title,
            "newsletter": newsletter.title,
            "newsletter_url": newsletter.url,
        }
    return found


def test_subscribe_confirm_and_unsubscribe_from_an_edition(editions, site, seeded_site, visitor, language):
    from newsletter.models import Subscriber
    from newsletter.rendering import render_edition

    page = visitor.page
    mail.outbox.clear()
    page.goto(seeded_site + editions[language]["newsletter_url"])
    form = page.locator("main form").first
    visitor.type_into(form.get_by_role("textbox", name=t(language, "E-mail address")), "lezer@example.org")
    visitor.tick(form.get_by_role("checkbox"))
    visitor.press(form.get_by_role("button", name=t(language, "Subscribe")))
    expect(heading(page)).to_have_text(t(language, "Check your inbox"))

    # The newsletter's worker sends the confirmation mail (the request only records it): run it until it is done.
    worker = threading.Thread(target=run_worker)
    worker.start()
    worker.join(timeout=30)
    # The confirmation mail, in the visitor's language, links the page with the button that confirms.
    (message,) = mail.outbox
    confirm_link = re.search(r"https?://\S+", message.body).group(0)
    page.goto(seeded_site + urlsplit(confirm_link).path)
    visitor.press(page.get_by_role("button", name=t(language, "Confirm my subscription")))
    expect(heading(page)).to_have_text(t(language, "You are subscribed"))
    subscriber = Subscriber.objects.get(email="lezer@example.org")  # committed by the server: safe to read here
    assert (subscriber.state, subscriber.language) == (Subscriber.State.CONFIRMED, language)

    # An edition as this subscriber receives it: its own unsubscribe link.
    page.set_content(render_edition(editions[language]["page"], subscriber).html)
    unsubscribe_link = page.get_by_role("link", name=t(language, "Unsubscribe"), exact=True).get_attribute("href")
    page.goto(seeded_site + urlsplit(unsubscribe_link).path)
    visitor.press(page.locator("main").get_by_role("button", name=t(language, "Unsubscribe"), exact=True))
    expect(heading(page)).to_have_text(t(language, "You are unsubscribed"))
    assert Subscriber.objects.get(email="lezer@example.org").state == Subscriber.State.UNSUBSCRIBED
    assert page.context.cookies() == []


def test_send_the_join_form_on_an_action(site, seeded_site, visitor, language):
    page, action = visitor.page, site[language]["action"]
    mail.outbox.clear()
    page.goto(seeded_site + action["url"])
    form = page.locator("#join form")
    visitor.type_into(form.get_by_label(t(language, "Your name")), "Lezer")
    visitor.type_into(form.get_by_label(t(language, "E-mail address")), "lezer@example.org")
    visitor.type_into(form.get_by_label(t(language, "Your message")), "Ik denk graag mee.")
    visitor.press(form.get_by_role("button", name=t(language, "Send")))
    expect(heading(page)).to_have_text(t(language, "Thank you"))
    expect(page.locator("main")).to_contain_text(action["title"])

    to_team, to_visitor = mail.outbox
    assert to_team.reply_to == ["lezer@example.org"]
    assert "Ik denk graag mee." in to_team.body
    assert to_visitor.to == ["lezer@example.org"]


def test_read_an_edition_in_the_archive(editions, site, seeded_site, visitor, language):
    page, edition = visitor.page, editions[language]
    page.goto(seeded_site + site[language]["home"])
    visitor.press(page.locator("footer").get_by_role("link", name=t(language, "Subscribe to the newsletter")))
    expect(heading(page)).to_have_text(edition["newsletter"])

    visitor.press(page.locator(".edition-list").get_by_role("link", name=edition["title"]))
    expect(heading(page)).to_have_text(edition["title"])
    expect(page.locator("main")).to_contain_text(site[language]["action"]["title"])
