import signal
import threading

from django.core.management.base import BaseCommand
from django.db import connections

from home import clock
from home.conf import home_settings


class Command(BaseCommand):
    help = "Runs scheduled publishing (and the other CLOCK_COMMANDS) every minute until stopped."

    def add_arguments(self, parser):
        parser.add_argument(
            "--interval", type=float, default=home_settings.CLOCK_INTERVAL, help="Seconds between runs."
        )

    def handle(self, *args, interval, **options):
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *args: stop.set())
        self.stdout.write(f"Clock: running {', '.join(home_settings.CLOCK_COMMANDS)} every {interval:g} s.")
        try:
            clock.run(interval, stop)
        except KeyboardInterrupt:
            pass
        finally:
            connections.close_all()
