"""Handing batches to the mail provider: in one call with merge data where the backend speaks our merge syntax,
else one message per recipient over one connection."""

import contextlib
import logging

from anymail.exceptions import AnymailRecipientsRefused
from django.conf import settings

from ..conf import setting
from ..links import common_headers
from ..messages import copy_message
from .outcomes import Failed, asked_wait, classify, outcome_of
from .personal import edition_links

logger = logging.getLogger(__name__)

# anymail backends whose batch sending takes BatchSender's merge syntax.
BATCH_BACKENDS = {"anymail.backends.brevo.EmailBackend"}


def sender_for_settings(links=edition_links):
    """Batch sending where the backend supports it (or NEWSLETTER_BATCH_SENDING says so), else one by one; with the
    personal `links` of the mailing's kind (delivery/personal.py)."""
    batch = setting("NEWSLETTER_BATCH_SENDING")
    if batch is None:
        batch = settings.EMAIL_BACKEND in BATCH_BACKENDS
    if batch:
        return BatchSender(setting("NEWSLETTER_BATCH_SIZE"), links)
    return OneByOneSender(setting("NEWSLETTER_SINGLE_BATCH_SIZE"), links)


def send_batch(sender, connection, copies, recipients):
    """The provider thread's part of a batch: each language's recipients their copy. Returns every outcome."""
    groups = {}
    for recipient in recipients:
        groups.setdefault(recipient.copy_id, []).append(recipient)
    outcomes = {}
    for copy_id, group in groups.items():
        outcomes |= send_copy(sender, connection, copies[copy_id], group)
    return outcomes


def send_copy(sender, connection, copy, recipients):
    """Sends `recipients` their copy; returns {delivery id: Sent, Failed or Retry}.

    A batch the provider refuses as a whole (a 4xx) is split in halves until the refused recipients are found.
    """
    try:
        return sender.send(connection, copy, recipients)
    except Exception as error:  # noqa: BLE001 - anything but a transient error marks the batch failed
        logger.warning("Sending %s recipients of mailing %s failed: %r", len(recipients), copy.mailing_id, error)
        outcome = classify(error)
        if isinstance(outcome, Failed) and len(recipients) > 1:
            middle = len(recipients) // 2
            return send_copy(sender, connection, copy, recipients[:middle]) | send_copy(
                sender, connection, copy, recipients[middle:]
            )
        return dict.fromkeys((recipient.delivery_id for recipient in recipients), outcome)


class BatchSender:
    """Anymail batch sending: one message, many recipients, each with their own link through the provider's merge
    data (`merge_data`) and their own List-Unsubscribe header (`merge_headers`). Brevo's syntax."""

    merge_field = "{{{{ params.{name} }}}}"

    def __init__(self, batch_size, links=edition_links):
        self.batch_size = batch_size
        self.links = links

    def send(self, connection, copy, recipients):
        personal = {recipient.email: self.links(recipient) for recipient in recipients}
        names = next(iter(personal.values()))[0]  # every recipient has the same links, each their own
        fields = {name: self.merge_field.format(name=name) for name in names}
        message = copy_message(copy, fields, list(personal), common_headers(), connection, literal=True)
        message.merge_data = {email: merge for email, (merge, _one_click) in personal.items()}
        message.merge_headers = {
            email: {"List-Unsubscribe": f"<{one_click}>"} for email, (_merge, one_click) in personal.items()
        }
        with contextlib.suppress(AnymailRecipientsRefused):  # every recipient refused: their statuses say so
            message.send()
        status = message.anymail_status
        after = asked_wait(status.esp_response)  # the provider's rate-limit headers, for the pace
        return {
            recipient.delivery_id: outcome_of(status.recipients.get(recipient.email), after)
            for recipient in recipients
        }


class OneByOneSender:
    """Any Django mail backend (another anymail ESP, SMTP, the development .eml writer): one message per recipient
    with their own links written in, all over one connection."""

    def __init__(self, batch_size, links=edition_links):
        self.batch_size = batch_size
        self.links = links

    def send(self, connection, copy, recipients):
        outcomes = {}
        for recipient in recipients:
            merge, one_click = self.links(recipient)
            headers = {**common_headers(), "List-Unsubscribe": f"<{one_click}>"}
            message = copy_message(copy, merge, [recipient.email], headers, connection)
            try:
                message.send()
            except Exception as error:  # noqa: BLE001 - recorded for this recipient
                outcomes[recipient.delivery_id] = classify(error)
                continue
            status = getattr(message, "anymail_status", None)  # only anymail's backends report one
            answer = status.recipients.get(recipient.email) if status else None
            outcomes[recipient.delivery_id] = outcome_of(answer, asked_wait(getattr(status, "esp_response", None)))
        return outcomes
