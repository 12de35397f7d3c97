"""Adding figures into every ancestor's tally row, in the same transaction as the write.

Tasks, plan coverage, report submissions and indicator values each keep a tally table keyed
by unit (and whatever else they count by). An item of a unit counts in the unit's own row and
in its ancestors' rows from AGGREGATE_MIN_DEPTH down; the Centre adds up its children at read
time, so no write in the country updates a hot row (see orgs/aggregates.py for units/people).
"""

from collections import defaultdict
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from django.db import connection

from hienthuc.orgs.models import AGGREGATE_MIN_DEPTH, Organization

STEP = Organization.steplen


class Units:
    """Which units' tally rows a recount touches: given ids, and every unit under given paths;
    nothing given means every unit."""

    def __init__(self, ids=(), under=()):
        self.ids, self.under = list(ids), list(under)

    def sql(self, alias: str) -> tuple[str, list]:
        if not (self.ids or self.under):
            return "1 = 1", []
        parts, params = [], []
        if self.ids:
            parts.append(f"{alias}.id IN ({', '.join(['%s'] * len(self.ids))})")
            params += self.ids
        for path in self.under:
            parts.append(f"{alias}.path LIKE %s")
            params.append(path + "%")
        return "(" + " OR ".join(parts) + ")", params

    def sql_pair(self, tally_alias: str, item_alias: str) -> tuple[str, list]:
        """`sql` on the tally's unit, and — when only subtrees are named — the same on the unit
        of the counted rows, so the database reads those subtrees' rows instead of every row."""
        where, params = self.sql(tally_alias)
        if self.under and not self.ids:
            also, more = Units(under=self.under).sql(item_alias)
            return f"{where} AND {also}", params + more
        return where, params


def ancestry(path: str, *, ancestors_only: bool = False) -> list[str]:
    """The paths whose tally counts an item of the unit at `path`: its own (unless
    `ancestors_only`) and its ancestors' at depth ≥ AGGREGATE_MIN_DEPTH."""
    depth = len(path) // STEP - (1 if ancestors_only else 0)
    return [path[: d * STEP] for d in range(depth, AGGREGATE_MIN_DEPTH - 1, -1)]


def _as_tuple(value) -> tuple:
    return value if isinstance(value, tuple) else (value,)


def spread(items: Mapping, *, ancestors_only: bool = False) -> dict[tuple, tuple]:
    """{(unit path, *key): delta} → {(unit id, *key): summed delta} over every tally row the
    item counts in. A delta is a number or a tuple of numbers (one per value column)."""
    by_path: dict[tuple, list] = defaultdict(list)
    for (path, *rest), delta in items.items():
        delta = _as_tuple(delta)
        for prefix in ancestry(path, ancestors_only=ancestors_only):
            total = by_path[(prefix, *rest)]
            if not total:
                total.extend([0] * len(delta))
            for i, value in enumerate(delta):
                total[i] += value
    ids = dict(Organization.objects.filter(path__in={key[0] for key in by_path}).values_list("path", "pk"))
    return {(ids[path], *rest): tuple(total) for (path, *rest), total in by_path.items()}


def upsert_add(table: str, key_columns: list[str], value_columns: list[str], deltas: Mapping[tuple, tuple]) -> None:
    """Add each delta to its row, creating the row when missing (one statement per row, batched)."""
    rows = [(*key, *delta) for key, delta in deltas.items() if any(delta)]
    if not rows:
        return
    keys, values = ", ".join(key_columns), ", ".join(value_columns)
    marks = ", ".join(["%s"] * (len(key_columns) + len(value_columns)))
    updates = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in value_columns)
    sql = f"INSERT INTO {table} ({keys}, {values}) VALUES ({marks}) ON CONFLICT ({keys}) DO UPDATE SET {updates}"
    # A stable order keeps two concurrent writers from locking the same rows in opposite order.
    rows.sort(key=lambda row: tuple(str(v) for v in row[: len(key_columns)]))
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


@contextmanager
def recount_cursor() -> Iterator:
    """A cursor for recounting tallies from the rows (rebuild, check_tallies, a unit move).

    These queries join every counted row to its ancestor unit by path prefix. Without table
    statistics (a fresh database, or rows not yet analyzed) PostgreSQL plans them as nested loops
    over every unit for every row — minutes for the demo; hash joins are linear at any size, so
    nested loops are off for these statements only (SET, then RESET)."""
    with connection.cursor() as cursor:
        postgres = connection.vendor == "postgresql"
        if postgres:
            cursor.execute("SET enable_nestloop = off")
        try:
            yield cursor
        finally:
            if postgres:
                cursor.execute("RESET enable_nestloop")
