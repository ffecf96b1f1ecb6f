"""The provider's pace (newsletter/delivery/pace.py): NEWSLETTER_MAX_RATE held by every worker together, and the
provider's rate-limit headers and 429s heeded. Time is simulated (each worker its own clock, moved on only by the
pace's naps and by what a test says a call takes): the tests count slots, never seconds."""

from collections import Counter
from email.utils import formatdate

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone
from fake_brevo import read_log

from newsletter.delivery import api, pace, queue, senders, task
from newsletter.delivery.outcomes import Retry, asked_wait, classify
from newsletter.models import ProviderPace

pytestmark = pytest.mark.by_database
START = 1_800_000_000.0  # simulated seconds since the epoch


class SimulatedTime:
    def __init__(self):
        self.now = START
        self.naps = []

    def time(self):
        return self.now

    def sleep(self, seconds):
        self.naps.append(seconds)
        self.now += seconds


@pytest.fixture
def simulated(monkeypatch):
    """Every Pace the worker makes runs on one simulated clock."""
    clock = SimulatedTime()
    monkeypatch.setattr(pace, "time", clock)
    return clock


def no_rest():
    pass


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has one writer at a time: run with DATABASE_URL")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_together_hold_the_rate(in_two_workers):
    rate, size, batches = 1000, 100, 40  # a slot of 100 messages every 0.1 s, whoever asks
    slots = []  # (the moment a batch may go, worker)

    def work(name):
        clock = SimulatedTime()
        worker_pace = pace.Pace(rate, clock=clock.time, sleep=clock.sleep)
        for _batch in range(batches):
            worker_pace.wait(size, no_rest)
            slots.append((clock.now, name))
            clock.now += 0.03  # the provider's answer, faster than the rate

    in_two_workers(work)
    moments = sorted(moment - START for moment, _name in slots)
    # Two workers that could each go every 0.03 s share one slot every 0.1 s between them: 1,000 messages a second
    # (to the millisecond: the slot is a moment since the epoch in a double).
    assert moments == pytest.approx([n * size / rate for n in range(2 * batches)], abs=1e-3)
    assert Counter(name for _moment, name in slots) == {"one": batches, "two": batches}


@pytest.mark.django_db
def test_a_share_the_claim_did_not_fill_is_given_back(simulated):
    worker_pace = pace.Pace(10)
    worker_pace.wait(5, no_rest)  # 0.5 s of the rate
    worker_pace.unused(5)  # the queue was empty
    worker_pace.wait(5, no_rest)
    assert simulated.naps == []  # nothing was sent in between: no wait


@pytest.mark.django_db
def test_a_paced_sending_waits_its_turn_between_batches(editions, many, settings, simulated):
    settings.NEWSLETTER_MAX_RATE = "10"  # as the environment gives it
    settings.NEWSLETTER_BATCH_SIZE = 5
    many(20)
    mailing = api.start_send(editions["nl"])
    task.run(mailing.pk)
    assert sum(len(message.to) for message in mail.outbox) == 20
    # Four batches of five at ten a second: the last goes 1.5 s after the first (then the empty claim's turn).
    assert simulated.now - START >= 1.5


@pytest.mark.django_db
def test_without_a_rate_nothing_waits_and_nothing_is_written(editions, many, settings, simulated):
    settings.NEWSLETTER_BATCH_SIZE = 5
    many(20)
    task.run(api.start_send(editions["nl"]).pk)
    assert sum(len(message.to) for message in mail.outbox) == 20
    assert simulated.naps == []
    assert not ProviderPace.objects.exists()


@pytest.mark.django_db
def test_brevos_rate_limit_headers_slow_the_worker_down(editions, many, brevo, settings, simulated):
    settings.NEWSLETTER_BATCH_SIZE = 4
    addresses = many(16)
    brevo.rate_limit, brevo.rate_window, brevo.clock = 2, 60, simulated.time  # two calls a minute, then a 429
    task.run(api.start_send(editions["nl"]).pk)
    assert Counter(address for address, _id, _extra in read_log(brevo.log_path)) == Counter(addresses)
    # In each window the first answer said one call was left (spread over the 60 s left: 30 s), the second that
    # none was (60 s, till the window's end). The worker waited for it, so no call went past the limit.
    assert brevo.calls == {"accepted": 4, "500": 0, "429": 0, "timeout": 0, "400": 0}
    assert sum(simulated.naps) >= 60


@pytest.mark.django_db
def test_a_429_with_retry_after_holds_back_every_worker(editions, subscribers, brevo, simulated):
    brevo.too_many, brevo.retry_after = 2, "30"  # a call per language
    mailing = task.prepare(api.start_send(editions["nl"]).pk)  # as the worker does: freeze and queue
    copies = {copy.pk: copy for copy in mailing.copies.all()}
    recipients = queue.claim(mailing, 100, timezone.now())
    with mail.get_connection() as provider:
        outcomes = senders.send_batch(senders.sender_for_settings(), provider, copies, recipients)
    assert set(outcomes.values()) == {Retry("HTTP 429", after=30.0)}
    pace.Pace().heed(outcomes.values())  # the worker that got the 429
    pace.Pace().wait(1000, no_rest)  # another worker, with no rate of its own
    assert simulated.naps == [pytest.approx(5.0)] * 6  # 30 s in naps of at most five (it reports in between)


@pytest.mark.parametrize(
    ("headers", "wait"),
    [
        ({}, None),
        ({"Retry-After": "12"}, 12.0),
        ({"x-sib-ratelimit-limit": "100", "x-sib-ratelimit-remaining": "0", "x-sib-ratelimit-reset": "42"}, 42.0),
        ({"x-sib-ratelimit-remaining": "99", "x-sib-ratelimit-reset": "60"}, 0.6),  # spread over the window
        ({"x-sib-ratelimit-remaining": "many", "x-sib-ratelimit-reset": "60"}, None),
    ],
)
def test_the_wait_the_providers_answer_asks_for(headers, wait):
    answer = type("Answer", (), {"headers": headers})
    assert asked_wait(answer) == (None if wait is None else pytest.approx(wait))


def test_a_retry_after_date_is_read_too():
    answer = type("Answer", (), {"headers": {"Retry-After": formatdate(1_000_000_000, usegmt=True)}})
    assert asked_wait(answer) == 0.0  # a moment that has passed: go at once


@pytest.mark.parametrize(
    ("status", "retry_after", "after"), [(429, None, 42.0), (500, None, None), (503, "5", 5.0), (429, "5", 5.0)]
)
def test_a_429_waits_by_the_rate_limit_headers_and_a_5xx_only_by_its_retry_after(status, retry_after, after):
    headers = {"x-sib-ratelimit-remaining": "0", "x-sib-ratelimit-reset": "42"}
    if retry_after:
        headers["Retry-After"] = retry_after
    error = type("Error", (), {"status_code": status, "response": type("Answer", (), {"headers": headers})})
    assert classify(error) == Retry(f"HTTP {status}", after=after)  # a 5xx without Retry-After: the backoff
