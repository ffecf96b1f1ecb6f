"""Recording the search terms that found nothing, per language and week, for the report editors act on
(reports.py): one statement per search, which PostgreSQL and SQLite (3.24 and later) both accept."""

from datetime import timedelta

from django.db import connection
from django.utils import timezone
from wagtail.search.utils import normalise_query_string

from .models import UnansweredSearch

RECORD_SQL = f"""
INSERT INTO {UnansweredSearch._meta.db_table} AS unanswered (locale_id, week, query_string, hits)
VALUES (%s, %s, %s, 1)
ON CONFLICT (locale_id, week, query_string) DO UPDATE SET hits = unanswered.hits + 1
"""  # noqa: S608 - the table name only


def week_of(day):
    """The Monday of `day`'s week."""
    return day - timedelta(days=day.weekday())


def record_unanswered(query, locale, today=None):
    """Counts one search for `query` in `locale` that found nothing, in this week's row."""
    week = week_of(today or timezone.localdate())
    with connection.cursor() as cursor:
        cursor.execute(RECORD_SQL, [locale.pk, week, normalise_query_string(query)])
