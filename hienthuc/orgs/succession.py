"""What the apps keep per unit that carries forward when a unit ceases in a reorganization.

A reorganization (the reorgs app) ends units on a date and names their successors. Open work
and duties of a ceasing unit — open tasks it leads, plans and reports it still owes, its members —
go to its successor; closed ones stay with it, so the past is still told on the tree as it stood.
The tree cannot import the apps that hold those rows (it sits below them), so each registers a
`Carrier` here from its AppConfig.ready(); the reorganization's preview and apply iterate the
registry, so a new app's rows are carried without editing the reorganization.

Each carrier answers three questions about a map {ceasing unit id: successor unit id}:
- `count(unit_ids)`: how many of its rows each ceasing unit would hand on (the preview);
- `carry(successors, on)`: hand them on as of the effective day `on`, returning
  [(row id, from unit id, to unit id)] to undo;
- `undo(moves)`: put them back (a reorganization can be undone until its effective date).
Counts kept per unit (orgs/counts.py) are recounted by the reorganization after all carriers ran.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

Moves = list[tuple[int, int, int]]  # (row id, from unit id, to unit id)


@dataclass(frozen=True)
class Carrier:
    key: str  # stored with each moved row, to undo
    label: str  # what the preview calls the rows ("Nhiệm vụ đang thực hiện")
    count: Callable[[list[int]], dict[int, int]]
    carry: Callable[[dict[int, int], datetime.date], Moves]
    undo: Callable[[Moves], None]


_REGISTRY: dict[str, Carrier] = {}


def register(carrier: Carrier) -> None:
    _REGISTRY[carrier.key] = carrier


def registered() -> list[Carrier]:
    return list(_REGISTRY.values())


def carrier(key: str) -> Carrier:
    return _REGISTRY[key]


def unit_field_carrier(
    key: str,
    label: str,
    rows: Callable,
    field: str,
    *,
    unique_with: str = "",
    path_field: str = "",
    keep_history: bool = False,
) -> Carrier:
    """The common case: rows that name their unit in one foreign key (`field`), those of
    `rows()` (a queryset of what is still open or owed) re-pointed to the successor.
    `unique_with`: a field that with the unit is unique (a plan owed once per unit): a row the
    successor already has stays with the ceasing unit, as its history. `path_field`: a copy of
    the unit's path kept on the row, re-pointed too. `keep_history`: each handed row keeps where
    it was before (a HandOver), for figures of a past day (`HandOver` rows, `handed_path`)."""

    def count(unit_ids: list[int]) -> dict[int, int]:
        found: dict[int, int] = {}
        for unit_id in rows().filter(**{f"{field}__in": unit_ids}).values_list(f"{field}", flat=True):
            found[unit_id] = found.get(unit_id, 0) + 1
        return found

    def carry(successors: dict[int, int], on: datetime.date) -> Moves:
        candidates = rows().filter(**{f"{field}__in": list(successors)})
        if not unique_with:
            moves = [(pk, unit, successors[unit]) for pk, unit in candidates.values_list("pk", field)]
        else:
            model = rows().model
            taken = set(
                model.objects.filter(**{f"{field}__in": set(successors.values())}).values_list(unique_with, field)
            )
            moves = []
            for pk, unit, other in candidates.values_list("pk", field, unique_with):
                if (other, successors[unit]) not in taken:
                    taken.add((other, successors[unit]))
                    moves.append((pk, unit, successors[unit]))
        _repoint(rows().model, field, moves, to_index=2, path_field=path_field)
        if keep_history:
            _keep(key, moves, on)
        return moves

    def undo(moves: Moves) -> None:
        _repoint(rows().model, field, moves, to_index=1, path_field=path_field)
        if keep_history:
            from hienthuc.orgs.models import HandOver

            # A unit ceases once, so a row was handed from it once.
            for start in range(0, len(moves), 5_000):
                chunk = moves[start : start + 5_000]
                HandOver.objects.filter(
                    carrier=key, row_id__in=[m[0] for m in chunk], from_unit_id__in={m[1] for m in chunk}
                ).delete()

    return Carrier(key, label, count, carry, undo)


def _paths(unit_ids) -> dict[int, str]:
    from hienthuc.orgs.models import Organization

    found: dict[int, str] = {}
    ids = list(unit_ids)
    for start in range(0, len(ids), 5_000):
        found.update(Organization.objects.filter(pk__in=ids[start : start + 5_000]).values_list("pk", "path"))
    return found


def _keep(key: str, moves: Moves, on: datetime.date) -> None:
    """Write a HandOver per moved row: one statement over arrays on PostgreSQL (a national
    reorganization hands on a million tasks), batches elsewhere."""
    from django.db import connection

    from hienthuc.orgs.models import HandOver

    paths = _paths({move[1] for move in moves})
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(HandOver._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (carrier, row_id, from_unit_id, from_path, effective_on) "
                "SELECT %s, v.row_id, v.from_unit, v.from_path, %s "
                "FROM unnest(%s::bigint[], %s::bigint[], %s::text[]) AS v(row_id, from_unit, from_path)",
                [key, on, [m[0] for m in moves], [m[1] for m in moves], [paths[m[1]] for m in moves]],
            )
        return
    HandOver.objects.bulk_create(
        (
            HandOver(carrier=key, row_id=row, from_unit_id=unit, from_path=paths[unit], effective_on=on)
            for row, unit, _to in moves
        ),
        batch_size=5_000,
    )


def _handed_after(key: str, day: datetime.date):
    from hienthuc.orgs.models import HandOver

    return HandOver.objects.filter(carrier=key, effective_on__gt=day)


def handed_path(key: str, day: datetime.date):
    """For an annotation on the carried rows' queryset: the path of the unit a row was with on
    `day`, when a reorganization after that day handed it on (else NULL: where it is now)."""
    from django.db.models import OuterRef, Subquery

    later = _handed_after(key, day).filter(row_id=OuterRef("pk"))
    return Subquery(later.order_by("effective_on").values("from_path")[:1])


def not_handed_after(key: str, day: datetime.date):
    """A filter on the carried rows' queryset: rows no reorganization handed on after `day`
    (they were that day where they are now)."""
    from django.db.models import Exists, OuterRef

    return ~Exists(_handed_after(key, day).filter(row_id=OuterRef("pk")))


def handed_from_within(key: str, path: str, day: datetime.date, *, first: bool = False):
    """Ids of the rows handed on after `day` by units in the subtree at `path`. `first`: only
    where that was their first hand-over after the day (they were in the subtree that day) —
    a condition on the hand-overs, which the planner estimates, unlike a filter on where each
    row was looked up from."""
    from django.db.models import Exists, OuterRef

    later = _handed_after(key, day)
    found = later.filter(from_path__startswith=path)
    if first:
        found = found.exclude(
            Exists(later.filter(row_id=OuterRef("row_id"), effective_on__lt=OuterRef("effective_on")))
        )
    return found.values("row_id")


def _repoint(model, field: str, moves: Moves, *, to_index: int, path_field: str = "") -> None:
    """Set each moved row's unit (and path copy) to its target in a few statements, joined to
    the moves as arrays (PostgreSQL) or VALUES lists (SQLite): a national reorganization
    re-homes millions of members over ninety thousand units, too many for a statement each."""
    if not moves:
        return
    from django.db import connection

    paths = _paths({move[to_index] for move in moves}) if path_field else {}
    table = connection.ops.quote_name(model._meta.db_table)
    pk = connection.ops.quote_name(model._meta.pk.column)
    column = connection.ops.quote_name(model._meta.get_field(field).column)
    sets = f"{column} = v.target"
    columns = "row_id, target"
    if path_field:
        sets += f", {connection.ops.quote_name(model._meta.get_field(path_field).column)} = v.path"
        columns += ", path"
    targets = [move[to_index] for move in moves]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Arrays: one parameter each however many rows, and a join the planner runs on the
            # primary key.
            arrays = [[move[0] for move in moves], targets]
            kinds = "%s::bigint[], %s::bigint[]"
            if path_field:
                arrays.append([paths[t] for t in targets])
                kinds += ", %s::text[]"
            cursor.execute(
                f"UPDATE {table} SET {sets} FROM unnest({kinds}) AS v({columns}) WHERE {table}.{pk} = v.row_id",
                arrays,
            )
            return
        width = 3 if path_field else 2
        chunk = 30_000 // width  # under SQLite's limit on parameters
        for start in range(0, len(moves), chunk):
            params: list = []
            for move, target in zip(moves[start : start + chunk], targets[start : start + chunk], strict=True):
                params += [move[0], target, paths[target]] if path_field else [move[0], target]
            rows = ", ".join(["(" + ", ".join(["%s"] * width) + ")"] * (len(params) // width))
            cursor.execute(
                f"WITH v({columns}) AS (VALUES {rows}) UPDATE {table} SET {sets} FROM v WHERE {table}.{pk} = v.row_id",
                params,
            )
