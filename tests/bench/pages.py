"""Page benchmark on the production setup: gunicorn, whitenoise, PostgreSQL and Redis on 127.0.0.1, measured with wrk.

Run with `make bench`. In one run, beside a bare Django view (tests/bench/bare_settings.py: Django's security and
common middleware only, 20 KB, its own gunicorn with as many workers: the ceiling on this machine) and a minimal view
served through the site's whole middleware: requests/second and latency of the home page, the overview, an action page
and an edition, answered from the page cache and rendered in full (the header X-Bench-Uncached, which only
tests/bench/settings.py honours, takes a request past the page cache); then the queries per page type with the 7 seeded
actions and with 700, and the bytes an action page costs with its assets, compressed as served. Prints figures; asserts
nothing about time.

BENCH_DATABASE_URL names a PostgreSQL database the benchmark drops and creates again, or a SQLite file
(sqlite:////path) it removes; BENCH_REDIS_URL a Redis database it empties, or nothing for the file cache that runs
without Redis (in a temporary folder); BENCH_PORT, BENCH_SECONDS, BENCH_CONNECTIONS, BENCH_WORKERS, BENCH_PAGES
(some of home,overview,action,edition) and BENCH_ROUNDS (each row is measured once per round, the rows in turn,
and the best round counts, so that a burst of load from the machine's other users weighs on no row alone) tune the
run. Prints gunicorn's CPU time per request beside the rates: on a shared machine, the steadier measure of what a
page costs.

BENCH_BAKERYDEMO names a file of KEY=VALUE lines describing a checkout of wagtail/bakerydemo set up on this machine
(DIR, PYTHON, SETTINGS, ENV: its folder, Python, settings module and environment; HOME_PATH, BREAD_PATH: its home and
one bread page); its two pages are then measured in the same run, on a gunicorn of its own with as many workers.
"""

import os
import re
import secrets
import signal
import subprocess
import sys
import tempfile
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
BAKERYDEMO = os.environ.get("BENCH_BAKERYDEMO")
PORT = int(os.environ.get("BENCH_PORT", "8400"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))
WORKERS = int(os.environ.get("BENCH_WORKERS", str(2 * os.cpu_count() + 1)))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "2"))
PAGES = os.environ.get("BENCH_PAGES", "home,overview,action,edition").split(",")
BASE = f"http://127.0.0.1:{PORT}"
BARE = f"http://127.0.0.1:{PORT + 1}/"
UNCACHED_HEADER = "X-Bench-Uncached: 1"
ASSETS_BUDGET = 100 * 1024
TARGETS = {"cached": 0.8, "uncached": 0.10, "queries": 8, "cached p99/p50": 4, "uncached p99/p50": 3}
# The site's WSGI application, and Django's own for the bare view (which has no page cache in front).
SITE_APPLICATION, BARE_APPLICATION = "config.wsgi", "django.core.wsgi:get_wsgi_application()"

ENVIRONMENT = {
    "DJANGO_SETTINGS_MODULE": "tests.bench.settings",
    "DATABASE_URL": DATABASE_URL,
    "REDIS_URL": REDIS_URL,
    "CACHE_DIR": tempfile.mkdtemp(prefix="bench-cache-"),  # the file cache, where REDIS_URL is empty
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
    if REDIS_URL:
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


def start_server(application, settings_module, port, probe, python=sys.executable, folder=ROOT, environment=None):
    command = [
        python, "-m", "gunicorn", application,
        "--bind", f"127.0.0.1:{port}", "--workers", str(WORKERS), "--log-level", "warning",
    ]  # fmt: skip
    environment = (os.environ if environment is None else environment) | {"DJANGO_SETTINGS_MODULE": settings_module}
    server = subprocess.Popen(command, cwd=folder, env=environment, start_new_session=True)
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


def server_cpu_seconds(server):
    """The CPU time gunicorn's master and workers have used so far: per request, a cost that other users of the
    machine slow down far less than they do requests per second."""
    workers = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    ticks = 0
    for pid in [server.pid, *workers]:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])  # utime and stime
    return ticks / os.sysconf("SC_CLK_TCK")


def wrk(url, server, uncached=False):
    for _ in range(20):  # warm up: every worker renders and caches the page once
        request = urllib.request.Request(url, headers=dict([UNCACHED_HEADER.split(": ")]) if uncached else {})
        urllib.request.urlopen(request).read()  # noqa: S310 - our own server
    command = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "--latency", url]
    if uncached:
        command += ["-H", UNCACHED_HEADER]
    cpu = server_cpu_seconds(server)
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    cpu = server_cpu_seconds(server) - cpu
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    latency = {point: seconds(value) for point, value in re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", output, re.MULTILINE)}
    if len(latency) != 2:
        raise SystemExit(f"wrk gave no latency distribution for {url}:\n{output}")
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)|Socket errors: (.*)", output)
    return rate, latency["50"], latency["99"], cpu / requests, errors.group(0) if errors else ""


def seconds(value):
    """wrk's latency ("812.00us", "4.98ms", "1.02s") in seconds."""
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()
    return float(number) * {"us": 1e-6, "ms": 1e-3, "s": 1, "m": 60}[unit]


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


def start_bakerydemo(port):
    """wagtail/bakerydemo as BENCH_BAKERYDEMO describes it, and the addresses of its home and bread pages."""
    described = dict(
        line.split("=", 1) for line in Path(BAKERYDEMO).read_text().splitlines() if re.match(r"[A-Z_]+=", line)
    )
    environment = {"PATH": os.environ["PATH"]} | dict(pair.split("=", 1) for pair in described["ENV"].split())
    base = f"http://127.0.0.1:{port}"
    server = start_server(
        "bakerydemo.wsgi", described["SETTINGS"], port, base + described["HOME_PATH"],
        python=described["PYTHON"], folder=described["DIR"], environment=environment,
    )  # fmt: skip
    return server, base + described["HOME_PATH"], base + described["BREAD_PATH"]


def print_rows(best):
    bare, minimal = best["bare Django view"], best["minimal view, whole middleware"]
    print(
        f"{'page':<30} {'req/s':>6} {'p50 ms':>7} {'p99 ms':>7} {'p99/p50':>7} {'/bare':>6} {'/min.':>6}"
        f" {'cpu ms':>6} {'bare cpu/cpu':>12}  errors"
    )
    for name, (rate, p50, p99, cpu, errors) in best.items():
        print(
            f"{name:<30} {rate:>6.0f} {p50 * 1e3:>7.2f} {p99 * 1e3:>7.2f} {p99 / p50:>7.1f}"
            f" {rate / bare[0]:>6.3f} {rate / minimal[0]:>6.3f} {cpu * 1e3:>6.2f} {bare[3] / cpu:>12.3f}  {errors}"
        )
    print("(/bare, /min.: to the bare view's and the minimal view's best rounds; cpu ms: gunicorn's CPU time per")
    print(" request, and the bare view's divided by it: the share of the bare view when the machine is not shared)")


def print_issue_table(best):
    """The table of issue 21, with the targets beside each share."""
    bare = best["bare Django view"][0]
    print("\n| what | requests/s | share of the bare view | p50 | p99 | p99/p50 |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name, row, kind in [
        ("bare Django view", "bare Django view", None),
        ("our action page from the page cache", "action, cached", "cached"),
        ("our home page from the page cache", "home, cached", "cached"),
        ("our action page rendered in full", "action, full render", "uncached"),
        ("our home page rendered in full", "home, full render", "uncached"),
        ("wagtail/bakerydemo bread page (no page cache)", "bakerydemo bread", None),
        ("wagtail/bakerydemo home page (no page cache)", "bakerydemo home", None),
    ]:
        if row not in best:
            continue  # a page BENCH_PAGES left out
        rate, p50, p99, *_ = best[row]
        share = f"{rate / bare:.3f}" + (f" (target >= {TARGETS[kind]})" if kind else "")
        steady = f"{p99 / p50:.1f}" + (f" (target <= {TARGETS[f'{kind} p99/p50']})" if kind else "")
        print(f"| {name} | {rate:,.0f} | {share} | {p50 * 1e3:.2f} ms | {p99 * 1e3:.2f} ms | {steady} |")


def main():
    print(f"load average before: {' '.join(f'{load:.2f}' for load in os.getloadavg())}; {os.cpu_count()} cores")
    prepare_site()
    action = ActionPage.objects.filter(locale__language_code="nl").order_by("path").last().url
    edition = NewsletterPage.objects.filter(locale__language_code="nl").live().first().url
    pages = {"home": "/", "overview": ActionIndexPage.objects.get(locale__language_code="nl").url}
    pages |= {"action": action, "edition": edition}
    pages = {name: pages[name] for name in PAGES}

    server = start_server(SITE_APPLICATION, "tests.bench.settings", PORT, f"{BASE}/bench/minimal/")
    bare_server = start_server(BARE_APPLICATION, "tests.bench.bare_settings", PORT + 1, BARE)
    bakerydemo = start_bakerydemo(PORT + 2) if BAKERYDEMO else None
    try:
        rows = {
            "bare Django view": (BARE, bare_server, False),
            "minimal view, whole middleware": (f"{BASE}/bench/minimal/", server, False),
        }
        for name, path in pages.items():
            rows[f"{name}, cached"] = (BASE + path, server, False)
            rows[f"{name}, full render"] = (BASE + path, server, True)
        if bakerydemo:
            demo_server, demo_home, demo_bread = bakerydemo
            rows |= {
                "bakerydemo bread": (demo_bread, demo_server, False),
                "bakerydemo home": (demo_home, demo_server, False),
            }
        print(f"\ngunicorn, {WORKERS} workers, wrk {CONNECTIONS} connections x {SECONDS} s per row, best of {ROUNDS}")
        runs = {name: [] for name in rows}
        for _ in range(ROUNDS):
            for name, (url, answering, uncached) in rows.items():
                runs[name].append(wrk(url, answering, uncached))
        best = {name: max(measured) for name, measured in runs.items()}
        print_rows(best)
        print_issue_table(best)
        print(f"load average after wrk: {' '.join(f'{load:.2f}' for load in os.getloadavg())}")

        print(f"\nbytes for an action page with its assets ({action}), compressed as served:")
        weight = page_weight(action)
        for url, size, encoding in weight:
            print(f"  {url:<70} {size:>8,} B  {encoding}")
        total = sum(size for _, size, _ in weight)
        print(f"  {'total':<70} {total:>8,} B  (target < {ASSETS_BUDGET:,} B)")
    finally:
        for running in [bare_server, server, *(bakerydemo or ())[:1]]:
            stop_server(running)

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
