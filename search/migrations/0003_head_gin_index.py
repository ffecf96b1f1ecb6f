"""PostgreSQL only: a GIN index on the title-and-summary vector. Through it, a word found on thousands of pages
finds its title and summary matches, which rank first, without reading every match."""

from importlib import import_module

from django.db import migrations

run = import_module("search.migrations.0002_postgresql_indexes").run


class Migration(migrations.Migration):
    dependencies = [("search", "0002_postgresql_indexes")]

    operations = [
        migrations.RunPython(
            run(["CREATE INDEX IF NOT EXISTS search_entry_head_gin ON search_searchentry USING gin (head)"]),
            run(["DROP INDEX IF EXISTS search_entry_head_gin"]),
        )
    ]
