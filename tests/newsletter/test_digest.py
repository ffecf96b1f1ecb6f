"""The weekly digest to the followers who want one: at its hour in the site's time zone, once a week, every update
they have not been told, one frozen copy per group of followers with the same news."""

from collections import Counter
from datetime import date, datetime, timedelta
from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from newsletter.delivery import following, queue, task
from newsletter.models import Delivery, Follow, Mailing, MailingCopy, Told

pytestmark = pytest.mark.by_database  # the digest's SQL and the queue's per database

NEW = (date(2026, 11, 20), "De tweede bijeenkomst is gepland.", "u1-next")


@pytest.fixture(autouse=True)
def anymail_test_backend(settings):
    settings.EMAIL_BACKEND = "anymail.backends.test.EmailBackend"


def run_all():
    for mailing in Mailing.objects.order_by("pk"):
        task.run(mailing.pk)


def received():
    return Counter(address for message in mail.outbox for address in message.to)


def monday_at(hour, weeks=0):
    """A Monday in the site's time zone (Europe/Amsterdam), `weeks` after 23 November 2026."""
    day = datetime(2026, 11, 23, hour) + timedelta(weeks=weeks)
    return timezone.make_aware(day, timezone.get_default_timezone())


def test_the_weekly_digest_tells_every_untold_update_once_at_its_hour(follow, edit_updates, settings):
    settings.NEWSLETTER_BATCH_SENDING = True
    for email in ("wim@example.org", "wil@example.org"):
        follow(email, frequency=Follow.Frequency.WEEKLY)
        follow(email, number=2, frequency=Follow.Frequency.WEEKLY)
    follow("one@example.org", number=2, frequency=Follow.Frequency.WEEKLY)
    follow("now@example.org")  # as it happens: told by the alert, never by the digest
    edit_updates(1, added=[NEW])
    edit_updates(2, added=[(date(2026, 11, 21), "Zes teams doen mee.", "u2-next")])
    run_all()
    assert set(received()) == {"now@example.org"}

    assert following.start_digest(monday_at(7)) is None  # before its hour
    digest = following.start_digest(monday_at(8, weeks=0) + timedelta(minutes=1))
    assert digest.period == date(2026, 11, 23) and following.start_digest(monday_at(9)) == digest
    run_all()
    assert received() == Counter(
        {"now@example.org": 1, "wim@example.org": 1, "wil@example.org": 1, "one@example.org": 1}
    )
    wim = next(message for message in mail.outbox if "wim@example.org" in message.to)
    assert wim.subject == "Het nieuws van deze week over de acties die je volgt"
    body = wim.body
    assert body.index("Vakmanschap zichtbaar maken") < body.index("De tweede bijeenkomst") < body.index("Zes teams")
    # Two groups: the two who follow both actions share a copy; the third has one of their own.
    assert MailingCopy.objects.filter(mailing=digest).count() == 2
    assert Told.objects.filter(delivery__mailing=digest).count() == 5

    # The next week has nothing new: its digest sends nothing.
    next_week = following.start_digest(monday_at(10, weeks=1))
    run_all()
    assert next_week != digest and not Delivery.objects.filter(mailing=next_week).exists()
    assert sum(received().values()) == 4


def test_the_clock_starts_the_weeks_digest_once(follow, settings):
    assert "send_weekly_digest" in settings.CLOCK_COMMANDS
    settings.NEWSLETTER_DIGEST_WEEKDAY, settings.NEWSLETTER_DIGEST_HOUR = 0, 0  # due from the week's first hour
    call_command("send_weekly_digest", stdout=StringIO())
    assert not Mailing.objects.exists()  # nobody follows weekly: nothing to keep
    follow("wim@example.org", frequency=Follow.Frequency.WEEKLY)
    call_command("send_weekly_digest", stdout=StringIO())
    call_command("send_weekly_digest", stdout=StringIO())  # the next minute's, or a second clock's
    (digest,) = Mailing.objects.filter(kind=Mailing.Kind.DIGEST)
    assert digest.period == following.digest_due(timezone.now())[0]


def test_a_weekly_follower_who_turns_to_alerts_before_the_batch_gets_no_digest(follow, edit_updates, monkeypatch):
    wim = follow("wim@example.org", frequency=Follow.Frequency.WEEKLY)
    follow("wil@example.org", frequency=Follow.Frequency.WEEKLY)
    edit_updates(1, added=[NEW])
    digest = following.start_digest(monday_at(9))
    real_claim = queue.claim

    def switch_then_claim(mailing, size, now):
        Follow.objects.filter(pk=wim.pk).update(frequency=Follow.Frequency.IMMEDIATELY)
        return real_claim(mailing, size, now)

    monkeypatch.setattr(task, "claim", switch_then_claim)
    task.run(digest.pk)
    assert set(received()) == {"wil@example.org"}


def test_one_click_in_the_digest_stops_the_digest_only(follow, edit_updates, client):
    weekly = follow("wim@example.org", frequency=Follow.Frequency.WEEKLY)
    at_once = follow("wim@example.org", number=2)
    edit_updates(1, added=[NEW])
    run_all()
    mail.outbox.clear()
    following.start_digest(monday_at(9))
    run_all()
    (message,) = mail.outbox
    one_click = message.merge_headers["wim@example.org"]["List-Unsubscribe"].strip("<>")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert urlsplit(one_click).path.endswith("/wekelijkse-samenvatting/een-klik/")  # Dutch, as the reader
    strict = Client(enforce_csrf_checks=True)  # a mail provider's POST carries no CSRF token
    response = strict.post(urlsplit(one_click).path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200 and "Set-Cookie" not in response.headers
    weekly.refresh_from_db(), at_once.refresh_from_db(), weekly.subscriber.refresh_from_db()
    assert weekly.state == Follow.State.STOPPED and at_once.state == Follow.State.CONFIRMED
    assert weekly.subscriber.state == weekly.subscriber.State.CONFIRMED
