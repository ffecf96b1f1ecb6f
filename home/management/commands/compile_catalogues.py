from pathlib import Path

import polib
from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation.reloader import translation_file_changed


class Command(BaseCommand):
    help = "Compiles the project's .po catalogues into .mo files with polib, so no system gettext is needed."

    def handle(self, *args, **options):
        base = Path(settings.BASE_DIR)
        own_apps = [Path(app.path) / "locale" for app in apps.get_app_configs() if Path(app.path).parent == base]
        for locale_dir in [*map(Path, settings.LOCALE_PATHS), *own_apps]:
            for po_path in sorted(locale_dir.glob("*/LC_MESSAGES/*.po")):
                mo_path = po_path.with_suffix(".mo")
                polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
                # A process that has translated before (the test suite compiles after Django has started) would
                # go on with the catalogues it read: forget them, as the development server does on a change.
                translation_file_changed(sender=self, file_path=mo_path)
                if options["verbosity"]:
                    self.stdout.write(f"compiled {po_path.relative_to(base)}")
