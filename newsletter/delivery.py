"""Sending an edition to every confirmed subscriber: exactly once each, in batches, through anymail.

The admin and `manage.py send_newsletter` call the public functions at the top (audience, start_send, cancel,
progress, retry_failed, resend_unknown); the background task `send_mailing` (django-tasks, run by `db_worker`) does the
work. How it stays exactly-once:

1. When sending starts, each language's edition is rendered once and frozen (`MailingCopy`), and one pending
   `Delivery` per confirmed subscriber is inserted in one statement, in the transaction that holds the mailing's
   row lock and moves it from scheduled to sending: a second start finds it sending and inserts nothing, and the
   unique (mailing, subscriber) constraint refuses a second delivery to anyone.
2. A worker claims a batch in one statement (on PostgreSQL `SELECT ... FOR UPDATE SKIP LOCKED` inside an UPDATE
   that sets the rows `sending` and returns them), skipping subscribers who left meanwhile. Two workers never hold
   the same row; a row is never sent unless its claim committed first.
3. The batch goes to the mail provider in one call, from a thread of its own, while the worker claims the next
   batch; the answer is recorded per recipient before the next batch goes out: `sent` with its message id,
   `failed` for a rejection, back to `pending` with a backoff for a transient error.
4. A worker killed between 2 and 3 leaves its rows `sending` (the batch the provider had, and the one claimed
   next). Once its lease has passed they are sent again: the provider may or may not have accepted the first, so at
   most one call's recipients per dead worker may get the edition twice, and nobody is skipped. With
   NEWSLETTER_RESEND_IN_DOUBT off nothing is claimed ahead, and the batch in doubt becomes `unknown` instead,
   counted in the progress and sent again only when an editor chooses to (`resend_unknown`).
"""

import contextlib
import functools
import logging
import random
import re
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from typing import NamedTuple

from anymail.exceptions import AnymailRecipientsRefused
from anymail.message import AnymailMessage
from django.conf import settings
from django.core import mail
from django.db import connection, transaction
from django.db.models import Count, Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task
from wagtail.models import Locale

from . import services
from .editions import list_id, render_edition, sample_subscriber
from .models import Delivery, Mailing, MailingCopy, NewsletterPage, Subscriber

logger = logging.getLogger(__name__)

SEND_PERMISSION = "newsletter.send_newsletter"
# How long a sending waits before it looks again whether the English translation has gone live.
TRANSLATION_WAIT = timedelta(minutes=1)
# The longest a worker sleeps at once while only backed-off recipients are left (it reports in between).
LONGEST_NAP = 5.0

State = Delivery.State


class CannotSend(Exception):
    """Why an edition cannot be sent (the message is for the editor)."""


# For the admin and the command --------------------------------------------------------------------------------


def can_send(user):
    return user.has_perm(SEND_PERMISSION)


def source_edition(edition):
    """The edition in the source language (Dutch), whichever language's page was given."""
    if edition.locale.language_code == settings.LANGUAGE_CODE:
        return edition
    return edition.get_translation(Locale.get_default())


@dataclass
class Audience:
    """Who gets an edition: confirmed subscribers per language, and the live page each language would get."""

    counts: dict  # language code: number of confirmed subscribers
    pages: dict  # language code: the live edition in that language, or None

    @property
    def total(self):
        return sum(self.counts.values())

    @property
    def untranslated(self):
        """Languages with subscribers but no live edition of their own (they wait, or get the Dutch one)."""
        return [code for code, count in self.counts.items() if count and self.pages[code] is None]


def audience(edition):
    """Confirmed subscribers per language and whether each language's edition is live (two queries)."""
    edition = source_edition(edition)
    rows = Subscriber.objects.filter(state=Subscriber.State.CONFIRMED).values("language").annotate(n=Count("pk"))
    found = {row["language"]: row["n"] for row in rows}
    live = {
        page.locale.language_code: page
        for page in NewsletterPage.objects.live()
        .filter(translation_key=edition.translation_key)
        .select_related("locale")
    }
    languages = [code for code, _name in settings.LANGUAGES]
    return Audience(counts={code: found.get(code, 0) for code in languages}, pages={c: live.get(c) for c in languages})


def mailing_for(edition):
    """The mailing of an edition (of any of its languages), or None when it was never sent."""
    return Mailing.objects.filter(edition=source_edition(edition)).first()


def start_send(edition, user=None, send_at=None, dutch_for_english=False):
    """Starts sending `edition` now, or at `send_at`; returns its Mailing.

    Only a published edition can be sent, and only once: a second start raises CannotSend (retry_failed and
    resend_unknown act on the first). Languages whose translation is not live wait for it, checked every minute,
    unless `dutch_for_english` sends them the Dutch edition.
    """
    edition = NewsletterPage.objects.get(pk=source_edition(edition).pk)  # as it is now, not as the caller read it
    if not edition.live:
        raise CannotSend(_("Only a published edition can be sent."))
    now = timezone.now()
    send_at = max(send_at or now, now)
    with transaction.atomic():
        mailing, created = Mailing.objects.get_or_create(
            edition=edition,
            defaults={
                "started_by": user,
                "send_at": send_at,
                "dutch_for_english": dutch_for_english,
                "heartbeat_at": now,
            },
        )
        if not created:
            raise CannotSend(_("This edition has already been sent or is being sent."))
        # The tasks are rows in the same database (django-tasks-db): they commit, or not, with the mailing. Each
        # task keeps a worker busy until nothing is left; more than one lets more workers share the sending.
        for _n in range(settings.NEWSLETTER_SEND_TASKS):
            send_mailing.using(run_after=send_at).enqueue(mailing.pk)
    return mailing


@dataclass
class Progress:
    state: str  # Mailing.State
    counts: dict  # Delivery.State value: number of deliveries, e.g. counts["sent"]
    # Due but not started: a language's translation is not live yet (or no worker has taken it up yet).
    waiting: bool

    @property
    def total(self):
        return sum(self.counts.values())

    @property
    def done(self):
        """Deliveries that are finished one way or another: sent, failed, skipped or unknown."""
        return self.total - self.counts[State.PENDING] - self.counts[State.SENDING]

    @property
    def percent(self):
        return round(100 * self.done / self.total) if self.total else (100 if self.state == Mailing.State.DONE else 0)


def progress(mailing):
    """How far a mailing is: deliveries per state (one query)."""
    rows = Delivery.objects.filter(mailing=mailing).values("state").annotate(n=Count("pk"))
    counts = dict.fromkeys(State.values, 0) | {row["state"]: row["n"] for row in rows}
    waiting = mailing.state == Mailing.State.SCHEDULED and mailing.send_at <= timezone.now()
    return Progress(state=mailing.state, counts=counts, waiting=waiting)


def cancel(mailing):
    """Cancels a sending that has not begun (scheduled, or due and waiting); False once it has begun.

    The mailing is deleted, so the edition can be sent or scheduled again; its queued task finds nothing to do. The
    lock keeps a worker from beginning it meanwhile (and makes a worker that is beginning it win).
    """
    with transaction.atomic():
        waiting = Mailing.objects.select_for_update().filter(pk=mailing.pk, state=Mailing.State.SCHEDULED).first()
        if waiting is None:
            return False
        waiting.delete()
    return True


def retry_failed(mailing):
    """Puts the failed deliveries back in the queue (with fresh attempts) and starts a worker on them."""
    return _requeue(mailing, State.FAILED)


def resend_unknown(mailing):
    """Sends again to the recipients whose worker died while the provider had their batch: they may get it twice."""
    return _requeue(mailing, State.UNKNOWN)


def _requeue(mailing, state):
    with transaction.atomic():
        count = Delivery.objects.filter(mailing=mailing, state=state).update(
            state=State.PENDING, attempts=0, next_attempt_at=None, error=""
        )
        if count:
            Mailing.objects.filter(pk=mailing.pk).update(
                state=Mailing.State.SENDING, finished_at=None, heartbeat_at=timezone.now()
            )
            send_mailing.enqueue(mailing.pk)
    return count


def resume_stalled(now=None):
    """Gives each sending whose worker stopped reporting (killed, machine restarted) a new task. Run by the clock.

    Returns the mailings taken up again.
    """
    now = now or timezone.now()
    stale = now - timedelta(seconds=settings.NEWSLETTER_CLAIM_LEASE)
    ids = list(
        Mailing.objects.filter(
            Q(state=Mailing.State.SENDING) | Q(state=Mailing.State.SCHEDULED, send_at__lte=now),
            Q(heartbeat_at__isnull=True) | Q(heartbeat_at__lt=stale),
        ).values_list("pk", flat=True)
    )
    for pk in ids:
        # Only one clock wins each mailing: the update is conditional on the heartbeat it read.
        if Mailing.objects.filter(Q(heartbeat_at__isnull=True) | Q(heartbeat_at__lt=stale), pk=pk).update(
            heartbeat_at=now
        ):
            send_mailing.enqueue(pk)
    return ids


# The background task ------------------------------------------------------------------------------------------


@task(backend="newsletter", queue_name="newsletter")
def send_mailing(mailing_id):
    """Works on one mailing until nothing is left to send (any number of these may run at once)."""
    run(mailing_id)


def run(mailing_id, on_batch=None):
    """Prepares the mailing if it is due, then claims, sends and records batches until none are left.

    The provider's calls run in a thread of their own, so that the database claims the next batch while the provider
    handles this one (the provider's answer and the database's work each take about half of a batch's time). A
    batch is always recorded before the next one goes to the provider: a dead worker leaves at most one batch in
    doubt, beside the one it had claimed next. With NEWSLETTER_RESEND_IN_DOUBT off there is no claiming ahead, so
    that what becomes `unknown` is exactly the batch in doubt.

    `on_batch(progress)` is called after each batch (the command's progress bar).
    """
    mailing = prepare(mailing_id)
    if mailing is None:
        return
    sender = sender_for_settings()
    copies = {copy.pk: copy for copy in mailing.copies.all()}
    look_ahead = settings.NEWSLETTER_RESEND_IN_DOUBT
    in_flight = None  # the batch the provider has: (recipients, future outcomes)

    def land(recipients, outcomes):
        """Records a batch once the provider has answered; returns None, as nothing is in flight then."""
        answers = outcomes.result()
        with transaction.atomic():  # one commit
            record(recipients, answers)
            heartbeat(mailing)
        if on_batch:
            on_batch(progress(mailing))

    with mail.get_connection() as connection_, ThreadPoolExecutor(max_workers=1) as provider:
        while True:
            if in_flight and not look_ahead:
                in_flight = land(*in_flight)
            now = timezone.now()
            claimed = claim(mailing, sender.batch_size, now)
            if in_flight:
                in_flight = land(*in_flight)
            if claimed:
                in_flight = (claimed, provider.submit(send_batch, sender, connection_, copies, claimed))
                continue
            nap = rest_or_finish(mailing, now)
            if nap is None:
                return
            time.sleep(nap)
            heartbeat(mailing)


def prepare(mailing_id):
    """Freezes the copies and queues one delivery per confirmed subscriber, once, when the mailing is due.

    Returns the mailing when there is sending to do; None when it is done, not due yet, or waiting for a
    translation (then a new task looks again in a minute).
    """
    now = timezone.now()
    with transaction.atomic():
        mailing = Mailing.objects.select_for_update().select_related("edition").filter(pk=mailing_id).first()
        if mailing is None or mailing.state == Mailing.State.DONE:  # cancelled before it began, or done
            return None
        if mailing.state == Mailing.State.SENDING:
            return mailing
        if mailing.send_at > now:  # started early by the clock; the scheduled task comes at send_at
            return None
        pages = pages_per_language(mailing)
        if pages is None:
            Mailing.objects.filter(pk=mailing.pk).update(heartbeat_at=now)
            send_mailing.using(run_after=now + TRANSLATION_WAIT).enqueue(mailing_id)
            return None
        copies = {}
        for language, page in pages.items():
            if page.pk not in copies:
                copies[page.pk] = freeze(mailing, page)
            queue_deliveries(mailing, copies[page.pk], language, now)
        mailing.state, mailing.started_at, mailing.heartbeat_at = Mailing.State.SENDING, now, now
        mailing.save(update_fields=["state", "started_at", "heartbeat_at"])
    return mailing


def pages_per_language(mailing):
    """{subscriber language: the live page they get}, or None while a language still waits for its translation."""
    found = audience(mailing.edition)
    pages = {}
    for language, count in found.counts.items():
        if not count:
            continue
        page = found.pages[language] or (mailing.edition if mailing.dutch_for_english else None)
        if page is None:
            return None
        pages[language] = page
    return pages


def freeze(mailing, page):
    """The copy of `page` as sent: rendered once, the personal link left as MailingCopy.PERSONAL_LINK."""
    sample = sample_subscriber(page.locale.language_code)
    rendered = render_edition(page, sample)
    link = services.unsubscribe_url(sample)
    return MailingCopy.objects.create(
        mailing=mailing,
        page=page,
        revision_id=page.live_revision_id,
        language=page.locale.language_code,
        subject=rendered.subject,
        html=rendered.html.replace(link, MailingCopy.PERSONAL_LINK),
        text=rendered.text.replace(link, MailingCopy.PERSONAL_LINK),
    )


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


class Recipient(NamedTuple):  # a tuple: a thousand are made for every batch
    delivery_id: int
    copy_id: int
    email: str
    key: str | uuid.UUID  # the subscriber's key, only ever written into their signed links
    language: str
    attempts: int


RECIPIENT_FIELDS = ["pk", "copy_id", "subscriber__email", "subscriber__key", "subscriber__language", "attempts"]

# Due pending deliveries, oldest first, with their subscribers. A delivery whose subscriber is no longer confirmed
# (unsubscribed, bounced, complained since the sending began) is skipped instead of sent.
DUE_SQL = """
WITH due AS (
    SELECT d.id AS due_id, s.state = %s AS stays,
        d.copy_id, s.email, CAST(s.key AS text) AS key, s.language, d.attempts
    FROM newsletter_delivery AS d JOIN newsletter_subscriber AS s ON s.id = d.subscriber_id
    WHERE d.mailing_id = %s AND d.state = %s AND (d.next_attempt_at IS NULL OR d.next_attempt_at <= %s)
    ORDER BY d.id LIMIT %s {lock}
)
"""
TAKE_SQL = "UPDATE newsletter_delivery SET state = CASE WHEN stays THEN %s ELSE %s END, claimed_at = %s FROM due"
# PostgreSQL: one statement locks the rows (skipping those another worker holds), takes them and returns them.
CLAIM_SQL = (
    DUE_SQL.format(lock="FOR UPDATE OF d SKIP LOCKED")  # noqa: S608 - constants only
    + f", taken AS ({TAKE_SQL} WHERE id = due_id)"
    + " SELECT due_id, copy_id, email, key, language, attempts FROM due WHERE stays ORDER BY due_id"
)
# SQLite has one writer at a time, and its RETURNING sees only the updated table: the recipients are read after.
CLAIM_SQLITE = DUE_SQL.format(lock="") + f"{TAKE_SQL} WHERE id = due_id RETURNING id, state"


def claim(mailing, size, now):
    """Takes up to `size` due pending deliveries for this worker alone; returns them as Recipients."""
    at = connection.ops.adapt_datetimefield_value(now)
    params = [Subscriber.State.CONFIRMED, mailing.pk, State.PENDING, at, size, State.SENDING, State.SKIPPED, at]
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(CLAIM_SQL, params)
            return [Recipient._make(row) for row in cursor.fetchall()]
        cursor.execute(CLAIM_SQLITE, params)
        mine = [pk for pk, state in cursor.fetchall() if state == State.SENDING]
        rows = Delivery.objects.filter(pk__in=mine).order_by("pk").values_list(*RECIPIENT_FIELDS)
        return [Recipient._make(row) for row in rows]


def group_by_copy(recipients):
    groups = {}
    for recipient in recipients:
        groups.setdefault(recipient.copy_id, []).append(recipient)
    return groups


def heartbeat(mailing):
    Mailing.objects.filter(pk=mailing.pk).update(heartbeat_at=timezone.now())


def rest_or_finish(mailing, now):
    """Nothing to claim now. Returns seconds to sleep before looking again, or None when this worker is done.

    Claims older than the lease belong to a dead worker: they are queued again (or become unknown) here. A live
    worker's claim is left to it: whoever records the last batch finds nothing left and finishes the mailing (and
    if it dies instead, the clock's resume_stalled starts a task that finds its claim stale).
    """
    stale = now - timedelta(seconds=settings.NEWSLETTER_CLAIM_LEASE)
    in_doubt = Delivery.objects.filter(mailing=mailing, state=State.SENDING, claimed_at__lt=stale)
    if settings.NEWSLETTER_RESEND_IN_DOUBT:
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


# Handing batches to the mail provider -------------------------------------------------------------------------


@dataclass(frozen=True)
class Sent:
    message_id: str


@dataclass(frozen=True)
class Failed:
    error: str


@dataclass(frozen=True)
class Retry:
    error: str
    after: float | None = None  # seconds the provider asked us to wait (Retry-After)


def send_batch(sender, connection_, copies, recipients):
    """The provider thread's part of a batch: each language's recipients their copy. Returns every outcome."""
    outcomes = {}
    for copy_id, group in group_by_copy(recipients).items():
        outcomes |= send_copy(sender, connection_, copies[copy_id], group)
    return outcomes


def send_copy(sender, connection_, copy, recipients):
    """Sends `recipients` their copy; returns {delivery id: Sent, Failed or Retry}.

    A batch the provider refuses as a whole (a 4xx) is split in halves until the refused recipients are found.
    """
    try:
        return sender.send(connection_, copy, recipients)
    except Exception as error:  # noqa: BLE001 - anything but a transient error marks the batch failed
        logger.warning("Sending %s recipients of mailing %s failed: %r", len(recipients), copy.mailing_id, error)
        outcome = classify(error)
        if isinstance(outcome, Failed) and len(recipients) > 1:
            middle = len(recipients) // 2
            return send_copy(sender, connection_, copy, recipients[:middle]) | send_copy(
                sender, connection_, copy, recipients[middle:]
            )
        return dict.fromkeys((recipient.delivery_id for recipient in recipients), outcome)


def classify(error):
    """A transient error (timeout, connection, 429, 5xx) is retried; anything else is a rejection."""
    status = getattr(error, "status_code", None)
    if isinstance(error, OSError) and status is None:  # timeouts, refused connections, SMTP trouble
        return Retry(str(error))
    if status == 429 or (status is not None and status >= 500):
        response = getattr(error, "response", None)
        after = response.headers.get("Retry-After") if response is not None else None
        return Retry(f"HTTP {status}", after=float(after) if after and after.isdigit() else None)
    return Failed(str(error)[:2000])


def record(recipients, outcomes):
    """Stores each recipient's outcome (one statement on PostgreSQL)."""
    now = timezone.now()
    rows = []  # one tuple of STORED per recipient, after its id
    for recipient in recipients:
        outcome = outcomes[recipient.delivery_id]
        attempts = recipient.attempts + 1
        if isinstance(outcome, Sent):
            row = (State.SENT, attempts, outcome.message_id, "", None)
        elif isinstance(outcome, Retry) and attempts < settings.NEWSLETTER_MAX_ATTEMPTS:
            retry_at = now + timedelta(seconds=outcome.after or backoff(attempts))
            row = (State.PENDING, attempts, "", outcome.error, retry_at)
        else:
            row = (State.FAILED, attempts, "", outcome.error, None)
        rows.append((recipient.delivery_id, *row))
    store(rows, sent_at=now)


STORED = ["state", "attempts", "esp_message_id", "error", "next_attempt_at"]
# Django's bulk_update builds a CASE per row and field, and model instances per row, which together cost more than
# the rest of a batch of 1,000; on PostgreSQL one UPDATE ... FROM unnest(arrays) writes them all. The time sent is
# one value, and an empty error is sent as NULL: turning values into SQL text is most of this statement's cost.
STORE_SQL = """
UPDATE newsletter_delivery AS d SET state = v.state, attempts = v.attempts, esp_message_id = v.esp_message_id,
    error = coalesce(v.error, ''), next_attempt_at = v.next_attempt_at,
    sent_at = CASE WHEN v.state = %s THEN %s::timestamptz END
FROM unnest(%s::bigint[], %s::text[], %s::int[], %s::text[], %s::text[], %s::timestamptz[])
    AS v(id, state, attempts, esp_message_id, error, next_attempt_at)
WHERE d.id = v.id
"""


def store(rows, sent_at):
    """Writes (id, *STORED) rows; those now sent were sent at `sent_at`."""
    if connection.vendor == "postgresql":
        ids, states, attempts, message_ids, errors, retry_at = (list(column) for column in zip(*rows, strict=True))
        errors = [error or None for error in errors]
        with connection.cursor() as cursor:
            cursor.execute(STORE_SQL, [State.SENT, sent_at, ids, states, attempts, message_ids, errors, retry_at])
        return
    changed = [
        Delivery(pk=pk, sent_at=sent_at if row[0] == State.SENT else None, **dict(zip(STORED, row, strict=True)))
        for pk, *row in rows
    ]
    Delivery.objects.bulk_update(changed, [*STORED, "sent_at"], batch_size=1000)


def backoff(attempts):
    """Seconds before attempt `attempts + 1`: doubling from NEWSLETTER_RETRY_DELAY up to ten minutes, with jitter
    so that workers spread out."""
    delay = settings.NEWSLETTER_RETRY_DELAY * 2 ** (attempts - 1)
    return min(600, delay) * random.uniform(0.75, 1.25)  # noqa: S311 - not for security


class BatchSender:
    """Anymail batch sending: one message, many recipients, each with their own link through the provider's merge
    data (`merge_data`) and their own List-Unsubscribe header (`merge_headers`). Brevo's syntax."""

    merge_field = "{{ params.unsubscribe_url }}"

    def __init__(self, batch_size):
        self.batch_size = batch_size

    def send(self, connection_, copy, recipients):
        links = {}
        for recipient in recipients:
            links[recipient.email] = personal_links(recipient)
        to = [recipient.email for recipient in recipients]
        message = copy_message(copy, self.merge_field, to, common_headers(), connection_, literal=True)
        message.merge_data = {email: {"unsubscribe_url": page} for email, (page, _one_click) in links.items()}
        message.merge_headers = {
            email: {"List-Unsubscribe": f"<{one_click}>"} for email, (_page, one_click) in links.items()
        }
        with contextlib.suppress(AnymailRecipientsRefused):  # every recipient refused: their statuses say so
            message.send()
        statuses = message.anymail_status.recipients
        return {recipient.delivery_id: outcome_of(statuses.get(recipient.email)) for recipient in recipients}


class OneByOneSender:
    """Any Django mail backend (another anymail ESP, SMTP, the development .eml writer): one message per recipient
    with their own link written in, all over one connection."""

    def __init__(self, batch_size):
        self.batch_size = batch_size

    def send(self, connection_, copy, recipients):
        outcomes = {}
        for recipient in recipients:
            page, one_click = personal_links(recipient)
            headers = {**common_headers(), "List-Unsubscribe": f"<{one_click}>"}
            message = copy_message(copy, page, [recipient.email], headers, connection_)
            try:
                message.send()
            except Exception as error:  # noqa: BLE001 - recorded for this recipient
                outcomes[recipient.delivery_id] = classify(error)
                continue
            status = getattr(message, "anymail_status", None)  # only anymail's backends report one
            outcomes[recipient.delivery_id] = outcome_of(status.recipients.get(recipient.email) if status else None)
        return outcomes


# The start of a tag of a template language like Brevo's ({{ … }}, {% … %}, {# … #}).
TEMPLATE_TAG = re.compile(r"\{(?=[{%#])")


def copy_message(copy, link, to, headers, connection_, literal=False):
    """The frozen copy as a message, with `link` (a URL or a merge field) for the personal link.

    With `literal` (for a provider that reads the message as a template, as Brevo does with merge data) braces the
    editor typed cannot open a tag: in HTML the brace becomes a character reference, in plain text a zero-width
    non-joiner separates it from the next character; readers see the same text.
    """
    subject, text, html = copy.subject, copy.text, copy.html
    if literal:
        subject, text = (TEMPLATE_TAG.sub("{\u200c", part) for part in (subject, text))
        html = TEMPLATE_TAG.sub("&#123;", html)
    text, html = (part.replace(MailingCopy.PERSONAL_LINK, link) for part in (text, html))
    message = AnymailMessage(subject, text, to=to, headers=headers, connection=connection_)
    message.attach_alternative(html, "text/html")
    return message


def outcome_of(status):
    """A recipient's outcome from anymail's status for them (None: the backend reports none, so it was sent)."""
    if status is None:
        return Sent("")
    if status.status in ("rejected", "invalid", "failed"):
        return Failed(f"The mail provider answered {status.status}.")
    return Sent("" if status.message_id is None else str(status.message_id))


def personal_links(recipient):
    """(unsubscribe page, one-click unsubscribe) for one recipient, in their own language (see services)."""
    token = services.unsubscribe_token(recipient)
    page, one_click = link_patterns(recipient.language, settings.SITE_URL)
    return page.replace(TOKEN_SPOT, token), one_click.replace(TOKEN_SPOT, token)


TOKEN_SPOT = "-token-"  # noqa: S105 - a place in a URL, not a secret


@functools.cache
def link_patterns(language, site_url):
    """The personal links of `language` with TOKEN_SPOT for the token: a URL lookup per language, not per recipient
    (it costs as much as the rest of a recipient's share of a batch)."""
    return (
        services.absolute_url("newsletter:unsubscribe", language, token=TOKEN_SPOT),
        services.absolute_url("newsletter:one_click", language, token=TOKEN_SPOT),
    )


def common_headers():
    return {"List-Unsubscribe-Post": "List-Unsubscribe=One-Click", "List-Id": list_id()}


# anymail backends whose batch sending takes BatchSender's merge syntax.
BATCH_BACKENDS = {"anymail.backends.brevo.EmailBackend"}


def sender_for_settings():
    """Batch sending where the backend supports it (or NEWSLETTER_BATCH_SENDING says so), else one by one."""
    batch = settings.NEWSLETTER_BATCH_SENDING
    if batch is None:
        batch = settings.EMAIL_BACKEND in BATCH_BACKENDS
    if batch:
        return BatchSender(settings.NEWSLETTER_BATCH_SIZE)
    return OneByOneSender(settings.NEWSLETTER_SINGLE_BATCH_SIZE)
