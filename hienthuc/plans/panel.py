"""The unit dashboard's task panel (registered in plans/apps.py; see orgs/panels.py): tasks
of issued plans led in the unit's subtree by status, per child unit ranked by completion, the
overdue list and how the latest cascades stand."""

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from hienthuc.lib import deadlines
from hienthuc.lib.routes import url_template
from hienthuc.orgs.access import children_of, past_day, tree_day
from hienthuc.orgs.models import FormerName, Organization
from hienthuc.plans import tallies
from hienthuc.plans.coverage import coverage_documents


def task_panel_context(request: HttpRequest, org: Organization) -> dict:
    """A unit's dashboard: tasks of issued plans led in its subtree by status, per child unit
    ranked by completion, the overdue list and how the latest cascades stand — all live, read
    from the tallies every write keeps (tallies.py), so it costs the same for a commune and
    for the Centre."""
    today = timezone.localdate()
    day = past_day(tree_day(request))
    rows = list(children_of(org, include_inactive=True))
    if day:
        # A past day is read from the rows, on the tree of that day (tallies.tasks_on).
        totals, by_path = tallies.task_rollup_on(org, day)
        rollup = tallies.by_unit_id(by_path, rows)
        shown = {row["pk"] for row in children_of(org, on=day)}
        FormerName.objects.name_rows_on(rows, day)
    else:
        totals, rollup = tallies.task_rollup(org, today)
        shown = {row["pk"] for row in rows if row["is_active"]}
    children = []
    for child in rows:
        counts = rollup.get(child["pk"])
        if counts is None and child["pk"] not in shown:
            continue
        counts = counts or dict.fromkeys(deadlines.STATUS_LABELS, 0)
        share = deadlines.completion_share(counts)
        share = round(share) if share is not None else None
        children.append({"unit": child, "counts": counts, "total": sum(counts.values()), "share": share})
    children.sort(key=lambda c: (c["share"] is None, -(c["share"] or 0), c["unit"]["name"]))
    dashboard_url = url_template("unit_dashboard")
    for c in children:
        c["dashboard_url"] = dashboard_url.format(c["unit"]["pk"]) + (f"?on={day.isoformat()}" if day else "")
    overdue = tallies.overdue_list_on(org, day) if day else tallies.overdue_list(org, today)
    labels = [c["unit"]["name"] for c in children if c["total"]]
    chart = {
        "labels": labels,
        # Room for every bar's label (1.75 rem each) and the legend below, which wraps on a phone.
        "height": max(12, round(1.75 * len(labels) + 7)),
        "series": [
            {"label": str(label), "code": code, "data": [c["counts"][code] for c in children if c["total"]]}
            for code, label in deadlines.STATUS_LABELS.items()
        ],
    }
    context = {
        "org": org,
        "day": day,
        "on_query": f"&on={day.isoformat()}" if day else "",
        "chart": chart,
        "totals": [(deadlines.STATUS_LABELS[code], code, n) for code, n in totals.items()],
        "total": sum(totals.values()),
        "children": children,
        "task_list_url": reverse("task_list"),
        "labels": deadlines.STATUS_LABELS,
        "overdue": overdue,
        "coverage": coverage_documents(org, day or today, request.user, limit=5, past=bool(day)),
        "coverage_labels": tallies.COVERAGE_LABELS,
    }
    return context


def render_task_panel(request: HttpRequest, org: Organization) -> str:
    """The task panel drawn with the dashboard page (orgs/panels.py): its figures come first."""
    return render_to_string("plans/dashboard.html#tasks", task_panel_context(request, org), request=request)
