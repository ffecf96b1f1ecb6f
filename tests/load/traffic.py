"""Clients for the load and fault runs: the mixed public paths, and threads that ask for them (or subscribe) and
note every answer with the second it came in."""

import http.client
import itertools
import re
import ssl
import threading
import time
import urllib.parse
import urllib.request
from collections import Counter, defaultdict

from services import PROXY_PORT, WEB, WEB_PORT

SEARCHES = ["ambtenaar", "vakmanschap", "dialoog", "verkiezingen", "platform", "integriteit"]
ENGLISH_SEARCHES = ["civil servant", "craftsmanship", "dialogue", "election", "platform"]


def mixed_paths():
    """Every page in the sitemap (both languages), the feeds and text files, and searches: what visitors ask for."""
    sitemap = urllib.request.urlopen(WEB + "/sitemap.xml", timeout=30).read().decode()  # noqa: S310
    pages = [urllib.parse.urlsplit(url).path for url in re.findall(r"<loc>([^<]+)</loc>", sitemap)]
    searches = [f"/zoeken/?q={urllib.parse.quote(q)}" for q in SEARCHES]
    searches += [f"/en/search/?q={urllib.parse.quote(q)}" for q in ENGLISH_SEARCHES]
    return pages + searches + ["/nieuwsbrief/feed/", "/robots.txt", "/.well-known/security.txt", "/bestaat-niet/"]


class Recorder:
    """Outcomes (a status code, or the name of a connection error) per second since the start."""

    def __init__(self):
        self.start = time.monotonic()
        self.by_second = defaultdict(Counter)
        self.lock = threading.Lock()

    def note(self, outcome):
        with self.lock:
            self.by_second[int(time.monotonic() - self.start)][outcome] += 1

    def now(self):
        return time.monotonic() - self.start

    def totals(self, first=0, last=None):
        total = Counter()
        for second, outcomes in self.by_second.items():
            if second >= first and (last is None or second <= last):
                total.update(outcomes)
        return total

    def timeline(self, marks):
        """One line per second: the answers, and the events that happened in it."""
        for second in range(max(self.by_second, default=0) + 1):
            outcomes = self.by_second.get(second, Counter())
            text = ", ".join(f"{outcome}: {count}" for outcome, count in sorted(outcomes.items(), key=str))
            events = " ".join(f"<< {name}" for at, name in marks if int(at) == second)
            print(f"  {second:3d}s  {text or '-'} {events}")


def failed(outcome):
    return not isinstance(outcome, int) or outcome >= 500


def ask(connection, method, path, body=None, headers=None):
    """One request on a kept-alive connection; returns the status, or the error's name (and reconnects)."""
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        response.read()
        return response.status
    except (OSError, http.client.HTTPException) as error:
        connection.close()
        return type(error).__name__


def direct_connection(timeout=30):
    """To gunicorn itself, as the proxy talks to it."""
    return http.client.HTTPConnection("127.0.0.1", WEB_PORT, timeout=timeout)


def proxy_connection(timeout=30):
    """To nginx, as a visitor: https to the site's name (nginx answers no other), its certificate self-signed."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return http.client.HTTPSConnection("localhost", PROXY_PORT, timeout=timeout, context=context)


class Clients:
    """`count` threads, each asking in turn for the next of `requests` (method, path, body, headers) until
    stopped; every answer goes to `recorder` (and to `on_answer`, with the request)."""

    def __init__(self, count, requests, recorder, on_answer=None):
        self.requests = requests
        self.recorder = recorder
        self.on_answer = on_answer
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self.run, args=(n,), daemon=True) for n in range(count)]

    def run(self, number):
        connection = direct_connection()
        for request in self.requests(number):
            if self.stopping.is_set():
                break
            outcome = ask(connection, *request)
            self.recorder.note(outcome)
            if self.on_answer:
                self.on_answer(request, outcome)
        connection.close()

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=60)


def visitors(paths):
    """Each client walks the mixed paths from a starting point of its own, as many visitors would."""

    def requests(number):
        start = number % len(paths)
        for path in itertools.cycle(paths[start:] + paths[:start]):
            yield "GET", path, None, {}

    return requests


class Subscriptions:
    """Subscribers, each with a new address, from many client addresses (X-Forwarded-For, as behind the proxy, so
    the limit per client is not what is measured). Counts the addresses whose subscription was answered 2xx."""

    def __init__(self, run):
        self.run = run
        self.accepted = set()
        self.answers = Counter()
        self.lock = threading.Lock()

    def requests(self, number):
        for n in itertools.count():
            email = f"load-{self.run}-{number}-{n}@example.org"
            body = urllib.parse.urlencode({"email": email, "language": "nl", "consent": "on", "website": ""})
            headers = {
                "Content-Type": "application/x-www-form-urlencoded",
                "X-Forwarded-For": f"10.{number}.{n // 250 % 250}.{n % 250 + 1}",
                "X-Forwarded-Proto": "https",
            }
            yield "POST", "/nieuwsbrief-aanmelding/", body, headers

    def on_answer(self, request, outcome):
        with self.lock:
            self.answers[outcome] += 1
            if isinstance(outcome, int) and 200 <= outcome < 300:
                self.accepted.add(urllib.parse.parse_qs(request[2])["email"][0])
