"""The site's clock: runs the time-driven commands (scheduled publishing, and later scheduled sends) every minute.

Wagtail only acts on "go live" and "expiry" dates when `publish_scheduled` runs; this loop runs it without a cron
daemon or another server. It runs beside the web server in `make run` and in the worker process in production.
"""

import logging
import shlex

from django.core.cache import cache
from django.core.management import call_command
from django.db import close_old_connections

from .conf import home_settings

logger = logging.getLogger(__name__)
LOCK_TIMEOUT = 10 * 60


def tick():
    close_old_connections()  # a long-running loop must not keep a connection the database has dropped
    for command in home_settings.CLOCK_COMMANDS:
        name, *arguments = shlex.split(command)  # a command line: the command's name, then its options
        # Each worker process runs a clock; the shared cache keeps two of them from running a command at once.
        lock = f"clock:{name}"
        if not cache.add(lock, "running", timeout=LOCK_TIMEOUT):
            continue
        try:
            call_command(name, *arguments, verbosity=0)
        except Exception:  # noqa: BLE001 - one failing command must not stop the clock or the others
            logger.exception("The clock could not run %s", name)
        finally:
            cache.delete(lock)


def run(interval, stop):
    """Ticks at once and then every `interval` seconds until the `stop` event is set."""
    while True:
        tick()
        if stop.wait(interval):
            return
