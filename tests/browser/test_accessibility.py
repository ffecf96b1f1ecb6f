"""Accessibility of the real site in a browser: axe-core's WCAG 2.1 A/AA rules and the page shell, desktop and phone.

Each test visits every page at one width, collecting all problems before it fails, so one run reports everything
that is wrong. Screenshots of every page and width go to screenshots/. The seed content is loaded once for the
module (shared_site); what a test writes (subscribers, join requests) uses addresses of its own.
"""

import itertools
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect
from wagtail.models import Locale

# The site's bar is WCAG 2.2 AA: axe's tags for each version's A and AA rules, 2.2's (target size) included.
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]},
    "resultTypes": ["violations"],
}
# Beyond the WCAG tags (which hold no heading rule that fits a mail): a mail's headings start at one and keep order.
MAIL_HEADING_RULES = {
    "runOnly": {"type": "rule", "values": ["page-has-heading-one", "heading-order", "empty-heading"]},
    "resultTypes": ["violations"],
}
NOT_FOUND_PATH = "/bestaat-niet/"
READERS = itertools.count(1)  # numbers the subscribers the tests make, one address each
# Each test asks for `db`, so that pytest-django creates the test database even when this module runs alone; here
# `db` is no test transaction (see shared_site).
pytestmark = pytest.mark.usefixtures("db")
BRAND_BLUE = "rgb(21, 66, 115)"  # --color-brand in site.css


@pytest.fixture
def db():
    """The module shares shared_site's committed database."""


def submit(form):
    """A step that presses the submit button of the first `form` (a CSS selector) in <main>, as it is."""
    return lambda page: page.locator(f"main {form} button[type=submit]").first.click()


def follow_as(email):
    def step(page):
        page.locator("#follow #id_follow_email").fill(email)
        page.locator("#follow #id_follow_frequency_1").check()
        page.locator("#follow #id_follow_consent").check()
        submit("#follow form")(page)

    return step


def subscribe_as(email):
    def step(page):
        page.locator("main #id_email").fill(email)
        page.locator("main #id_consent").check()
        submit("form")(page)

    return step


def join_as(name):
    def step(page):
        page.locator("#join #id_name").fill(name)
        page.locator("#join #id_email").fill("lezer@example.org")
        page.locator("#join #id_message").fill("Ik doe mee.")
        submit("#join form")(page)

    return step


@pytest.fixture
def site_pages(shared_site, shared_edition):
    """(name, path, language, status, step) of every page type and state the tests visit, in both languages:
    `step` (or None) acts on the page to reach the state checked (a form with errors, a confirmation).
    Read before the browser starts."""
    from actions.models import ActionPage
    from newsletter import following, links
    from newsletter.links import confirmation_url, preferences_url
    from newsletter.models import Follow, Subscriber
    from newsletter.services import subscribe

    def first_action(language_code):
        action = ActionPage.objects.live().filter(locale__language_code=language_code).order_by("path").first()
        assert action is not None, f"The seed content has no live {language_code} action page."
        return action.get_url()

    def personal_links(language_code):
        # This test's own subscriber: the one another test confirmed and unsubscribed is still in the database.
        email = f"lezer-{language_code}-{next(READERS)}@example.org"
        subscribe(email, language_code)
        subscriber = Subscriber.objects.get(email=email)
        return [urlsplit(url(subscriber)).path for url in (confirmation_url, preferences_url)]

    def follow_links(language_code):
        """(confirm the follow, the follower's preference page, stop following) of a new weekly follower."""
        action = ActionPage.objects.live().filter(locale__language_code=language_code).order_by("path").first()
        email = f"volger-{language_code}-{next(READERS)}@example.org"
        following.follow(email, following.source_action(action), "weekly", language_code)
        found = Follow.objects.select_related("subscriber", "action").get(subscriber__email=email)
        urls = (
            links.follow_confirmation_url(found, language_code),
            links.preferences_url(found.subscriber),
            links.stop_follow_url(found.subscriber, found.action),
        )
        return [urlsplit(url).path for url in urls]

    confirm_nl, unsubscribe_nl = personal_links("nl")
    confirm_en, unsubscribe_en = personal_links("en")
    follow_nl, preferences_nl, stop_nl = follow_links("nl")
    follow_en, preferences_en, stop_en = follow_links("en")
    return [
        ("home-nl", "/", "nl", 200, None),
        ("overview-nl", "/acties-en-interventies/", "nl", 200, None),
        ("action-nl", first_action("nl"), "nl", 200, None),
        ("join-errors-nl", first_action("nl"), "nl", 200, submit("#join form")),
        ("join-done-nl", first_action("nl"), "nl", 200, join_as("Lezer")),
        ("follow-errors-nl", first_action("nl"), "nl", 200, submit("#follow form")),
        ("follow-done-nl", first_action("nl"), "nl", 200, follow_as("volger@example.org")),
        ("follow-confirm-nl", follow_nl, "nl", 200, None),
        ("follow-confirmed-nl", follow_nl, "nl", 200, submit("form")),
        ("preferences-following-nl", preferences_nl, "nl", 200, None),
        ("stop-follow-nl", stop_nl, "nl", 200, None),
        ("follow-stopped-nl", stop_nl, "nl", 200, submit("form")),
        ("newsletter-archive-nl", "/nieuwsbrief/", "nl", 200, None),
        ("subscribe-errors-nl", "/nieuwsbrief/", "nl", 200, submit("form")),
        ("subscribe-done-nl", "/nieuwsbrief/", "nl", 200, subscribe_as("nieuw@example.org")),
        ("edition-nl", shared_edition["nl"], "nl", 200, None),
        ("confirm-nl", confirm_nl, "nl", 200, None),
        ("confirmed-nl", confirm_nl, "nl", 200, submit("form")),
        ("confirm-invalid-nl", "/nieuwsbrief-aanmelding/bevestigen/ongeldig/", "nl", 400, None),
        ("unsubscribe-nl", unsubscribe_nl, "nl", 200, None),
        ("unsubscribed-nl", unsubscribe_nl, "nl", 200, submit("form")),
        ("privacy-nl", "/privacyverklaring/", "nl", 200, None),
        ("accessibility-nl", "/toegankelijkheid/", "nl", 200, None),
        ("search-nl", "/zoeken/?q=verkiezingen", "nl", 200, None),
        ("search-empty-nl", "/zoeken/", "nl", 200, None),
        ("search-none-nl", "/zoeken/?q=elections", "nl", 200, None),
        ("not-found-nl", NOT_FOUND_PATH, "nl", 404, None),
        ("home-en", "/en/", "en", 200, None),
        ("overview-en", "/en/actions-and-interventions/", "en", 200, None),
        ("action-en", first_action("en"), "en", 200, None),
        ("join-errors-en", first_action("en"), "en", 200, submit("#join form")),
        ("join-done-en", first_action("en"), "en", 200, join_as("Reader")),
        ("follow-errors-en", first_action("en"), "en", 200, submit("#follow form")),
        ("follow-done-en", first_action("en"), "en", 200, follow_as("follower@example.org")),
        ("follow-confirm-en", follow_en, "en", 200, None),
        ("follow-confirmed-en", follow_en, "en", 200, submit("form")),
        ("preferences-following-en", preferences_en, "en", 200, None),
        ("stop-follow-en", stop_en, "en", 200, None),
        ("follow-stopped-en", stop_en, "en", 200, submit("form")),
        ("newsletter-archive-en", "/en/newsletter/", "en", 200, None),
        ("subscribe-errors-en", "/en/newsletter/", "en", 200, submit("form")),
        ("subscribe-done-en", "/en/newsletter/", "en", 200, subscribe_as("new@example.org")),
        ("edition-en", shared_edition["en"], "en", 200, None),
        ("confirm-en", confirm_en, "en", 200, None),
        ("confirmed-en", confirm_en, "en", 200, submit("form")),
        ("unsubscribe-en", unsubscribe_en, "en", 200, None),
        ("unsubscribed-en", unsubscribe_en, "en", 200, submit("form")),
        ("privacy-en", "/en/privacy/", "en", 200, None),
        ("accessibility-en", "/en/accessibility/", "en", 200, None),
        ("search-en", "/en/search/?q=elections", "en", 200, None),
        ("search-empty-en", "/en/search/", "en", 200, None),
        ("search-none-en", "/en/search/?q=verkiezingen", "en", 200, None),
        ("search-misspelt-en", "/en/search/?q=electoins", "en", 200, None),
        ("not-found-en", "/en/does-not-exist/", "en", 404, None),
    ]


@pytest.fixture(params=["desktop", "phone"])
def viewport(request):
    return request.param


@pytest.fixture
def browser_page(site_pages, open_page, viewport):
    return open_page(viewport)


def visit(page, base_url, path, status, step=None):
    response = page.goto(base_url + path)
    assert response is not None, f"No response for {path}"
    assert response.status == status, f"{path} answered {response.status}, expected {status}"
    if step:  # every step ends by sending a form
        with page.expect_navigation():
            step(page)


def describe_violations(violations):
    """Every violated rule with its impact, and every failing node with its selector and HTML."""
    lines = []
    for violation in violations:
        lines.append(f"  {violation['id']} ({violation['impact']}): {violation['help']} <{violation['helpUrl']}>")
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            html = " ".join(node["html"].split())
            lines.append(f"    - {target}\n        {html[:300]}")
            summary = " ".join(node.get("failureSummary", "").split())
            if summary:
                lines.append(f"        {summary}")
    return "\n".join(lines)


def test_pages_have_no_axe_violations(site_pages, browser_page, viewport, shared_site, screenshot_dir):
    axe = Axe()
    problems = []
    for name, path, _language, status, step in site_pages:
        visit(browser_page, shared_site, path, status, step)
        browser_page.screenshot(path=screenshot_dir / f"{name}-{viewport}.png", full_page=True)
        violations = axe.run(browser_page, options=AXE_OPTIONS).response["violations"]
        if violations:
            problems.append(
                f"{path} ({name}, {viewport}): {len(violations)} rule(s) violated\n" + describe_violations(violations)
            )
    assert not problems, "axe-core found WCAG 2.1 A/AA violations:\n" + "\n".join(problems)


def test_pages_have_language_landmark_heading_and_skip_link(site_pages, browser_page, viewport, shared_site):
    problems = []
    for name, path, language, status, step in site_pages:
        where = f"{path} ({name}, {viewport})"
        visit(browser_page, shared_site, path, status, step)

        lang = browser_page.locator("html").get_attribute("lang")
        if lang != language:
            problems.append(f'{where}: <html lang="{lang}">, expected "{language}"')
        headings = browser_page.locator("h1").count()
        if headings != 1:
            problems.append(f"{where}: {headings} <h1> elements, expected exactly one")
        mains = browser_page.get_by_role("main").count()
        if mains != 1:
            problems.append(f"{where}: {mains} main landmarks, expected exactly one")
            continue
        if urlsplit(browser_page.url).fragment:
            # An address with a #fragment (the join form answering with its errors at #join) starts the keyboard
            # at that element, as browsers do: the visitor continues in the form, not at the skip link.
            continue

        # The skip link must be the first stop of the keyboard, visible once focused, and move focus to <main>.
        browser_page.keyboard.press("Tab")
        skip_link = browser_page.locator("a.skip-link")
        try:
            expect(skip_link).to_be_focused(timeout=2000)
        except AssertionError:
            focused = browser_page.evaluate("document.activeElement && document.activeElement.outerHTML")
            problems.append(f"{where}: the first Tab focuses {str(focused)[:200]!r}, not the skip link")
            continue
        box = skip_link.bounding_box()
        if box is None or box["width"] < 24 or box["height"] < 24:
            problems.append(f"{where}: the focused skip link is not visibly shown (box {box})")
        browser_page.keyboard.press("Enter")
        try:
            expect(browser_page.locator("main#main")).to_be_focused(timeout=2000)
        except AssertionError:
            focused = browser_page.evaluate("document.activeElement && document.activeElement.outerHTML")
            problems.append(f"{where}: Enter on the skip link leaves focus on {str(focused)[:200]!r}, not <main>")
    assert not problems, "Page shell problems:\n" + "\n".join(f"  {problem}" for problem in problems)


def test_not_found_page_is_the_styled_site_page(open_page, shared_site):
    page = open_page()
    visit(page, shared_site, NOT_FOUND_PATH, 404)
    heading = page.locator("main h1")
    expect(heading).to_have_count(1)
    expect(heading).to_be_visible()
    expect(heading).not_to_be_empty()
    # The site's stylesheet is applied (not Django's bare "Not Found"): the heading is in the brand colour,
    # and the page has the site's header and footer around <main>.
    expect(heading).to_have_css("color", BRAND_BLUE)
    expect(page.locator("header.site-header")).to_have_count(1)
    expect(page.locator("footer.site-footer")).to_have_count(1)


@pytest.fixture
def mails(shared_edition):
    """Every HTML e-mail the site sends (name -> HTML), in both languages, rendered before the browser starts."""
    from django.core import mail

    from actions.models import ActionPage
    from joining.requests import submit_join_request
    from newsletter import following
    from newsletter.models import Follow, Subscriber
    from newsletter.rendering import SampleReader, render_edition
    from newsletter.services import send_confirmation_mail, subscribe

    rendered = {}
    for language in ("nl", "en"):
        edition_page = shared_edition["page"].get_translation(Locale.objects.get(language_code=language))
        rendered[f"edition-{language}"] = render_edition(edition_page, SampleReader(language)).html
        mail.outbox.clear()
        subscribe(f"lezer-{language}@example.org", language)
        # The confirmation mail, sent here as the newsletter's worker would.
        send_confirmation_mail.call(Subscriber.objects.get(email=f"lezer-{language}@example.org").pk)
        action = ActionPage.objects.live().filter(locale__language_code=language).first()
        submit_join_request(action, "Lezer", f"lezer-{language}@example.org", "Ik doe mee.", language)
        following.follow(f"lezer-{language}@example.org", following.source_action(action), "weekly", language)
        found = Follow.objects.get(subscriber__email=f"lezer-{language}@example.org", state=Follow.State.PENDING)
        following.send_follow_confirmation.call(found.pk, language)
        names = ["confirmation", "join-request-to-team", "join-acknowledgement", "follow-confirmation"]
        for name, message in zip(names, mail.outbox, strict=True):
            rendered[f"{name}-{language}"] = message.alternatives[0][0]
    return rendered


def test_the_html_emails_have_no_axe_violations(mails, open_page, screenshot_dir):
    page = open_page("phone")
    axe = Axe()
    problems = []
    for name, html in mails.items():
        page.set_content(html)
        page.screenshot(path=screenshot_dir / f"mail-{name}-phone.png", full_page=True)
        for options in (AXE_OPTIONS, MAIL_HEADING_RULES):
            violations = axe.run(page, options=options).response["violations"]
            if violations:
                problems.append(f"{name}: {len(violations)} rule(s) violated\n" + describe_violations(violations))
    assert not problems, "axe-core found problems in the e-mails:\n" + "\n".join(problems)
