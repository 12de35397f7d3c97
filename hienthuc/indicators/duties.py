"""Report duties through a reorganization (orgs/succession.py): the ceasing unit's duty ends the
day before the effective date and its successor's begins on it, so completeness of any period
counts the units that owed it then."""

import datetime

from hienthuc.indicators.models import FormUnit
from hienthuc.orgs.succession import Moves


def _owed(unit_ids) -> object:
    return FormUnit.objects.filter(form__is_active=True, unit_id__in=unit_ids, valid_to__isnull=True)


def count(unit_ids: list[int]) -> dict[int, int]:
    found: dict[int, int] = {}
    for unit_id in _owed(unit_ids).values_list("unit_id", flat=True):
        found[unit_id] = found.get(unit_id, 0) + 1
    return found


def carry(successors: dict[int, int], on: datetime.date) -> Moves:
    duties = list(_owed(list(successors)).values_list("pk", "form_id", "unit_id"))
    held = set(FormUnit.objects.filter(unit_id__in=set(successors.values())).values_list("form_id", "unit_id"))
    FormUnit.objects.filter(pk__in=[pk for pk, _f, _u in duties]).update(valid_to=on - datetime.timedelta(days=1))
    new, moves = [], []
    for pk, form_id, unit_id in duties:
        target = successors[unit_id]
        moves.append((pk, unit_id, target))
        if (form_id, target) not in held:
            held.add((form_id, target))
            new.append(FormUnit(form_id=form_id, unit_id=target, valid_from=on))
    FormUnit.objects.bulk_create(new)
    return moves


def undo(moves: Moves) -> None:
    old = FormUnit.objects.filter(pk__in=[pk for pk, _a, _b in moves])
    forms = set(old.values_list("form_id", flat=True))
    FormUnit.objects.filter(
        form_id__in=forms, unit_id__in={b for _pk, _a, b in moves}, valid_from__isnull=False
    ).delete()
    old.update(valid_to=None)
