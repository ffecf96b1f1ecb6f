"""The search engines, one module per database, as Wagtail's own are (`wagtail/search/backends/database/`).

Everything that differs by database lives in the engine module, and the rest of the app asks `engine()` and never
looks at the database vendor. Every engine module offers the same names:

- `Search(query, locale, restricted=None)`: one visitor's query in one language (see `base.BaseSearch`);
- `add_vectors(entry, title, summary, body)`: what an index row stores beyond its text;
- `log_query(query)`: one hit for the query in Wagtail's search terms report;
- `closest_word(known_words, word)`: the spelling suggestion for a lower-case word, from a language's words.

PostgreSQL has its own; SQLite's substring engine serves any other database too.
"""

from functools import cache

from django.db import connection

from . import postgresql, sqlite

ENGINES = {"postgresql": postgresql}


@cache
def engine():
    """The engine module of the database this process runs on, chosen once."""
    return ENGINES.get(connection.vendor, sqlite)
