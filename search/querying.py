"""Searching the public index: one language, live and public pages only, ranked title > summary > body.

On PostgreSQL a query is parsed by `websearch_to_tsquery` with the language's own configuration (stemming,
"quoted phrases", -exclusions) and served by the GIN index. On SQLite the same syntax is parsed here and matched
with case-insensitive substring search: no stemming, so `ambtenaar` does not find `ambtenaren` there.
"""

import difflib
import re
import unicodedata
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection
from django.db.models import BooleanField, Case, Count, F, IntegerField, Q, TextField, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Concat, Replace
from django.utils.html import escape
from django.utils.safestring import mark_safe
from wagtail.contrib.search_promotions.models import SearchPromotion
from wagtail.search.utils import normalise_query_string

from home.shell import private_sections

from .indexing import MARK_START, MARK_STOP, WORD, config_for
from .models import Kind, SearchEntry, SearchWord

MAX_QUERY_LENGTH = 200
TOKEN = re.compile(r'(-?)"([^"]*)"?|(-?)(\S+)')
SNIPPET_CHARS = 220
# Up to this many matches, ranking reads each match's whole vector; beyond it, only title and summary (see matching).
RANK_BODY_UP_TO = 1000
# Private-use characters that stand in for < and > while PostgreSQL builds a headline (indexed text has none).
LT, GT = "\ue002", "\ue003"
# ts_rank weights for D, C (body), B (summary) and A (title).
WEIGHTS = [0.001, 0.01, 0.1, 1.0]


def clean_query(raw):
    """The query as typed, made safe: no control characters (NUL among them), NFC, collapsed, at most 200 chars."""
    text = unicodedata.normalize("NFC", str(raw or ""))
    text = "".join(" " if unicodedata.category(char)[0] == "C" else char for char in text)
    text = " ".join(text.split())
    if len(text) > MAX_QUERY_LENGTH:
        text = text[:MAX_QUERY_LENGTH].rsplit(" ", 1)[0] or text[:MAX_QUERY_LENGTH]
    return text


@dataclass
class Terms:
    """A query in web-search syntax: words and "phrases" that must occur, and -words that must not."""

    include: list = field(default_factory=list)
    exclude: list = field(default_factory=list)

    @classmethod
    def parse(cls, query):
        terms = cls()
        for minus, phrase, word_minus, word in TOKEN.findall(query):
            text = " ".join((phrase or word).split()).strip("\"'")
            if not text or (word and word.lower() == "or"):
                continue
            (terms.exclude if (minus or word_minus) and text else terms.include).append(text)
        return terms

    @property
    def words(self):
        """The single words a visitor typed (not phrases, not exclusions), for spelling suggestions."""
        return [term for term in self.include if " " not in term]


def restricted_paths():
    """Tree paths of the pages with a view restriction (a password, a login or groups), from the site shell."""
    return [page.path for page in private_sections()]


def public_entries(locale, restricted):
    """Index rows of one language whose page has no view restriction on itself or an ancestor.

    Only live pages have rows: publishing adds them, unpublishing removes them.
    """
    entries = SearchEntry.objects.filter(locale=locale)
    for path in restricted:
        entries = entries.exclude(page__path__startswith=path)
    return entries


def promoted_page_ids(query, locale):
    """Pages editors pinned for this query (Wagtail's search promotions), in their order, this language only."""
    if not query:
        return []
    return list(
        SearchPromotion.objects.filter(
            query__query_string=normalise_query_string(query), page__locale=locale, page__live=True
        )
        .order_by("sort_order")
        .values_list("page_id", flat=True)
    )


class Search:
    """One visitor's query in one language."""

    def __init__(self, query, locale, promoted=(), restricted=None):
        self.query = query
        self.locale = locale
        self.restricted = restricted_paths() if restricted is None else restricted
        self.config = config_for(locale.language_code)
        self.terms = Terms.parse(query)
        self.promoted = list(promoted)
        self.postgres = connection.vendor == "postgresql"

    def matching(self, rank_body=True):
        """Matching rows (promoted pages included), ranked; empty when the query has nothing to look for.

        Title matches come first, then summary matches, then the rest. On PostgreSQL one `ts_rank` does this: each
        weight is ten times the next, and ts_rank never adds up more than 1.65 times a term's highest weight, so
        no number of summary matches outweighs a title match. With `rank_body` the rank reads the whole vector (how
        often the words occur anywhere); without it only the small title and summary vector, and body-only matches
        follow newest first: for words found on thousands of pages.
        """
        entries = public_entries(self.locale, self.restricted)
        pinned = Q(page_id__in=self.promoted) if self.promoted else Q(pk__in=[])
        if not self.terms.include and not self.promoted:
            return entries.none()
        if self.postgres:
            ts_query = SearchQuery(self.query, config=self.config, search_type="websearch")
            entries = entries.filter((Q(vector=ts_query) if self.terms.include else Q(pk__in=[])) | pinned)
            ranked = entries.annotate(rank=SearchRank(F("vector" if rank_body else "head"), ts_query, weights=WEIGHTS))
            order = ["-rank"]
        else:
            matches = Q()
            for term in self.terms.include:
                matches &= self.contains(term)
            for term in self.terms.exclude:
                matches &= ~self.contains(term)
            entries = entries.filter((matches if self.terms.include else Q(pk__in=[])) | pinned)
            ranked = entries.annotate(in_title=self.any_in("title"), in_summary=self.any_in("summary"))
            order = ["-in_title", "-in_summary"]
        order += [F("date").desc(nulls_last=True), "page_id"]
        if self.promoted:
            pin_order = Case(
                *[When(page_id=page_id, then=Value(position)) for position, page_id in enumerate(self.promoted)],
                default=Value(len(self.promoted)),
                output_field=IntegerField(),
            )
            ranked, order = ranked.annotate(pin=pin_order), ["pin", *order]
        return ranked.order_by(*order)

    @staticmethod
    def contains(term):
        return Q(title__icontains=term) | Q(summary__icontains=term) | Q(body__icontains=term)

    def any_in(self, column):
        condition = Q()
        for term in self.terms.include:
            condition |= Q(**{f"{column}__icontains": term})
        return Case(When(condition, then=Value(True)), default=Value(False), output_field=BooleanField())

    def count(self):
        return self.matching().order_by().count()

    def counts_by_kind(self):
        rows = self.matching().order_by().values("kind").annotate(total=Count("pk")).values_list("kind", "total")
        counts = dict.fromkeys(Kind.values, 0)
        counts.update(rows)
        return counts

    def ranked_ids(self, kind="", total=0):
        """The page ids of the matches in rank order, sliceable: the ranking query reads ids only."""
        ranked = self.matching(rank_body=total <= RANK_BODY_UP_TO)
        if kind:
            ranked = ranked.filter(kind=kind)
        return ranked.values_list("page_id", flat=True)

    def results(self, page_ids):
        """The rows of these pages in this order, each with `snippet`: escaped text with the matches in <mark>."""
        page_ids = list(page_ids)
        rows = SearchEntry.objects.filter(page_id__in=page_ids).select_related("page").defer("vector", "head")
        if self.postgres:
            ts_query = SearchQuery(self.query, config=self.config, search_type="websearch")
            rows = rows.defer("summary", "body").annotate(
                headline=SearchHeadline(
                    # PostgreSQL's parser drops tag-like text ("<b>") from headlines: hide < and > from it.
                    Replace(
                        Replace(
                            Concat("summary", Value(" "), "body", output_field=TextField()), Value("<"), Value(LT)
                        ),
                        Value(">"),
                        Value(GT),
                    ),
                    ts_query,
                    config=self.config,
                    start_sel=MARK_START,
                    stop_sel=MARK_STOP,
                    max_words=35,
                    min_words=15,
                    max_fragments=2,
                    fragment_delimiter=" … ",
                )
            )
        by_id = {row.page_id: row for row in rows}
        for row in by_id.values():
            if not self.postgres:
                row.headline = extract(f"{row.summary} {row.body}", self.terms.include)
            row.snippet = render_marked(row.headline)
        return [by_id[page_id] for page_id in page_ids if page_id in by_id]


def render_marked(text):
    """Escapes everything, then turns the private-use match markers into <mark> elements."""
    escaped = escape(text or "").replace(LT, "&lt;").replace(GT, "&gt;")
    return mark_safe(escaped.replace(MARK_START, "<mark>").replace(MARK_STOP, "</mark>"))  # noqa: S308


def extract(text, terms):
    """SQLite: a window of the text around the first match, with every match between markers."""
    pattern = re.compile("|".join(re.escape(term) for term in sorted(terms, key=len, reverse=True)), re.IGNORECASE)
    first = pattern.search(text) if terms else None
    start = 0
    if first and first.start() > SNIPPET_CHARS // 3:
        start = text.rfind(" ", 0, first.start() - SNIPPET_CHARS // 3) + 1
    end = text.find(" ", start + SNIPPET_CHARS)
    window = text[start : end if end != -1 else len(text)]
    if terms:
        window = pattern.sub(lambda match: MARK_START + match.group(0) + MARK_STOP, window)
    return ("… " if start else "") + window + (" …" if end != -1 else "")


def suggest(query, locale):
    """A query with each unknown word replaced by the closest word of this language's pages, or None."""
    terms = Terms.parse(query)
    words = [word for word in terms.words if WORD.fullmatch(word)][:5]
    if not words:
        return None
    known_words = SearchWord.objects.filter(locale=locale)
    known = set(known_words.filter(word__in=[word.lower() for word in words]).values_list("word", flat=True))
    replacements = {}
    for word in words:
        if word.lower() in known:
            continue
        if connection.vendor == "postgresql":
            closest = (
                known_words.filter(RawSQL("word %% %s", [word.lower()], output_field=BooleanField()))
                .annotate(similarity=RawSQL("similarity(word, %s)", [word.lower()]))
                .order_by("-similarity", "word")
                .values_list("word", flat=True)
                .first()
            )
        else:
            candidates = known_words.filter(word__startswith=word[0].lower()).values_list("word", flat=True)
            matches = difflib.get_close_matches(word.lower(), list(candidates), n=1, cutoff=0.75)
            closest = matches[0] if matches else None
        if closest:
            replacements[word] = closest
    if not replacements:
        return None
    return " ".join(replacements.get(token, token) for token in query.split())
