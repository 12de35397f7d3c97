"""What the inspection pages and the dashboard panel count: the program's items done, late and
not started (their tasks' statuses, as every task is counted), inspections by state, open
recommendations, and the inspections per unit right below — each one grouped query."""

import datetime

from django.db.models import Count
from django.db.models.functions import Substr

from hienthuc.inspections.models import Discipline, Inspection, Status
from hienthuc.lib import deadlines
from hienthuc.lib.tree import PATH_STEP
from hienthuc.orgs.models import Organization
from hienthuc.plans.models import PlanKind, PlanStatus, Task


def program_tasks(org: Organization):
    """The items of the issued inspection programs of `org`'s subtree."""
    return Task.objects.filter(
        plan__kind=PlanKind.INSPECTION_PROGRAM, plan__status=PlanStatus.ISSUED, plan__unit__path__startswith=org.path
    )


def program_counts(org: Organization, today: datetime.date) -> dict:
    counts = program_tasks(org).status_counts(today)
    done = counts[deadlines.DONE_ON_TIME] + counts[deadlines.DONE_LATE]
    return {
        "total": sum(counts.values()),
        "done": done,
        "done_late": counts[deadlines.DONE_LATE],
        "late": counts[deadlines.OPEN_OVERDUE],
        "not_due": counts[deadlines.OPEN_IN_TIME] + counts[deadlines.STATUS_ONGOING],
        "share": deadlines.completion_share(counts),
    }


def recommendation_counts(org: Organization, today: datetime.date) -> dict:
    counts = Task.objects.filter(recommendation__inspection__unit__path__startswith=org.path).status_counts(today)
    return {
        "total": sum(counts.values()),
        "done": counts[deadlines.DONE_ON_TIME] + counts[deadlines.DONE_LATE],
        "open": counts[deadlines.OPEN_IN_TIME] + counts[deadlines.STATUS_ONGOING],
        "overdue": counts[deadlines.OPEN_OVERDUE],
    }


def status_counts(inspections) -> dict[str, int]:
    found = dict(inspections.order_by().values_list("status").annotate(n=Count("pk")))
    return {code: found.get(code, 0) for code in Status.values}


def per_unit_below(org: Organization, inspections) -> list[dict]:
    """Inspections and supervisions whose subject lies under each unit right below `org`."""
    width = org.depth * PATH_STEP + PATH_STEP
    rows = (
        inspections.filter(subject_path__startswith=org.path, subject_path__gt=org.path)
        .annotate(branch=Substr("subject_path", 1, width))
        .order_by()
        .values_list("branch", "status")
        .annotate(n=Count("pk"))
    )
    by_branch: dict[str, dict[str, int]] = {}
    for branch, status, n in rows:
        by_branch.setdefault(branch, {code: 0 for code in Status.values})[status] = n
    if not by_branch:
        return []
    units = Organization.objects.filter(path__in=list(by_branch)).order_by("path")
    return [{"unit": u, "total": sum(by_branch[u.path].values()), **by_branch[u.path]} for u in units]


def inspection_panel(org: Organization, user, today: datetime.date) -> dict:
    conducted = Inspection.objects.visible_to(user).filter(unit__path__startswith=org.path)
    about = Inspection.objects.visible_to(user).filter(subject_path__startswith=org.path)
    return {
        "program": program_counts(org, today),
        "states": status_counts(conducted),
        "recommendations": recommendation_counts(org, today),
        "below": per_unit_below(org, about)[:40],
        "disciplines": Discipline.objects.visible_to(user).filter(subject_path__startswith=org.path).count(),
        "recent": list(about.select_related("subject_unit", "subject_person", "unit").order_by("-id")[:5]),
    }
