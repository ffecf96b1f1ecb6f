"""Subscribing, confirming and leaving through the site, in both languages, without a cookie."""

from urllib.parse import urlsplit

import pytest
from django.core import mail

from joining.models import JoinRequest
from newsletter import form_keys, links
from newsletter.models import Subscriber

State = Subscriber.State
FORM = {"email": "ans@example.org", "language": "nl", "consent": "on"}
SUBSCRIBE = {"nl": "/nieuwsbrief-aanmelding/", "en": "/en/newsletter-subscription/"}


def path(url):
    return urlsplit(url).path


def assert_cookie_free(response):
    assert "Set-Cookie" not in response.headers, response.headers
    assert "cookie" not in response.headers.get("Vary", "").lower(), response.headers
    assert not response.cookies


@pytest.mark.parametrize(
    ("language", "page_url", "heading", "privacy_url", "consent_text"),
    [
        ("nl", "/nieuwsbrief/", "Inschrijven", "/privacyverklaring/", "privacyverklaring"),
        ("en", "/en/newsletter/", "Subscribe", "/en/privacy/", "privacy statement"),
    ],
)
def test_the_newsletter_page_has_the_form_in_its_language(
    pages, client, language, page_url, heading, privacy_url, consent_text, django_assert_max_num_queries
):
    # 22 for the page and its form; +3 for the archive of editions below it (view restrictions, count, list).
    with django_assert_max_num_queries(25):
        response = client.get(page_url)
    assert response.status_code == 200
    assert_cookie_free(response)
    html = response.content.decode()
    assert f'<form method="post" action="{SUBSCRIBE[language]}"' in html
    assert heading in html
    assert f'<option value="{language}" selected>' in html
    assert f'<a href="{privacy_url}">{consent_text}</a>' in html
    assert 'type="checkbox" name="consent" id="id_consent" required>' in html  # not ticked beforehand
    assert "csrfmiddlewaretoken" not in html


@pytest.mark.parametrize(("language", "subject"), [("nl", "Bevestig"), ("en", "Confirm")])
def test_subscribe_confirm_and_unsubscribe_as_a_visitor(
    pages, client, settings, link_in, run_worker, language, subject
):
    settings.SITE_URL = "https://kernteam.example"
    response = client.post(SUBSCRIBE[language], {**FORM, "language": language})
    assert response.status_code == 200
    assert_cookie_free(response)
    run_worker()
    (message,) = mail.outbox
    assert message.subject.startswith(subject)
    assert message.alternatives[0][1] == "text/html"
    confirm_url = link_in(message, "/confirm/" if language == "en" else "/bevestigen/")
    assert confirm_url.startswith("https://kernteam.example/" + ("en/" if language == "en" else ""))
    assert confirm_url in message.alternatives[0][0]

    # A mail scanner following the link changes nothing.
    shown = client.get(path(confirm_url))
    assert shown.status_code == 200
    assert_cookie_free(shown)
    assert Subscriber.objects.get().state == State.PENDING
    assert '<form method="post">' in shown.content.decode()

    confirmed = client.post(path(confirm_url))
    assert confirmed.status_code == 200
    assert_cookie_free(confirmed)
    assert Subscriber.objects.get().state == State.CONFIRMED
    unsubscribe_url = links.preferences_url(Subscriber.objects.get())
    assert unsubscribe_url in confirmed.content.decode()

    page = client.get(path(unsubscribe_url))
    assert page.status_code == 200
    assert_cookie_free(page)
    assert Subscriber.objects.get().state == State.CONFIRMED
    key = form_keys.form_key(links.unsubscribe_token(Subscriber.objects.get()))
    left = client.post(path(unsubscribe_url), {"action": "save", "language": "nl", "form_key": key})
    assert left.status_code == 200
    assert_cookie_free(left)
    assert Subscriber.objects.get().state == State.UNSUBSCRIBED


def test_the_answer_is_the_same_whatever_the_state_of_the_address(pages, client, make_subscriber):
    make_subscriber("pending@example.org", State.PENDING)
    make_subscriber("confirmed@example.org", State.CONFIRMED)
    make_subscriber("left@example.org", State.UNSUBSCRIBED)
    make_subscriber("bounced@example.org", State.BOUNCED)
    answers = set()
    for email in ["new@example.org", "pending@example.org", "confirmed@example.org", "left@example.org"]:
        response = client.post(SUBSCRIBE["nl"], {**FORM, "email": email})
        answers.add((response.status_code, response.content))
    response = client.post(SUBSCRIBE["nl"], {**FORM, "email": "bounced@example.org"})
    answers.add((response.status_code, response.content))
    assert len(answers) == 1


def test_invalid_input_gets_a_clear_message_in_the_visitors_language_and_keeps_what_was_typed(pages, client):
    response = client.post(SUBSCRIBE["nl"], {"email": "ans@example", "language": "en"})
    html = response.content.decode()
    assert response.status_code == 200
    assert_cookie_free(response)
    assert 'value="ans@example"' in html
    assert '<option value="en" selected>' in html
    assert "Vul een e-mailadres in zoals naam@voorbeeld.nl." in html
    assert "Vink het vakje aan" in html
    assert not Subscriber.objects.exists()
    assert mail.outbox == []
    english = client.post(SUBSCRIBE["en"], {"email": "", "language": "en", "consent": "on"})
    assert "Enter your e-mail address." in english.content.decode()
    assert 'name="consent" id="id_consent" required checked' in english.content.decode()


def test_a_filled_in_honeypot_gets_the_usual_answer_and_changes_nothing(pages, client):
    normal = client.post(SUBSCRIBE["nl"], FORM)
    mail.outbox.clear()
    Subscriber.objects.all().delete()
    bot = client.post(SUBSCRIBE["nl"], {**FORM, "website": "http://spam.example"})
    assert bot.content == normal.content
    assert not Subscriber.objects.exists()
    assert mail.outbox == []


def test_requests_per_address_are_rate_limited(pages, client):
    for _ in range(5):
        assert client.post(SUBSCRIBE["nl"], {**FORM, "email": "Ans@example.org"}).status_code == 200
    limited = client.post(SUBSCRIBE["nl"], {**FORM, "email": "ans@EXAMPLE.org"}, REMOTE_ADDR="10.0.0.9")
    assert limited.status_code == 429
    assert "Te veel pogingen" in limited.content.decode()
    assert client.post(SUBSCRIBE["nl"], {**FORM, "email": "bob@example.org"}).status_code == 200


def test_requests_per_client_are_rate_limited(pages, client):
    for number in range(30):
        response = client.post(SUBSCRIBE["en"], {**FORM, "email": f"person{number}@example.org"})
        assert response.status_code == 200
    limited = client.post(SUBSCRIBE["en"], {**FORM, "email": "one-more@example.org"})
    assert limited.status_code == 429
    assert "Too many attempts" in limited.content.decode()
    assert not Subscriber.objects.filter(email="one-more@example.org").exists()
    other_client = client.post(SUBSCRIBE["en"], {**FORM, "email": "one-more@example.org"}, REMOTE_ADDR="10.0.0.2")
    assert other_client.status_code == 200


def test_a_tampered_link_gets_a_friendly_page(pages, client, make_subscriber):
    subscriber = make_subscriber(state=State.PENDING)
    url = path(links.confirmation_url(subscriber))
    url = url[: -len("abc/")] + "abc/"  # the signature's last characters changed
    for response in (client.get(url), client.post(url)):
        assert response.status_code == 400
        assert "Deze link werkt niet" in response.content.decode()
        assert '<a href="/nieuwsbrief-aanmelding/">' in response.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.state == State.PENDING


def test_an_expired_link_offers_a_new_one(pages, client, make_subscriber, monkeypatch, run_worker):
    subscriber = make_subscriber(state=State.PENDING, language="en")
    url = path(links.confirmation_url(subscriber))
    real_time = links.signing.time.time
    monkeypatch.setattr(links.signing.time, "time", lambda: real_time() + 8 * 24 * 3600)
    shown = client.get(url)
    assert "This link has expired" in shown.content.decode()
    assert client.post(url).status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.state == State.PENDING  # an expired link confirms nothing
    resent = client.post(url, {"action": "resend"})
    assert resent.status_code == 200
    assert mail.outbox == []  # the worker sends it
    run_worker()
    (message,) = mail.outbox
    assert message.to == [subscriber.email]
    assert message.subject == "Confirm your subscription to our newsletter"


def test_the_subscribe_address_followed_as_a_link_leads_to_the_form(pages, client):
    assert client.get(SUBSCRIBE["en"]).headers["Location"] == "/en/newsletter/"


@pytest.mark.parametrize("encoding", ["urlencoded", "multipart"])
def test_one_click_unsubscribe_rfc_8058(pages, client, make_subscriber, encoding):
    subscriber = make_subscriber()
    url = path(links.one_click_unsubscribe_url(subscriber))
    if encoding == "urlencoded":
        response = client.post(url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    else:
        response = client.post(url, {"List-Unsubscribe": "One-Click"})  # the test client's default: multipart
    assert response.status_code == 200
    assert_cookie_free(response)
    subscriber.refresh_from_db()
    assert subscriber.state == State.UNSUBSCRIBED


def test_one_click_needs_its_body_and_a_good_token(pages, client, make_subscriber):
    subscriber = make_subscriber()
    url = path(links.one_click_unsubscribe_url(subscriber))
    assert client.post(url).status_code == 400
    assert client.get(url).status_code == 405
    token = links.unsubscribe_token(subscriber)
    client.post(url.replace(token, token + "x"), {"List-Unsubscribe": "One-Click"})
    subscriber.refresh_from_db()
    assert subscriber.state == State.CONFIRMED


def test_one_click_works_without_a_csrf_token_even_when_the_site_checks_them(pages, make_subscriber):
    from django.test import Client

    subscriber = make_subscriber()
    strict = Client(enforce_csrf_checks=True)
    url = path(links.one_click_unsubscribe_url(subscriber))
    assert strict.post(url, {"List-Unsubscribe": "One-Click"}).status_code == 200
    assert strict.post(SUBSCRIBE["nl"], {**FORM, "email": "b@example.org"}).status_code == 200


def test_remove_all_my_data(pages, client, make_subscriber):
    subscriber = make_subscriber(language="en")
    JoinRequest.objects.create(action_title="A", name="Ans", email=subscriber.email, message="Hi", language="en")
    url = path(links.preferences_url(subscriber))
    assert "Remove all my data" in client.get(url).content.decode()
    erased = client.post(url, {"action": "erase", "form_key": form_keys.form_key(links.unsubscribe_token(subscriber))})
    assert erased.status_code == 200
    assert "Your data have been removed" in erased.content.decode()
    assert not Subscriber.objects.exists()
    assert not JoinRequest.objects.exists()
    assert client.get(url).status_code == 400  # the link now leads to a friendly "does not work" page


def test_the_personal_pages_speak_both_languages(pages, client, make_subscriber):
    dutch = make_subscriber("nl@example.org", State.PENDING, "nl")
    english = make_subscriber("en@example.org", State.PENDING, "en")
    assert "Bevestig je inschrijving" in client.get(path(links.confirmation_url(dutch))).content.decode()
    assert "Confirm your subscription" in client.get(path(links.confirmation_url(english))).content.decode()
    assert "Je e-mailvoorkeuren" in client.get(path(links.preferences_url(dutch))).content.decode()
    assert "Your e-mail preferences" in client.get(path(links.preferences_url(english))).content.decode()


def test_personal_pages_and_form_answers_are_never_kept_by_a_cache(pages, client, make_subscriber):
    subscriber = make_subscriber("nl@example.org", State.PENDING, "nl")
    form = {"email": "ans@example.org", "language": "nl", "consent": "on"}
    responses = [
        client.get(path(links.confirmation_url(subscriber))),
        client.get(path(links.preferences_url(subscriber))),
        client.post("/nieuwsbrief-aanmelding/", form),
    ]
    for response in responses:
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
