"""The queue of one mailing's deliveries: filling it, claiming batches, recording their outcomes with backoff, and
finishing the mailing once nothing is left."""

import random
from datetime import timedelta

from django.db import connection, transaction
from django.db.models import Count, Min, Q
from django.utils import timezone

from ..conf import setting
from ..following import STOPS_EVERYTHING
from ..models import Delivery, Follow, Mailing, MailingCopy, NewsletterPage, Subscriber
from .databases import for_connection
from .outcomes import Retry, Sent

State = Delivery.State
# The longest a worker sleeps at once while only backed-off recipients are left (it reports in between).
LONGEST_NAP = 5.0


def queue_deliveries(mailing, copy, language, now):
    """One pending delivery per confirmed subscriber of `language`, in one INSERT ... SELECT (none twice)."""
    delivery, subscriber = Delivery._meta.db_table, Subscriber._meta.db_table
    sql = (
        f"INSERT INTO {delivery} (mailing_id, subscriber_id, copy_id, state, attempts, next_attempt_at, "  # noqa: S608
        f"esp_message_id, error) SELECT %s, id, %s, %s, 0, %s, '', '' FROM {subscriber} "
        "WHERE state = %s AND language = %s"
    )
    params = [
        mailing.pk,
        copy.pk,
        State.PENDING,
        connection.ops.adapt_datetimefield_value(now),
        Subscriber.State.CONFIRMED,
        language,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def stays_params(mailing):
    """The parameters of the mailing kind's "stays" condition (databases/due.py's STAYS_SQL)."""
    if mailing.kind == Mailing.Kind.EDITION:
        return [Subscriber.State.CONFIRMED]
    if mailing.kind == Mailing.Kind.ALERT:
        return [*STOPS_EVERYTHING, mailing.action_id, Follow.State.CONFIRMED]
    return [*STOPS_EVERYTHING, Follow.Frequency.WEEKLY, Follow.State.CONFIRMED]


def claim(mailing, size, now):
    """Takes up to `size` due pending deliveries for this worker alone; returns them as Recipients."""
    at = connection.ops.adapt_datetimefield_value(now)
    params = [*stays_params(mailing), mailing.pk, State.PENDING, at, size, State.SENDING, State.SKIPPED, at]
    with transaction.atomic(), connection.cursor() as cursor:
        return for_connection().claim(cursor, mailing.kind, params)


def heartbeat(mailing):
    Mailing.objects.filter(pk=mailing.pk).update(heartbeat_at=timezone.now())


def record(recipients, outcomes):
    """Stores each recipient's outcome (one statement on PostgreSQL)."""
    now = timezone.now()
    rows = []  # one tuple of rows.STORED per recipient, after its id
    for recipient in recipients:
        outcome = outcomes[recipient.delivery_id]
        attempts = recipient.attempts + 1
        if isinstance(outcome, Sent):
            row = (State.SENT, attempts, outcome.message_id, "", None)
        elif isinstance(outcome, Retry) and attempts < setting("NEWSLETTER_MAX_ATTEMPTS"):
            retry_at = now + timedelta(seconds=outcome.after or backoff(attempts))
            row = (State.PENDING, attempts, "", outcome.error, retry_at)
        else:
            row = (State.FAILED, attempts, "", outcome.error, None)
        rows.append((recipient.delivery_id, *row))
    for_connection().store(rows, sent_at=now)


def backoff(attempts):
    """Seconds before attempt `attempts + 1`: doubling from NEWSLETTER_RETRY_DELAY up to ten minutes, with jitter
    so that workers spread out."""
    delay = setting("NEWSLETTER_RETRY_DELAY") * 2 ** (attempts - 1)
    return min(600, delay) * random.uniform(0.75, 1.25)  # noqa: S311 - not for security


def rest_or_finish(mailing, now):
    """Nothing to claim now. Returns seconds to sleep before looking again, or None when this worker is done.

    Claims older than the lease belong to a dead worker: they are queued again (or become unknown) here. A live
    worker's claim is left to it: whoever records the last batch finds nothing left and finishes the mailing (and
    if it dies instead, the clock's api.resume_stalled starts a task that finds its claim stale).
    """
    stale = now - timedelta(seconds=setting("NEWSLETTER_CLAIM_LEASE"))
    in_doubt = Delivery.objects.filter(mailing=mailing, state=State.SENDING, claimed_at__lt=stale)
    if setting("NEWSLETTER_RESEND_IN_DOUBT"):
        in_doubt.update(
            state=State.PENDING,
            next_attempt_at=now,
            error="Sent again: the worker stopped before the provider's answer was recorded.",
        )
    else:
        in_doubt.update(state=State.UNKNOWN, error="The worker stopped before the provider's answer was recorded.")
    left = Delivery.objects.filter(mailing=mailing, state__in=[State.PENDING, State.SENDING]).aggregate(
        pending=Count("pk", filter=Q(state=State.PENDING)),
        sending=Count("pk", filter=Q(state=State.SENDING)),
        next_attempt=Min("next_attempt_at", filter=Q(state=State.PENDING)),
    )
    if left["pending"]:  # all backing off after transient errors
        return min(LONGEST_NAP, max(0.0, (left["next_attempt"] - now).total_seconds()))
    if not left["sending"]:
        finish(mailing, now)
    return None


def finish(mailing, now):
    with transaction.atomic():
        if Mailing.objects.filter(pk=mailing.pk, state=Mailing.State.SENDING).update(
            state=Mailing.State.DONE, finished_at=now
        ):
            pages = MailingCopy.objects.filter(mailing=mailing).values("page_id")
            NewsletterPage.objects.filter(pk__in=pages, sent_at__isnull=True).update(sent_at=now)
