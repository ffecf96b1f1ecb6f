"""Where the search app looks at the database vendor: only where it chooses its engine."""

from pathlib import Path

from django.conf import settings

BASE = Path(settings.BASE_DIR)


def test_only_the_engine_choice_and_the_migrations_look_at_the_database_vendor():
    looking = {
        path.relative_to(BASE).as_posix()
        for path in (BASE / "search").rglob("*.py")
        if "migrations" not in path.parts and ".vendor" in path.read_text(encoding="utf-8")
    }
    assert looking == {"search/engines/__init__.py"}
