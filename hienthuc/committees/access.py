"""Fetching terms for a request: 404 outside the user's subtrees, 403 for a change not allowed."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from hienthuc.committees.models import Assignment, CommitteeSeat, SeatRole, Term
from hienthuc.scope import AnyUser, require_edit


def access_term(user: AnyUser, pk: int, *, write: bool = False) -> Term:
    term = get_object_or_404(Term.objects.visible_to(user).select_related("unit"), pk=pk)
    if write:
        require_edit(user, term.unit, _("Bạn chỉ có quyền xem nhiệm kỳ này."))
    return term


def seat_order(seat: CommitteeSeat) -> tuple[bool, int, str]:
    """Sitting members before those who left; Bí thư first, then deputies, then members; by
    name within a role."""
    return seat.end_date is not None, SeatRole.values.index(seat.role), seat.person.search_name


def access_seat(user: AnyUser, pk: int, *, write: bool = False) -> CommitteeSeat:
    seat = get_object_or_404(CommitteeSeat.objects.visible_to(user).select_related("term__unit"), pk=pk)
    if write:
        require_edit(user, seat.term.unit, _("Bạn chỉ có quyền xem nhiệm kỳ này."))
    return seat


def access_assignment(user: AnyUser, pk: int, *, write: bool = False) -> Assignment:
    assignment = get_object_or_404(Assignment.objects.visible_to(user).select_related("term__unit"), pk=pk)
    if write:
        require_edit(user, assignment.term.unit, _("Bạn chỉ có quyền xem nhiệm kỳ này."))
    return assignment
