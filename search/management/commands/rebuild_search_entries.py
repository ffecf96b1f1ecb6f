from django.core.management.base import BaseCommand

from search.indexing import rebuild


class Command(BaseCommand):
    help = (
        "Fills the public search index from every live page. Needed once for a database that had pages before the "
        "search app was installed; publishing keeps it current after that."
    )

    def handle(self, *args, **options):
        count = rebuild()
        if options["verbosity"]:
            self.stdout.write(f"Indexed {count} pages.")
