"""The rows the queue hands around: a claimed recipient, and what is stored of their outcome."""

import uuid
from typing import NamedTuple


class Recipient(NamedTuple):  # a tuple: a thousand are made for every batch
    delivery_id: int
    copy_id: int
    email: str
    key: str | uuid.UUID  # the subscriber's key, only ever written into their signed links
    language: str
    attempts: int


# The Delivery fields a Recipient is read from, in its order.
RECIPIENT_FIELDS = ["pk", "copy_id", "subscriber__email", "subscriber__key", "subscriber__language", "attempts"]
# The Delivery fields an outcome writes, in the order of a stored row (after the delivery's id).
STORED = ["state", "attempts", "esp_message_id", "error", "next_attempt_at"]
