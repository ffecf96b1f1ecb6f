"""The queue on SQLite: one writer at a time, so claims never overlap; the ORM writes the outcomes."""

from ...models import Delivery
from ..rows import RECIPIENT_FIELDS, STORED, Recipient
from .due import DUE_SQL, STAYS_SQL, TAKE_SQL

# SQLite's RETURNING sees only the updated table: the recipients are read after.
CLAIM_SQL = {
    kind: DUE_SQL.format(stays=stays, lock="") + f"{TAKE_SQL} WHERE id = due_id RETURNING id, state"
    for kind, stays in STAYS_SQL.items()
}


def claim(cursor, kind, params):
    """Takes the due deliveries of a `kind` of mailing that DUE_SQL's `params` name; returns them as Recipients."""
    cursor.execute(CLAIM_SQL[kind], params)
    mine = [pk for pk, state in cursor.fetchall() if state == Delivery.State.SENDING]
    rows = Delivery.objects.filter(pk__in=mine).order_by("pk").values_list(*RECIPIENT_FIELDS)
    return [Recipient._make(row) for row in rows]


def store(rows, sent_at):
    """Writes (id, *STORED) rows; those now sent were sent at `sent_at`."""
    changed = [
        Delivery(
            pk=pk, sent_at=sent_at if row[0] == Delivery.State.SENT else None, **dict(zip(STORED, row, strict=True))
        )
        for pk, *row in rows
    ]
    Delivery.objects.bulk_update(changed, [*STORED, "sent_at"], batch_size=1000)
