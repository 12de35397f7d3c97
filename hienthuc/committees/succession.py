"""Committee seats end with their unit: a ceasing unit's committee does not pass to its
successor, which is given its own (a new term, appointed or elected). See orgs/succession.py."""

import datetime

from hienthuc.committees.models import CommitteeSeat
from hienthuc.orgs.succession import Moves


def _open(unit_ids) -> object:
    return CommitteeSeat.objects.filter(term__unit_id__in=unit_ids, end_date__isnull=True)


def count(unit_ids: list[int]) -> dict[int, int]:
    found: dict[int, int] = {}
    for unit_id in _open(unit_ids).values_list("term__unit_id", flat=True):
        found[unit_id] = found.get(unit_id, 0) + 1
    return found


def end(successors: dict[int, int], on: datetime.date) -> Moves:
    seats = list(_open(list(successors)).values_list("pk", "term__unit_id"))
    CommitteeSeat.objects.filter(pk__in=[pk for pk, _unit in seats]).update(end_date=on - datetime.timedelta(days=1))
    return [(pk, unit, unit) for pk, unit in seats]


def undo(moves: Moves) -> None:
    CommitteeSeat.objects.filter(pk__in=[pk for pk, _a, _b in moves]).update(end_date=None)
