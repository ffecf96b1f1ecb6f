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
# A private-use character between two fragments of a snippet, shown as an ellipsis: one the text itself never holds.
FRAGMENT_BREAK = "\ue004"
# Where a sentence ends: after a full stop, question or exclamation mark or ellipsis, and a space.
SENTENCE_BREAK = re.compile(r"(?<=[.!?…])\s+")


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


def without_repeats(text, after=""):
    """Cleaned `text` without the sentences it repeats, of its own or of `after` (the text a snippet shows before
    it), compared without regard to case: the editors' summary often opens the body too, and a snippet drawn from
    both would read the same sentence twice."""
    seen = {sentence.casefold() for sentence in SENTENCE_BREAK.split(after)}
    kept = []
    for sentence in SENTENCE_BREAK.split(text):
        if sentence.casefold() not in seen:
            seen.add(sentence.casefold())
            kept.append(sentence)
    return " ".join(kept)


def snippet(text, cut_before, cut_after):
    """A snippet's text, with an ellipsis where it starts after the beginning of its source, between fragments,
    and where it ends before the end of its source."""
    return ("… " if cut_before else "") + text.replace(FRAGMENT_BREAK, " … ") + (" …" if cut_after else "")


def render_marked(text):
    """Escapes everything, then turns the private-use match markers into <mark> elements."""
    escaped = escape(text or "").replace(LT, "&lt;").replace(GT, "&gt;")
    return mark_safe(escaped.replace(MARK_START, "<mark>").replace(MARK_STOP, "</mark>"))  # noqa: S308
