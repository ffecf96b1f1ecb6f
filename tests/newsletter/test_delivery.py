"""Sending an edition: exactly once to every confirmed subscriber, in batches, through anymail."""

from datetime import UTC, date, datetime

import pytest
from django.core import mail

from newsletter import delivery
from newsletter.editions import draft_edition
from newsletter.models import Delivery, Mailing, NewsletterPage

State = Delivery.State


@pytest.fixture
def editions(actions, publish):
    """The November edition, published, in Dutch and English."""
    draft = draft_edition(today=date(2026, 11, 1))
    when = datetime(2026, 11, 1, 9, tzinfo=UTC)
    return {"nl": publish(draft.edition, when), "en": publish(draft.translation, when)}


@pytest.fixture
def subscribers(make_subscriber):
    made = [make_subscriber(f"nl{n}@example.org") for n in range(5)]
    made += [make_subscriber(f"en{n}@example.org", language="en") for n in range(3)]
    make_subscriber("pending@example.org", state="pending")
    make_subscriber("gone@example.org", state="unsubscribed")
    return made


def sent_to():
    return sorted(address for message in mail.outbox for address in message.to)


def test_every_confirmed_subscriber_gets_the_edition_in_their_language_once(editions, subscribers, settings):
    settings.NEWSLETTER_BATCH_SIZE = 2
    mailing = delivery.start_send(editions["nl"])
    delivery.run(mailing.pk)
    assert sent_to() == sorted(s.email for s in subscribers)
    by_subject = {message.subject for message in mail.outbox}
    assert by_subject == {editions["nl"].subject, editions["en"].subject}
    result = delivery.progress(mailing)
    assert result.counts[State.SENT] == 8 and result.total == 8 and result.percent == 100
    mailing.refresh_from_db()
    assert mailing.state == Mailing.State.DONE
    assert NewsletterPage.objects.filter(sent_at__isnull=False).count() == 2
