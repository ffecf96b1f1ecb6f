"""What the mail provider answered for one recipient: sent, failed, or to be tried again."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Sent:
    message_id: str


@dataclass(frozen=True)
class Failed:
    error: str


@dataclass(frozen=True)
class Retry:
    error: str
    after: float | None = None  # seconds the provider asked us to wait (Retry-After)


def classify(error):
    """A transient error (timeout, connection, 429, 5xx) is retried; anything else is a rejection."""
    status = getattr(error, "status_code", None)
    if isinstance(error, OSError) and status is None:  # timeouts, refused connections, SMTP trouble
        return Retry(str(error))
    if status == 429 or (status is not None and status >= 500):
        response = getattr(error, "response", None)
        after = response.headers.get("Retry-After") if response is not None else None
        return Retry(f"HTTP {status}", after=float(after) if after and after.isdigit() else None)
    return Failed(str(error)[:2000])


def outcome_of(status):
    """A recipient's outcome from anymail's status for them (None: the backend reports none, so it was sent)."""
    if status is None:
        return Sent("")
    if status.status in ("rejected", "invalid", "failed"):
        return Failed(f"The mail provider answered {status.status}.")
    return Sent("" if status.message_id is None else str(status.message_id))
