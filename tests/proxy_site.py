"""The site as production runs it, for tests/test_proxy.py: gunicorn with the production settings behind nginx
(deploy/nginx/), on free ports of 127.0.0.1, in a temporary folder.

Migrating, seeding and collecting static files take close to a minute, so the seeded SQLite database and the
collected files are kept in .cache/proxy-site/ and made again only when a migration, the seed or a static file is
newer than them; each run works on its own copy of the database.
"""

import http.client
import os
import secrets
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.apps import apps
from django.contrib.staticfiles import finders

PROJECT = Path(__file__).resolve().parents[1]
PREPARED = PROJECT / ".cache" / "proxy-site"
RENDER = PROJECT / "deploy" / "nginx" / "render.py"
WORKERS = 2  # few, as on a small machine: half-sent requests reaching them would hold both


def newest_source():
    """The newest modification time among what the prepared database and static files are made from."""
    sources = [path for app in apps.get_app_configs() for path in Path(app.path).glob("migrations/*.py")]
    # The seed: its code (home/seeding/, each app's seed.py) and its data (each app's seed/).
    sources += [*PROJECT.glob("home/seeding/*.py"), *PROJECT.glob("*/seed.py"), *PROJECT.glob("*/seed/**/*")]
    sources += [storage.path(path) for finder in finders.get_finders() for path, storage in finder.list([])]
    return max(int(os.stat(path).st_mtime) for path in sources)


def production_environment(database, static_root, cache_dir, site_url="https://localhost"):
    return {
        **{key: value for key, value in os.environ.items() if key not in ("REDIS_URL", "DATABASE_URL")},
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DATABASE_URL": f"sqlite:///{database}",
        "CACHE_DIR": str(cache_dir),
        "STATIC_ROOT": str(static_root),
        "ALLOWED_HOSTS": "localhost",
        "SITE_URL": site_url,
        "BEHIND_TLS_PROXY": "true",  # and so one trusted proxy (TRUSTED_PROXY_COUNT)
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DEFAULT_FROM_EMAIL": "Kernteam <nieuwsbrief@localhost>",
        "SECURITY_TXT_CONTACT": "mailto:security@localhost",
        "ANYMAIL_WEBHOOK_SECRET": "proxy:" + secrets.token_urlsafe(16),
        "ANYMAIL_ESP": "test",
    }


def manage(env, *args):
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=PROJECT, env=env, capture_output=True, text=True)
    if result.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stderr}")


def prepared():
    """(database, static folder): made again when their sources changed; built aside, then moved in place."""
    stamp = newest_source()
    database, static_root = PREPARED / f"site-{stamp}.sqlite3", PREPARED / f"static-{stamp}"
    if database.exists() and static_root.exists():
        return database, static_root
    PREPARED.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(dir=PREPARED))
    env = production_environment(work / "site.sqlite3", work / "static", work / "cache")
    manage(env, "migrate", "--no-input")
    manage(env, "load_seed_content")
    manage(env, "collectstatic", "--no-input")
    for old in PREPARED.glob("s*-*"):  # earlier versions
        shutil.rmtree(old) if old.is_dir() else old.unlink()
    os.replace(work / "static", static_root)
    os.replace(work / "site.sqlite3", database)
    shutil.rmtree(work)
    return database, static_root


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(ready, seconds=30):
    deadline = time.monotonic() + seconds
    while True:
        try:
            if ready():
                return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise TimeoutError("a server did not come up")
        time.sleep(0.2)


class ProxiedSite:
    """gunicorn (production settings) at `app_port`, nginx in front at https_port, http_port and purge_port."""

    def __init__(self, folder):
        self.folder = Path(folder)
        self.app_port, self.https_port, self.http_port, self.purge_port = (free_port() for _ in range(4))
        self.public_host = f"localhost:{self.https_port}"
        self.processes = []

    def start(self):
        database, static_root = prepared()
        shutil.copy(database, self.folder / "site.sqlite3")
        self.database = self.folder / "site.sqlite3"
        self.cache_dir = self.folder / "cache"
        self.env = production_environment(
            self.database, static_root, self.cache_dir, site_url=f"https://{self.public_host}"
        )
        self.env["CDN_PURGE_URL"] = f"http://127.0.0.1:{self.purge_port}"
        self.app_log = self.folder / "gunicorn.log"
        gunicorn = [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{self.app_port}"]
        gunicorn += ["--workers", str(WORKERS), "--access-logfile", str(self.app_log), "--error-logfile", "-"]
        self.spawn("gunicorn", gunicorn)
        nginx = [sys.executable, str(RENDER), "--folder", str(self.folder / "nginx"), "--run"]
        nginx += ["--site-url", f"https://{self.public_host}", "--upstream", f"127.0.0.1:{self.app_port}"]
        nginx += ["--http-port", str(self.http_port), "--purge-port", str(self.purge_port)]
        self.spawn("nginx", nginx)
        wait_until(lambda: self.request("GET", "/robots.txt").status == 200)

    def spawn(self, name, command):
        log = open(self.folder / f"{name}.out", "w")  # noqa: SIM115 (open for the server's life)
        self.processes.append(subprocess.Popen(command, cwd=PROJECT, env=self.env, stdout=log, stderr=log))

    def stop(self):
        for process in reversed(self.processes):
            process.terminate()
            process.wait(timeout=30)

    def connection(self, source="127.0.0.1", timeout=10):
        """A TLS connection to nginx from `source` (any 127.x address: a client of its own to the proxy)."""
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        return http.client.HTTPSConnection(
            "127.0.0.1", self.https_port, timeout=timeout, context=context, source_address=(source, 0)
        )

    def request(self, method, path, body=None, headers=None, source="127.0.0.1"):
        """One request through the proxy; returns the response with its body read (`.body`)."""
        connection = self.connection(source)
        try:
            connection.request(method, path, body=body, headers={"Host": self.public_host, **(headers or {})})
            response = connection.getresponse()
            response.body = response.read()
            return response
        finally:
            connection.close()

    def app_requests(self):
        """The request lines gunicorn logged: what reached the app."""
        return self.app_log.read_text() if self.app_log.exists() else ""

    def app_received(self, request_line, wait=10):
        """Whether `request_line` reached the app. gunicorn logs a request after its answer has gone out, so on a
        loaded machine the line may arrive a moment after the client has the response: wait for it a little."""
        deadline = time.monotonic() + wait
        while request_line not in self.app_requests():
            if time.monotonic() > deadline:
                return False
            time.sleep(0.1)
        return True
