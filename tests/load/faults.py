"""`make faults`: the site under steady traffic while its services fail. Prints a timeline of the answers per second
and a verdict per fault; exits 1 if a verdict fails.

1. PostgreSQL stopped for FAULT_DOWN_SECONDS and started again: requests may fail only while it is down (and for a
   moment after: RECOVERY_SECONDS), then every request succeeds again without restarting the site.
2. Redis stopped for the same time and started again: pages keep answering (rendered afresh instead of from the
   cache), nothing fails; subscribing answers "try again later" (429) while the rate limits cannot count.
3. SLOW_CLIENTS (50) connections that send a header byte every few seconds and never finish (slowloris), first
   straight at gunicorn, then at nginx in front of it: visitors' pages and their latency meanwhile. Through nginx
   every page must answer; straight at gunicorn the slow clients hold its workers (shown, not a verdict).

FAULTS (postgres,redis,slow) chooses which of them run.

The PostgreSQL cluster and Redis server are the run's own (services.py): the machine's shared ones are never touched.
"""

import os
import sys
import time

from services import load_average, production_site
from slow_clients import DIRECT, THROUGH_PROXY, during_slow_clients
from traffic import Clients, Recorder, Subscriptions, failed, mixed_paths, visitors

CLIENTS = int(os.environ.get("FAULT_CLIENTS", "16"))
BEFORE_SECONDS = 8
DOWN_SECONDS = int(os.environ.get("FAULT_DOWN_SECONDS", "6"))
AFTER_SECONDS = 12
RECOVERY_SECONDS = 3
SLOW_CLIENTS = int(os.environ.get("SLOW_CLIENTS", "50"))
SLOW_SECONDS = 20
FAULTS = os.environ.get("FAULTS", "postgres,redis,slow").split(",")


def during_outage(paths, stop, start, subscribers=0):
    """Traffic before, during and after an outage that `stop` and `start` make; returns the recorder, the marks
    (seconds since the start, event) and the subscription answers."""
    recorder = Recorder()
    subscriptions = Subscriptions(str(int(time.time())))
    marks = []
    with (
        Clients(CLIENTS, visitors(paths), recorder),
        Clients(subscribers, subscriptions.requests, Recorder(), subscriptions.on_answer),
    ):
        time.sleep(BEFORE_SECONDS)
        marks.append((recorder.now(), "stopped"))
        stop()
        subscriptions.answers.clear()
        time.sleep(DOWN_SECONDS)
        marks.append((recorder.now(), "starting"))
        start()
        marks.append((recorder.now(), "started"))
        time.sleep(AFTER_SECONDS)
    recorder.timeline(marks)
    return recorder, marks, subscriptions


def postgres_restart(postgres, paths):
    print("\n== PostgreSQL stopped and started during traffic")
    recorder, marks, _ = during_outage(paths, postgres.stop, postgres.start)
    stopped, started = int(marks[0][0]), int(marks[2][0])
    before = recorder.totals(last=stopped - 1)
    after = recorder.totals(first=started + RECOVERY_SECONDS + 1)
    outside = sum(n for totals in (before, after) for outcome, n in totals.items() if failed(outcome))
    down = recorder.totals(first=stopped, last=started + RECOVERY_SECONDS)
    print(f"  before: {dict(before)}; while down: {dict(down)}; after recovery: {dict(after)}")
    ok = outside == 0 and sum(after.values()) > 0
    print(
        "  VERDICT:",
        "failures only while PostgreSQL was down; recovered without a restart"
        if ok
        else f"{outside} failures outside the outage",
    )
    return ok


def redis_stop(redis, paths):
    print("\n== Redis stopped and started during traffic (and subscribing)")
    recorder, marks, subscriptions = during_outage(paths, redis.stop, redis.start, subscribers=2)
    totals = recorder.totals()
    failures = sum(n for outcome, n in totals.items() if failed(outcome))
    print(f"  pages: {dict(totals)}; subscriptions from the outage on: {dict(subscriptions.answers)}")
    subscription_failures = sum(n for outcome, n in subscriptions.answers.items() if failed(outcome))
    ok = failures == 0 and subscription_failures == 0
    print(
        "  VERDICT:",
        "pages answered throughout; nothing failed" if ok else f"{failures + subscription_failures} failures",
    )
    return ok


def slow_clients(paths):
    print(f"\n== {SLOW_CLIENTS} slow clients hold connections while 4 visitors ask for pages for {SLOW_SECONDS} s")
    slow = (SLOW_CLIENTS, 4, SLOW_SECONDS)
    during_slow_clients(DIRECT, paths, *slow)
    outcomes = during_slow_clients(THROUGH_PROXY, paths, *slow)
    failures = sum(n for outcome, n in outcomes.items() if failed(outcome))
    ok = failures == 0 and sum(outcomes.values()) > 0
    print("  VERDICT:", "through nginx every page answered" if ok else f"{failures} failures through nginx")
    return ok


def main():
    with production_site() as (postgres, redis):
        paths = mixed_paths()
        print(f"{CLIENTS} clients on {len(paths)} paths; {load_average()}")
        faults = {
            "postgres": lambda: postgres_restart(postgres, paths),
            "redis": lambda: redis_stop(redis, paths),
            "slow": lambda: slow_clients(paths),
        }
        results = [faults[name]() for name in FAULTS]
        print(f"\n{load_average()}")
        print("RESULT:", "all faults handled" if all(results) else "a fault was not handled")
        return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
