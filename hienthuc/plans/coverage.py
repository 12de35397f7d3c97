"""How cascades stand: which units had to issue a plan for a source document, and whether
they did, on time or late — read by the plan, coverage and dashboard pages and by the yearly
report (dashboard/yearly.py)."""

from django.db.models import F, Q

from hienthuc.documents.models import Document, is_visible
from hienthuc.orgs.models import FormerName, Organization
from hienthuc.plans import tallies
from hienthuc.plans.models import Plan, PlanRequirement, PlanStatus


def requirement_rows(requirements, today, *, past: bool = False) -> list[dict]:
    """Each requirement to issue a plan with its state: issued on time, late, overdue or not
    yet due, and the issued plan when there is one. Two queries. `past`: `today` is a past day
    and `requirements` come from tallies.requirements_on — plans issued later do not count, and
    each row names the unit that owed it that day, by its name then."""
    requirements = list(requirements.select_related("unit", "plan"))
    issued: dict[tuple[int, int], list[Plan]] = {}
    children = Plan.objects.filter(
        parent_plan_id__in={r.plan_id for r in requirements},
        unit_id__in={r.unit_id for r in requirements},
        status=PlanStatus.ISSUED,
    ).select_related("document__kind", "document__issuing_unit")
    owed_by = {}
    if past:
        children = children.filter(document__issued_on__lte=today)
        owed = Organization.objects.filter(path__in={r.day_path for r in requirements})
        owed_by = {u.path: u for u in FormerName.objects.name_units_on(list(owed), today)}
    for child in children:
        issued.setdefault((child.parent_plan_id, child.unit_id), []).append(child)
    rows = []
    for r in requirements:
        plans = issued.get((r.plan_id, r.unit_id), [])
        on_time = [p for p in plans if p.document.issued_on and p.document.issued_on <= r.due_on]
        if on_time or plans:
            state, child = (tallies.COVERAGE_ON_TIME, on_time[0]) if on_time else (tallies.COVERAGE_LATE, plans[0])
        else:
            state, child = (tallies.COVERAGE_OVERDUE if today > r.due_on else tallies.COVERAGE_PENDING), None
        unit = owed_by.get(r.day_path, r.unit) if past else r.unit
        rows.append({"unit": unit, "due_on": r.due_on, "plan": child, "required_by": r.plan, "state": state})
    return rows


def coverage_rows(plan: Plan, today) -> list[dict]:
    return requirement_rows(plan.requirements.order_by("unit__search_text"), today)


def coverage_documents(org: Organization, today, user, limit: int | None = None, *, past: bool = False) -> list[dict]:
    """Source documents cascaded into `org`'s subtree that `user` may see (a list of documents
    leaves out the secret ones, like search does), latest first, with how the units below
    stand (from the tallies: one query, plus one for the documents). `past`: `today` is a past
    day, read from the rows on the tree of that day."""
    by_document: dict = tallies.coverage_rollup_on(org, today) if past else tallies.coverage_rollup(org, today)
    # Fetched by id, then judged one by one (is_visible, kept equal to visible_to by a test):
    # the scoping filter's OR of paths and grants made the planner walk every document in
    # issue order at the province tier, where these are a handful of source documents.
    documents = Document.objects.filter(pk__in=by_document).select_related("kind", "issuing_unit")
    documents = documents.order_by(F("issued_on").desc(nulls_last=True), "-id")
    documents = [d for d in documents if is_visible(user, d)][:limit]
    return [
        {
            "document": document,
            "summary": tallies.add_up(by_document[document.pk].values(), tallies.COVERAGE_LABELS),
        }
        for document in documents
    ]


def document_coverage(document: Document, user, today) -> list[dict]:
    """How the plans implementing `document` stand below each of the user's top units, with the
    coverage page's figures: only units asked to issue a plan count. The units right below a
    top that are overdue are listed; tops where no unit was asked are left out."""
    rows = []
    for top in Organization.objects.tops_for(user):
        by_child = tallies.coverage_rollup(top, today, document_id=document.pk).get(document.pk, {})
        summary = tallies.add_up(by_child.values(), tallies.COVERAGE_LABELS)
        required = sum(summary.values())
        if not required:
            continue
        requirements = PlanRequirement.objects.filter(
            Q(plan__source_document=document) | Q(plan__source_document__isnull=True, plan__document=document),
            unit__path__startswith=top.path,
            unit__depth=top.depth + 1,
        ).order_by("unit__search_text")
        overdue = [r for r in requirement_rows(requirements, today) if r["state"] == tallies.COVERAGE_OVERDUE]
        rows.append({"top": top, "summary": summary, "required": required, "overdue": overdue})
    return rows
