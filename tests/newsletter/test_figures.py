"""A sending's honest figures per language: queued, sent, failed, and what came back through the mail provider's
webhook (bounces, complaints) and our own unsubscribe records, on the progress screen and in the list of sendings."""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from postmark_events import bounce, complaint, post_event

from newsletter import links
from newsletter.delivery import api, task
from newsletter.delivery.figures import figures
from newsletter.models import Delivery, Subscriber

State = Delivery.State
pytestmark = pytest.mark.usefixtures("webhook_secret")


@pytest.fixture
def sent(editions, subscribers):
    """The edition sent to its five Dutch and three English subscribers, each language in one message with one id
    for all its recipients, as some providers answer (anymail's test backend gives batches no id)."""
    mailing = api.start_send(editions["nl"])
    task.run(mailing.pk)
    for language in ("nl", "en"):
        Delivery.objects.filter(mailing=mailing, copy__language=language).update(esp_message_id=f"<{language}@esp>")
    return mailing


def delivery_to(mailing, email):
    return Delivery.objects.select_related("subscriber").get(mailing=mailing, subscriber__email=email)


def one_click(client, subscriber):
    url = urlsplit(links.one_click_unsubscribe_url(subscriber)).path
    assert client.post(url, {"List-Unsubscribe": "One-Click"}).status_code == 200


def as_table(found):
    return {row.language: dict(row.counts) for row in found}


def test_bounces_complaints_and_unsubscribes_count_in_their_language(sent, client):
    dutch, english = delivery_to(sent, "nl0@example.org"), delivery_to(sent, "en1@example.org")
    post_event(client, bounce("NL0@example.org", event_id=1, message_id=dutch.esp_message_id))
    post_event(client, complaint("en1@example.org", event_id=2, message_id=english.esp_message_id))
    # An event about another message to the same address (an earlier edition's) counts for that one only.
    post_event(client, bounce("nl1@example.org", event_id=3, message_id="another-message"))
    one_click(client, delivery_to(sent, "en2@example.org").subscriber)
    one_click(client, delivery_to(sent, "nl2@example.org").subscriber)
    # Left more than a week after receiving it: not this sending's doing.
    late = delivery_to(sent, "nl3@example.org")
    Subscriber.objects.filter(pk=late.subscriber_id).update(
        state=Subscriber.State.UNSUBSCRIBED, state_changed_at=late.sent_at + timedelta(days=8)
    )
    zero = dict.fromkeys(["queued", "failed"], 0)
    assert as_table(figures([sent.pk])[sent.pk]) == {
        "nl": {**zero, "sent": 5, "bounced": 1, "complained": 0, "unsubscribed": 1},
        "en": {**zero, "sent": 3, "bounced": 0, "complained": 1, "unsubscribed": 1},
    }
    assert delivery_to(sent, "nl1@example.org").feedback == ""


def test_a_complaint_after_a_bounce_counts_once_as_a_complaint(sent, client):
    delivery = delivery_to(sent, "nl0@example.org")
    post_event(client, complaint(delivery.subscriber.email, event_id=1, message_id=delivery.esp_message_id))
    post_event(client, bounce(delivery.subscriber.email, event_id=2, message_id=delivery.esp_message_id))
    delivery.refresh_from_db()
    assert delivery.feedback == Delivery.Feedback.COMPLAINED


def test_queued_and_failed_are_counted_per_language(editions, subscribers):
    mailing = api.start_send(editions["nl"])
    task.prepare(mailing.pk)  # the deliveries exist, none is sent yet
    Delivery.objects.filter(mailing=mailing, subscriber__email="en0@example.org").update(state=State.FAILED)
    found = as_table(figures([mailing.pk])[mailing.pk])
    assert (found["nl"]["queued"], found["en"]["queued"], found["en"]["failed"]) == (5, 2, 1)


def test_the_progress_screen_shows_the_figures_per_language(sent, client, admin_client, django_assert_max_num_queries):
    delivery = delivery_to(sent, "en0@example.org")
    post_event(client, bounce(delivery.subscriber.email, message_id=delivery.esp_message_id))
    url = reverse("newsletter_mailings:progress", args=[sent.pk])
    admin_client.get(url)  # the admin shell's caches filled
    with django_assert_max_num_queries(14):
        html = admin_client.get(url).content.decode()
    english = html.split('data-mailing-language="en"')[1].split("</tr>")[0]
    assert '<td data-figure="sent">3</td>' in english and '<td data-figure="bounced">1</td>' in english
    assert '<td data-figure="bounced">0</td>' in html.split('data-mailing-language="nl"')[1].split("</tr>")[0]


def test_the_list_of_sendings_shows_the_figures_per_language_in_one_query(
    sent, editions, client, admin_client, django_assert_max_num_queries
):
    delivery = delivery_to(sent, "nl4@example.org")
    post_event(client, complaint(delivery.subscriber.email, message_id=delivery.esp_message_id))
    url = reverse("newsletter_mailings:index")
    admin_client.get(url)
    with django_assert_max_num_queries(12):
        response = admin_client.get(url)
    [row] = response.context["object_list"]
    assert as_table(row.figures)["nl"]["complained"] == 1
    html = response.content.decode()
    assert "Nederlands: 5" in html and "English: 3" in html
