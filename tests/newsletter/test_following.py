"""Following an action from its page: the form in both languages, the double opt-in, the same answer for any address,
the rate limit and bad input (newsletter/following.py, follow_views.py)."""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from anymail.signals import AnymailTrackingEvent, EventType
from django.core import mail

from newsletter import following, links, services
from newsletter.models import Follow, Subscriber
from tests.newsletter.test_subscription_views import assert_cookie_free

FORM = {"email": "ans@example.org", "frequency": "immediately", "consent": "on"}
TEXTS = {
    "nl": {"heading": "Volg deze actie", "privacy": '<a href="/privacyverklaring/">privacyverklaring</a>'},
    "en": {"heading": "Follow this action", "privacy": '<a href="/en/privacy/">privacy statement</a>'},
}


@pytest.fixture
def actions(pages, add_action, english):
    """Action 7 in Dutch and its English translation, and another Dutch action."""
    dutch = add_action(7, title="De eed")
    translated = dutch.copy_for_translation(english, copy_parents=True)
    translated.title = "The oath"
    translated.save_revision().publish()
    translated.refresh_from_db()
    return {"nl": dutch, "en": translated, "other": add_action(8, title="Publieke dienstdag")}


def follow_url(page):
    prefix = "/en/follow-action/" if page.locale.language_code == "en" else "/volg-actie/"
    return f"{prefix}{page.pk}/"


def path(url):
    return urlsplit(url).path


def ask_and_confirm(client, run_worker, link_in, page, email="ans@example.org", frequency="immediately"):
    client.post(follow_url(page), {**FORM, "email": email, "frequency": frequency})
    run_worker()
    confirm = link_in(
        mail.outbox[-1], "/volg-actie/bevestigen/" if page.locale.language_code == "nl" else "/follow-action/confirm/"
    )
    client.post(path(confirm))
    return Follow.objects.get(subscriber__email=email, action=following.source_action(page))


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_action_page_has_the_follow_form_in_its_language_without_a_cookie(
    actions, client, language, django_assert_max_num_queries
):
    page = actions[language]
    with django_assert_max_num_queries(24):
        response = client.get(page.url)
    assert response.status_code == 200
    assert_cookie_free(response)
    html = response.content.decode()
    assert f'<form method="post" action="{follow_url(page)}#follow" novalidate>' in html
    assert TEXTS[language]["heading"] in html
    assert TEXTS[language]["privacy"] in html
    assert 'name="frequency" value="weekly"' in html
    assert 'id="id_follow_email"' in html and 'id="id_email"' in html  # the join form's field keeps its id
    assert "csrfmiddlewaretoken" not in html


@pytest.mark.parametrize(
    ("language", "frequency", "subject", "says"),
    [
        ("nl", "immediately", "Bevestig dat je “De eed” wilt volgen", "telkens als er nieuws is"),
        ("nl", "weekly", "Bevestig dat je “De eed” wilt volgen", "wekelijks"),
        ("en", "immediately", "Confirm that you want to follow “The oath”", "whenever there is news"),
        ("en", "weekly", "Confirm that you want to follow “The oath”", "weekly e-mail"),
    ],
)
def test_following_is_confirmed_by_mail_in_the_visitors_language(
    actions, client, run_worker, link_in, settings, language, frequency, subject, says
):
    settings.SITE_URL = "https://kernteam.example"
    page = actions[language]
    response = client.post(follow_url(page), {**FORM, "frequency": frequency})
    assert response.status_code == 200
    assert_cookie_free(response)
    assert page.title in response.content.decode()
    assert mail.outbox == []  # the worker sends it
    run_worker()
    (message,) = mail.outbox
    assert message.subject == subject
    assert says in message.body and page.title in message.alternatives[0][0]
    confirm = link_in(message, "/volg-actie/bevestigen/" if language == "nl" else "/follow-action/confirm/")
    shown = client.get(path(confirm))  # a mail scanner following the link changes nothing
    assert shown.status_code == 200 and '<form method="post">' in shown.content.decode()
    assert Follow.objects.get().state == Follow.State.PENDING
    confirmed = client.post(path(confirm))
    assert_cookie_free(confirmed)
    assert page.title in confirmed.content.decode()
    found = Follow.objects.get()
    assert (found.state, found.frequency, found.action_id) == (Follow.State.CONFIRMED, frequency, actions["nl"].pk)
    assert found.consent_given_at is not None and found.consent_version == following.FOLLOW_CONSENT_VERSION
    assert found.requested_at is None
    # Following makes no one a newsletter subscriber.
    assert (found.subscriber.state, found.subscriber.language) == (Subscriber.State.NOT_SUBSCRIBED, language)


def test_a_confirmed_newsletter_subscriber_confirms_a_follow_by_mail_too(
    actions, client, run_worker, link_in, make_subscriber
):
    subscriber = make_subscriber("ans@example.org")
    client.post(follow_url(actions["nl"]), FORM)
    assert Follow.objects.get().state == Follow.State.PENDING
    run_worker()
    assert len(mail.outbox) == 1
    client.post(path(link_in(mail.outbox[0], "/volg-actie/bevestigen/")))
    assert Follow.objects.get().state == Follow.State.CONFIRMED
    subscriber.refresh_from_db()
    assert subscriber.state == Subscriber.State.CONFIRMED


def test_the_answer_is_the_same_whoever_submits_it(actions, client, run_worker, make_subscriber):
    make_subscriber("confirmed@example.org")
    make_subscriber("bounced@example.org", state=Subscriber.State.BOUNCED)
    make_subscriber("follower@example.org", state=Subscriber.State.NOT_SUBSCRIBED)
    follower = Subscriber.objects.get(email="follower@example.org")
    Follow.objects.create(
        subscriber=follower, action=actions["nl"], state=Follow.State.CONFIRMED, state_changed_at=follower.created_at
    )
    answers = {
        client.post(follow_url(actions["nl"]), {**FORM, "email": email}).content
        for email in ["new@example.org", "confirmed@example.org", "bounced@example.org", "follower@example.org"]
    }
    assert len(answers) == 1
    run_worker()
    # A bounced address is told nothing; a confirmed follow stays confirmed until the new request is confirmed.
    assert sorted(message.to[0] for message in mail.outbox) == [
        "confirmed@example.org",
        "follower@example.org",
        "new@example.org",
    ]
    assert Follow.objects.get(subscriber=follower).state == Follow.State.CONFIRMED


def test_too_many_requests_for_one_address_are_refused(actions, client):
    for _attempt in range(5):
        assert client.post(follow_url(actions["nl"]), FORM).status_code == 200
    refused = client.post(follow_url(actions["nl"]), FORM)
    assert refused.status_code == 429
    assert Follow.objects.count() == 1


@pytest.mark.parametrize(
    ("language", "data", "message"),
    [
        ("nl", {**FORM, "email": "ans@example"}, "Vul een e-mailadres in zoals naam@voorbeeld.nl."),
        ("nl", {**FORM, "consent": ""}, "Vink het vakje aan"),
        ("en", {**FORM, "frequency": "daily"}, "Select a valid choice."),
        ("en", {**FORM, "frequency": ""}, "Choose how often you want to hear from us."),
    ],
)
def test_bad_input_shows_the_action_page_again_with_a_clear_message(actions, client, language, data, message):
    response = client.post(follow_url(actions[language]), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert_cookie_free(response)
    assert message in html
    assert f'value="{data["email"]}"' in html
    assert not Follow.objects.exists() and not Subscriber.objects.exists()


def test_a_follow_request_for_a_private_or_unknown_page_is_not_found(actions, client):
    assert client.post("/volg-actie/999999/", FORM).status_code == 404
    assert client.post(follow_url(actions["nl"].get_parent()), FORM).status_code == 404


def test_a_bad_or_expired_confirmation_link(actions, client, run_worker, link_in, monkeypatch):
    assert client.get("/volg-actie/bevestigen/nonsense/").status_code == 400
    client.post(follow_url(actions["nl"]), FORM)
    run_worker()
    confirm = path(link_in(mail.outbox[0], "/volg-actie/bevestigen/"))
    monkeypatch.setattr(links, "CONFIRMATION_LINK_MAX_AGE", timedelta(seconds=-1))
    expired = client.post(confirm)
    assert "verlopen" in expired.content.decode()
    assert Follow.objects.get().state == Follow.State.PENDING
    client.post(confirm, {"action": "resend"})
    run_worker()
    assert len(mail.outbox) == 2


def test_an_address_that_only_follows_is_no_newsletter_subscriber_until_it_subscribes(
    actions, client, run_worker, link_in
):
    found = ask_and_confirm(client, run_worker, link_in, actions["en"], email="bob@example.org")
    person = found.subscriber
    assert person.state == Subscriber.State.NOT_SUBSCRIBED
    assert not services.unsubscribe(person)  # nothing to leave
    services.subscribe("bob@example.org", "en")  # the newsletter form asks for its own confirmation
    person.refresh_from_db()
    assert person.state == Subscriber.State.PENDING
    assert Follow.objects.get(pk=found.pk).state == Follow.State.CONFIRMED


def test_a_bounce_stops_the_follows_of_an_address_that_only_follows(actions, client, run_worker, link_in):
    found = ask_and_confirm(client, run_worker, link_in, actions["nl"])
    services.record_tracking_event(AnymailTrackingEvent(event_type=EventType.COMPLAINED, recipient=FORM["email"]))
    assert Subscriber.objects.get().state == Subscriber.State.COMPLAINED
    assert not following.confirm_follow(found)
    client.post(follow_url(actions["nl"]), FORM)
    run_worker()
    assert len(mail.outbox) == 1  # only the first confirmation: nothing more to a complaining address
