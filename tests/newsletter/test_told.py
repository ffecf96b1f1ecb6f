"""Every progress update told once: the updates a sent edition reported are recorded when its sending starts, and
the next draft reports the ones no sent edition has told, whatever their date."""

from datetime import UTC, date, datetime, timedelta
from importlib import import_module

import pytest
from django.apps import apps
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from newsletter.delivery import api, task
from newsletter.drafting import draft_edition
from newsletter.models import Mailing, MailingCopy, ToldUpdate


def reported(edition):
    """{action number: [the block ids of the updates its item reports]} of an edition."""
    return {
        item["action"].number: [update.id for update in item["block"].value["updates"].bound_blocks]
        for item in edition.action_items()
    }


def on(day, hour=9):
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def test_updates_entered_after_a_sending_are_in_the_next_draft_whatever_their_date(
    actions, publish, send, edit_updates
):
    # As measured: an update added later on the day an edition went out, and one entered with last week's date.
    november = publish(draft_edition(today=date(2026, 11, 1)).edition, on(date(2026, 11, 1), 8))
    send(november, on(date(2026, 11, 1)))
    edit_updates(
        3,
        added=[
            (date(2026, 11, 1), "Later op de dag.", "u3-same-day"),
            (date(2026, 10, 25), "Vorige week, vandaag ingevoerd.", "u3-late"),
        ],
    )
    draft = draft_edition(today=date(2026, 11, 8))
    assert reported(draft.edition) == {3: ["u3-late", "u3-same-day"], 4: ["u4"]}
    assert draft.since == date(2026, 11, 1)


def test_a_told_update_is_not_told_again_when_its_text_and_date_are_corrected(actions, publish, send, edit_updates):
    send(publish(draft_edition(today=date(2026, 11, 1)).edition, on(date(2026, 11, 1), 8)), on(date(2026, 11, 1)))
    edit_updates(2, corrected={"u2": (date(2026, 11, 3), "Zes teams doen mee.")})
    assert reported(draft_edition(today=date(2026, 11, 8)).edition) == {4: ["u4"]}


def test_before_any_sending_every_update_up_to_today_is_news_however_many_editions_were_published(actions, publish):
    publish(draft_edition(today=date(2026, 10, 1)).edition, on(date(2026, 10, 1)))
    draft = draft_edition(today=date(2026, 11, 5))
    assert reported(draft.edition) == {1: ["u1-old", "u1-new"], 2: ["u2"], 3: ["u3"], 4: ["u4"]}
    assert draft.since is None and draft.edition.preheader == "Hoe het met onze acties gaat"
    assert not ToldUpdate.objects.exists()


def test_a_scheduled_sending_tells_nothing_until_it_starts(actions, publish):
    edition = publish(draft_edition(today=date(2026, 11, 1)).edition, on(date(2026, 11, 1)))
    mailing = api.start_send(edition, send_at=timezone.now() + timedelta(days=1))
    task.run(mailing.pk)
    assert not ToldUpdate.objects.exists()
    Mailing.objects.filter(pk=mailing.pk).update(send_at=timezone.now())
    task.run(mailing.pk)
    assert set(ToldUpdate.objects.values_list("update_id", flat=True)) == {"u1-old", "u1-new", "u2", "u3"}


def test_two_sendings_that_report_the_same_update_record_it_once_for_the_first(actions, publish, send):
    # Both drafted before either was sent: the second reports the first's updates again, and action 4's.
    first = publish(draft_edition(today=date(2026, 11, 1)).edition, on(date(2026, 11, 1)))
    second = publish(draft_edition(today=date(2026, 11, 2)).edition, on(date(2026, 11, 2)))
    earlier, later = send(first, on(date(2026, 11, 1))), send(second, on(date(2026, 11, 2)))
    told = dict(ToldUpdate.objects.values_list("update_id", "mailing"))
    assert told == {"u1-old": earlier.pk, "u1-new": earlier.pk, "u2": earlier.pk, "u3": earlier.pk, "u4": later.pk}
    with pytest.raises(IntegrityError), transaction.atomic():
        ToldUpdate.objects.create(update_id="u2", mailing=later, told_at=timezone.now())


def test_a_sending_that_fails_to_start_leaves_neither_its_copies_nor_its_record(
    actions, publish, subscribers, monkeypatch
):
    edition = publish(draft_edition(today=date(2026, 11, 1)).edition, on(date(2026, 11, 1)))
    mailing = api.start_send(edition, dutch_for_english=True)
    recorded = task.record

    def record_then_crash(*args):
        recorded(*args)
        raise RuntimeError("the worker died")

    monkeypatch.setattr(task, "record", record_then_crash)
    with pytest.raises(RuntimeError):
        task.run(mailing.pk)
    assert not ToldUpdate.objects.exists() and not MailingCopy.objects.exists()
    assert Mailing.objects.get(pk=mailing.pk).state == Mailing.State.SCHEDULED


def test_the_migration_records_the_updates_of_the_editions_already_sent(actions, publish, send, edit_updates):
    first = publish(draft_edition(today=date(2026, 11, 1)).edition, on(date(2026, 11, 1)))
    second = publish(draft_edition(today=date(2026, 11, 2)).edition, on(date(2026, 11, 2)))
    earlier, later = send(first, on(date(2026, 11, 1))), send(second, on(date(2026, 11, 2)))
    edit_updates(3, added=[(date(2026, 11, 3), "Nieuw.", "u3-new")])
    scheduled = publish(draft_edition(today=date(2026, 11, 3)).edition, on(date(2026, 11, 3)))
    api.start_send(scheduled, send_at=timezone.now() + timedelta(days=1))
    ToldUpdate.objects.all().delete()  # as on a site that sent these before the record existed

    migration = import_module("newsletter.migrations.0009_told_by_sent_editions")
    migration.record_sent_editions(apps, None)

    told = {row.update_id: (row.mailing_id, row.told_at) for row in ToldUpdate.objects.all()}
    first_told, second_told = (earlier.pk, on(date(2026, 11, 1))), (later.pk, on(date(2026, 11, 2)))
    assert told == {"u1-old": first_told, "u1-new": first_told, "u2": first_told, "u3": first_told, "u4": second_told}
    assert reported(draft_edition(today=date(2026, 11, 8)).edition) == {3: ["u3-new"]}


def test_drafting_costs_the_same_queries_however_many_updates_were_told(actions, publish):
    def queries_of_a_draft():
        with CaptureQueriesContext(connection) as queries:
            draft = draft_edition(today=date(2026, 11, 5))
        assert reported(draft.edition) == {1: ["u1-old", "u1-new"], 2: ["u2"], 3: ["u3"], 4: ["u4"]}
        return len(queries)

    edition = publish(draft_edition(today=date(2026, 11, 1)).edition, on(date(2026, 11, 1)))
    mailing = api.start_send(edition, send_at=timezone.now() + timedelta(days=1))
    queries_of_a_draft()  # the first fills Django's and Wagtail's caches (content types, locales)
    before = queries_of_a_draft()
    # Years of told updates of actions that are gone, on a sending that has not started.
    ToldUpdate.objects.bulk_create(
        ToldUpdate(update_id=f"gone-{n}", mailing=mailing, told_at=timezone.now()) for n in range(2000)
    )
    assert queries_of_a_draft() == before
