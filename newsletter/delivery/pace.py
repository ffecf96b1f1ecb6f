"""The mail provider's pace, kept by every worker together: NEWSLETTER_MAX_RATE messages a second at most, and
slower whenever the provider's answers ask for it.

One shared next slot (`ProviderPace.next_slot`, a moment in seconds since the epoch): before a worker claims a
batch it reserves the batch's share of time, `size / rate` seconds, from the later of that slot and now, and waits
until the start of what it reserved. Reservations are handed out one at a time (an UPDATE holds the row), so any
number of workers together stay within the rate: a worker that idles does not save up a burst. The part of a
reservation that the claim did not fill (the queue ran short) is given back.

The provider's own word counts too, rate or not: its rate-limit headers (Brevo's `x-sib-ratelimit-remaining` and
`-reset`) or a 429's `Retry-After` push the next slot on for every worker (`outcomes.asked_wait` reads them).

The slot is kept in the database, not the cache: the database is what every worker of every setting shares and
updates atomically. The cache is a memory per process in the tests, files without atomic counters in development,
and in production Redis that, when down, is skipped without an error (IGNORE_EXCEPTIONS), which would drop the pace
unseen.
"""

import time

from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Greatest

from ..conf import setting
from ..models import ProviderPace
from .queue import LONGEST_NAP

ROW = 1  # the one row of ProviderPace: the provider's pace is the account's, whatever the mailing


class Pace:
    """One worker's view of the shared pace. `clock` and `sleep`: time.time and time.sleep, or a test's simulated
    time."""

    def __init__(self, rate=None, clock=None, sleep=None):
        self.rate = float(rate) if rate else None  # from the environment it is text; unset or 0: no rate
        self.clock = clock or time.time
        self.sleep = sleep or time.sleep
        self.heard_until = 0.0  # the latest pause this worker heard the provider ask for

    @classmethod
    def for_settings(cls):
        return cls(setting("NEWSLETTER_MAX_RATE"))

    def wait(self, size, rest):
        """Waits until `size` messages may go to the provider. Before each nap `rest()` is called: the worker
        records the batch it has in flight (so that no claim is held while it waits) and reports that it lives."""
        start = self.reserve(size)
        while self.left(start) > 0:
            rest()  # its batch's answer may ask for a pause, and recording takes time: hence left() again
            self.sleep(min(max(0.0, self.left(start)), LONGEST_NAP))

    def left(self, start):
        return max(start, self.heard_until) - self.clock()

    def reserve(self, size):
        """The moment from which `size` messages may go: the shared next slot (at the earliest now), which moves
        on by their share of the rate. Without a rate only the provider's pauses count, and nothing is written."""
        now = self.clock()
        if self.rate is None:
            return ProviderPace.objects.filter(pk=ROW).values_list("next_slot", flat=True).first() or now
        share = size / self.rate
        with transaction.atomic():
            self.push(Greatest(F("next_slot"), Value(now)) + share)
            return ProviderPace.objects.get(pk=ROW).next_slot - share

    def unused(self, count):
        """Gives back the time of `count` reserved messages that the claim did not find."""
        if self.rate and count:
            ProviderPace.objects.filter(pk=ROW).update(next_slot=F("next_slot") - count / self.rate)

    def heed(self, outcomes):
        """Pauses every worker for as long as the provider asked in its answer to a batch: the longest `after` of
        the batch's outcomes (none: it asked for no pause)."""
        asked = [outcome.after for outcome in outcomes if getattr(outcome, "after", None)]
        if asked:
            self.heard_until = max(self.heard_until, self.clock() + max(asked))
            self.push(Greatest(F("next_slot"), Value(self.heard_until)))

    @staticmethod
    def push(next_slot):
        ProviderPace.objects.bulk_create([ProviderPace(pk=ROW)], ignore_conflicts=True)  # the first use makes it
        ProviderPace.objects.filter(pk=ROW).update(next_slot=next_slot)
