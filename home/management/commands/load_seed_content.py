from django.core.management.base import BaseCommand

from home.seeding.loader import Loader


class Command(BaseCommand):
    help = "Builds the Dutch pages from the apps' seed data and their English translations. Safe to repeat."

    def handle(self, *args, **options):
        Loader(report=lambda line: self.stdout.write(line)).run()
        self.stdout.write(self.style.SUCCESS("Seed content is loaded."))
