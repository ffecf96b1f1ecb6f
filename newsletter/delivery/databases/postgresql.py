"""The queue on PostgreSQL: many workers at once, each claim and each batch's record one statement."""

from django.db import connection

from ...models import Delivery
from ..rows import Recipient
from .due import DUE_SQL, STAYS_SQL, TAKE_SQL

# One statement per kind of mailing locks the rows (skipping those another worker holds), takes them and returns them.
CLAIM_SQL = {
    kind: DUE_SQL.format(stays=stays, lock="FOR UPDATE OF d SKIP LOCKED")  # noqa: S608 - constants only
    + f", taken AS ({TAKE_SQL} WHERE id = due_id)"
    + " SELECT due_id, copy_id, email, key, language, attempts FROM due WHERE stays ORDER BY due_id"
    for kind, stays in STAYS_SQL.items()
}

# Django's bulk_update builds a CASE per row and field, and model instances per row, which together cost more than
# the rest of a batch of 1,000; one UPDATE ... FROM unnest(arrays) writes them all. The time sent is one value, and
# an empty error is sent as NULL: turning values into SQL text is most of this statement's cost.
STORE_SQL = """
UPDATE newsletter_delivery AS d SET state = v.state, attempts = v.attempts, esp_message_id = v.esp_message_id,
    error = coalesce(v.error, ''), next_attempt_at = v.next_attempt_at,
    sent_at = CASE WHEN v.state = %s THEN %s::timestamptz END
FROM unnest(%s::bigint[], %s::text[], %s::int[], %s::text[], %s::text[], %s::timestamptz[])
    AS v(id, state, attempts, esp_message_id, error, next_attempt_at)
WHERE d.id = v.id
"""


def claim(cursor, kind, params):
    """Takes the due deliveries of a `kind` of mailing that DUE_SQL's `params` name; returns them as Recipients."""
    cursor.execute(CLAIM_SQL[kind], params)
    return [Recipient._make(row) for row in cursor.fetchall()]


def store(rows, sent_at):
    """Writes (id, *STORED) rows; those now sent were sent at `sent_at`."""
    ids, states, attempts, message_ids, errors, retry_at = (list(column) for column in zip(*rows, strict=True))
    errors = [error or None for error in errors]
    sent = Delivery.State.SENT
    with connection.cursor() as cursor:
        cursor.execute(STORE_SQL, [sent, sent_at, ids, states, attempts, message_ids, errors, retry_at])
