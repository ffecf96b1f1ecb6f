"""Every state change of a subscription, at the level of the business rules."""

from datetime import timedelta
from smtplib import SMTPException

import pytest
from anymail.signals import AnymailTrackingEvent
from django.core import mail
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from joining.models import JoinRequest
from newsletter import links, services
from newsletter.models import Subscriber, TrackingEvent

State = Subscriber.State
pytestmark = pytest.mark.django_db


def queued_confirmations():
    return DBTaskResult.objects.filter(task_path="newsletter.services.send_confirmation_mail", status="READY").count()


def test_subscribing_a_new_address_makes_it_pending_with_its_request_and_queues_a_confirmation(run_worker):
    services.subscribe("Ans@Example.org", "en")
    subscriber = Subscriber.objects.get()
    assert (subscriber.email, subscriber.language, subscriber.state) == ("Ans@Example.org", "en", State.PENDING)
    assert (subscriber.requested_language, subscriber.requested_consent_version) == ("en", services.CONSENT_VERSION)
    assert subscriber.requested_at is not None
    assert subscriber.consent_given_at is None  # nothing is confirmed yet
    # The request only records: the worker renders and sends.
    assert mail.outbox == [] and queued_confirmations() == 1
    run_worker()
    assert [message.to for message in mail.outbox] == [["Ans@Example.org"]]
    subscriber.refresh_from_db()
    assert subscriber.confirmation_sent_at is not None


def test_every_request_takes_the_same_path_whatever_the_state_of_the_address(make_subscriber, run_worker):
    """A known address costs the request what an unknown one does: one queued task, no mail sent in the request."""
    for state in State:
        make_subscriber(f"{state}@example.org", state=state)
    for address in ["new@example.org", *(f"{state}@example.org" for state in State)]:
        services.subscribe(address, "nl")
    assert mail.outbox == []
    assert queued_confirmations() == 1 + len(State)
    run_worker()
    # The new, the pending, the unsubscribed and the only following address (pending again) get a confirmation.
    assert sorted(message.to[0] for message in mail.outbox) == [
        "new@example.org",
        "not_subscribed@example.org",
        "pending@example.org",
        "unsubscribed@example.org",
    ]


@pytest.mark.by_database  # case-insensitive matching differs: SQLite's LIKE, PostgreSQL's UPPER and the index
def test_addresses_are_unique_without_regard_to_case():
    services.subscribe("ans@example.org", "nl")
    services.subscribe("ANS@EXAMPLE.ORG", "nl")
    assert Subscriber.objects.count() == 1


def test_a_pending_address_gets_at_most_one_confirmation_mail_per_hour(run_worker):
    services.subscribe("ans@example.org", "nl")
    services.subscribe("ans@example.org", "nl")
    run_worker()
    assert len(mail.outbox) == 1
    an_hour_ago = timezone.now() - timedelta(minutes=61)
    Subscriber.objects.update(confirmation_sent_at=an_hour_ago)
    services.subscribe("ans@example.org", "en")
    run_worker()
    assert len(mail.outbox) == 2
    assert mail.outbox[1].subject == "Confirm your subscription to our newsletter"  # the newest request's language


def test_a_failed_confirmation_mail_lets_the_next_request_try_again(run_worker, monkeypatch):
    def fail(self, messages):
        raise SMTPException("mail server down")

    with monkeypatch.context() as patched:
        patched.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", fail)
        services.subscribe("ans@example.org", "nl")
        run_worker()
    assert Subscriber.objects.get().confirmation_sent_at is None
    services.subscribe("ans@example.org", "nl")
    run_worker()
    assert len(mail.outbox) == 1


def test_resubscribing_after_unsubscribing_starts_a_new_double_opt_in(make_subscriber, run_worker):
    subscriber = make_subscriber(state=State.UNSUBSCRIBED)
    services.subscribe(subscriber.email, "nl")
    run_worker()
    subscriber.refresh_from_db()
    assert subscriber.state == State.PENDING
    assert len(mail.outbox) == 1


@pytest.mark.parametrize("state", [State.PENDING, State.UNSUBSCRIBED])
def test_a_request_keeps_the_consent_on_record_until_it_is_confirmed(make_subscriber, run_worker, state):
    subscriber = make_subscriber(state=state, language="nl")
    given_at = subscriber.consent_given_at
    Subscriber.objects.update(consent_version="2020-01-01")
    later = timezone.now() + timedelta(days=3)
    services.subscribe(subscriber.email.upper(), "en", now=later)
    subscriber.refresh_from_db()
    # Anyone can send the form: what the subscriber agreed to, and when, and in which language, stays.
    assert (subscriber.consent_given_at, subscriber.consent_version, subscriber.language) == (
        given_at,
        "2020-01-01",
        "nl",
    )
    assert (subscriber.requested_at, subscriber.requested_language) == (later, "en")
    run_worker()
    (message,) = mail.outbox
    assert message.subject == "Confirm your subscription to our newsletter"  # in the language of the request
    assert "/en/newsletter-subscription/confirm/" in message.body
    # The owner of the mailbox confirms: the request becomes the consent on record.
    assert services.confirm(subscriber)
    subscriber.refresh_from_db()
    assert (subscriber.consent_given_at, subscriber.consent_version, subscriber.language) == (
        later,
        services.CONSENT_VERSION,
        "en",
    )
    assert (subscriber.requested_at, subscriber.requested_language, subscriber.requested_consent_version) == (
        None,
        "",
        "",
    )


@pytest.mark.parametrize("state", [State.CONFIRMED, State.BOUNCED, State.COMPLAINED])
def test_confirmed_bounced_and_complained_addresses_get_no_mail_and_keep_their_state(
    make_subscriber, run_worker, state
):
    subscriber = make_subscriber(state=state)
    services.subscribe(subscriber.email.upper(), "en")
    run_worker()
    subscriber.refresh_from_db()
    assert subscriber.state == state
    assert subscriber.language == "nl"
    assert subscriber.requested_at is None
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


def test_a_hard_bounce_stops_all_mail_to_the_address(make_subscriber, run_worker):
    subscriber = make_subscriber()
    assert services.record_tracking_event(tracking_event("bounced", "ANS@example.org", "1", Type="HardBounce"))
    subscriber.refresh_from_db()
    assert subscriber.state == State.BOUNCED
    services.subscribe(subscriber.email, "nl")
    run_worker()
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
    token = links.confirmation_token(subscriber)
    assert services.subscriber_for_confirmation(token) == (subscriber, None)
    assert services.subscriber_for_confirmation(token[:-2] + "xx") == (None, links.LinkProblem.INVALID)
    real_time = links.signing.time.time
    monkeypatch.setattr(links.signing.time, "time", lambda: real_time() + 7 * 24 * 3600 + 5)
    assert services.subscriber_for_confirmation(token) == (subscriber, links.LinkProblem.EXPIRED)


def test_unsubscribe_tokens_never_expire_but_do_detect_tampering(make_subscriber, monkeypatch):
    subscriber = make_subscriber()
    token = links.unsubscribe_token(subscriber)
    real_time = links.signing.time.time
    monkeypatch.setattr(links.signing.time, "time", lambda: real_time() + 5 * 365 * 24 * 3600)
    assert services.subscriber_for_unsubscribe(token) == subscriber
    assert services.subscriber_for_unsubscribe(token.replace(":", ":x", 1)) is None
    # The confirmation link of the same subscriber is no unsubscribe link (different salt), nor the other way.
    assert services.subscriber_for_unsubscribe(links.confirmation_token(subscriber)) is None


def test_list_unsubscribe_headers_follow_rfc_8058(make_subscriber, settings):
    settings.SITE_URL = "https://kernteam.example"
    subscriber = make_subscriber(language="en")
    headers = links.list_headers(subscriber)
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert headers["List-Unsubscribe"].startswith("<https://kernteam.example/en/newsletter-subscription/unsubscribe/")
    assert headers["List-Unsubscribe"].endswith("/one-click/>")
