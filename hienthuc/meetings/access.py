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
    """A bridge point of a meeting the user sees, whose unit they see (its operator does)."""
    from hienthuc.scope import subtree_q

    points = BridgePoint.objects.filter(meeting__in=Meeting.objects.visible_to(user))
    if not user.is_superuser:
        points = points.filter(subtree_q(user, "path") | subtree_q(user, "meeting__unit__path"))
    return get_object_or_404(points.select_related("meeting__unit", "unit", "operator"), pk=pk)
