"""Which progress updates the newsletter has told: those an edition reported when its sending started.

The record (`ToldUpdate`) is written in the transaction that freezes the sending's copies (delivery/task.py), so a
sending never exists without it, nor it without the sending. Drafting reports what is not told yet, whatever its
date; an edition drafted or published but never sent tells nothing.
"""

from django.db.models import Max

from .models import Mailing, ToldUpdate


def reported_update_ids(items):
    """The block ids of the progress updates in an edition's action items (its `items` stream).

    Read from the stored form (no query for the action pages); an update stored without an id, in the list format
    from before Wagtail 2.16, has nothing to track it by.
    """
    return [update["id"] for item in items.raw_data for update in item["value"]["updates"] if "id" in update]


def record(mailing, now):
    """Records the updates `mailing`'s edition reports as told by it; one told by an earlier sending stays its."""
    ToldUpdate.objects.bulk_create(
        [
            ToldUpdate(update_id=update_id, mailing=mailing, told_at=now)
            for update_id in reported_update_ids(mailing.edition.items)
        ],
        ignore_conflicts=True,
    )


def told_among(update_ids):
    """The ones of `update_ids` that a sending has told (one query)."""
    return set(ToldUpdate.objects.filter(update_id__in=update_ids).values_list("update_id", flat=True))


def last_sending_start():
    """When the latest sending of an edition started, or None before the first."""
    return Mailing.objects.filter(kind=Mailing.Kind.EDITION).aggregate(latest=Max("started_at"))["latest"]
