"""PostgreSQL only: a GIN index on the weighted vectors, and trigram matching for spelling suggestions.

SQLite has neither; there the search view matches the text columns directly and suggests with difflib.
"""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS search_entry_vector_gin ON search_searchentry USING gin (vector)",
    "CREATE INDEX IF NOT EXISTS search_word_trigram_gin ON search_searchword USING gin (word gin_trgm_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS search_word_trigram_gin",
    "DROP INDEX IF EXISTS search_entry_vector_gin",
]


def run(statements):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(run(FORWARD), run(BACKWARD))]
