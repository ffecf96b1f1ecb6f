"""Newsletter sending benchmark on PostgreSQL: one edition to 100,000 confirmed subscribers through anymail's real
Brevo backend, pointed at the fake Brevo server (tests/newsletter/fake_brevo.py, in a process of its own).

For each size in BENCH_SIZES (default 10,000 and 100,000): one `db_worker` sends the edition; then, at the largest
size, the same with BENCH_FAIL_RATE (default 10%) injected 500s, 429s and timeouts, with the worker killed (SIGKILL)
when BENCH_KILL_AT (default 40%) has been sent and a new one started after the clock takes the sending up again, with
two workers at once, and with two workers paced at BENCH_RATE (default 1,000) messages a second (NEWSLETTER_MAX_RATE),
whose achieved rate and its deviation from the pace follow the table. Each row: messages per second (from the sending's
start to its end, as recorded in the mailing), the worker processes' wall time, ESP calls and their answers, the
workers' peak memory (VmHWM), and the duplicates and missing recipients found in the fake server's log against the
confirmed subscribers. The batch a kill cuts off is sent again by the restarted worker: it shows as duplicates (at most
one batch, the one allowed window) only when the server had accepted it; "unknown" counts such recipients where
NEWSLETTER_RESEND_IN_DOUBT is off. The ceiling sends the worker's batches (the same subscribers a thousand at a time,
each language's share with its own frozen copy, the same backend, merge data and headers) with no database at all.

Then the alert run: BENCH_FOLLOWERS (default 20,000) of the subscribers (a fifth English) follow one action; a new
progress update is published on its Dutch page and on its English translation, and one worker sends the alerts (a
second publish of the same page must queue nothing); then the same followers follow three actions weekly, each
action gets a new update, and one worker sends the week's digest, against the wall time of the edition's run.

Run with `make bench-newsletter`; BENCH_DATABASE_URL names a database it drops and creates again. Prints figures;
asserts nothing.
"""

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import warnings
from collections import Counter
from datetime import timedelta
from pathlib import Path
from urllib.request import urlopen

from fresh_database import recreate  # beside this script

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
FAKE = ROOT / "tests/newsletter/fake_brevo.py"
sys.path[:0] = [str(ROOT), str(HERE), str(FAKE.parent)]
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kernteam_bench_newsletter")
PORT = int(os.environ.get("BENCH_PORT", "8160"))
SIZES = sorted(int(size) for size in os.environ.get("BENCH_SIZES", "10000,100000").split(","))
FAIL_RATE = float(os.environ.get("BENCH_FAIL_RATE", "0.1"))
KILL_AT = float(os.environ.get("BENCH_KILL_AT", "0.4"))
RATE = float(os.environ.get("BENCH_RATE", "1000"))
ENGLISH_SHARE = 0.2
FOLLOWERS = int(os.environ.get("BENCH_FOLLOWERS", "20000"))
os.environ.update(
    DATABASE_URL=DATABASE_URL,
    DJANGO_SETTINGS_MODULE="newsletter_settings",
    BENCH_BREVO_URL=f"http://127.0.0.1:{PORT}/v3/",
)
warnings.filterwarnings("ignore", "No directory at", UserWarning)


recreate(DATABASE_URL)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core import mail  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_tasks_db.models import DBTaskResult  # noqa: E402
from fake_brevo import read_log  # noqa: E402
from wagtail.models import Locale  # noqa: E402

from actions.models import ActionPage  # noqa: E402
from newsletter import services  # noqa: E402
from newsletter.delivery import api, following, rows, senders, status, task  # noqa: E402
from newsletter.drafting import draft_edition  # noqa: E402
from newsletter.models import Delivery, Follow, Mailing, NewsletterPage, ProviderPace, Subscriber, Told  # noqa: E402

WORKER = [
    sys.executable,
    str(ROOT / "manage.py"),
    "db_worker",
    "--backend",
    "newsletter",
    "--queue-name",
    "newsletter",
    "--batch",
    "--no-startup-delay",
    "--no-reload",
    "--interval",
    "0.1",
    "--verbosity",
    "0",
]
WORKER_ENV = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(HERE)])}


class Server:
    """The fake Brevo server in a process of its own, with a fresh log."""

    def __init__(self, fail_rate):
        self.log = Path(tempfile.mkdtemp()) / "brevo.log"
        command = [sys.executable, str(FAKE), str(PORT), str(self.log), "--fail-rate", str(fail_rate)]
        self.process = subprocess.Popen(command)
        for _try in range(100):
            try:
                self.stats()
                return
            except OSError:
                time.sleep(0.05)

    def stats(self):
        with urlopen(f"http://127.0.0.1:{PORT}/stats", timeout=5) as answer:  # noqa: S310 - our own server
            return json.load(answer)

    def stop(self):
        self.process.terminate()
        self.process.wait()


def peak_memory_mb(pid):
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def setup():
    print("Loading the seed content and publishing an edition ...", flush=True)
    call_command("migrate", verbosity=0)
    call_command("load_seed_content", verbosity=0)
    draft = draft_edition()
    for page in (draft.edition, draft.translation):
        page.save_revision().publish()
    return NewsletterPage.objects.get(pk=draft.edition.pk)


def grow_subscribers(size):
    """Confirmed subscribers up to `size`, a fifth of them English."""
    have = Subscriber.objects.count()
    now = timezone.now()
    fields = {"state": Subscriber.State.CONFIRMED, "state_changed_at": now, "consent_given_at": now}
    Subscriber.objects.bulk_create(
        (
            Subscriber(
                email=f"reader{n}@example.org",
                language="en" if n % round(1 / ENGLISH_SHARE) == 0 else "nl",
                consent_version=services.CONSENT_VERSION,
                **fields,
            )
            for n in range(have, size)
        ),
        batch_size=5000,
    )


def reset(edition):
    Delivery.objects.all().delete()  # first: a delivery protects the copy it was sent from
    Mailing.objects.filter(edition=edition).delete()
    DBTaskResult.objects.all().delete()
    ProviderPace.objects.all().delete()
    NewsletterPage.objects.update(sent_at=None)


def work(running):
    """Waits for the worker processes to finish; returns their peak memory (MB)."""
    peaks = {process.pid: 0.0 for process in running}
    while any(process.poll() is None for process in running):
        for process in running:
            peaks[process.pid] = max(peaks[process.pid], peak_memory_mb(process.pid))
        time.sleep(0.1)
    return max(peaks.values())


def send(edition, size, name, fail_rate=0.0, workers=1, kill=False, rate=None):
    reset(edition)
    server = Server(fail_rate)
    settings.NEWSLETTER_SEND_TASKS = workers
    mailing = api.start_send(edition)
    started = time.perf_counter()
    env = WORKER_ENV | ({"NEWSLETTER_MAX_RATE": str(rate)} if rate else {})
    running = [subprocess.Popen(WORKER, env=env) for _n in range(workers)]
    peaks = {process.pid: 0.0 for process in running}
    killed = False
    while any(process.poll() is None for process in running):
        for process in running:
            peaks[process.pid] = max(peaks[process.pid], peak_memory_mb(process.pid))
        if kill and not killed and Delivery.objects.filter(mailing=mailing, state="sent").count() >= KILL_AT * size:
            running[0].send_signal(signal.SIGKILL)
            running[0].wait()
            killed = True
            time.sleep(settings.NEWSLETTER_CLAIM_LEASE + 0.5)  # the lease of the dead worker's claim passes
            api.resume_stalled()  # what the clock does every minute
            running.append(subprocess.Popen(WORKER, env=env))
            peaks[running[-1].pid] = 0.0
        time.sleep(0.1)
    wall = time.perf_counter() - started
    mailing.refresh_from_db()
    counts = status.progress(mailing).counts
    calls = server.stats()
    server.stop()
    got = Counter(address for address, _id, _extra in read_log(server.log))
    confirmed = set(Subscriber.objects.filter(state="confirmed").values_list("email", flat=True))
    seconds = (mailing.finished_at - mailing.started_at).total_seconds() if mailing.finished_at else float("nan")
    print(
        f"{name:<28} {size:>7} {counts['sent'] / seconds:>9.0f} {wall:>7.1f} "
        f"{sum(calls.values()):>6} {calls['accepted']:>6} {calls['500'] + calls['429'] + calls['timeout']:>6} "
        f"{max(peaks.values()):>7.0f} {sum(n - 1 for n in got.values()):>5} {len(confirmed - set(got)):>7} "
        f"{counts['unknown']:>7} {counts['failed']:>6}  {mailing.state}",
        flush=True,
    )
    return mailing, counts["sent"] / seconds, wall


def pace_held(mailing, rate):
    """The rate a paced sending achieved: the messages after the first batch over the time from the first batch's
    record to the last's (each batch is recorded a provider's answer after its slot, so the offsets cancel out)."""
    stamps = Counter(Delivery.objects.filter(mailing=mailing, state="sent").values_list("sent_at", flat=True))
    first, last = min(stamps), max(stamps)
    achieved = (sum(stamps.values()) - stamps[first]) / (last - first).total_seconds()
    print(f"paced at {rate:,.0f}/s: achieved {achieved:,.0f}/s, deviation {achieved / rate - 1:+.1%}", flush=True)


def ceiling(edition, size):
    """The worker's batches, sent the way its provider thread sends them (same anymail backend, frozen copies, merge
    data and headers, to the same server), with no database at all: the subscribers are read beforehand."""
    reset(edition)
    server = Server(0.0)
    mailing = api.start_send(edition)
    pages = task.pages_per_language(mailing)
    frozen = {page.pk: task.freeze(mailing, page) for page in pages.values()}
    copy_of = {language: frozen[page.pk] for language, page in pages.items()}
    copies = {copy.pk: copy for copy in frozen.values()}
    # In the order the deliveries are queued, and so claimed: language by language.
    subscribers = sorted(
        Subscriber.objects.filter(state="confirmed").order_by("pk").values_list("email", "key", "language")[:size],
        key=lambda subscriber: list(pages).index(subscriber[2]),
    )
    recipients = [
        rows.Recipient(n, copy_of[language].pk, email, str(key), language, 0)
        for n, (email, key, language) in enumerate(subscribers)
    ]
    sender = senders.sender_for_settings()
    started = time.perf_counter()
    with mail.get_connection() as connection:
        for first in range(0, size, sender.batch_size):
            senders.send_batch(sender, connection, copies, recipients[first : first + sender.batch_size])
    seconds = time.perf_counter() - started
    calls = server.stats()
    server.stop()
    print(f"{'ceiling (no database)':<28} {size:>7} {size / seconds:>9.0f} {seconds:>7.1f} {sum(calls.values()):>6}")


def follow(subscribers, actions, frequency):
    """`subscribers` follow each of `actions` (Dutch pages), confirmed since yesterday, at `frequency`."""
    Follow.objects.all().delete()
    yesterday = timezone.now() - timedelta(days=1)
    Follow.objects.bulk_create(
        (
            Follow(
                subscriber_id=pk,
                action=action,
                frequency=frequency,
                state=Follow.State.CONFIRMED,
                state_changed_at=yesterday,
                consent_given_at=yesterday,
            )
            for pk in subscribers
            for action in actions
        ),
        batch_size=5000,
    )


def publish_update(action, number):
    """A new progress update on the Dutch `action` and, with the same block id, its English translation."""
    update_id = f"bench-{number}-{action.pk}"
    english = action.get_translation(Locale.objects.get(language_code="en"))
    for page, text in [(action, "Nieuwe stand van zaken."), (english, "New progress.")]:
        page = ActionPage.objects.get(pk=page.pk)  # as it is now
        stored = [*page.updates.raw_data]
        stored.append({"type": "update", "id": update_id, "value": {"date": "2026-11-20", "text": f"<p>{text}</p>"}})
        page.updates = json.dumps(stored)
        page.save_revision().publish()
    return update_id


def tell(name, mailings, expected, budget=None):
    """Runs a worker until `mailings` are done; prints their figures against the `expected` addresses."""
    server = Server(0.0)
    started = time.perf_counter()
    peak = work([subprocess.Popen(WORKER, env=WORKER_ENV)])
    wall = time.perf_counter() - started
    calls = server.stats()
    server.stop()
    got = Counter(address for address, _id, _extra in read_log(server.log))
    done = Mailing.objects.filter(pk__in=[mailing.pk for mailing in mailings])
    first = min(mailing.started_at for mailing in done)
    last = max(mailing.finished_at for mailing in done)
    sent = Delivery.objects.filter(mailing__in=done, state="sent").count()
    rate = sent / (last - first).total_seconds()
    print(
        f"{name:<28} {sent:>7} {rate:>9.0f} {wall:>7.1f} {sum(calls.values()):>6} {calls['accepted']:>6} {'':>6} "
        f"{peak:>7.0f} {sum(n - 1 for n in got.values()):>5} {len(expected - set(got)):>7} {'':>7} "
        f"{Delivery.objects.filter(mailing__in=done, state='failed').count():>6}  "
        + (f"within the edition's {budget:.1f} s: {wall <= budget}" if budget else ""),
        flush=True,
    )
    return rate


def alert_runs(edition_rate, edition_seconds):
    """The alerts of one update to FOLLOWERS followers, a second publish, and the weekly digest of three actions."""
    DBTaskResult.objects.all().delete()
    actions = list(ActionPage.objects.filter(locale__language_code="nl").order_by("number")[:3])
    followers = list(
        Subscriber.objects.filter(state="confirmed").order_by("pk").values_list("pk", "email")[:FOLLOWERS]
    )
    expected = {email for _pk, email in followers}
    follow([pk for pk, _email in followers], actions[:1], Follow.Frequency.IMMEDIATELY)
    publish_update(actions[0], 1)
    alerts = list(Mailing.objects.filter(kind="alert"))
    rate = tell("alerts of one update", alerts, expected)
    ActionPage.objects.get(pk=actions[0].pk).save_revision().publish()
    again = Mailing.objects.filter(kind="alert").count() - len(alerts)
    print(
        f"alerts vs the edition's {edition_rate:.0f} msg/s: {rate / edition_rate:.2f}x; a second publish queued "
        f"{again} mailings; Told lines {Told.objects.count()}",
        flush=True,
    )
    follow([pk for pk, _email in followers], actions, Follow.Frequency.WEEKLY)
    for action in actions:
        publish_update(action, 2)
    settings.NEWSLETTER_DIGEST_WEEKDAY, settings.NEWSLETTER_DIGEST_HOUR = 0, 0  # this week's is due now
    digest = following.start_digest()
    tell("weekly digest, 3 actions", [digest], expected, budget=edition_seconds)
    print(f"digest copies (groups): {digest.copies.count()}", flush=True)


def main():
    edition = setup()
    sender = senders.sender_for_settings()
    print(
        f"\n{type(sender).__name__}, {sender.batch_size} recipients a call; fault rate {FAIL_RATE:.0%}; "
        f"load average {os.getloadavg()}"
    )
    print(
        f"{'run':<28} {'size':>7} {'msg/s':>9} {'wall s':>7} {'calls':>6} {'201':>6} {'fault':>6} "
        f"{'peak MB':>7} {'dupl':>5} {'missing':>7} {'unknown':>7} {'failed':>6}"
    )
    for size in SIZES:
        grow_subscribers(size)
        _mailing, rate, seconds = send(edition, size, "one worker")
    largest = SIZES[-1]
    ceiling(edition, largest)
    send(edition, largest, f"{FAIL_RATE:.0%} injected failures", fail_rate=FAIL_RATE)
    send(edition, largest, "worker killed and restarted", kill=True)
    send(edition, largest, "two workers", workers=2)
    paced, _rate, _wall = send(edition, largest, f"two workers paced {RATE:,.0f}/s", workers=2, rate=RATE)
    pace_held(paced, RATE)
    alert_runs(rate, seconds)
    print(f"load average {os.getloadavg()}")


if __name__ == "__main__":
    main()
