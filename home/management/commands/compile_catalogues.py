from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Compiles the project's .po catalogues into .mo files with polib, so no system gettext is needed."

    def handle(self, *args, **options):
        app_locales = [Path(settings.BASE_DIR) / app / "locale" for app in ("home", "actions", "newsletter", "search")]
        for locale_dir in [*map(Path, settings.LOCALE_PATHS), *app_locales]:
            for po_path in sorted(locale_dir.glob("*/LC_MESSAGES/*.po")):
                polib.pofile(str(po_path)).save_as_mofile(str(po_path.with_suffix(".mo")))
                self.stdout.write(f"compiled {po_path.relative_to(settings.BASE_DIR)}")
