"""The API's plans, tasks and progress, and per unit the task dashboard and plan coverage."""

import datetime

from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from hienthuc.api.common import ErrorOut, Id, Pages, Text, documented
from hienthuc.documents.access import access_document
from hienthuc.lib import deadlines
from hienthuc.orgs.access import access_organization, past_day
from hienthuc.orgs.models import Organization
from hienthuc.plans.access import access_plan, access_task
from hienthuc.plans.models import PlanKind, PlanStatus

router = Router()


class PlanOut(Schema):
    id: int
    title: str
    kind: str = Field(..., json_schema_extra=documented(PlanKind.values))
    status: str = Field(..., json_schema_extra=documented(PlanStatus.values))
    unit_id: int
    number: str = Field(..., alias="document.number_normalized")
    issued_on: datetime.date | None = Field(None, alias="document.issued_on")
    source_document_id: int | None = Field(
        None,
        description="Văn bản được thực hiện; null nếu không có hoặc người gọi không được xem (văn bản mật)",
    )
    parent_plan_id: int | None
    amendment: int

    @staticmethod
    def resolve_source_document_id(obj, context) -> int | None:
        from hienthuc.documents.refs import visible_id

        return visible_id(context["request"].user, obj.source_document)


class TaskOut(Schema):
    id: int
    plan_id: int
    section: str
    content: str
    lead_unit_id: int
    cooperating_unit_ids: list[int]
    output: str
    deadline_text: str
    deadline_last_day: datetime.date | None
    status: str = Field(..., json_schema_extra=documented(deadlines.STATUS_LABELS))
    progress: int
    completed_on: datetime.date | None
    output_link: str
    version: int

    @staticmethod
    def resolve_cooperating_unit_ids(obj) -> list[int]:
        return [u.pk for u in obj.cooperating_units.all()]

    @staticmethod
    def resolve_status(obj) -> str:
        return obj.current_status()


class ProgressIn(Schema):
    percent: int = Field(..., ge=0, le=100)
    version: int = Field(..., ge=1, le=2**31)
    text: Text = Field("", max_length=5000)
    evidence_link: Text = Field("", max_length=500)
    complete: bool = False
    completed_on: datetime.date | None = None


class CoverageOut(Schema):
    unit_id: int
    due_on: datetime.date
    state: str = Field(..., json_schema_extra=documented(("on_time", "late", "overdue", "pending")))
    plan_id: int | None


class DashboardOut(Schema):
    unit_id: int
    totals: dict[str, int]
    children: list[dict]


class TaskFilterIn(Schema):
    plan: Id | None = None
    lead_unit: Id | None = Field(
        None,
        description="Nhiệm vụ do đơn vị này và các đơn vị trực thuộc chủ trì",
    )
    overdue: bool | None = None


def _plans(request):
    from hienthuc.plans.models import Plan

    return Plan.objects.visible_to(request.user).select_related(
        "document", "source_document__issuing_unit", "source_document__kind"
    )


def _tasks(request):
    from hienthuc.plans.models import Task

    return Task.objects.visible_to(request.user).with_status().prefetch_related("cooperating_units")


@router.get("/plans", response=list[PlanOut], tags=["plans"])
@paginate(Pages, page_size=50)
def list_plans(request):
    return _plans(request).order_by("-created_at", "-id")


@router.get("/plans/{plan_id}", response=PlanOut, tags=["plans"])
def get_plan(request, plan_id: Id):
    return access_plan(request.user, plan_id)


@router.get("/plans/{plan_id}/coverage", response=list[CoverageOut], tags=["plans"])
def plan_coverage(request, plan_id: Id):
    """Which required units issued their implementing plan on time, late, or not yet."""
    from hienthuc.plans.coverage import coverage_rows

    plan = access_plan(request.user, plan_id)
    return [
        {
            "unit_id": r["unit"].pk,
            "due_on": r["due_on"],
            "state": r["state"],
            "plan_id": r["plan"].pk if r["plan"] else None,
        }
        for r in coverage_rows(plan, timezone.localdate())
    ]


@router.get("/tasks", response=list[TaskOut], tags=["plans"])
@paginate(Pages, page_size=50)
def list_tasks(request, filters: Query[TaskFilterIn]):
    tasks = _tasks(request)
    if filters.plan is not None:
        tasks = tasks.filter(plan_id=filters.plan)
    if filters.lead_unit is not None:
        unit = access_organization(request.user, filters.lead_unit)
        tasks = tasks.led_in_subtree(unit)
    if filters.overdue:
        tasks = tasks.overdue()
    return tasks.order_by("deadline_last_day", "id")


@router.get("/tasks/{task_id}", response=TaskOut, tags=["plans"])
def get_task(request, task_id: Id):
    return access_task(request.user, task_id)


@router.post("/tasks/{task_id}/progress", response={200: TaskOut, 400: ErrorOut}, tags=["plans"])
def report_progress(request, task_id: Id, payload: ProgressIn):
    """A progress report; `version` is the task's version the reporter saw (a stale one is refused)."""
    from hienthuc.plans.actions import do_record_progress

    task = access_task(request.user, task_id)
    do_record_progress(task, acting_user=request.user, **payload.dict())
    return Status(200, access_task(request.user, task_id))


def _children(unit) -> list[dict]:
    return list(Organization.objects.children_of(unit).values("pk", "path"))


@router.get("/units/{unit_id}/dashboard", response=DashboardOut, tags=["plans"])
def unit_dashboard(request, unit_id: Id, on: datetime.date | None = None):
    """Tasks of issued plans led in the unit's subtree by status, and per child unit — live, or
    as they stood on a past day `on`, on the tree of that day (each task where it was led then)."""
    from hienthuc.plans import tallies

    unit = access_organization(request.user, unit_id)
    if day := past_day(on):
        totals, by_path = tallies.task_rollup_on(unit, day)
        rollup = tallies.by_unit_id(by_path, _children(unit))
    else:
        totals, rollup = tallies.task_rollup(unit, timezone.localdate())
    return {
        "unit_id": unit.pk,
        "totals": totals,
        "children": [{"unit_id": pk, "counts": counts} for pk, counts in sorted(rollup.items())],
    }


class UnitCoverageOut(Schema):
    document_id: int
    totals: dict[str, int] = Field(description="on_time, late, overdue, pending: units strictly below")
    children: list[dict]


@router.get("/units/{unit_id}/coverage", response=list[UnitCoverageOut], tags=["plans"])
def unit_coverage(request, unit_id: Id, document: Id | None = None, on: datetime.date | None = None):
    """For each source document cascaded below the unit (or the one asked): how many units
    below issued their plan on time, late, are overdue or not yet due — per child unit; live, or
    as they stood on a past day `on`, on the tree of that day."""
    from hienthuc.documents.models import Document
    from hienthuc.plans import tallies

    unit = access_organization(request.user, unit_id)
    if document is not None:
        access_document(request.user, document)
    if day := past_day(on):
        children = _children(unit)
        by_document = {
            doc: tallies.by_unit_id(by_path, children)
            for doc, by_path in tallies.coverage_rollup_on(unit, day, document_id=document).items()
        }
    else:
        by_document = tallies.coverage_rollup(unit, timezone.localdate(), document_id=document)
    visible = set(Document.objects.visible_to(request.user).filter(pk__in=by_document).values_list("pk", flat=True))
    return [
        {
            "document_id": doc,
            "totals": tallies.add_up(children.values(), tallies.COVERAGE_LABELS),
            "children": [{"unit_id": pk, "counts": counts} for pk, counts in sorted(children.items())],
        }
        for doc, children in sorted(by_document.items())
        if doc in visible
    ]
