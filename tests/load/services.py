"""The production setup on services of its own: a PostgreSQL cluster and a Redis server started for the run (so the
machine's shared ones are never stopped or restarted), the seeded site under gunicorn, and nginx in front of it
(deploy/nginx/), all on LOAD_PORT_BASE and the next five ports. Used by load.py and faults.py; everything started
here is stopped when the run ends.
"""

import glob
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager, suppress
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
BASE_PORT = int(os.environ.get("LOAD_PORT_BASE", "8510"))
PG_PORT, REDIS_PORT, WEB_PORT = BASE_PORT, BASE_PORT + 1, BASE_PORT + 2
# nginx: https (what visitors use), http (redirects only), PURGE.
PROXY_PORT, PROXY_HTTP_PORT, PROXY_PURGE_PORT = BASE_PORT + 3, BASE_PORT + 4, BASE_PORT + 5
WEB = f"http://127.0.0.1:{WEB_PORT}"
DATABASE = "sc_load"


def postgres_bin(name):
    found = shutil.which(name) or next(iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))), None)
    if found is None:
        sys.exit(f"{name} not found: install PostgreSQL's server package.")
    return found


def as_postgres(*command):
    """PostgreSQL refuses to run as root: run its tools as the postgres user then."""
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    return subprocess.run([*prefix, *command], check=True, capture_output=True, text=True)


class Postgres:
    def __init__(self, folder):
        self.data = Path(folder) / "pg"
        self.data.mkdir()
        if os.geteuid() == 0:
            shutil.chown(folder, "postgres")
            shutil.chown(self.data, "postgres")
        as_postgres(postgres_bin("initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync")

    def start(self):
        options = f"-p {PG_PORT} -k {self.data} -c listen_addresses=127.0.0.1 -c max_connections=200"
        as_postgres(
            postgres_bin("pg_ctl"), "-D", str(self.data), "-o", options, "-l", f"{self.data}/log", "-w", "start"
        )

    def stop(self):
        as_postgres(postgres_bin("pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def query(self, sql):
        result = as_postgres(
            postgres_bin("psql"), "-h", "127.0.0.1", "-p", str(PG_PORT), "-U", "postgres", "-d", DATABASE, "-tAc", sql
        )
        return result.stdout.strip()


class Redis:
    def __init__(self):
        self.process = None

    def start(self):
        command = [
            "redis-server",
            "--port",
            str(REDIS_PORT),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
        wait_for(
            lambda: (
                subprocess.run(["redis-cli", "-p", str(REDIS_PORT), "ping"], capture_output=True).stdout.strip()
                == b"PONG"
            )
        )

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


def wait_for(ready, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if ready():
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise TimeoutError("a service did not come up in time")


def site_environment(folder):
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{PG_PORT}/{DATABASE}",
        "REDIS_URL": f"redis://127.0.0.1:{REDIS_PORT}/0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",  # gunicorn's address, and the site's name through nginx
        "SITE_URL": "https://localhost",
        "SECURE_SSL_REDIRECT": "false",
        # Clients come from many addresses (the scripts say which in X-Forwarded-For), as behind the real proxy.
        "BEHIND_TLS_PROXY": "true",
        "DEFAULT_FROM_EMAIL": "Kernteam <nieuwsbrief@localhost>",
        "SECURITY_TXT_CONTACT": "mailto:security@localhost",
        "ANYMAIL_WEBHOOK_SECRET": "load:" + secrets.token_urlsafe(16),
        "ANYMAIL_ESP": "test",  # confirmation mails are kept in memory, not sent
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "STATIC_ROOT": str(PROJECT / ".cache" / "load-static"),
        "CACHE_DIR": str(Path(folder) / "cache"),
    }


def manage(env, *args):
    result = subprocess.run([PYTHON, "manage.py", *args], cwd=PROJECT, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{result.stderr}")


@contextmanager
def production_site():
    """Yields (postgres, redis) once the seeded site answers at WEB; stops all of it afterwards."""
    folder = tempfile.mkdtemp(prefix="sc-load-")
    postgres, redis, web, proxy = Postgres(folder), Redis(), None, None
    try:
        postgres.start()
        redis.start()
        as_postgres(postgres_bin("createdb"), "-h", "127.0.0.1", "-p", str(PG_PORT), "-U", "postgres", DATABASE)
        env = site_environment(folder)
        print("Preparing the site: migrate, seed content, collectstatic ...", flush=True)
        manage(env, "migrate", "--no-input")
        manage(env, "load_seed_content")
        manage(env, "collectstatic", "--no-input")
        workers = 2 * os.cpu_count() + 1  # as `make serve`
        log = open(Path(folder) / "gunicorn.log", "w")  # noqa: SIM115 (open for the server's life)
        web = subprocess.Popen(
            [PYTHON, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{WEB_PORT}", "--workers", str(workers)],
            cwd=PROJECT,
            env=env,
            stdout=log,
            stderr=log,
        )
        wait_for(lambda: urllib.request.urlopen(WEB + "/", timeout=5).status == 200)  # noqa: S310
        proxy = start_proxy(folder, log)
        print(f"Site up at {WEB} with {workers} gunicorn workers; PostgreSQL :{PG_PORT}, Redis :{REDIS_PORT}")
        print(f"nginx in front at https://localhost:{PROXY_PORT}")
        yield postgres, redis
    finally:
        if proxy is not None:
            proxy.terminate()
            proxy.wait(timeout=30)
        if web is not None:
            web.terminate()
            web.wait(timeout=30)
        if redis.process is not None and redis.process.poll() is None:
            redis.stop()
        with suppress(subprocess.CalledProcessError):  # already stopped
            postgres.stop()
        shutil.rmtree(folder, ignore_errors=True)


def start_proxy(folder, log):
    """nginx as `make serve-proxy` runs it, in front of the run's gunicorn."""
    command = [PYTHON, str(PROJECT / "deploy" / "nginx" / "render.py"), "--folder", str(Path(folder) / "nginx")]
    command += ["--site-url", f"https://localhost:{PROXY_PORT}", "--upstream", f"127.0.0.1:{WEB_PORT}", "--run"]
    command += ["--http-port", str(PROXY_HTTP_PORT), "--purge-port", str(PROXY_PURGE_PORT)]
    proxy = subprocess.Popen(command, cwd=PROJECT, stdout=log, stderr=log)
    wait_for(lambda: socket.create_connection(("127.0.0.1", PROXY_PORT), timeout=5).close() is None)
    return proxy


def load_average():
    return "load average {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())
