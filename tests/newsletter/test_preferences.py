"""The preference page behind every mail's personal link, a follow's stop link and its RFC 8058 one-click
(newsletter/preference_views.py, preferences.py, form_keys.py)."""

from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from joining.models import JoinRequest
from newsletter import form_keys, links
from newsletter.models import Follow, Subscriber
from tests.newsletter.test_subscription_views import assert_cookie_free

State = Subscriber.State


@pytest.fixture
def follower(pages, add_action, make_subscriber):
    """A confirmed Dutch newsletter subscriber who follows two actions, one of them weekly."""
    subscriber = make_subscriber("ans@example.org")
    oath, day = add_action(7, title="De eed"), add_action(8, title="Publieke dienstdag")
    now = timezone.now()
    for action, frequency in [(oath, "immediately"), (day, "weekly")]:
        Follow.objects.create(
            subscriber=subscriber,
            action=action,
            frequency=frequency,
            state=Follow.State.CONFIRMED,
            state_changed_at=now,
        )
    return {"subscriber": subscriber, "oath": oath, "day": day}


def path(url):
    return urlsplit(url).path


def page_of(subscriber):
    return path(links.preferences_url(subscriber))


def key(subscriber):
    return form_keys.form_key(links.unsubscribe_token(subscriber))


def save(client, subscriber, **data):
    fields = {"action": "save", "language": subscriber.language, "newsletter": "on", "form_key": key(subscriber)}
    fields.update({f"frequency_{found.pk}": found.frequency for found in subscriber.follows.all()})
    return client.post(page_of(subscriber), {name: value for name, value in {**fields, **data}.items() if value})


def follow_of(subscriber, action):
    return Follow.objects.get(subscriber=subscriber, action=action)


def test_the_page_shows_the_newsletter_the_actions_followed_with_their_stop_links_and_the_language(
    follower, client, django_assert_max_num_queries
):
    subscriber = follower["subscriber"]
    with django_assert_max_num_queries(14):
        response = client.get(page_of(subscriber))
    assert response.status_code == 200
    assert_cookie_free(response)
    html = response.content.decode()
    assert "Je e-mailvoorkeuren" in html
    assert 'name="newsletter" id="id_newsletter" checked' in html
    for action in (follower["oath"], follower["day"]):
        assert f'<a href="{action.url}">{action.title}</a>' in html
        assert path(links.stop_follow_url(subscriber, action)) in html
    assert f'name="frequency_{follow_of(subscriber, follower["day"]).pk}"' in html
    assert '<option value="weekly" selected>' in html
    assert '<option value="nl" selected>' in html
    assert 'name="form_key"' in html and "csrfmiddlewaretoken" not in html


def test_saving_changes_how_often_the_language_and_the_newsletter(follower, client):
    subscriber, oath = follower["subscriber"], follower["oath"]
    frequency = f"frequency_{follow_of(subscriber, oath).pk}"
    response = save(client, subscriber, newsletter="", language="en", **{frequency: "weekly"})
    assert response.status_code == 200
    assert_cookie_free(response)
    html = response.content.decode()
    assert "Je krijgt geen nieuwsbrieven meer." in html and "Hoe vaak je hoort" in html
    subscriber.refresh_from_db()
    assert (subscriber.state, subscriber.language) == (State.UNSUBSCRIBED, "en")
    assert follow_of(subscriber, oath).frequency == "weekly"
    assert follow_of(subscriber, follower["day"]).state == Follow.State.CONFIRMED  # following goes on


def test_turning_the_newsletter_on_asks_for_its_confirmation_by_mail(follower, client, run_worker):
    subscriber = follower["subscriber"]
    Subscriber.objects.filter(pk=subscriber.pk).update(state=State.NOT_SUBSCRIBED)
    subscriber.refresh_from_db()
    response = save(client, subscriber)
    assert "om te bevestigen dat je de nieuwsbrief" in response.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.state == State.PENDING
    run_worker()
    assert [message.to for message in mail.outbox] == [["ans@example.org"]]


def test_bad_input_changes_nothing_and_says_why(follower, client):
    subscriber = follower["subscriber"]
    response = save(client, subscriber, language="fr", newsletter="")
    assert response.status_code == 200
    assert "Selecteer een geldige keuze" in response.content.decode()
    subscriber.refresh_from_db()
    assert (subscriber.state, subscriber.language) == (State.CONFIRMED, "nl")


def test_leave_everything(follower, client):
    subscriber = follower["subscriber"]
    response = client.post(page_of(subscriber), {"action": "leave", "form_key": key(subscriber)})
    assert "Je krijgt geen e-mail meer van ons" in response.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.state == State.UNSUBSCRIBED
    assert set(subscriber.follows.values_list("state", flat=True)) == {Follow.State.STOPPED}


def test_erase_removes_the_subscriber_the_follows_and_the_join_requests(follower, client):
    subscriber = follower["subscriber"]
    JoinRequest.objects.create(action_title="A", name="Ans", email=subscriber.email, message="Hoi", language="nl")
    response = client.post(page_of(subscriber), {"action": "erase", "form_key": key(subscriber)})
    assert "Je gegevens zijn verwijderd" in response.content.decode()
    assert not Subscriber.objects.exists() and not Follow.objects.exists() and not JoinRequest.objects.exists()
    assert client.get(page_of(subscriber)).status_code == 400


@pytest.mark.parametrize(
    ("form_key", "headers"),
    [(None, {}), ("forged", {}), ("good", {"Sec-Fetch-Site": "cross-site"}), ("other", {})],
)
def test_a_post_without_the_pages_own_form_key_changes_nothing(follower, client, make_subscriber, form_key, headers):
    subscriber = follower["subscriber"]
    keys = {"good": key(subscriber), "other": key(make_subscriber("bob@example.org")), "forged": "x:y:z"}
    data = {"action": "leave"} | ({"form_key": keys[form_key]} if form_key in keys else {})
    response = client.post(page_of(subscriber), data, headers=headers)
    assert response.status_code == 403
    assert "Dit formulier is verlopen" in response.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.state == State.CONFIRMED


def test_the_form_key_expires(follower, client, monkeypatch):
    monkeypatch.setattr(form_keys, "FORM_KEY_MAX_AGE", form_keys.FORM_KEY_MAX_AGE * -1)
    subscriber = follower["subscriber"]
    assert client.post(page_of(subscriber), {"action": "leave", "form_key": key(subscriber)}).status_code == 403


def test_too_many_posts_are_refused(follower, client):
    subscriber = follower["subscriber"]
    for _attempt in range(30):
        assert save(client, subscriber).status_code == 200
    assert save(client, subscriber).status_code == 429


def test_a_stop_link_asks_then_stops_that_follow_only(follower, client):
    subscriber, oath = follower["subscriber"], follower["oath"]
    url = path(links.stop_follow_url(subscriber, oath))
    shown = client.get(url)
    assert_cookie_free(shown)
    assert "Stoppen met het volgen van “De eed”?" in shown.content.decode()
    assert follow_of(subscriber, oath).state == Follow.State.CONFIRMED  # a mail scanner changes nothing
    assert client.post(url).status_code == 403  # without the page's form key
    stopped = client.post(url, {"form_key": form_keys.form_key(url.split("/")[-2])})
    assert "Je volgt “De eed” niet meer" in stopped.content.decode()
    assert follow_of(subscriber, oath).state == Follow.State.STOPPED
    assert follow_of(subscriber, follower["day"]).state == Follow.State.CONFIRMED
    subscriber.refresh_from_db()
    assert subscriber.state == State.CONFIRMED
    assert client.get(url.replace("/stoppen/", "/stoppen/x")).status_code == 400


@pytest.mark.parametrize("encoding", ["urlencoded", "multipart"])
def test_one_click_in_an_alert_stops_that_follow_only(follower, encoding):
    subscriber, oath = follower["subscriber"], follower["oath"]
    url = path(links.one_click_stop_follow_url(subscriber, oath))
    strict = Client(enforce_csrf_checks=True)  # a mail provider's POST carries no CSRF token
    if encoding == "urlencoded":
        response = strict.post(url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    else:
        response = strict.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert_cookie_free(response)
    assert follow_of(subscriber, oath).state == Follow.State.STOPPED
    assert follow_of(subscriber, follower["day"]).state == Follow.State.CONFIRMED
    subscriber.refresh_from_db()
    assert subscriber.state == State.CONFIRMED


def test_one_click_needs_its_body_and_a_good_token(follower, client):
    subscriber, oath = follower["subscriber"], follower["oath"]
    url = path(links.one_click_stop_follow_url(subscriber, oath))
    assert client.post(url).status_code == 400
    assert client.get(url).status_code == 405
    token = links.stop_follow_token(subscriber, oath)
    assert client.post(url.replace(token, token + "x"), {"List-Unsubscribe": "One-Click"}).status_code == 200
    assert follow_of(subscriber, oath).state == Follow.State.CONFIRMED


def test_the_pages_speak_english_to_an_english_subscriber(follower, client):
    subscriber = follower["subscriber"]
    Subscriber.objects.filter(pk=subscriber.pk).update(language="en")
    subscriber.refresh_from_db()
    assert links.preferences_url(subscriber).split("/")[3] == "en"
    assert "Your e-mail preferences" in client.get(page_of(subscriber)).content.decode()
    assert "Stop following" in client.get(path(links.stop_follow_url(subscriber, follower["oath"]))).content.decode()
