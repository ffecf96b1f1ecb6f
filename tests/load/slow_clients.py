"""Slow clients (slowloris): connections that send a request's header a byte every few seconds and never finish it,
opening a new one whenever a server cuts one off; and visitors who meanwhile ask for pages as usual, timed."""

import socket
import ssl
import threading
import time
from collections import Counter

from services import PROXY_PORT, WEB_PORT
from traffic import ask, direct_connection, proxy_connection

BYTE_EVERY_SECONDS = 3


def raw_direct():
    return socket.create_connection(("127.0.0.1", WEB_PORT), timeout=10)


def raw_through_proxy():
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    raw = socket.create_connection(("127.0.0.1", PROXY_PORT), timeout=10)
    return context.wrap_socket(raw, server_hostname="localhost")


# How the slow clients and the visitors reach the site: (name, raw socket, http.client connection).
DIRECT = ("straight at gunicorn", raw_direct, direct_connection)
THROUGH_PROXY = ("through nginx", raw_through_proxy, proxy_connection)


class SlowClients:
    """`count` connections from `connect` (raw_direct or raw_through_proxy), each dribbling an endless header."""

    def __init__(self, count, connect):
        self.connect = connect
        self.stopping = threading.Event()
        self.cut_off = 0
        self.threads = [threading.Thread(target=self.run, daemon=True) for _ in range(count)]

    def run(self):
        while not self.stopping.is_set():
            try:
                with self.connect() as connection:
                    connection.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Slow: ")
                    while not self.stopping.wait(BYTE_EVERY_SECONDS):
                        connection.sendall(b"x")
            except OSError:
                self.cut_off += 1  # the server closed it: take up another connection at once

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=30)


def timed_visits(connection_to, paths, clients, seconds):
    """`clients` visitors each asking for the next of `paths` for `seconds`; returns (outcomes, latencies)."""
    outcomes, latencies, lock = Counter(), [], threading.Lock()
    deadline = time.monotonic() + seconds

    def visit(number):
        connection = connection_to(timeout=10)
        step = number
        while time.monotonic() < deadline:
            start = time.monotonic()
            outcome = ask(connection, "GET", paths[step % len(paths)])
            with lock:
                outcomes[outcome] += 1
                latencies.append(time.monotonic() - start)
            step += 1
        connection.close()

    threads = [threading.Thread(target=visit, args=(n,), daemon=True) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes, sorted(latencies)


def percentile(values, share):
    return values[min(len(values) - 1, int(share * len(values)))] if values else float("nan")


def during_slow_clients(way, paths, slow_count, clients, seconds):
    """Visits while `slow_count` slow clients hold their connections, both the `way` (DIRECT or THROUGH_PROXY) says;
    prints the figures, returns the outcomes."""
    name, connect_slow, connection_to = way
    with SlowClients(slow_count, connect_slow) as slow:
        time.sleep(BYTE_EVERY_SECONDS)  # they are all connected and have sent a byte or two
        outcomes, latencies = timed_visits(connection_to, paths, clients, seconds)
    answered = sum(n for outcome, n in outcomes.items() if isinstance(outcome, int) and outcome < 500)
    print(
        f"  {name}: {answered} pages answered of {sum(outcomes.values())} asked in {seconds} s {dict(outcomes)}; "
        f"latency p50 {percentile(latencies, 0.5) * 1000:.0f} ms, p99 {percentile(latencies, 0.99) * 1000:.0f} ms, "
        f"max {latencies[-1] * 1000 if latencies else float('nan'):.0f} ms; slow connections cut off: {slow.cut_off}"
    )
    return outcomes
