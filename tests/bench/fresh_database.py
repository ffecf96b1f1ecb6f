"""The benchmarks' databases (PostgreSQL, or SQLite for `make bench`): each run starts from an empty one."""

from pathlib import Path
from urllib.parse import urlparse


def recreate(database_url):
    """Drops the database `database_url` names (ending any session still on it) and creates it empty; a SQLite
    file is removed (migrate makes it again)."""
    url = urlparse(database_url)
    if url.scheme == "sqlite":
        Path(url.path).unlink(missing_ok=True)
        return
    import psycopg

    name = url.path.lstrip("/")
    with psycopg.connect(url._replace(path="/postgres").geturl(), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
