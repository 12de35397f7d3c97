"""Subtree counts kept in step with every write (DESIGN §3, "live figures").

Each unit at depth ≥ AGGREGATE_MIN_DEPTH stores how many active units lie below it and how
many active people belong to its subtree. A write bumps the stored counts of the unit's
ancestors in the same transaction; shallower units (the Centre) add up their children at
read time, so no single row near the root is updated by every write in the country.
"""

import datetime
from collections import defaultdict

from django.db import connection
from django.db.models import Case, Count, F, PositiveIntegerField, Q, Sum, Value, When

from hienthuc.orgs.models import AGGREGATE_MIN_DEPTH, FormerName, Organization, OrgKind

COLUMNS = ["units_below", "people_below", "people_here"]


def bump(paths: list[str], *, units: int = 0, people: int = 0) -> None:
    if not paths or (units == 0 and people == 0):
        return
    Organization.objects.filter(path__in=paths, depth__gte=AGGREGATE_MIN_DEPTH).update(
        units_below=F("units_below") + units, people_below=F("people_below") + people
    )


def bump_people(unit: Organization, delta: int) -> None:
    """A person joined (+1) or left (-1) `unit`: its own count and its subtree counts change."""
    step = Value(delta, output_field=PositiveIntegerField())
    Organization.objects.filter(path__in=[*unit.ancestor_paths, unit.path]).update(
        people_below=Case(
            When(depth__gte=AGGREGATE_MIN_DEPTH, then=F("people_below") + step), default=F("people_below")
        ),
        people_here=Case(When(pk=unit.pk, then=F("people_here") + step), default=F("people_here")),
    )


def subtree_totals(org: Organization) -> tuple[int, int]:
    """(active units below, active people in the subtree) of any unit, from stored counts.

    `org` must have been loaded in the current transaction or request: its stored counts
    are read from the instance, not fetched again.
    """
    if org.has_aggregates:
        return org.units_below, org.people_below
    children = Organization.objects.filter(path__startswith=org.path, depth=org.depth + 1)
    sums = children.aggregate(
        units=Sum("units_below"), people=Sum("people_below"), active=Count("pk", filter=Q(is_active=True))
    )
    return (sums["units"] or 0) + sums["active"], (sums["people"] or 0) + org.people_here


_UNIT_COLUMNS = (
    "o.id, o.code, o.name, o.path, o.depth, o.numchild, o.is_active, "
    "o.units_below, o.people_below, o.people_here, k.name, k.is_body, o.valid_from, o.valid_to"
)
_UNIT_KEYS = (
    "pk",
    "code",
    "name",
    "path",
    "depth",
    "numchild",
    "is_active",
    "units_below",
    "people_below",
    "people_here",
    "kind_name",
    "is_body",
    "valid_from",
    "valid_to",
)
_FROM = f"FROM {Organization._meta.db_table} o JOIN {OrgKind._meta.db_table} k ON k.id = o.kind_id"


def _rows(sql: str, params: list) -> list[dict]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = [dict(zip(_UNIT_KEYS, row, strict=True)) for row in cursor.fetchall()]
    for row in rows:
        row["is_active"] = bool(row["is_active"])
    return rows


def overview(top_paths: list[str] | None, on=None) -> list[tuple[dict, list[dict]]]:
    """The units at `top_paths` (the tops of what a user sees: scope.root_paths;
    None for the whole tree) with their subtree totals, each with its active children and
    theirs: the tree page, and the hottest read of a national deployment. With a day `on`,
    the children are those that existed that day (a reorganization ended or made units).

    Two plain SQL queries whatever the size of the tree (the ORM's own overhead was four
    times the database's here); tests check it against subtree_totals() and children_of().
    """
    if top_paths is None:
        tops = _rows(f"SELECT {_UNIT_COLUMNS} {_FROM} WHERE o.depth = 1 ORDER BY o.path", [])
    elif top_paths:
        marks = ", ".join(["%s"] * len(top_paths))
        tops = _rows(f"SELECT {_UNIT_COLUMNS} {_FROM} WHERE o.path IN ({marks}) ORDER BY o.path", list(top_paths))
    else:
        tops = []
    if not tops:
        return []
    # Paths hold only 0-9 and A-Z, so a prefix needs no LIKE escaping.
    where = "(" + " OR ".join("(o.depth = %s AND o.path LIKE %s)" for _ in tops) + ")"
    params = [value for top in tops for value in (top["depth"] + 1, top["path"] + "%")]
    if on is not None:
        where += " AND (o.valid_from IS NULL OR o.valid_from <= %s) AND (o.valid_to IS NULL OR o.valid_to >= %s)"
        params += [on, on]
    by_parent: dict[str, list[dict]] = defaultdict(list)
    for row in _rows(f"SELECT {_UNIT_COLUMNS} {_FROM} WHERE {where} ORDER BY k.is_body, o.search_text", params):
        by_parent[row["path"][: -Organization.steplen]].append(row)
    result = []
    for top in tops:
        children = by_parent[top["path"]]
        if top["depth"] < AGGREGATE_MIN_DEPTH:
            top["units_below"] = sum(c["units_below"] + c["is_active"] for c in children)
            top["people_below"] = sum(c["people_below"] for c in children) + top["people_here"]
        if on is None and top["valid_to"] is not None:
            # A unit that ceased in a reorganization shows its tree as it stood on its last day.
            last = _as_date(top["valid_to"])
            children = [c for c in children if _existed(c, last)]
        else:
            children = [c for c in children if c["is_active"] or on is not None]
        result.append((top, children))
    if on is not None:
        # Names as they were that day (a rename in a reorganization keeps the former one).
        FormerName.objects.name_rows_on([row for top, children in result for row in (top, *children)], on)
    return result


def _as_date(value):
    # SQLite hands dates back as text through a raw cursor.
    return datetime.date.fromisoformat(value) if isinstance(value, str) else value


def _existed(row: dict, day) -> bool:
    start, end = _as_date(row["valid_from"]), _as_date(row["valid_to"])
    return (start is None or start <= day) and (end is None or end >= day)


def compute_from_scratch() -> dict[str, tuple[int, int, int]]:
    """Recount every stored aggregate from the rows themselves (for checks and rebuilds)."""
    units: dict[str, int] = defaultdict(int)
    people: dict[str, int] = defaultdict(int)
    here: dict[str, int] = {}
    step = Organization.steplen
    rows = Organization.objects.values_list("path", "depth", "is_active").order_by()
    for path, depth, is_active in rows.iterator(chunk_size=10_000):
        units.setdefault(path, 0)
        if is_active:
            for i in range(AGGREGATE_MIN_DEPTH, depth):
                units[path[: i * step]] += 1
    # Active people per home unit, through the `people` relation the people app declares (the
    # tree does not import the apps above it: docs/architecture.md, "Layers").
    per_unit = Organization.objects.filter(people__is_active=True).values_list("path").annotate(n=Count("people"))
    per_unit = per_unit.order_by()
    for path, n in per_unit:
        here[path] = n
        depth = len(path) // step
        for i in range(AGGREGATE_MIN_DEPTH, depth + 1):
            people[path[: i * step]] += n
    # Units above AGGREGATE_MIN_DEPTH keep only their own people count.
    return {
        path: (units[path], people[path], here.get(path, 0))
        if len(path) // step >= AGGREGATE_MIN_DEPTH
        else (0, 0, here.get(path, 0))
        for path in units
    }


def rebuild() -> int:
    """Rewrite the stored aggregates that differ from a fresh count; return how many changed."""
    expected = compute_from_scratch()
    stale = []
    rows = Organization.objects.values_list("pk", "path", *COLUMNS)
    for pk, path, *stored in rows.iterator(chunk_size=10_000):
        if expected[path] != tuple(stored):
            stale.append((*expected[path], pk))
    # One prepared statement run per row: bulk_update's CASE over a thousand rows costs the
    # database more to parse than these cost to run (a reorganization rewrites tens of thousands).
    assignments = ", ".join(f"{column} = %s" for column in COLUMNS)
    with connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {Organization._meta.db_table} SET {assignments} WHERE id = %s", stale)
    return len(stale)


def stored() -> dict[str, tuple[int, int, int]]:
    return {path: tuple(values) for path, *values in Organization.objects.values_list("path", *COLUMNS)}
