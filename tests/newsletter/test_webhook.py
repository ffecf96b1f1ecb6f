"""Anymail's tracking webhook feeds bounces and complaints back into subscriber state."""

import pytest
from django.test import Client
from postmark_events import bounce, complaint, post_event

from config.urls import tracking_webhook
from newsletter.models import Subscriber, TrackingEvent

State = Subscriber.State
pytestmark = pytest.mark.usefixtures("webhook_secret")


def test_a_hard_bounce_through_the_webhook_marks_the_address_bounced(client, make_subscriber):
    subscriber = make_subscriber()
    assert post_event(client, bounce("ANS@example.org")).status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.state == State.BOUNCED


def test_a_complaint_through_the_webhook_marks_the_address_complained(client, make_subscriber):
    subscriber = make_subscriber()
    assert post_event(client, complaint(subscriber.email)).status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.state == State.COMPLAINED


def test_a_soft_bounce_through_the_webhook_changes_nothing(client, make_subscriber):
    subscriber = make_subscriber()
    assert post_event(client, bounce(subscriber.email, bounce_type="SoftBounce")).status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.state == State.CONFIRMED


def test_a_repeated_webhook_event_counts_once(client, make_subscriber):
    subscriber = make_subscriber()
    post_event(client, bounce(subscriber.email, event_id=77))
    Subscriber.objects.filter(pk=subscriber.pk).update(state=State.CONFIRMED)  # an editor restored it
    assert post_event(client, bounce(subscriber.email, event_id=77)).status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.state == State.CONFIRMED
    assert TrackingEvent.objects.count() == 1


@pytest.mark.parametrize("secret", ["hooks:wrong", "", "other:s3cret-value"])
def test_a_wrong_secret_changes_nothing(client, make_subscriber, secret):
    subscriber = make_subscriber()
    response = post_event(client, bounce(subscriber.email), secret=secret)
    assert response.status_code == 400
    subscriber.refresh_from_db()
    assert subscriber.state == State.CONFIRMED
    assert not TrackingEvent.objects.exists()


@pytest.mark.parametrize(
    "path",
    [
        "mailgun/tracking/",
        "amazon_ses/tracking/",
        "mandrill/",
        "mandrill/tracking/",
        "postal/tracking/",
        "mailersend/tracking/",
        "unisender_go/tracking/",
        "brevo/tracking/",
        "brevo/inbound/",
        "sendinblue/tracking/",
        "postmark/inbound/",
        "mailgun/inbound_mime/",
    ],
)
def test_only_the_configured_providers_tracking_webhook_exists(tree, path):
    """Test settings name Postmark (ANYMAIL_ESP); a provider that is not configured would fail on its missing keys.
    A provider posts without a CSRF token, as a stranger would: not found, rather than refused by the CSRF check."""
    response = Client(enforce_csrf_checks=True).post(f"/anymail/{path}", "{}", content_type="application/json")
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("esp", "paths"),
    [
        ("postmark", ["postmark/tracking/"]),
        ("brevo", ["brevo/tracking/"]),
        ("mailgun", ["mailgun/tracking/"]),
        ("mandrill", ["mandrill/", "mandrill/tracking/"]),
        ("amazon_ses", ["amazon_ses/tracking/"]),
        ("test", []),  # anymail's test backend has no webhook
        ("", []),  # SMTP or development: no provider
    ],
)
def test_the_webhook_routed_is_the_one_of_anymail_esp(esp, paths):
    assert [str(pattern.pattern) for pattern in tracking_webhook(esp)] == paths
