"""Searching the public index: one language, live and public pages only, ranked title > summary > body.

On PostgreSQL a query is parsed by `websearch_to_tsquery` with the language's own configuration (stemming,
"quoted phrases", -exclusions) and served by the GIN index. On SQLite the same syntax is parsed here and matched
with case-insensitive substring search: no stemming, so `ambtenaar` does not find `ambtenaren` there.
"""

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db import connection
from django.db.models import BooleanField, Case, Count, F, IntegerField, Q, Value, When
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import mark_safe
from wagtail.contrib.search_promotions.models import Query, SearchPromotion
from wagtail.search.utils import normalise_query_string

from home.serving.shell import private_sections

from .indexing import MARK_START, MARK_STOP, WORD, config_for
from .models import Kind, SearchEntry, SearchWord

MAX_QUERY_LENGTH = 200
TOKEN = re.compile(r'(-?)"([^"]*)"?|(-?)(\S+)')
ALPHANUMERIC = re.compile(r"[^\W_]")
SNIPPET_CHARS = 220
# Up to this many matches, ranking reads each match's whole vector; beyond it, see PostgresSearch.ranked_slice.
RANK_BODY_UP_TO = 1000
# Private-use characters that stand in for < and > while PostgreSQL builds a headline (indexed text has none).
LT, GT = "\ue002", "\ue003"
# ts_rank weights for D, C (body), B (summary) and A (title). Each is ten times the next, and ts_rank never adds up
# more than 1.65 times a term's highest weight, so no number of summary matches outweighs a title match.
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
    """A query in web-search syntax: words and "phrases" that must occur, -words that must not, `or` between two.

    Only terms with a letter or digit count: a run of minus signs, quotes or other signs can match nothing.
    """

    include: list = field(default_factory=list)
    exclude: list = field(default_factory=list)
    websearch: str = ""

    @classmethod
    def parse(cls, query):
        terms = cls()
        parts = []
        for minus, phrase, word_minus, word in TOKEN.findall(query):
            if word and word.lower() == "or":
                if parts and parts[-1] != "or":
                    parts.append("or")
                continue
            # A quote inside a word would end the phrase it becomes below; leading minus signs beyond the first say
            # nothing more.
            text = " ".join((phrase or word).replace('"', " ").split()).strip("'").lstrip("-")
            if not ALPHANUMERIC.search(text):
                continue
            excluded = bool(minus or word_minus)
            (terms.exclude if excluded else terms.include).append(text)
            parts.append(("-" if excluded else "") + f'"{text}"')
        terms.websearch = " ".join(parts[:-1] if parts and parts[-1] == "or" else parts)
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


# The pages editors pinned for a query (Wagtail's search promotions), live and in one language, in their order.
# In SQL: on PostgreSQL it is part of every search statement (see PINNED); on SQLite, building it through the ORM
# took longer than running it.
PROMOTED_SQL = f"""
SELECT promotion.page_id FROM {SearchPromotion._meta.db_table} promotion
JOIN {Query._meta.db_table} query ON query.id = promotion.query_id
JOIN wagtailcore_page page ON page.id = promotion.page_id
WHERE query.query_string = %(normalised)s AND page.locale_id = %(locale)s AND page.live
ORDER BY promotion.sort_order
"""  # noqa: S608 - table names only


# ts_headline's options: the private-use match markers, and up to two fragments of 15 to 35 words.
HEADLINE_OPTIONS = (
    f'StartSel="{MARK_START}", StopSel="{MARK_STOP}", MaxWords=35, MinWords=15, MaxFragments=2,'
    ' FragmentDelimiter=" … "'
)


class Result(NamedTuple):
    """One result, as a page of results shows it."""

    page_id: int
    kind: str
    title: str
    date: object
    url_path: str  # the page's path in the tree: all Wagtail needs to route it to its address
    promoted: bool
    snippet: str


class Search:
    """One visitor's query in one language: how many pages match, per kind, and one page of them at a time.

    `Search(...)` gives the kind that suits the database: PostgreSQL's (stemmed, ranked, one statement per
    question) or SQLite's (substrings).
    """

    def __new__(cls, *args, **kwargs):
        if cls is Search:
            cls = PostgresSearch if connection.vendor == "postgresql" else SubstringSearch
        return super().__new__(cls)

    def __init__(self, query, locale, restricted=None):
        self.query = query
        self.locale = locale
        self.restricted = restricted_paths() if restricted is None else restricted
        self.config = config_for(locale.language_code)
        self.terms = Terms.parse(query)

    def counts_by_kind(self):
        counts = dict.fromkeys(Kind.values, 0)
        if self.query:
            counts.update(self.count_kinds())
        return counts

    def count(self):
        return sum(self.counts_by_kind().values())

    def results(self, kind, total, start, stop):
        """Results `start` to `stop` in rank order, of one kind or all, given how many there are: promoted pages
        first, then title matches, then summary matches, then the rest."""
        return self.ranked_slice(kind, total, start, stop) if total and stop > start else []


class PostgresSearch(Search):
    """Stemmed matching through the GIN indexes, weighted ranking and PostgreSQL's headlines, in raw SQL.

    The view asks two questions, each in one statement: the counts per kind, then one page of results with their
    snippets and addresses; the pinned pages are part of both. Through the ORM the same took five statements, and
    building them cost more than running them.
    """

    def where(self, kind="", match="e.vector @@ q"):
        """The condition (SQL and parameters) that rows `e` meet, with the parsed query as `q` (see QUERY): this
        language, the query's `match` or a pin, and no view restriction."""
        params = {
            "locale": self.locale.pk,
            "config": self.config,
            # The terms as parsed here, not the text as typed: PostgreSQL's parser fails on a run of minus signs.
            "query": self.terms.websearch,
            "normalised": normalise_query_string(self.query),
            "weights": WEIGHTS,
        }
        matches = [match, PINNED] if self.terms.include else [PINNED]
        conditions = ["e.locale_id = %(locale)s", "(" + " OR ".join(matches) + ")"]
        if kind:
            conditions.append("e.kind = %(kind)s")
            params["kind"] = kind
        if self.restricted:
            conditions.append(
                "NOT EXISTS (SELECT FROM wagtailcore_page p"
                " WHERE p.id = e.page_id AND p.path LIKE ANY(%(restricted)s))"
            )
            params["restricted"] = [path + "%" for path in self.restricted]
        return " AND ".join(conditions), params

    def count_kinds(self, where=None, params=None):
        """How many rows match (all of this query's, or those of `where`), per kind."""
        if where is None:
            where, params = self.where()
        return fetch(COUNT_SQL.format(where=where, query=QUERY), params)

    def ranked_slice(self, kind, total, start, stop):
        """Up to RANK_BODY_UP_TO matches, the rank reads each whole vector: how often the words occur anywhere.

        Beyond it, for words found on thousands of pages, the pinned pages and the title and summary matches come
        first, found through the GIN index on `head` and ranked by that small vector alone. The body-only matches
        follow, newest first, and are only read when a page of results reaches them.
        """
        if total <= RANK_BODY_UP_TO:
            where, params = self.where(kind)
            return self.ranked(where, params, "ts_rank(%(weights)s::real[], e.vector, q)", start, stop)
        # A match in `head` is one in `vector` too, unless the vector holds a word the query excludes.
        in_head, params = self.where(kind, "e.head @@ q" + (" AND e.vector @@ q" if self.terms.exclude else ""))
        rows = self.ranked(in_head, params, "ts_rank(%(weights)s::real[], e.head, q)", start, stop)
        if len(rows) < stop - start:
            # This page holds the last of them, or starts after it.
            head_total = start + len(rows) if rows else sum(total for _, total in self.count_kinds(in_head, params))
            body_only, params = self.where(kind, "e.vector @@ q AND NOT e.head @@ q")
            body_only += f" AND NOT {PINNED}"
            rest = max(start - head_total, 0)
            rows += self.ranked(body_only, params, "0", rest, rest + stop - start - len(rows))
        return rows

    def ranked(self, where, params, rank, start, stop):
        """Rows `start` to `stop` of those matching `where` by `rank`, with their snippets."""
        rows = fetch(
            PAGE_SQL.format(where=where, rank=rank, query=QUERY, pinned=PINNED_IDS),
            {**params, "offset": start, "limit": stop - start, "hidden": LT + GT, "headline": HEADLINE_OPTIONS},
        )
        return [Result(*row[:6], render_marked(row[6])) for row in rows]


# The query as PostgreSQL parses it, for the statements below: `q`.
QUERY = "websearch_to_tsquery(%(config)s::regconfig, %(query)s) AS q"
# The pinned pages, in their order, and whether row `e` is one of them.
PINNED_IDS = f"ARRAY({PROMOTED_SQL})"
PINNED = f"e.page_id = ANY({PINNED_IDS})"
COUNT_SQL = "SELECT e.kind, count(*) FROM search_searchentry e, {query} WHERE {where} GROUP BY e.kind"
# One page of results, ranked among all matches, then joined to their text for titles and snippets: headlines are
# built for the ten rows shown only. PostgreSQL's parser drops tag-like text ("<b>") from headlines, so < and > are
# hidden from it as private-use characters.
PAGE_SQL = """
SELECT ranked.page_id, ranked.kind, t.title, ranked.date, p.url_path, ranked.pin IS NOT NULL,
    ts_headline(%(config)s::regconfig, translate(t.summary || ' ' || t.body, '<>', %(hidden)s), ranked.q,
                %(headline)s)
FROM (
    SELECT e.page_id, e.kind, e.date, q, array_position({pinned}, e.page_id) AS pin, {rank} AS rank
    FROM search_searchentry e, {query}
    WHERE {where}
    ORDER BY pin, rank DESC, e.date DESC NULLS LAST, e.page_id
    LIMIT %(limit)s OFFSET %(offset)s
) ranked
JOIN search_searchtext t ON t.entry_id = ranked.page_id
JOIN wagtailcore_page p ON p.id = ranked.page_id
ORDER BY ranked.pin, ranked.rank DESC, ranked.date DESC NULLS LAST, ranked.page_id
"""


def fetch(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


class SubstringSearch(Search):
    """SQLite: the words and phrases as case-insensitive substrings, through the ORM; no stemming.

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
