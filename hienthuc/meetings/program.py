"""A session against the work program: the program's items due in the session's quarter that
are not on its agenda, and the agenda items whose drafts are late to the office."""

import datetime

from django.db.models import Q

from hienthuc.meetings.models import AgendaItem, Meeting, MeetingStatus
from hienthuc.plans.models import PlanKind, PlanStatus, Task


def quarter_of(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    first_month = 3 * ((day.month - 1) // 3) + 1
    start = datetime.date(day.year, first_month, 1)
    end = datetime.date(day.year + (first_month == 10), 1 if first_month == 10 else first_month + 3, 1)
    return start, end - datetime.timedelta(days=1)


def program_tasks(unit) -> "Task.objects":
    """Open tasks of the unit's issued whole-term and yearly work programs."""
    return Task.objects.filter(
        plan__unit=unit, plan__kind=PlanKind.WORK_PROGRAM, plan__status=PlanStatus.ISSUED, completed_on__isnull=True
    )


def planned_not_taken(meeting: Meeting) -> list[Task]:
    """What the program planned for the session's quarter and the agenda does not carry."""
    if not meeting.is_session:
        return []
    from django.utils import timezone

    start, end = quarter_of(timezone.localtime(meeting.starts_at).date())
    on_agenda = AgendaItem.objects.filter(meeting__unit=meeting.unit, planned_task__isnull=False).values(
        "planned_task_id"
    )
    due = program_tasks(meeting.unit).filter(deadline_last_day__gte=start, deadline_last_day__lte=end)
    return list(due.exclude(pk__in=on_agenda).order_by("deadline_last_day", "order")[:50])


def late_drafts(today: datetime.date):
    """Items of sessions still to be held whose draft is past its day and not received."""
    return AgendaItem.objects.filter(
        Q(draft_received_on__isnull=True),
        meeting__status=MeetingStatus.PLANNED,
        draft_due__lt=today,
        preparing_unit__isnull=False,
    )
