"""What the mail provider answered for one recipient: sent, failed, or to be tried again, and how long it asked us
to wait before the next call."""

import time
from dataclasses import dataclass

from django.utils.http import parse_http_date_safe


@dataclass(frozen=True)
class Sent:
    message_id: str
    after: float | None = None  # seconds the provider's rate-limit headers ask us to wait before the next call


@dataclass(frozen=True)
class Failed:
    error: str


@dataclass(frozen=True)
class Retry:
    error: str
    after: float | None = None  # seconds the provider asked us to wait (Retry-After, or its rate-limit headers)


def classify(error):
    """A transient error (timeout, connection, 429, 5xx) is retried; anything else is a rejection."""
    status = getattr(error, "status_code", None)
    if isinstance(error, OSError) and status is None:  # timeouts, refused connections, SMTP trouble
        return Retry(str(error))
    if status == 429 or (status is not None and status >= 500):
        response = getattr(error, "response", None)
        # A 429's rate-limit headers tell when the provider takes calls again; a 5xx's tell nothing of when it
        # recovers: there only Retry-After counts, else the backoff.
        after = asked_wait(response) if status == 429 else retry_after(response)
        return Retry(f"HTTP {status}", after=after)
    return Failed(str(error)[:2000])


def outcome_of(status, after=None):
    """A recipient's outcome from anymail's status for them (None: the backend reports none, so it was sent)."""
    if status is None:
        return Sent("", after)
    if status.status in ("rejected", "invalid", "failed"):
        return Failed(f"The mail provider answered {status.status}.")
    return Sent("" if status.message_id is None else str(status.message_id), after)


def asked_wait(response):
    """Seconds the provider's HTTP answer (anymail's `esp_response`, or an error's `response`) asks us to wait
    before the next call, or None: its Retry-After (seconds or a date), else Brevo's rate-limit headers, the calls
    left in its window spread evenly over the time until the window resets (all of it once none are left)."""
    if (wait := retry_after(response)) is not None:
        return wait
    headers = getattr(response, "headers", None) or {}
    try:
        remaining = int(headers["x-sib-ratelimit-remaining"])
        reset = float(headers["x-sib-ratelimit-reset"])
    except (KeyError, ValueError):
        return None
    return max(0.0, reset) / (max(0, remaining) + 1)


def retry_after(response):
    """The seconds of the answer's Retry-After (given in seconds or as a date), or None."""
    value = (getattr(response, "headers", None) or {}).get("Retry-After", "").strip()
    if value.isdigit():
        return float(value)
    if (date := parse_http_date_safe(value)) is not None:
        return max(0.0, date - time.time())
    return None
