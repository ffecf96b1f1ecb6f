"""`make load`: LOAD_CLIENTS (200) concurrent clients for LOAD_SECONDS (60) on the mixed public pages and search,
with wrk, while other clients subscribe to the newsletter. Prints what it saw; exits 1 on any error, any 5xx, or a
subscription answered 2xx that is not in the database.

The production settings under gunicorn, on a PostgreSQL cluster and a Redis server of the run's own (services.py).
"""

import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from services import WEB, load_average, production_site
from traffic import Clients, Recorder, Subscriptions, failed, mixed_paths

CLIENTS = int(os.environ.get("LOAD_CLIENTS", "200"))
SECONDS = int(os.environ.get("LOAD_SECONDS", "60"))
SUBSCRIBERS = int(os.environ.get("LOAD_SUBSCRIBERS", "4"))
LUA = Path(__file__).with_name("mixed.lua")


def run_wrk(paths_file):
    command = ["wrk", "-t2", f"-c{CLIENTS}", f"-d{SECONDS}s", "--timeout", "30s", "-s", str(LUA), WEB]
    output = subprocess.run([*command, "--", str(paths_file)], capture_output=True, text=True, check=True).stdout
    statuses = {int(status): int(count) for status, count in re.findall(r"^STATUS (\d+) (\d+)$", output, re.M)}
    error_line = re.search(r"^ERRORS (.*)$", output, re.M).group(1)
    return output, statuses, {name: int(count) for name, count in re.findall(r"(\w+)=(\d+)", error_line)}


def main():
    with production_site() as (postgres, _redis):
        paths = mixed_paths()
        paths_file = Path(tempfile.mkstemp(suffix=".txt")[1])
        paths_file.write_text("\n".join(paths) + "\n")
        print(f"{len(paths)} paths: the pages of both languages (sitemap), searches, the feed, text files, a 404")
        print(f"Before: {load_average()}")
        run = str(int(time.time()))  # digits only: safe in the query below
        subscriptions = Subscriptions(run)
        with Clients(SUBSCRIBERS, subscriptions.requests, Recorder(), subscriptions.on_answer):
            output, statuses, errors = run_wrk(paths_file)
        paths_file.unlink()
        print(output)
        print(f"After: {load_average()}")
        sql = f"SELECT email FROM newsletter_subscriber WHERE email LIKE 'load-{run}-%'"  # noqa: S608
        rows = set(postgres.query(sql).split())
        lost = subscriptions.accepted - rows
        print(f"Visitors: {sum(statuses.values())} answers, by status {dict(sorted(statuses.items()))}; {errors}")
        print(f"Subscriptions: answers {dict(subscriptions.answers)}; 2xx {len(subscriptions.accepted)}", end="")
        print(f", rows {len(rows)}, lost {len(lost)}")
        problems = sum(count for status, count in statuses.items() if status >= 500) + sum(errors.values())
        problems += len(lost) + sum(count for outcome, count in subscriptions.answers.items() if failed(outcome))
        print("RESULT:", "no errors, no 5xx, no subscription lost" if problems == 0 else f"{problems} problems")
        return 0 if problems == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
