"""Preparing the weekly digest: every update a weekly follower has not been told yet, of every action they follow,
in their language. Followers with the same language and the same untold updates share one frozen copy, so the digest
goes out in batches as an edition does; each delivery comes with its Told lines (the exactly-once ledger)."""

from collections import defaultdict

from django.db import connection

from actions.models import ActionPage

from ..alerts.mail import ActionNews
from ..following import STOPS_EVERYTHING
from ..models import Delivery, Follow, Mailing, Subscriber, Told
from .alerts import freeze_news, live_action

State = Delivery.State

# (subscriber, their language, an update they have not been told, its action) for every confirmed weekly follow: the
# updates that went live in the follower's language (their alert mailing) since they gave their consent.
UNTOLD_SQL = """
SELECT f.subscriber_id, s.language, m.update_id, m.action_id
FROM {follow} AS f JOIN {subscriber} AS s ON s.id = f.subscriber_id
JOIN {mailing} AS m ON m.action_id = f.action_id AND m.kind = %s AND m.language = s.language
    AND m.created_at >= f.consent_given_at
WHERE f.state = %s AND f.frequency = %s AND s.state NOT IN (%s, %s)
    AND NOT EXISTS (SELECT 1 FROM {told} AS t WHERE t.subscriber_id = f.subscriber_id AND t.update_id = m.update_id)
"""


def untold_groups():
    """{(language, frozenset of untold update ids): [subscriber ids]}, and {update id: its action's id}."""
    tables = {
        name: model._meta.db_table
        for name, model in [("follow", Follow), ("subscriber", Subscriber), ("mailing", Mailing), ("told", Told)]
    }
    params = [
        Mailing.Kind.ALERT,
        Follow.State.CONFIRMED,
        Follow.Frequency.WEEKLY,
        *STOPS_EVERYTHING,
    ]
    untold, languages, actions = defaultdict(set), {}, {}
    with connection.cursor() as cursor:
        cursor.execute(UNTOLD_SQL.format(**tables), params)
        for subscriber_id, language, update_id, action_id in cursor.fetchall():
            untold[subscriber_id].add(update_id)
            languages[subscriber_id] = language
            actions[update_id] = action_id
    groups = defaultdict(list)
    for subscriber_id, update_ids in untold.items():
        groups[(languages[subscriber_id], frozenset(update_ids))].append(subscriber_id)
    return groups, actions


class NewsReader:
    """The updates of the actions as their live pages in each language have them now, each page read once."""

    def __init__(self, actions):
        self.actions = actions  # {update id: its action's id}
        self.sources = ActionPage.objects.in_bulk(set(actions.values()))
        self.pages = {}

    def news(self, language, update_ids):
        """(ActionNews of `update_ids` in `language`, actions in their overview's order and updates oldest first;
        the ids of the updates in it). An update whose page is gone (unpublished, private) or no longer carries it
        is left out, and so not told."""
        found, told = [], []
        for action_id in {self.actions[update_id] for update_id in update_ids}:
            page = self.page(action_id, language)
            blocks = [block for block in page.updates if block.id in update_ids] if page else []
            if blocks:
                blocks.sort(key=lambda block: block.value["date"])
                found.append(ActionNews(page, [block.value for block in blocks]))
                told += [block.id for block in blocks]
        return sorted(found, key=lambda item: item.action.number), told

    def page(self, action_id, language):
        if (action_id, language) not in self.pages:
            self.pages[action_id, language] = live_action(self.sources[action_id], language)
        return self.pages[action_id, language]


def prepare_digest(mailing, now):
    """One copy per group of followers with the same news, one delivery each, and a Told line per update told."""
    groups, actions = untold_groups()
    reader = NewsReader(actions)
    for number, ((language, update_ids), subscriber_ids) in enumerate(groups.items(), start=1):
        news, told_ids = reader.news(language, update_ids)
        if not news:
            continue
        copy = freeze_news(mailing, language, news, group=number)
        deliveries = Delivery.objects.bulk_create(
            (Delivery(mailing=mailing, subscriber_id=pk, copy=copy, next_attempt_at=now) for pk in subscriber_ids),
            batch_size=5000,
        )
        Told.objects.bulk_create(
            (
                Told(subscriber_id=delivery.subscriber_id, update_id=update_id, delivery_id=delivery.pk)
                for delivery in deliveries
                for update_id in told_ids
            ),
            batch_size=5000,
        )
