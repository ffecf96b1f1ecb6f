"""Sending an edition to every confirmed subscriber: exactly once each, in batches, through anymail.

The admin and `manage.py send_newsletter` call `api` (start, cancel, retry, resume) and `status` (audience,
progress); the background task `task.send_mailing` (django-tasks, run by `db_worker`) does the work, taking its
batches from the `queue` and handing them to the mail provider through `senders`. How it stays exactly-once:

1. When sending starts, each language's edition is rendered once and frozen (`MailingCopy`), and one pending
   `Delivery` per confirmed subscriber is inserted in one statement, in the transaction that holds the mailing's
   row lock and moves it from scheduled to sending: a second start finds it sending and inserts nothing, and the
   unique (mailing, subscriber) constraint refuses a second delivery to anyone. The same transaction records the
   progress updates the edition tells (`told.record`), so that no later draft reports them again.
2. A worker claims a batch in one statement (on PostgreSQL `SELECT ... FOR UPDATE SKIP LOCKED` inside an UPDATE
   that sets the rows `sending` and returns them), skipping subscribers who left meanwhile. Two workers never hold
   the same row; a row is never sent unless its claim committed first. The SQL that differs per database is in
   `databases/`, one module each.
3. The batch goes to the mail provider in one call, from a thread of its own, while the worker claims the next
   batch; the answer is recorded per recipient before the next batch goes out: `sent` with its message id,
   `failed` for a rejection, back to `pending` with a backoff for a transient error.
4. A worker killed between 2 and 3 leaves its rows `sending` (the batch the provider had, and the one claimed
   next). Once its lease has passed they are sent again: the provider may or may not have accepted the first, so at
   most one call's recipients per dead worker may get the edition twice, and nobody is skipped. With
   NEWSLETTER_RESEND_IN_DOUBT off nothing is claimed ahead, and the batch in doubt becomes `unknown` instead,
   counted in the progress and sent again only when an editor chooses to (`api.resend_unknown`).
"""

# Tasks queued before the task moved into this package are stored under the path "newsletter.delivery.send_mailing"
# (django-tasks keeps the module path of the task and imports it when a worker takes the task up): that path must
# keep naming the task.
from .task import send_mailing

__all__ = ["send_mailing"]
