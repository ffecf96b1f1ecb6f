"""Starting the mailings that tell followers: an alert per new progress update and language when its page is
published, and the weekly digest at its hour. The work is the task's (task.py), as for an edition."""

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from ..conf import setting
from ..following import source_action
from ..models import Follow, Mailing
from .task import send_mailing


def start_alerts(page, update_ids):
    """One alert mailing per update of `update_ids` in the language of `page` (an ActionPage), each with its task.

    An update already told in that language starts nothing: a second publish, a second worker on the signal or a
    republished translation find its mailing (one per update and language, under a unique constraint). An action
    that nobody follows starts nothing either (someone who follows it later is told what is new from then on).
    """
    source = source_action(page)
    if not update_ids or not Follow.objects.filter(action=source, state=Follow.State.CONFIRMED).exists():
        return []
    now = timezone.now()
    started = []
    with transaction.atomic():
        for update_id in update_ids:
            mailing, created = Mailing.objects.get_or_create(
                kind=Mailing.Kind.ALERT,
                update_id=update_id,
                language=page.locale.language_code,
                defaults={"action": source, "send_at": now, "heartbeat_at": now},
            )
            if created:
                send_mailing.enqueue(mailing.pk)
                started.append(mailing)
    return started


def digest_due(now):
    """(the Monday of `now`'s week, when its digest is due) in the site's time zone."""
    site_zone = timezone.get_default_timezone()
    local = timezone.localtime(now, site_zone)
    monday = local.date() - timedelta(days=local.weekday())
    day = monday + timedelta(days=setting("NEWSLETTER_DIGEST_WEEKDAY"))
    return monday, timezone.make_aware(datetime.combine(day, time(setting("NEWSLETTER_DIGEST_HOUR"))), site_zone)


def start_digest(now=None):
    """The week's digest mailing, started once its hour has come; None before that, or while nobody follows weekly. A
    second clock, or the next minute's, finds the week's mailing and starts nothing."""
    now = now or timezone.now()
    period, due = digest_due(now)
    weekly = Follow.objects.filter(frequency=Follow.Frequency.WEEKLY, state=Follow.State.CONFIRMED)
    if now < due or not weekly.exists():  # without weekly followers there is no week to keep
        return None
    with transaction.atomic():
        mailing, created = Mailing.objects.get_or_create(
            kind=Mailing.Kind.DIGEST, period=period, defaults={"send_at": due, "heartbeat_at": now}
        )
        if created:
            send_mailing.enqueue(mailing.pk)
    return mailing
