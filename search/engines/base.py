"""What every engine's search shares: one visitor's query in one language, the pages hidden from it, the pages
editors pinned for it, and the shape of a result."""

from typing import NamedTuple

from django.db import connection
from wagtail.contrib.search_promotions.models import Query, SearchPromotion

from home.serving.shell import private_sections

from ..models import Kind
from ..terms import Terms
from ..text import config_for

# The pages editors pinned for a query (Wagtail's search promotions), live and in one language, in their order.
# In SQL: on PostgreSQL it is part of every search statement; on SQLite, building it through the ORM took longer
# than running it.
PROMOTED_SQL = f"""
SELECT promotion.page_id FROM {SearchPromotion._meta.db_table} promotion
JOIN {Query._meta.db_table} query ON query.id = promotion.query_id
JOIN wagtailcore_page page ON page.id = promotion.page_id
WHERE query.query_string = %(normalised)s AND page.locale_id = %(locale)s AND page.live
ORDER BY promotion.sort_order
"""  # noqa: S608 - table names only


def restricted_paths():
    """Tree paths of the pages with a view restriction (a password, a login or groups), from the site shell."""
    return [page.path for page in private_sections()]


def fetch(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


class Result(NamedTuple):
    """One result, as a page of results shows it."""

    page_id: int
    kind: str
    title: str
    date: object
    url_path: str  # the page's path in the tree: all Wagtail needs to route it to its address
    promoted: bool
    snippet: str


class BaseSearch:
    """One visitor's query in one language: how many pages match, per kind, and one page of them at a time.

    Each engine's `Search` adds `count_kinds()` (matches per kind) and `ranked_slice(kind, total, start, stop)`.
    """

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
