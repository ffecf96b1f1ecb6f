"""Every state change of a subscription, at the level of the business rules."""

from datetime import timedelta

import pytest
from anymail.signals import AnymailTrackingEvent
from django.core import mail
from django.utils import timezone

from newsletter import services
from newsletter.models import JoinRequest, Subscriber, TrackingEvent

State = Subscriber.State
pytestmark = pytest.mark.django_db


def test_subscribing_a_new_address_makes_it_pending_with_proof_of_consent_and_mails_a_confirmation():
    services.subscribe("Ans@Example.org", "en")
    subscriber = Subscriber.objects.get()
    assert (subscriber.email, subscriber.language, subscriber.state) == ("Ans@Example.org", "en", State.PENDING)
    assert subscriber.consent_given_at is not None
    assert subscriber.consent_version == services.CONSENT_VERSION
    assert subscriber.confirmation_sent_at is not None
    assert [message.to for message in mail.outbox] == [["Ans@Example.org"]]


def test_addresses_are_unique_without_regard_to_case():
    services.subscribe("ans@example.org", "nl")
    services.subscribe("ANS@EXAMPLE.ORG", "nl")
    assert Subscriber.objects.count() == 1


def test_a_pending_address_gets_at_most_one_confirmation_mail_per_hour():
    start = timezone.now()
    services.subscribe("ans@example.org", "nl", now=start)
    services.subscribe("ans@example.org", "nl", now=start + timedelta(minutes=59))
    assert len(mail.outbox) == 1
    services.subscribe("ans@example.org", "en", now=start + timedelta(minutes=61))
    assert len(mail.outbox) == 2
    assert Subscriber.objects.get().language == "en"  # the newest choice counts


def test_resubscribing_after_unsubscribing_starts_a_new_double_opt_in(make_subscriber):
    subscriber = make_subscriber(state=State.UNSUBSCRIBED)
    services.subscribe(subscriber.email, "nl")
    subscriber.refresh_from_db()
    assert subscriber.state == State.PENDING
    assert len(mail.outbox) == 1


@pytest.mark.parametrize("state", [State.CONFIRMED, State.BOUNCED, State.COMPLAINED])
def test_confirmed_bounced_and_complained_addresses_get_no_mail_and_keep_their_state(make_subscriber, state):
    subscriber = make_subscriber(state=state)
    services.subscribe(subscriber.email.upper(), "en")
    subscriber.refresh_from_db()
    assert subscriber.state == state
    assert subscriber.language == "nl"
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("change", "before", "changed", "after"),
    [
        (services.confirm, State.PENDING, True, State.CONFIRMED),
        (services.confirm, State.UNSUBSCRIBED, False, State.UNSUBSCRIBED),  # an old link confirms nothing
        (services.unsubscribe, State.PENDING, True, State.UNSUBSCRIBED),
        (services.unsubscribe, State.CONFIRMED, True, State.UNSUBSCRIBED),
        (services.unsubscribe, State.BOUNCED, False, State.BOUNCED),  # a bounce stays a bounce
    ],
)
def test_confirming_and_unsubscribing(make_subscriber, change, before, changed, after):
    subscriber = make_subscriber(state=before)
    assert change(subscriber) is changed
    subscriber.refresh_from_db()
    assert subscriber.state == after


def test_erasing_deletes_the_subscriber_and_the_join_requests_from_that_address(make_subscriber):
    subscriber = make_subscriber(email="ans@example.org")
    JoinRequest.objects.create(action_title="Actie", name="Ans", email="ANS@example.org", message="Hoi", language="nl")
    JoinRequest.objects.create(action_title="Actie", name="Bob", email="bob@example.org", message="Hoi", language="nl")
    services.erase(subscriber)
    assert not Subscriber.objects.exists()
    assert list(JoinRequest.objects.values_list("name", flat=True)) == ["Bob"]


def tracking_event(event_type, recipient, event_id, **esp_event):
    return AnymailTrackingEvent(event_type=event_type, recipient=recipient, event_id=event_id, esp_event=esp_event)


def test_a_hard_bounce_stops_all_mail_to_the_address(make_subscriber):
    subscriber = make_subscriber()
    assert services.record_tracking_event(tracking_event("bounced", "ANS@example.org", "1", Type="HardBounce"))
    subscriber.refresh_from_db()
    assert subscriber.state == State.BOUNCED
    services.subscribe(subscriber.email, "nl")
    assert mail.outbox == []


def test_a_soft_bounce_changes_nothing(make_subscriber):
    subscriber = make_subscriber()
    assert not services.record_tracking_event(tracking_event("bounced", subscriber.email, "2", Type="SoftBounce"))
    subscriber.refresh_from_db()
    assert subscriber.state == State.CONFIRMED


def test_a_complaint_stops_all_mail_and_is_not_overwritten_by_a_later_bounce(make_subscriber):
    subscriber = make_subscriber()
    services.record_tracking_event(tracking_event("complained", subscriber.email, "3"))
    services.record_tracking_event(tracking_event("bounced", subscriber.email, "4", Type="HardBounce"))
    subscriber.refresh_from_db()
    assert subscriber.state == State.COMPLAINED


def test_a_repeated_event_counts_once(make_subscriber):
    subscriber = make_subscriber()
    event = tracking_event("bounced", subscriber.email, "5", Type="HardBounce")
    assert services.record_tracking_event(event)
    # An editor restores the address after checking it; the provider then delivers the same event again.
    Subscriber.objects.filter(pk=subscriber.pk).update(state=State.CONFIRMED)
    assert not services.record_tracking_event(event)
    subscriber.refresh_from_db()
    assert subscriber.state == State.CONFIRMED
    assert TrackingEvent.objects.filter(event_id="5").count() == 1


def test_confirmation_tokens_expire_after_a_week_and_detect_tampering(make_subscriber, monkeypatch):
    subscriber = make_subscriber(state=State.PENDING)
    token = services.confirmation_token(subscriber)
    assert services.subscriber_for_confirmation(token) == (subscriber, None)
    assert services.subscriber_for_confirmation(token[:-2] + "xx") == (None, services.LinkProblem.INVALID)
    real_time = services.signing.time.time
    monkeypatch.setattr(services.signing.time, "time", lambda: real_time() + 7 * 24 * 3600 + 5)
    assert services.subscriber_for_confirmation(token) == (subscriber, services.LinkProblem.EXPIRED)


def test_unsubscribe_tokens_never_expire_but_do_detect_tampering(make_subscriber, monkeypatch):
    subscriber = make_subscriber()
    token = services.unsubscribe_token(subscriber)
    real_time = services.signing.time.time
    monkeypatch.setattr(services.signing.time, "time", lambda: real_time() + 5 * 365 * 24 * 3600)
    assert services.subscriber_for_unsubscribe(token) == subscriber
    assert services.subscriber_for_unsubscribe(token.replace(":", ":x", 1)) is None
    # The confirmation link of the same subscriber is no unsubscribe link (different salt), nor the other way.
    assert services.subscriber_for_unsubscribe(services.confirmation_token(subscriber)) is None


def test_list_unsubscribe_headers_follow_rfc_8058(make_subscriber, settings):
    settings.SITE_URL = "https://kernteam.example"
    subscriber = make_subscriber(language="en")
    headers = services.list_unsubscribe_headers(subscriber)
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert headers["List-Unsubscribe"].startswith("<https://kernteam.example/en/newsletter-subscription/unsubscribe/")
    assert headers["List-Unsubscribe"].endswith("/one-click/>")
