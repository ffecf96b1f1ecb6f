"""Preparing an alert mailing: its one frozen copy (the update as the page in its language has it now) and one
delivery per follower who wants it as it happens, each with its line in the exactly-once ledger (Told)."""

from django.db import connection
from wagtail.models import Locale

from actions.models import ActionPage
from home.serving.shell import is_public

from ..alerts.mail import ActionNews, render_news
from ..following import STOPS_EVERYTHING
from ..models import Delivery, Follow, MailingCopy, Subscriber, Told

State = Delivery.State


def live_action(action, language):
    """The live, public page of `action` (the Dutch page) in `language`, or None (unpublished, private, moved away
    from the site, or never translated)."""
    page = (
        ActionPage.objects.live()
        .filter(translation_key=action.translation_key, locale=Locale.objects.get(language_code=language))
        .first()
    )
    return page if page is not None and is_public(page) else None


def freeze_news(mailing, language, news, group=0, revision_id=None):
    """The copy of `news` (ActionNews) as sent in `language`, personal links left as their placeholders."""
    rendered = render_news(news, language, mailing.kind)
    return MailingCopy.objects.create(
        mailing=mailing,
        revision_id=revision_id,
        language=language,
        group=group,
        subject=rendered.subject,
        html=rendered.html,
        text=rendered.text,
    )


def prepare_alert(mailing, now):
    """Freezes the alert and queues its followers; nothing when the action or its update is gone meanwhile."""
    page = live_action(mailing.action, mailing.language)
    block = next((block for block in page.updates if block.id == mailing.update_id), None) if page else None
    if block is None:
        return
    copy = freeze_news(mailing, mailing.language, [ActionNews(page, [block.value])], revision_id=page.live_revision_id)
    queue_followers(mailing, copy, now)


def queue_followers(mailing, copy, now):
    """One pending delivery per confirmed as-it-happens follower of the action in the mailing's language whom no
    mailing has told this update yet, and its Told line; two INSERT ... SELECT statements.

    Told's unique (subscriber, update) refuses a second telling whatever else is under way (a digest, the alert in
    the other language after a change of language): the transaction fails and the clock takes the mailing up again.
    """
    delivery, subscriber, follow, told = (model._meta.db_table for model in (Delivery, Subscriber, Follow, Told))
    queue_sql = (
        f"INSERT INTO {delivery} (mailing_id, subscriber_id, copy_id, state, attempts, next_attempt_at, "  # noqa: S608
        f"esp_message_id, error) SELECT %s, s.id, %s, %s, 0, %s, '', '' FROM {follow} AS f "
        f"JOIN {subscriber} AS s ON s.id = f.subscriber_id "
        "WHERE f.action_id = %s AND f.state = %s AND f.frequency = %s AND s.language = %s AND s.state NOT IN (%s, %s) "
        f"AND NOT EXISTS (SELECT 1 FROM {told} AS t WHERE t.subscriber_id = s.id AND t.update_id = %s)"
    )
    queue_params = [
        mailing.pk,
        copy.pk,
        State.PENDING,
        connection.ops.adapt_datetimefield_value(now),
        mailing.action_id,
        Follow.State.CONFIRMED,
        Follow.Frequency.IMMEDIATELY,
        mailing.language,
        *STOPS_EVERYTHING,
        mailing.update_id,
    ]
    told_sql = (
        f"INSERT INTO {told} (subscriber_id, update_id, delivery_id) "  # noqa: S608
        f"SELECT subscriber_id, %s, id FROM {delivery} WHERE mailing_id = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(queue_sql, queue_params)
        cursor.execute(told_sql, [mailing.update_id, mailing.pk])
