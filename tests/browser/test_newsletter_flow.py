"""As a visitor would: subscribe on the newsletter page, confirm from the mail, unsubscribe again; both languages."""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from playwright.sync_api import expect


def path_of_link(message, marker):
    link = re.search(r"https?://\S*" + re.escape(marker) + r"\S*", message.body).group(0)
    return urlsplit(link).path


@pytest.mark.parametrize(
    ("page_path", "texts"),
    [
        (
            "/nieuwsbrief/",
            {
                "email": "E-mailadres",
                "subscribe": "Inschrijven",
                "done": "Kijk in je mailbox",
                "confirm_marker": "/bevestigen/",
                "confirm": "Bevestig mijn inschrijving",
                "confirmed": "Je bent ingeschreven",
                "unsubscribe_link": "Meld je hier af",
                "unsubscribe": "Afmelden",
                "unsubscribed": "Je bent afgemeld",
            },
        ),
        (
            "/en/newsletter/",
            {
                "email": "E-mail address",
                "subscribe": "Subscribe",
                "done": "Check your inbox",
                "confirm_marker": "/confirm/",
                "confirm": "Confirm my subscription",
                "confirmed": "You are subscribed",
                "unsubscribe_link": "Unsubscribe",
                "unsubscribe": "Unsubscribe",
                "unsubscribed": "You are unsubscribed",
            },
        ),
    ],
)
def test_subscribe_confirm_and_unsubscribe_in_a_browser(browser, seeded_site, page_path, texts):
    from newsletter.models import Subscriber

    mail.outbox.clear()
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(seeded_site + page_path)
        page.get_by_label(texts["email"], exact=True).fill("lezer@example.org")
        page.get_by_role("checkbox").check()
        page.get_by_role("button", name=texts["subscribe"], exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(texts["done"])

        (message,) = mail.outbox
        page.goto(seeded_site + path_of_link(message, texts["confirm_marker"]))
        assert Subscriber.objects.get().state == Subscriber.State.PENDING
        page.get_by_role("button", name=texts["confirm"]).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(texts["confirmed"])
        assert Subscriber.objects.get().state == Subscriber.State.CONFIRMED

        unsubscribe = page.get_by_role("link", name=texts["unsubscribe_link"]).get_attribute("href")
        page.goto(seeded_site + urlsplit(unsubscribe).path)
        page.get_by_role("button", name=texts["unsubscribe"], exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(texts["unsubscribed"])
        assert Subscriber.objects.get().state == Subscriber.State.UNSUBSCRIBED
        assert context.cookies() == []
    finally:
        context.close()
