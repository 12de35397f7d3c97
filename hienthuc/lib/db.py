"""Two tools for the few hot paths written as SQL (docs/performance.md).

`prepared` runs a statement as a server-side prepared statement: PostgreSQL parses and plans it
once per connection instead of on every request, which for a join of several tables costs more
than running it. Django binds parameters on the client, where nothing can be prepared, so this
uses a psycopg cursor of its own on Django's connection (same session, same transaction).

`one_statement` marks a write done by a single statement: atomic by itself, so it needs no
transaction (whose BEGIN and COMMIT would each cost a round trip to the database)."""

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from django.db import connection


def prepared(sql: str, params: Mapping[str, Any]) -> tuple:
    """The first row of a statement, prepared on first use in each connection (PostgreSQL)."""
    import psycopg

    connection.ensure_connection()
    with psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(sql, params, prepare=True)
        return cursor.fetchone()


F = TypeVar("F", bound=Callable)


def one_statement(function: F) -> F:
    function.one_statement = True  # type: ignore[attr-defined]
    return function
