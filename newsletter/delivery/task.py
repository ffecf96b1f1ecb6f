"""The background task that sends one mailing: prepares it when it is due, then claims, sends and records batches
until none are left (any number of these may run at once)."""

import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from django.core import mail
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from ..conf import setting
from ..links import preferences_url
from ..models import Mailing, MailingCopy
from ..rendering import SampleReader, render_edition
from ..told import record
from .alerts import prepare_alert
from .digests import prepare_digest
from .pace import Pace
from .personal import links_for
from .queue import claim, heartbeat, queue_deliveries, rest_or_finish
from .queue import record as record_outcomes
from .senders import send_batch, sender_for_settings
from .status import audience, progress

# How long a sending waits before it looks again whether the English translation has gone live.
TRANSLATION_WAIT = timedelta(minutes=1)
# What preparing the mailings that tell followers does (an edition's preparation is below).
PREPARE_FOR_FOLLOWERS = {Mailing.Kind.ALERT: prepare_alert, Mailing.Kind.DIGEST: prepare_digest}


@task(backend="newsletter", queue_name="newsletter")
def send_mailing(mailing_id):
    """Works on one mailing until nothing is left to send."""
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
    sender = sender_for_settings(links_for(mailing))
    pace = Pace.for_settings()
    copies = {copy.pk: copy for copy in mailing.copies.all()}
    look_ahead = setting("NEWSLETTER_RESEND_IN_DOUBT")
    in_flight = None  # the batch the provider has: (recipients, future outcomes)

    def land(recipients, outcomes):
        """Records a batch once the provider has answered; returns None, as nothing is in flight then."""
        answers = outcomes.result()
        pace.heed(answers.values())
        with transaction.atomic():  # one commit
            record_outcomes(recipients, answers)
            heartbeat(mailing)
        if on_batch:
            on_batch(progress(mailing))

    def rest():
        """While the pace holds this worker back: no claim is held (the batch in flight is recorded)."""
        nonlocal in_flight
        if in_flight:
            in_flight = land(*in_flight)
        heartbeat(mailing)

    with mail.get_connection() as connection, ThreadPoolExecutor(max_workers=1) as provider:
        while True:
            if in_flight and not look_ahead:
                in_flight = land(*in_flight)
            pace.wait(sender.batch_size, rest)
            now = timezone.now()
            claimed = claim(mailing, sender.batch_size, now)
            pace.unused(sender.batch_size - len(claimed))
            if in_flight:
                in_flight = land(*in_flight)
            if claimed:
                in_flight = (claimed, provider.submit(send_batch, sender, connection, copies, claimed))
                continue
            nap = rest_or_finish(mailing, now)
            if nap is None:
                return
            time.sleep(nap)
            heartbeat(mailing)


def prepare(mailing_id):
    """Freezes the copies, records what the mailing tells and queues its deliveries, once, when the mailing is due
    (all in one transaction: no sending without its record, nor the other way round).

    Returns the mailing when there is sending to do; None when it is done, not due yet, or waiting for a
    translation (then a new task looks again in a minute).
    """
    now = timezone.now()
    with transaction.atomic():
        mailing = (
            Mailing.objects.select_for_update(of=("self",))
            .select_related("edition", "action")
            .filter(pk=mailing_id)
            .first()
        )
        if mailing is None or mailing.state == Mailing.State.DONE:  # cancelled before it began, or done
            return None
        if mailing.state == Mailing.State.SENDING:
            return mailing
        if mailing.send_at > now:  # started early by the clock; the scheduled task comes at send_at
            return None
        if mailing.kind == Mailing.Kind.EDITION:
            if not prepare_edition(mailing, now):
                return None
        else:
            PREPARE_FOR_FOLLOWERS[mailing.kind](mailing, now)
        mailing.state, mailing.started_at, mailing.heartbeat_at = Mailing.State.SENDING, now, now
        mailing.save(update_fields=["state", "started_at", "heartbeat_at"])
    return mailing


def prepare_edition(mailing, now):
    """Freezes each language's copy, records the updates the edition tells and queues one delivery per confirmed
    subscriber; False while a language waits for its translation (a new task looks again in a minute)."""
    pages = pages_per_language(mailing)
    if pages is None:
        Mailing.objects.filter(pk=mailing.pk).update(heartbeat_at=now)
        send_mailing.using(run_after=now + TRANSLATION_WAIT).enqueue(mailing.pk)
        return False
    copies = {}
    for language, page in pages.items():
        if page.pk not in copies:
            copies[page.pk] = freeze(mailing, page)
        queue_deliveries(mailing, copies[page.pk], language, now)
    record(mailing, now)
    return True


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
    sample = SampleReader(page.locale.language_code)
    rendered = render_edition(page, sample)
    link = preferences_url(sample)
    return MailingCopy.objects.create(
        mailing=mailing,
        page=page,
        revision_id=page.live_revision_id,
        language=page.locale.language_code,
        subject=rendered.subject,
        html=rendered.html.replace(link, MailingCopy.PERSONAL_LINK),
        text=rendered.text.replace(link, MailingCopy.PERSONAL_LINK),
    )
