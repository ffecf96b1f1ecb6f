"""Starting, cancelling and taking up again the sending of an edition: what the admin, the command and the clock
call. The work itself is the task's (task.py)."""

from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ..conf import setting
from ..models import Delivery, Mailing, NewsletterPage
from ..preflight.report import preflight
from .status import audience, source_edition
from .task import send_mailing

SEND_PERMISSION = "newsletter.send_newsletter"

State = Delivery.State


class CannotSend(Exception):
    """Why an edition cannot be sent (the message is for the editor)."""


def can_send(user):
    return user.has_perm(SEND_PERMISSION)


def start_send(edition, user=None, send_at=None, dutch_for_english=False):
    """Starts sending `edition` now, or at `send_at`; returns its Mailing.

    Only a published edition can be sent, and only once: a second start raises CannotSend (retry_failed and
    resend_unknown act on the first). Languages whose translation is not live wait for it, checked every minute,
    unless `dutch_for_english` sends them the Dutch edition. An edition whose preflight finds errors in a live
    language is refused (its warnings are the admin's to ask about).
    """
    edition = NewsletterPage.objects.get(pk=source_edition(edition).pk)  # as it is now, not as the caller read it
    if not edition.live:
        raise CannotSend(_("Only a published edition can be sent."))
    if preflight(live_editions(edition), with_spam=False).errors:
        raise CannotSend(_("The preflight found errors in this edition: fix them and publish it, then send it."))
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
        for _n in range(setting("NEWSLETTER_SEND_TASKS")):
            send_mailing.using(run_after=send_at).enqueue(mailing.pk)
    return mailing


def live_editions(edition):
    """The live page of `edition` in each language: what a sending would freeze now."""
    return [page for page in audience(edition).pages.values() if page is not None]


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
    stale = now - timedelta(seconds=setting("NEWSLETTER_CLAIM_LEASE"))
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
