from django.core.management.base import BaseCommand

from newsletter.delivery.api import resume_stalled


class Command(BaseCommand):
    help = "Gives every newsletter sending whose worker stopped reporting a new task (the clock runs this)."

    def handle(self, *args, **options):
        for mailing_id in resume_stalled():
            self.stdout.write(f"Mailing {mailing_id}: taken up again.")
