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
    key: str, label: str, rows: Callable, field: str, *, unique_with: str = "", path_field: str = ""
) -> Carrier:
    """The common case: rows that name their unit in one foreign key (`field`), those of
    `rows()` (a queryset of what is still open or owed) re-pointed to the successor.
    `unique_with`: a field that with the unit is unique (a plan owed once per unit): a row the
    successor already has stays with the ceasing unit, as its history. `path_field`: a copy of
    the unit's path kept on the row, re-pointed too."""

    def count(unit_ids: list[int]) -> dict[int, int]:
        found: dict[int, int] = {}
        for unit_id in rows().filter(**{f"{field}__in": unit_ids}).values_list(f"{field}", flat=True):
            found[unit_id] = found.get(unit_id, 0) + 1
        return found

    def carry(successors: dict[int, int], on: datetime.date) -> Moves:
        candidates = rows().filter(**{f"{field}__in": list(successors)})
        if not unique_with:
            moves = [(pk, unit, successors[unit]) for pk, unit in candidates.values_list("pk", field)]
            # All of a unit's rows go to one successor: one statement per unit, not per row.
            paths = _paths(set(successors.values())) if path_field else {}
            for unit in {move[1] for move in moves}:
                target = successors[unit]
                changes = {field: target, **({path_field: paths[target]} if path_field else {})}
                rows().filter(**{field: unit}).update(**changes)
            return moves
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
        return moves

    def undo(moves: Moves) -> None:
        _repoint(rows().model, field, moves, to_index=1, path_field=path_field)

    return Carrier(key, label, count, carry, undo)


def _paths(unit_ids) -> dict[int, str]:
    from hienthuc.orgs.models import Organization

    found: dict[int, str] = {}
    ids = list(unit_ids)
    for start in range(0, len(ids), 5_000):
        found.update(Organization.objects.filter(pk__in=ids[start : start + 5_000]).values_list("pk", "path"))
    return found


def _repoint(model, field: str, moves: Moves, *, to_index: int, path_field: str = "") -> None:
    by_target: dict[int, list[int]] = {}
    for move in moves:
        by_target.setdefault(move[to_index], []).append(move[0])
    paths = _paths(by_target) if path_field else {}
    for target, ids in by_target.items():
        changes = {field: target, **({path_field: paths[target]} if path_field else {})}
        for start in range(0, len(ids), 5_000):  # SQLite's limit on parameters
            model.objects.filter(pk__in=ids[start : start + 5_000]).update(**changes)
