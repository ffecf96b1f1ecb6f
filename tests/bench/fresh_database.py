"""The benchmarks' PostgreSQL databases: each run starts from an empty one."""

from urllib.parse import urlparse


def recreate(database_url):
    """Drops the database `database_url` names (ending any session still on it) and creates it empty."""
    import psycopg

    url = urlparse(database_url)
    name = url.path.lstrip("/")
    with psycopg.connect(url._replace(path="/postgres").geturl(), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
