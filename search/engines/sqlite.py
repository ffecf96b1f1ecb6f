"""The substring engine, for SQLite and any database without its own: the words and phrases of a query as
case-insensitive substrings through the ORM, no stemming (so `ambtenaar` does not find `ambtenaren`), the same
ranking tiers, snippets cut here, spelling suggestions by `difflib`, and Wagtail's own query log."""

import difflib
import re

from django.db.models import BooleanField, Case, Count, F, IntegerField, Q, Value, When
from wagtail.contrib.search_promotions.models import Query
from wagtail.search.utils import normalise_query_string

from ..models import SearchEntry
from ..text import MARK_START, MARK_STOP, render_marked, snippet
from .base import PROMOTED_SQL, BaseSearch, Result, fetch

SNIPPET_CHARS = 220


def public_entries(locale, restricted):
    """Index rows of one language whose page has no view restriction on itself or an ancestor.

    Only live pages have rows: publishing adds them, unpublishing removes them.
    """
    entries = SearchEntry.objects.filter(locale=locale)
    for path in restricted:
        entries = entries.exclude(page__path__startswith=path)
    return entries


class Search(BaseSearch):
    """The words and phrases as case-insensitive substrings, through the ORM; no stemming.

    Title matches come first, then summary matches, then the rest, newest first within each.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        params = {"normalised": normalise_query_string(self.query), "locale": self.locale.pk}
        self.promoted = [page_id for (page_id,) in fetch(PROMOTED_SQL, params)] if self.query else []

    def matching(self):
        entries = public_entries(self.locale, self.restricted)
        matches = Q(pk__in=[])
        if self.terms.include:
            matches = Q()
            for term in self.terms.include:
                matches &= self.contains(term)
            for term in self.terms.exclude:
                matches &= ~self.contains(term)
        return entries.filter(matches | Q(page_id__in=self.promoted))

    @staticmethod
    def contains(term):
        return Q(text__title__icontains=term) | Q(text__summary__icontains=term) | Q(text__body__icontains=term)

    def any_in(self, column):
        condition = Q()
        for term in self.terms.include:
            condition |= Q(**{f"text__{column}__icontains": term})
        return Case(When(condition, then=Value(True)), default=Value(False), output_field=BooleanField())

    def count_kinds(self):
        return self.matching().values("kind").annotate(total=Count("pk")).values_list("kind", "total")

    def ranked_slice(self, kind, total, start, stop):
        ranked = self.matching().annotate(in_title=self.any_in("title"), in_summary=self.any_in("summary"))
        order = ["-in_title", "-in_summary", F("date").desc(nulls_last=True), "page_id"]
        if self.promoted:
            pin = Case(
                *[When(page_id=page_id, then=Value(position)) for position, page_id in enumerate(self.promoted)],
                default=Value(len(self.promoted)),
                output_field=IntegerField(),
            )
            ranked, order = ranked.annotate(pin=pin), ["pin", *order]
        if kind:
            ranked = ranked.filter(kind=kind)
        rows = ranked.order_by(*order).values_list(
            "page_id", "kind", "text__title", "date", "page__url_path", "text__summary", "text__body"
        )
        return [
            Result(*row, row[0] in self.promoted, render_marked(extract(f"{summary} {body}", self.terms.include)))
            for *row, summary, body in rows[start:stop]
        ]


def extract(text, terms):
    """A window of the text around the first match, with every match between markers."""
    pattern = re.compile("|".join(re.escape(term) for term in sorted(terms, key=len, reverse=True)), re.IGNORECASE)
    first = pattern.search(text) if terms else None
    start = 0
    if first and first.start() > SNIPPET_CHARS // 3:
        start = text.rfind(" ", 0, first.start() - SNIPPET_CHARS // 3) + 1
    end = text.find(" ", start + SNIPPET_CHARS)
    window = text[start : end if end != -1 else len(text)]
    if terms:
        window = pattern.sub(lambda match: MARK_START + match.group(0) + MARK_STOP, window)
    return snippet(window, start > 0, end != -1)


def add_vectors(entry, title, summary, body):
    """Nothing: this engine matches the stored text itself, and the vector columns stay empty."""


def log_query(query):
    """Counts one search for the query in Wagtail's search terms report, as Wagtail does: SQLite cannot insert
    inside WITH, which PostgreSQL's one statement needs."""
    Query.get(query).add_hit()


def closest_word(known_words, word):
    """The known word most like `word` among those with its first letter (`difflib`), or None."""
    candidates = known_words.filter(word__startswith=word[0]).values_list("word", flat=True)
    matches = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.75)
    return matches[0] if matches else None
