"""Page rendering benchmark: median and 95th percentile per page, and queries per page, on the seeded site.

Run with `make bench`. Prints figures; asserts nothing about time.
"""

import os
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3")
warnings.filterwarnings("ignore", "No directory at", UserWarning)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "200"))
URLS = [
    "/",
    "/acties-en-interventies/",
    "/acties-en-interventies/politieke-agendering/",
    "/en/",
    "/en/actions-and-interventions/putting-it-on-the-political-agenda/",
    "/sitemap.xml",
    "/bestaat-niet/",
]


def main():
    call_command("migrate", verbosity=0)
    call_command("compile_catalogues", verbosity=0)
    call_command("load_seed_content", stdout=open(os.devnull, "w"))  # noqa: SIM115
    client = Client()
    print(f"{'page':<70} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    for url in URLS:
        client.get(url)  # warm caches
        queries = []

        def count(execute, sql, *args, log=queries):
            log.append(sql)
            return execute(sql, *args)

        with connection.execute_wrapper(count):
            client.get(url)
        timings = []
        for _ in range(ROUNDS):
            start = time.perf_counter()
            client.get(url)
            timings.append((time.perf_counter() - start) * 1000)
        p95 = statistics.quantiles(timings, n=20)[-1]
        print(f"{url:<70} {statistics.median(timings):>10.2f} {p95:>8.2f} {len(queries):>8}")


if __name__ == "__main__":
    main()
