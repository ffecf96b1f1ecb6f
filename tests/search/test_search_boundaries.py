"""Which way the search app's imports run, and where it looks at the database."""

import ast
from pathlib import Path

import pytest
from django.conf import settings

BASE = Path(settings.BASE_DIR)


def imported_modules(path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and not node.level:
            yield node.module
        elif isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)


@pytest.mark.parametrize("app", ["actions", "home", "newsletter"])
def test_the_page_apps_never_import_search(app):
    """They declare their pages' kind as a plain string (`search_kind`) that search reads."""
    for path in (BASE / app).rglob("*.py"):
        assert not any(module.split(".")[0] == "search" for module in imported_modules(path)), path


def test_only_the_engine_choice_and_the_migrations_look_at_the_database_vendor():
    looking = {
        path.relative_to(BASE).as_posix()
        for path in (BASE / "search").rglob("*.py")
        if "migrations" not in path.parts and ".vendor" in path.read_text(encoding="utf-8")
    }
    assert looking == {"search/engines/__init__.py"}
