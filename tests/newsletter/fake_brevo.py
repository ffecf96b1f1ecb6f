"""A small stand-in for Brevo's transactional e-mail endpoint (POST /v3/smtp/email) on 127.0.0.1.

It answers like Brevo: 201 with {"messageIds": [...]} for a batch (one id per messageVersion), {"messageId": ...}
for a single message, 401 without the api-key header, 400 for a request naming an address it refuses (any address
in `refuse`), and, at the given rates, 500, 429 (with Retry-After) or no answer within the client's timeout. Like
Brevo it can pace its callers: every answer then carries its rate-limit headers (`x-sib-ratelimit-limit`,
`-remaining`, `-reset`) for `rate_limit` calls per `rate_window` seconds, and a call past the limit gets a 429 with
the seconds left in `Retry-After`; `too_many` more calls get a 429 whatever the limit says. Only
a request it accepts is logged: one line per recipient (address, message id, the recipient's params and headers as
JSON) in `log_path`, so a test or the benchmark can count duplicates and missing recipients afterwards. Faults are
decided before anything is logged, as an outage in front of the real service would.

Used by tests/newsletter (through anymail's real Brevo backend) and by tests/bench/newsletter.py, in a thread or
in a process of its own (`python fake_brevo.py PORT LOG [--fail-rate R]`; GET /stats gives the calls per answer).
"""

import json
import math
import random
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

API_KEY = "fake-brevo-key"


class FakeBrevo(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, port, log_path, fail_rate=0.0, timeout_seconds=2.0, refuse=(), seed=None, details=True):
        super().__init__(("127.0.0.1", port), Handler)
        self.log_path = Path(log_path)
        self.log_path.write_text("")
        self.fail_rate = fail_rate
        self.timeout_seconds = timeout_seconds
        self.refuse = set(refuse)
        self.details = details  # log each recipient's params and headers (the benchmark leaves them out)
        self.random = random.Random(seed)  # noqa: S311 - faults, not secrets
        self.lock = threading.Lock()
        self.calls = {"accepted": 0, "500": 0, "429": 0, "timeout": 0, "400": 0}
        self.rate_limit = None  # calls per window, or None: no rate-limit headers
        self.rate_window = 60.0
        self.clock = time.monotonic  # or a test's simulated time
        self.window = (self.clock(), 0)  # the current window's start and the calls made in it
        self.too_many = 0
        self.retry_after = "1"

    @property
    def api_url(self):
        return f"http://127.0.0.1:{self.server_address[1]}/v3/"

    def limit(self):
        """Counts this call in the rate window: (its rate-limit headers, whether it is past the limit)."""
        if self.rate_limit is None:
            return {}, False
        with self.lock:
            now = self.clock()
            start, calls = self.window
            if now - start >= self.rate_window:
                start, calls = now, 0
            calls += 1
            self.window = (start, calls)
        reset = self.rate_window - (now - start)
        headers = {
            "x-sib-ratelimit-limit": str(self.rate_limit),
            "x-sib-ratelimit-remaining": str(max(0, self.rate_limit - calls)),
            "x-sib-ratelimit-reset": f"{reset:.3f}",
        }
        return headers, calls > self.rate_limit

    def fault(self):
        """None, or the fault this request gets: a third each of 500, 429 and a timeout (`too_many`: a 429)."""
        with self.lock:
            if self.too_many:
                self.too_many -= 1
                return "429"
            if self.random.random() >= self.fail_rate:
                return None
            return self.random.choice(["500", "429", "timeout"])

    def accept(self, versions):
        lines = []
        ids = []
        for version in versions:
            message_id = f"<{uuid.uuid4().hex}@smtp-relay.mailin.fr>"
            ids.append(message_id)
            extra = {"params": version.get("params"), "headers": version.get("headers")} if self.details else {}
            lines.extend(f"{to['email']}\t{message_id}\t{json.dumps(extra)}\n" for to in version["to"])
        with self.lock, self.log_path.open("a") as log:
            log.write("".join(lines))
            self.calls["accepted"] += 1
        return ids

    def handle_error(self, request, client_address):
        pass  # a client that gave up on an injected timeout has closed its end

    def start(self):
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as anymail's requests session expects

    def log_message(self, *args):
        pass

    def do_GET(self):  # noqa: N802 - the benchmark reads the calls made
        if self.path != "/stats":
            return self.answer(404, {"code": "not_found", "message": "Not found"})
        with self.server.lock:
            return self.answer(200, dict(self.server.calls))

    def do_POST(self):  # noqa: N802 - http.server's naming
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        server = self.server
        if self.path != "/v3/smtp/email":
            return self.answer(404, {"code": "not_found", "message": "Not found"})
        if self.headers.get("api-key") != API_KEY:
            return self.answer(401, {"code": "unauthorized", "message": "Key not found"})
        limits, past_limit = server.limit()
        if past_limit:
            with server.lock:
                server.calls["429"] += 1
            wait = {"Retry-After": str(math.ceil(float(limits["x-sib-ratelimit-reset"])))}
            return self.answer(429, {"code": "too_many_requests", "message": "Rate limit"}, limits | wait)
        fault = server.fault()
        if fault:
            with server.lock:
                server.calls[fault] += 1
            if fault == "timeout":
                time.sleep(server.timeout_seconds)
                return self.answer(504, {"code": "timeout", "message": "Gateway timeout"})
            extra = {"Retry-After": server.retry_after} if fault == "429" else {}
            return self.answer(int(fault), {"code": "error", "message": f"Injected {fault}"}, limits | extra)
        data = json.loads(body)
        versions = data.get("messageVersions") or [{"to": data["to"]}]
        refused = [to["email"] for version in versions for to in version["to"] if to["email"] in server.refuse]
        if refused:
            with server.lock:
                server.calls["400"] += 1
            return self.answer(400, {"code": "invalid_parameter", "message": f"email is not valid: {refused[0]}"})
        ids = server.accept(versions)
        if "messageVersions" in data:
            return self.answer(201, {"messageIds": ids}, limits)
        return self.answer(201, {"messageId": ids[0]}, limits)

    def answer(self, status, payload, headers=None):
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)


def read_log(log_path):
    """[(address, message id, {"params": ..., "headers": ...})] for every recipient accepted, in order."""
    rows = []
    for line in Path(log_path).read_text().splitlines():
        address, message_id, extra = line.split("\t", 2)
        rows.append((address, message_id, json.loads(extra)))
    return rows


if __name__ == "__main__":
    port, log = int(sys.argv[1]), sys.argv[2]
    rate = float(sys.argv[sys.argv.index("--fail-rate") + 1]) if "--fail-rate" in sys.argv else 0.0
    FakeBrevo(port, log, fail_rate=rate, details=False).serve_forever()
