"""Text as the public search reads, stores and shows it: one cleaning for page fields and typed queries alike, the
words suggestions are made of, each language's stemming, and the markers around a match in a snippet."""

import re
import unicodedata

from django.utils.html import escape
from django.utils.safestring import mark_safe

# PostgreSQL text-search configuration per language; a language not listed is matched without stemming.
CONFIGS = {"nl": "dutch", "en": "english"}
# The words spelling suggestions are chosen from, and made for: letters only, four to forty of them.
WORD = re.compile(r"[^\W\d_]{4,40}")
# Private-use characters that PostgreSQL's ts_headline (and SQLite's snippet) put around a match. Cleaning removes
# every control and private-use character, so indexed text never holds them.
MARK_START, MARK_STOP = "\ue000", "\ue001"
# Private-use characters that stand in for < and > while PostgreSQL builds a headline.
LT, GT = "\ue002", "\ue003"


def config_for(language_code):
    return CONFIGS.get(language_code, "simple")


def clean_text(value, limit=None):
    """Plain text of a field's searchable content or of a query as typed: control and private-use characters (NUL
    among them) out, NFC, whitespace collapsed; with a `limit`, cut at the last whole word within it."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        value = " ".join(clean_text(item) for item in value)
    # Searchable content is plain text already (Wagtail strips rich text): a "<" here is one the editor typed.
    text = "".join(
        char if unicodedata.category(char)[0] != "C" else " " for char in unicodedata.normalize("NFC", str(value))
    )
    text = " ".join(text.split())
    if limit and len(text) > limit:
        text = text[:limit].rsplit(" ", 1)[0] or text[:limit]
    return text


def render_marked(text):
    """Escapes everything, then turns the private-use match markers into <mark> elements."""
    escaped = escape(text or "").replace(LT, "&lt;").replace(GT, "&gt;")
    return mark_safe(escaped.replace(MARK_START, "<mark>").replace(MARK_STOP, "</mark>"))  # noqa: S308
