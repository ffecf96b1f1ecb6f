"""The SQL of the queue that differs per database, one module each (as Wagtail's search/backends/database/ keeps
its own); the rest of the delivery code asks `for_connection()` and never looks at the database's vendor."""

import functools

from django.db import connection

from . import postgresql, sqlite

DATABASES = {"postgresql": postgresql, "sqlite": sqlite}


@functools.cache
def for_connection():
    """The module for the database in use: each offers claim(cursor, kind, params) and store(rows, sent_at)."""
    return DATABASES[connection.vendor]
