"""`make faults`: the site under steady traffic while its services fail. Prints a timeline of the answers per second
and a verdict per fault; exits 1 if a verdict fails.

1. PostgreSQL stopped for FAULT_DOWN_SECONDS and started again: requests may fail only while it is down (and for a
   moment after: RECOVERY_SECONDS), then every request succeeds again without restarting the site.
2. Redis stopped for the same time and started again: pages keep answering (rendered afresh instead of from the
   cache), nothing fails; subscribing answers "try again later" (429) while the rate limits cannot count.

The PostgreSQL cluster and Redis server are the run's own (services.py): the machine's shared ones are never touched.
"""

import os
import sys
import time

from services import load_average, production_site
from traffic import Clients, Recorder, Subscriptions, failed, mixed_paths, visitors

CLIENTS = int(os.environ.get("FAULT_CLIENTS", "16"))
BEFORE_SECONDS = 8
DOWN_SECONDS = int(os.environ.get("FAULT_DOWN_SECONDS", "6"))
AFTER_SECONDS = 12
RECOVERY_SECONDS = 3


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


def main():
    with production_site() as (postgres, redis):
        paths = mixed_paths()
        print(f"{CLIENTS} clients on {len(paths)} paths; {load_average()}")
        results = [postgres_restart(postgres, paths), redis_stop(redis, paths)]
        print(f"\n{load_average()}")
        print("RESULT:", "all faults handled" if all(results) else "a fault was not handled")
        return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
