"""The Dutch catalogue of our own strings, extracted with Babel (no system gettext needed): `update_catalogues`."""

import io
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir, extract_python
from django.apps import apps
from django.conf import settings
from django.utils.translation.template import templatize

# Django's translation functions beside the ones Babel knows (the list makemessages gives xgettext).
KEYWORDS = {
    **DEFAULT_KEYWORDS,
    "gettext_lazy": None,
    "gettext_noop": None,
    "ngettext_lazy": (1, 2),
    "pgettext_lazy": ((1, "c"), 2),
    "npgettext_lazy": ((1, "c"), 2, 3),
}


def extract_django_template(fileobj, keywords, comment_tags, options):
    """Django turns a template into Python-like text, line for line, with a gettext call per string (what
    makemessages hands to xgettext); Babel's Python extractor reads that text. Every string in it is on one line,
    so the lines lose their indentation, which is the template's and would make Python's tokenizer give up."""
    lines = templatize(fileobj.read().decode()).splitlines()
    text = "\n".join(line.lstrip() for line in lines)
    return extract_python(io.BytesIO(text.encode()), keywords, comment_tags, options)


def sources():
    """The folders of our own code and templates: every installed app that is a folder of the project (so a new app
    is never left out), the settings and the site shell. Tests and migrations hold no strings for visitors or
    editors."""
    base = Path(settings.BASE_DIR)
    ours = [Path(app.path).name for app in apps.get_app_configs() if Path(app.path).parent == base]
    return ["config", *ours, "site"]


METHOD_MAP = [
    ("**/migrations/**", "ignore"),
    ("**.py", "python"),
    ("**/templates/**.html", extract_django_template),
    ("**/templates/**.txt", extract_django_template),
]


def extract_catalogue():
    """Every string of ours marked for translation, as a Babel catalogue (no system gettext needed)."""
    base = Path(settings.BASE_DIR)
    catalogue = Catalog(project="ambtelijk-vakmanschap", charset="utf-8")
    for source in sources():
        for filename, lineno, message, comments, context in extract_from_dir(
            base / source, METHOD_MAP, keywords=KEYWORDS, comment_tags=("Translators:",), strip_comment_tags=True
        ):
            catalogue.add(
                message, locations=[(f"{source}/{filename}", lineno)], auto_comments=comments, context=context
            )
    return catalogue


def dutch_catalogue_path():
    return Path(settings.LOCALE_PATHS[0]) / "nl" / "LC_MESSAGES" / "django.po"


def translated(message):
    return all(message.string) if message.pluralizable else bool(message.string)
