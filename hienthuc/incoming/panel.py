"""The unit dashboard's incoming-documents panel: what the unit and the units below received
this year, what waits for a direction, what is late, and who has not carried out a direction."""

import datetime

from django.db.models import Count, Q

from hienthuc.incoming.models import IncomingDocument, IncomingStatus
from hienthuc.orgs.models import Organization

LATE_LIMIT = 20


def incoming_panel(org: Organization, user, today: datetime.date) -> dict:
    """Three queries: the counts, the late directions by assigned body, and the late rows."""
    year = today.year
    received = IncomingDocument.objects.visible_to(user).filter(unit__path__startswith=org.path)
    late_task = Q(status=IncomingStatus.ASSIGNED, task__completed_on__isnull=True, task__deadline_last_day__lt=today)
    late_processing = Q(status=IncomingStatus.UNPROCESSED, processing_due__lt=today)
    counts = received.aggregate(
        this_year=Count("pk", filter=Q(year=year)),
        unprocessed=Count("pk", filter=Q(status=IncomingStatus.UNPROCESSED)),
        late_processing=Count("pk", filter=late_processing),
        assigned=Count("pk", filter=Q(status=IncomingStatus.ASSIGNED)),
        late_tasks=Count("pk", filter=late_task),
        answered=Count("pk", filter=Q(status=IncomingStatus.ANSWERED, year=year)),
    )
    # Who has not carried out a direction in time: the assigned bodies, most late first.
    by_body = list(
        received.filter(late_task)
        .values("assigned_unit_id", "assigned_unit__name")
        .annotate(late=Count("pk"))
        .order_by("-late", "assigned_unit__name")[:LATE_LIMIT]
    )
    late = list(
        received.filter(late_task | late_processing)
        .select_related("unit", "assigned_unit", "task")
        .order_by("processing_due", "pk")[:LATE_LIMIT]
    )
    return {"counts": counts, "by_body": by_body, "late": late, "year": year}
