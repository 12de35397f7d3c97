"""Fetching people for a request: 404 outside the user's subtrees, 403 for a change not allowed."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from hienthuc.people.models import Person, Position
from hienthuc.scope import AnyUser, require_edit


def access_person(user: AnyUser, pk: int, *, write: bool = False) -> Person:
    person = get_object_or_404(Person.objects.visible_to(user).select_related("home_unit__kind"), pk=pk)
    if write:
        require_edit(user, person.home_unit, _("Bạn chỉ có quyền xem thông tin người này."))
    return person


def access_position(user: AnyUser, pk: int, *, write: bool = False) -> Position:
    position = get_object_or_404(Position.objects.visible_to(user).select_related("person__home_unit"), pk=pk)
    if write:
        require_edit(user, position.person.home_unit, _("Bạn chỉ có quyền xem thông tin người này."))
    return position


def readable_people(user: AnyUser, ids) -> set[int]:
    """Which of these people the user may open: a page naming people of other units (a ceased
    committee's members, now of its successor) links only those, and names the others."""
    return set(Person.objects.visible_to(user).filter(pk__in=set(ids)).values_list("pk", flat=True))
