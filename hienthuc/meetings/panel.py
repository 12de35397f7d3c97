"""The unit dashboard's meetings panel: the meetings coming up in the unit's tree, and the
latest conferences it took part in, with its attendance and how far its members have studied
their documents."""

import datetime

from django.db.models import Q

from hienthuc.meetings import figures
from hienthuc.meetings.models import BridgePoint, Meeting, MeetingStatus
from hienthuc.orgs.models import Organization

UPCOMING_DAYS = 30
RECENT = 3


def meetings_panel(org: Organization, user, now: datetime.datetime) -> dict:
    visible = Meeting.objects.visible_to(user)
    reaching = BridgePoint.objects.filter(path__startswith=org.path).values("meeting_id")
    mine = visible.filter(Q(unit__path__startswith=org.path) | Q(pk__in=reaching)).select_related("unit")
    upcoming = list(
        mine.filter(
            status=MeetingStatus.PLANNED,
            starts_at__gte=now,
            starts_at__lte=now + datetime.timedelta(days=UPCOMING_DAYS),
        ).order_by("starts_at")[:10]
    )
    recent = []
    for index, meeting in enumerate(mine.filter(pk__in=reaching, starts_at__lte=now).order_by("-starts_at")[:RECENT]):
        # Completion (a few grouped queries a document) for the latest conference's first documents.
        documents = list(meeting.documents.select_related("kind")[:3]) if index == 0 else []
        recent.append(
            {
                "meeting": meeting,
                "board": figures.board(meeting, org),
                "completion": [(d, figures.completion(d.pk, org)["total"]) for d in documents],
            }
        )
    return {"upcoming": upcoming, "recent": recent}
