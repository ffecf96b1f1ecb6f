"""Page benchmark on the production setup: gunicorn, whitenoise, PostgreSQL and Redis on 127.0.0.1, measured with wrk.

Run with `make bench`. In one run, beside a bare Django view (tests/bench/bare_settings.py: Django's security and
common middleware only, 20 KB, its own gunicorn with as many workers: the ceiling on this machine) and a minimal view
served through the site's whole middleware: requests/second and latency of the home page, the overview, an action page
and an edition, answered from the page cache and rendered in full (the header X-Bench-Uncached, which only
tests/bench/settings.py honours, takes a request past the page cache); then the queries per page type with the 7 seeded
actions and with 700, and the bytes an action page costs with its assets, compressed as served. Prints figures; asserts
nothing about time.

BENCH_DATABASE_URL names a PostgreSQL database the benchmark drops and creates again; BENCH_REDIS_URL a Redis
database it empties; BENCH_PORT, BENCH_SECONDS, BENCH_CONNECTIONS and BENCH_WORKERS tune the run.
"""

import os
import re
import secrets
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
import warnings
from pathlib import Path
from urllib.parse import urljoin

from fresh_database import recreate  # beside this script

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kernteam_bench")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/5")
PORT = int(os.environ.get("BENCH_PORT", "8400"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))
WORKERS = int(os.environ.get("BENCH_WORKERS", str(2 * os.cpu_count() + 1)))
BASE = f"http://127.0.0.1:{PORT}"
BARE = f"http://127.0.0.1:{PORT + 1}/"
UNCACHED_HEADER = "X-Bench-Uncached: 1"
ASSETS_BUDGET = 100 * 1024
TARGETS = {"cached": 0.8, "uncached action": 0.10, "queries": 8}

ENVIRONMENT = {
    "DJANGO_SETTINGS_MODULE": "tests.bench.settings",
    "DATABASE_URL": DATABASE_URL,
    "REDIS_URL": REDIS_URL,
    "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    "SITE_URL": "https://localhost",
    "SECURE_SSL_REDIRECT": "false",
    "DEFAULT_FROM_EMAIL": "Kernteam <nieuwsbrief@localhost>",
    "SECURITY_TXT_CONTACT": "mailto:security@localhost",
    # Made up for this run: production settings refuse to start without them.
    "ANYMAIL_WEBHOOK_SECRET": f"bench:{secrets.token_urlsafe(24)}",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
}
os.environ.update(ENVIRONMENT)
warnings.filterwarnings("ignore", "No directory at", UserWarning)


def empty_redis():
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()


recreate(DATABASE_URL)
empty_redis()

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from actions.models import ActionIndexPage, ActionPage  # noqa: E402
from home.models import SiteSettings  # noqa: E402
from newsletter.models import NewsletterIndexPage, NewsletterPage  # noqa: E402
from tests.test_queries import add_actions, add_edition, public_pages  # noqa: E402


def prepare_site():
    quiet = open(os.devnull, "w")  # noqa: SIM115
    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--no-input", verbosity=0)
    call_command("load_seed_content", stdout=quiet)
    SiteSettings.load()
    for language in ("nl", "en"):
        index = NewsletterIndexPage.objects.get(locale__language_code=language)
        if not NewsletterPage.objects.child_of(index).live().exists():
            add_edition(index, ActionPage.objects.filter(locale__language_code=language))


def start_server(settings_module, port, probe):
    command = [
        sys.executable, "-m", "gunicorn", "config.wsgi",
        "--bind", f"127.0.0.1:{port}", "--workers", str(WORKERS), "--log-level", "warning",
    ]  # fmt: skip
    environment = os.environ | {"DJANGO_SETTINGS_MODULE": settings_module}
    server = subprocess.Popen(command, cwd=ROOT, env=environment, start_new_session=True)
    for _ in range(100):
        try:
            urllib.request.urlopen(probe, timeout=1)  # noqa: S310 - our own server
            return server
        except OSError:
            time.sleep(0.2)
    stop_server(server)
    raise SystemExit("gunicorn did not answer")


def stop_server(server):
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=30)


def wrk(url, uncached=False):
    for _ in range(20):  # warm up: every worker renders and caches the page once
        request = urllib.request.Request(url, headers=dict([UNCACHED_HEADER.split(": ")]) if uncached else {})
        urllib.request.urlopen(request).read()  # noqa: S310 - our own server
    command = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "--latency", url]
    if uncached:
        command += ["-H", UNCACHED_HEADER]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)$", output, re.MULTILINE))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)|Socket errors: (.*)", output)
    return rate, latency.get("50", "?"), latency.get("99", "?"), errors.group(0) if errors else ""


def fetch(url, headers):
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers)) as response:  # noqa: S310
        return response.read(), response.headers


def page_weight(path):
    """The bytes of the page and every stylesheet, script and image it links, as the server sends them."""
    headers = {"Accept-Encoding": "br, gzip"}
    html, html_headers = fetch(BASE + path, headers)
    text = fetch(BASE + path, {})[0].decode()
    assets = re.findall(r'<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"', text)
    assets += re.findall(r'<(?:script|img)[^>]+src="([^"]+)"', text)
    rows = [(path, len(html), html_headers.get("Content-Encoding", "none"))]
    for asset in dict.fromkeys(assets):
        body, asset_headers = fetch(urljoin(BASE + path, asset), headers)
        rows.append((asset, len(body), asset_headers.get("Content-Encoding", "none")))
    return rows


def queries_per_page(client):
    counts = {}
    for language in ("nl", "en"):
        for name, url in public_pages(language).items():
            client.get(url, HTTP_X_BENCH_UNCACHED="1")  # the site shell, as the server keeps it
            with CaptureQueriesContext(connection) as queries:
                status = client.get(url, HTTP_X_BENCH_UNCACHED="1").status_code
            assert status == 200, (url, status)
            counts[f"{language} {name}"] = len(queries)
    return counts


def main():
    print(f"load average before: {' '.join(f'{load:.2f}' for load in os.getloadavg())}; {os.cpu_count()} cores")
    prepare_site()
    action = ActionPage.objects.filter(locale__language_code="nl").order_by("path").last().url
    edition = NewsletterPage.objects.filter(locale__language_code="nl").live().first().url
    pages = {"home": "/", "overview": ActionIndexPage.objects.get(locale__language_code="nl").url}
    pages |= {"action": action, "edition": edition}

    server = start_server("tests.bench.settings", PORT, f"{BASE}/bench/minimal/")
    bare_server = start_server("tests.bench.bare_settings", PORT + 1, BARE)
    try:
        print(f"\ngunicorn, {WORKERS} workers, wrk {CONNECTIONS} connections x {SECONDS} s per row")
        print(f"{'page':<44} {'req/s':>8} {'p50':>9} {'p99':>9} {'/bare':>6} {'/min.':>6}  errors")
        bare, minimal = wrk(BARE), wrk(f"{BASE}/bench/minimal/")
        rows = [("bare Django view", bare), ("minimal view, whole middleware", minimal)]
        for name, path in pages.items():
            rows.append((f"{name}, cached", wrk(BASE + path)))
            rows.append((f"{name}, uncached (full render)", wrk(BASE + path, uncached=True)))
        minimal_again, bare_again = wrk(f"{BASE}/bench/minimal/"), wrk(BARE)
        rows += [("minimal view, whole middleware, again", minimal_again), ("bare Django view, again", bare_again)]
        # Each yardstick measured first and last, so that a change in the machine's load shows as a gap between them.
        bare_rate = statistics.mean([bare[0], bare_again[0]])
        minimal_rate = statistics.mean([minimal[0], minimal_again[0]])
        for name, (rate, p50, p99, errors) in rows:
            ratios = f"{rate / bare_rate:>6.3f} {rate / minimal_rate:>6.3f}"
            print(f"{name:<44} {rate:>8.0f} {p50:>9} {p99:>9} {ratios}  {errors}")
        print("(/bare, /min.: to the mean of the two bare-view rows, of the two minimal-view rows; targets:")
        print(f" cached >= {TARGETS['cached']} of the bare view, uncached action >= {TARGETS['uncached action']})")
        print(f"load average after wrk: {' '.join(f'{load:.2f}' for load in os.getloadavg())}")

        print(f"\nbytes for an action page with its assets ({action}), compressed as served:")
        weight = page_weight(action)
        for url, size, encoding in weight:
            print(f"  {url:<70} {size:>8,} B  {encoding}")
        total = sum(size for _, size, _ in weight)
        print(f"  {'total':<70} {total:>8,} B  (target < {ASSETS_BUDGET:,} B)")
    finally:
        stop_server(bare_server)
        stop_server(server)

    client = Client(HTTP_HOST="127.0.0.1")
    print(f"\nqueries per page type, rendered in full (target <= {TARGETS['queries']}):")
    seeded = queries_per_page(client)
    overview = ActionIndexPage.objects.get(locale__language_code="nl")
    add_actions(overview, 700 - ActionPage.objects.child_of(overview).count())
    many = queries_per_page(client)
    print(f"  {'page':<32} {'7 actions':>10} {'700 actions':>12}")
    for name, count in seeded.items():
        print(f"  {name:<32} {count:>10} {many[name]:>12}")


if __name__ == "__main__":
    main()
