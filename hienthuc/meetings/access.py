"""Fetching meetings, agenda items and bridge points for a request: the same 404 for a missing
one and one the user may not see."""

from django.shortcuts import get_object_or_404

from hienthuc.meetings.models import AgendaItem, BridgePoint, Meeting
from hienthuc.scope import AnyUser


def access_meeting(user: AnyUser, pk: int) -> Meeting:
    return get_object_or_404(Meeting.objects.visible_to(user).select_related("unit", "term"), pk=pk)


def access_item(user: AnyUser, pk: int) -> AgendaItem:
    return get_object_or_404(
        AgendaItem.objects.filter(meeting__in=Meeting.objects.visible_to(user)).select_related("meeting__unit"), pk=pk
    )


def access_point(user: AnyUser, pk: int) -> BridgePoint:
    """A bridge point of a meeting the user sees, whose unit they see (its operator does). The
    check-in applies the same rule in its own read (meetings.actions.do_check_in)."""
    from hienthuc.scope import subtree_q

    points = BridgePoint.objects.filter(meeting__in=Meeting.objects.visible_to(user))
    if not user.is_superuser:
        points = points.filter(subtree_q(user, "path") | subtree_q(user, "meeting__unit__path"))
    return get_object_or_404(points.select_related("meeting__unit", "unit", "operator"), pk=pk)


def access_attendee(user: AnyUser, meeting: Meeting, person_id: int | None):
    """A person an operator names by id (a search result, a QR code, a scanner's queue): one
    summoned to the meeting, or one the user may see; None otherwise — the same answer as for a
    missing id, so an id cannot draw a name from beyond the user's reach."""
    from django.db.models import Q

    from hienthuc.people.models import Person
    from hienthuc.scope import subtree_q

    people = Person.objects.filter(pk=person_id or 0)
    if not user.is_superuser:
        people = people.filter(Q(invitations__meeting=meeting) | subtree_q(user, "home_unit__path"))
    return people.select_related("home_unit").distinct().first()
