from django.core.management.base import BaseCommand

from newsletter.delivery.following import start_digest


class Command(BaseCommand):
    help = "Starts this week's digest for the weekly followers once its hour has come (the clock runs this)."

    def handle(self, *args, **options):
        mailing = start_digest()
        if mailing is not None:
            self.stdout.write(f"Digest of the week of {mailing.period}: mailing {mailing.pk}.")
