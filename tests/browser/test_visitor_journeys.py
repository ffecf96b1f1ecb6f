"""What visitors come to do, start to finish, on the live site with the seed content: in Dutch and English, on a
desktop and a phone-sized screen, with the mouse and with the keyboard alone (tests/browser/visitor.py).

The seed is loaded once for the module (shared_site): the journeys only read it, and what they write (a
subscriber, a join request) no other journey looks at: a subscriber has each test's own address.
"""

import re
import threading
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.utils import translation
from playwright.sync_api import expect
from test_sending import run_worker

from tests.browser.visitor import Visitor

# Each test asks for `db`, so that pytest-django creates the test database even when this module runs alone; here
# `db` is no test transaction (see shared_site).
pytestmark = pytest.mark.usefixtures("db")

OTHER = {"nl": "en", "en": "nl"}
# A word with results in each language, as a visitor would type it.
SEARCH_WORD = {"nl": "verkiezingen", "en": "elections"}


@pytest.fixture
def db():
    """The module shares shared_site's committed database."""


def t(language, text):
    """`text` as the site shows it in `language` (the site's own catalogue)."""
    with translation.override(language):
        return translation.gettext(text)


# Which combinations find which fault. A language finds a missing translation, a wrong address or language switch
# on that journey's pages; a mode finds, on that journey's controls, a focus that does not show or that Tab never
# reaches (keyboard), a control hidden, covered or out of reach at that width (desktop and phone), or a control
# that works for one and not the other. So each journey runs in both languages and in all four modes, and each
# mode in both languages: a pairwise covering of journey x language x mode, 20 runs instead of all 40. Journey j in
# mode m is in Dutch when j + m is even, so the languages alternate along both and each pair above is met.
MODES = {
    "mouse-desktop": ("desktop", False),
    "mouse-phone": ("phone", False),
    "keyboard-desktop": ("desktop", True),
    "keyboard-phone": ("phone", True),
}
JOURNEYS = ["browse", "search", "subscribe", "join", "archive"]


def combinations(journey):
    """The (language, how) runs of `journey`, as pytest parameters named like `nl-keyboard-phone`."""
    j = JOURNEYS.index(journey)
    return pytest.mark.parametrize(
        "language, how",
        [
            pytest.param(language, how, id=f"{language}-{mode}")
            for m, (mode, how) in enumerate(MODES.items())
            for language in ["nl" if (j + m) % 2 == 0 else "en"]
        ],
    )


@pytest.fixture(scope="module")
def site(shared_site):
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


@combinations("browse")
def test_browse_from_home_to_an_action_and_between_languages(site, shared_site, visitor, language):
    page, here, there = visitor.page, site[language], site[OTHER[language]]
    page.goto(shared_site + here["home"])
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


@combinations("search")
def test_search_from_the_header_and_open_a_result(site, shared_site, visitor, language):
    page = visitor.page
    page.goto(shared_site + site[language]["home"])
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


@pytest.fixture(scope="module")
def editions(shared_edition):
    """The edition in each language, and the newsletter page with its archive (read before the browser starts)."""
    from wagtail.models import Locale

    found = {}
    for code in ("nl", "en"):
        page = shared_edition["page"].get_translation(Locale.objects.get(language_code=code))
        newsletter = page.get_parent()
        found[code] = {
            "page": page,
            "title": page.title,
            "newsletter": newsletter.title,
            "newsletter_url": newsletter.url,
        }
    return found


@pytest.fixture
def reader(request):
    """An address of this test's own: the subscriber another run of the journey made is still in the database."""
    return f"lezer-{request.node.callspec.id}@example.org"


@combinations("subscribe")
def test_subscribe_confirm_and_unsubscribe_from_an_edition(editions, site, shared_site, visitor, language, reader):
    from newsletter.models import Subscriber
    from newsletter.rendering import render_edition

    page = visitor.page
    mail.outbox.clear()
    page.goto(shared_site + editions[language]["newsletter_url"])
    form = page.locator("main form").first
    visitor.type_into(form.get_by_role("textbox", name=t(language, "E-mail address")), reader)
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
    page.goto(shared_site + urlsplit(confirm_link).path)
    visitor.press(page.get_by_role("button", name=t(language, "Confirm my subscription")))
    expect(heading(page)).to_have_text(t(language, "You are subscribed"))
    subscriber = Subscriber.objects.get(email=reader)  # committed by the server: safe to read here
    assert (subscriber.state, subscriber.language) == (Subscriber.State.CONFIRMED, language)

    # An edition as this subscriber receives it: its own unsubscribe link.
    page.set_content(render_edition(editions[language]["page"], subscriber).html)
    unsubscribe_link = page.get_by_role("link", name=t(language, "Unsubscribe"), exact=True).get_attribute("href")
    page.goto(shared_site + urlsplit(unsubscribe_link).path)
    expect(heading(page)).to_have_text(t(language, "Your e-mail preferences"))
    visitor.tick(page.get_by_role("checkbox", name=t(language, "Send me the monthly newsletter")), False)
    visitor.press(page.locator("main").get_by_role("button", name=t(language, "Save my preferences")))
    expect(page.get_by_role("status")).to_contain_text(t(language, "You will receive no more newsletters."))
    assert Subscriber.objects.get(email=reader).state == Subscriber.State.UNSUBSCRIBED
    assert page.context.cookies() == []


@combinations("join")
def test_send_the_join_form_on_an_action(site, shared_site, visitor, language):
    page, action = visitor.page, site[language]["action"]
    mail.outbox.clear()
    page.goto(shared_site + action["url"])
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


@combinations("archive")
def test_read_an_edition_in_the_archive(editions, site, shared_site, visitor, language):
    page, edition = visitor.page, editions[language]
    page.goto(shared_site + site[language]["home"])
    visitor.press(page.locator("footer").get_by_role("link", name=t(language, "Subscribe to the newsletter")))
    expect(heading(page)).to_have_text(edition["newsletter"])

    visitor.press(page.locator(".edition-list").get_by_role("link", name=edition["title"]))
    expect(heading(page)).to_have_text(edition["title"])
    expect(page.locator("main")).to_contain_text(site[language]["action"]["title"])
