from babel.messages.pofile import read_po, write_po
from django.conf import settings
from django.core.management.base import BaseCommand

from home.languages.catalogues import dutch_catalogue_path, extract_catalogue, translated


class Command(BaseCommand):
    help = (
        "Extracts the strings of our code and templates with Babel and merges them into the Dutch catalogue: new "
        "strings arrive untranslated, changed ones fuzzy, removed ones are dropped."
    )

    def handle(self, *args, **options):
        path = dutch_catalogue_path()
        with path.open("rb") as file:
            dutch = read_po(file, locale="nl")
        # Neither dates nor line numbers: the catalogue changes only when strings do, so branches merge cleanly.
        dutch.update(extract_catalogue(), update_header_comment=False, update_creation_date=False)
        with path.open("wb") as file:
            write_po(file, dutch, ignore_obsolete=True, sort_by_file=True, include_lineno=False, width=120)
        missing = [message.id for message in dutch if message.id and (message.fuzzy or not translated(message))]
        self.stdout.write(f"updated {path.relative_to(settings.BASE_DIR)}: {len(missing)} to translate")
