"""The PostgreSQL engine: each language stemmed by its own configuration, weighted ranking through GIN indexes,
headlines for snippets, trigram spelling suggestions, and the query log in one statement.

A query is parsed by `websearch_to_tsquery` with the language's own configuration (stemming, "quoted phrases",
-exclusions) and served by the GIN index.
"""

from django.contrib.postgres.search import SearchVector
from django.db import connection
from django.db.models import BooleanField, Value
from django.db.models.expressions import RawSQL
from django.utils import timezone
from wagtail.contrib.search_promotions.models import Query, QueryDailyHits
from wagtail.search.utils import normalise_query_string

from ..text import FRAGMENT_BREAK, GT, LT, MARK_START, MARK_STOP, render_marked, snippet
from .base import PROMOTED_SQL, BaseSearch, Result, fetch

# Up to this many matches, ranking reads each match's whole vector; beyond it, see Search.ranked_slice.
RANK_BODY_UP_TO = 1000
# ts_rank weights for D, C (body), B (summary) and A (title). Each is ten times the next, and ts_rank never adds up
# more than 1.65 times a term's highest weight, so no number of summary matches outweighs a title match.
WEIGHTS = [0.001, 0.01, 0.1, 1.0]
# ts_headline's options: the private-use match markers, and up to two fragments of 15 to 35 words between which
# stands a private-use character (text.snippet shows it as an ellipsis).
HEADLINE_OPTIONS = (
    f'StartSel="{MARK_START}", StopSel="{MARK_STOP}", MaxWords=35, MinWords=15, MaxFragments=2,'
    f' FragmentDelimiter="{FRAGMENT_BREAK}"'
)


class Search(BaseSearch):
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
            {
                **params,
                "offset": start,
                "limit": stop - start,
                "hidden": LT + GT,
                "headline": HEADLINE_OPTIONS,
                "fragment_break": FRAGMENT_BREAK,
            },
        )
        return [Result(*row[:6], render_marked(snippet(*row[6:]))) for row in rows]


# The query as PostgreSQL parses it, for the statements below: `q`.
QUERY = "websearch_to_tsquery(%(config)s::regconfig, %(query)s) AS q"
# The pinned pages, in their order, and whether row `e` is one of them.
PINNED_IDS = f"ARRAY({PROMOTED_SQL})"
PINNED = f"e.page_id = ANY({PINNED_IDS})"
COUNT_SQL = "SELECT e.kind, count(*) FROM search_searchentry e, {query} WHERE {where} GROUP BY e.kind"
# One page of results, ranked among all matches, then joined to their text for titles and snippets: headlines are
# built for the ten rows shown only. PostgreSQL's parser drops tag-like text ("<b>") from headlines, so < and > are
# hidden from it as private-use characters. A headline says nothing of where it was cut: its first fragment is
# compared with the start of its source, and its last with the end, by their letters and digits only (a headline
# drops the punctuation around its words).
PAGE_SQL = r"""
SELECT ranked.page_id, ranked.kind, t.title, ranked.date, p.url_path, ranked.pin IS NOT NULL, h.headline,
    NOT starts_with(letters.text, letters.first), right(letters.text, length(letters.last)) <> letters.last
FROM (
    SELECT e.page_id, e.kind, e.date, q, array_position({pinned}, e.page_id) AS pin, {rank} AS rank
    FROM search_searchentry e, {query}
    WHERE {where}
    ORDER BY pin, rank DESC, e.date DESC NULLS LAST, e.page_id
    LIMIT %(limit)s OFFSET %(offset)s
) ranked
JOIN search_searchtext t ON t.entry_id = ranked.page_id
JOIN wagtailcore_page p ON p.id = ranked.page_id
CROSS JOIN LATERAL (SELECT translate(t.summary || ' ' || t.body, '<>', %(hidden)s) AS text) source
CROSS JOIN LATERAL (SELECT ts_headline(%(config)s::regconfig, source.text, ranked.q, %(headline)s) AS headline) h
CROSS JOIN LATERAL (
    SELECT regexp_replace(source.text, '\W', '', 'g') AS text,
        regexp_replace(split_part(h.headline, %(fragment_break)s, 1), '\W', '', 'g') AS first,
        regexp_replace(split_part(h.headline, %(fragment_break)s, -1), '\W', '', 'g') AS last
) letters
ORDER BY ranked.pin, ranked.rank DESC, ranked.date DESC NULLS LAST, ranked.page_id
"""


def add_vectors(entry, title, summary, body):
    """Gives an unsaved index row its weighted vectors, built by PostgreSQL as the row is inserted."""
    entry.head = head_vector(entry.config, title, summary)
    entry.vector = head_vector(entry.config, title, summary) + SearchVector(
        Value(body), weight="C", config=entry.config
    )


def head_vector(config, title, summary):
    """The title (A) and summary (B) of a page, stemmed with its own language's configuration."""
    title_vector = SearchVector(Value(title), weight="A", config=config)
    return title_vector + SearchVector(Value(summary), weight="B", config=config)


# What Query.get(query).add_hit() does in three statements (two reads and a write), in one; the query string is
# normalised the same way.
LOG_SQL = f"""
WITH logged AS (
    INSERT INTO {Query._meta.db_table} (query_string) VALUES (%s)
    ON CONFLICT (query_string) DO UPDATE SET query_string = EXCLUDED.query_string RETURNING id
)
INSERT INTO {QueryDailyHits._meta.db_table} AS daily (query_id, date, hits) SELECT id, %s, 1 FROM logged
ON CONFLICT (query_id, date) DO UPDATE SET hits = daily.hits + 1
"""  # noqa: S608 - table names only


def log_query(query):
    """Counts one search for the query in Wagtail's search terms report."""
    with connection.cursor() as cursor:
        # Dated as Wagtail dates its hits.
        cursor.execute(LOG_SQL, [normalise_query_string(query), timezone.now().date()])


def closest_word(known_words, word):
    """The known word most like `word` by trigram similarity (pg_trgm), or None."""
    return (
        known_words.filter(RawSQL("word %% %s", [word], output_field=BooleanField()))
        .annotate(similarity=RawSQL("similarity(word, %s)", [word]))
        .order_by("-similarity", "word")
        .values_list("word", flat=True)
        .first()
    )
