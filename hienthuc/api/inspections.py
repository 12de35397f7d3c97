"""The API's inspections and supervisions: list, create (ad hoc or as a program item), the
stages from decision to conclusion, recommendations and discipline. Findings come only to those
who may read them (null otherwise), as on the page."""

import datetime
from typing import TYPE_CHECKING, TypeAlias

from django.db.models import Q
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from hienthuc.api.common import ErrorOut, Id, Pages, Text, choice, documented, visible_person
from hienthuc.documents.access import access_document
from hienthuc.inspections import actions
from hienthuc.inspections.access import access_inspection
from hienthuc.inspections.models import Body, Form, Inspection, Penalty, TeamRole
from hienthuc.inspections.models import Status as InspectionStatus
from hienthuc.orgs.access import access_organization
from hienthuc.plans.access import access_plan

router = Router(tags=["inspections"])

if TYPE_CHECKING:
    BodyCode: TypeAlias = str
    FormCode: TypeAlias = str
    StatusCode: TypeAlias = str
    PenaltyCode: TypeAlias = str
    RoleCode: TypeAlias = str
else:
    BodyCode = choice(Body.values)
    FormCode = choice(Form.values)
    StatusCode = choice(InspectionStatus.values)
    PenaltyCode = choice(Penalty.values)
    RoleCode = choice(TeamRole.values)


class InspectionOut(Schema):
    id: int
    unit_id: int
    body: str = Field(..., json_schema_extra=documented(Body.values))
    form: str = Field(..., json_schema_extra=documented(Form.values))
    subject_unit_id: int | None
    subject_person_id: int | None
    content: str
    period_text: str
    task_id: int | None
    status: str = Field(..., json_schema_extra=documented(InspectionStatus.values))
    started_on: datetime.date | None
    concluded_on: datetime.date | None
    confidential: bool
    findings: str | None = Field(None, description="Null for those who may not read the findings.")
    recommendation_task_ids: list[int]

    @staticmethod
    def resolve_findings(obj, context) -> str | None:
        return obj.findings if obj.findings_readable(context["request"].user) else None

    @staticmethod
    def resolve_recommendation_task_ids(obj) -> list[int]:
        return [r.task_id for r in obj.recommendations.all()]


class InspectionIn(Schema):
    unit_id: Id
    body: BodyCode
    form: FormCode
    content: Text = Field(..., max_length=4000)
    subject_unit_id: Id | None = None
    subject_person_id: Id | None = None
    period_text: Text = Field("", max_length=100)
    decision_id: Id | None = None


class ProgramItemIn(Schema):
    body: BodyCode
    form: FormCode
    content: Text = Field(..., max_length=4000)
    period_text: Text = Field(..., max_length=100)
    subject_unit_id: Id | None = None
    subject_person_id: Id | None = None
    amendment_reason: Text | None = Field(None, max_length=500)


class StartIn(Schema):
    decision_id: Id | None = None
    started_on: datetime.date


class TeamIn(Schema):
    person_id: Id
    role: RoleCode


class FindingsIn(Schema):
    findings: Text = Field("", max_length=50_000)
    confidential: bool = True


class ConcludeIn(Schema):
    conclusion_id: Id
    concluded_on: datetime.date | None = None


class RecommendationIn(Schema):
    content: Text = Field(..., max_length=4000)
    deadline_text: Text = Field(..., max_length=100)
    lead_unit_id: Id | None = None


class DisciplineIn(Schema):
    penalty: PenaltyCode
    decision_id: Id | None = None
    reason: Text = Field(..., max_length=4000)
    subject_unit_id: Id | None = None
    subject_person_id: Id | None = None


class DisciplineOut(Schema):
    id: int
    unit_id: int
    inspection_id: int | None
    subject_unit_id: int | None
    subject_person_id: int | None
    penalty: str = Field(..., json_schema_extra=documented(Penalty.values))
    decision_id: int
    decided_on: datetime.date


def _subjects(request, payload) -> dict:
    return {
        "subject_unit": access_organization(request.user, payload.subject_unit_id) if payload.subject_unit_id else None,
        "subject_person": visible_person(request.user, payload.subject_person_id)
        if payload.subject_person_id
        else None,
    }


@router.get("/inspections", response=list[InspectionOut])
@paginate(Pages, page_size=50)
def list_inspections(request, unit: Id | None = None, status: StatusCode | None = None):
    inspections = Inspection.objects.visible_to(request.user)
    if unit is not None:
        path = access_organization(request.user, unit).path
        inspections = inspections.filter(Q(subject_path__startswith=path) | Q(unit__path__startswith=path))
    if status:
        inspections = inspections.filter(status=status)
    # The findings rule reads the unit's path and the team: loaded with the page, not per row.
    return inspections.select_related("unit").prefetch_related("recommendations", "team__person").order_by("-id")


@router.get("/inspections/{inspection_id}", response=InspectionOut)
def get_inspection(request, inspection_id: Id):
    return access_inspection(request.user, inspection_id)


@router.post("/inspections", response={201: InspectionOut, 400: ErrorOut})
def create_inspection(request, payload: InspectionIn):
    unit = access_organization(request.user, payload.unit_id)
    decision = access_document(request.user, payload.decision_id) if payload.decision_id else None
    data = payload.dict(exclude={"unit_id", "decision_id", "subject_unit_id", "subject_person_id"})
    inspection = actions.do_create_inspection(
        unit, decision=decision, acting_user=request.user, **_subjects(request, payload), **data
    )
    return Status(201, inspection)


@router.post("/plans/{plan_id}/inspection-items", response={201: InspectionOut, 400: ErrorOut})
def add_program_item(request, plan_id: Id, payload: ProgramItemIn):
    plan = access_plan(request.user, plan_id)
    data = payload.dict(exclude={"subject_unit_id", "subject_person_id"})
    inspection = actions.do_add_program_item(plan, acting_user=request.user, **_subjects(request, payload), **data)
    return Status(201, inspection)


@router.post("/inspections/{inspection_id}/start", response={200: InspectionOut, 400: ErrorOut})
def start_inspection(request, inspection_id: Id, payload: StartIn):
    inspection = access_inspection(request.user, inspection_id)
    decision = access_document(request.user, payload.decision_id) if payload.decision_id else None
    inspection = actions.do_start_inspection(
        inspection, decision=decision, started_on=payload.started_on, acting_user=request.user
    )
    return Status(200, inspection)


@router.post("/inspections/{inspection_id}/team", response={201: InspectionOut, 400: ErrorOut})
def add_team_member(request, inspection_id: Id, payload: TeamIn):
    inspection = access_inspection(request.user, inspection_id)
    person = visible_person(request.user, payload.person_id)
    actions.do_add_team_member(inspection, person=person, role=payload.role, acting_user=request.user)
    return Status(201, inspection)


@router.post("/inspections/{inspection_id}/findings", response={200: InspectionOut, 400: ErrorOut})
def record_findings(request, inspection_id: Id, payload: FindingsIn):
    inspection = access_inspection(request.user, inspection_id)
    inspection = actions.do_record_findings(inspection, acting_user=request.user, **payload.dict())
    return Status(200, inspection)


@router.post("/inspections/{inspection_id}/conclusion", response={200: InspectionOut, 400: ErrorOut})
def conclude_inspection(request, inspection_id: Id, payload: ConcludeIn):
    inspection = access_inspection(request.user, inspection_id)
    conclusion = access_document(request.user, payload.conclusion_id)
    inspection = actions.do_conclude_inspection(
        inspection, conclusion=conclusion, concluded_on=payload.concluded_on, acting_user=request.user
    )
    return Status(200, inspection)


@router.post("/inspections/{inspection_id}/recommendations", response={201: InspectionOut, 400: ErrorOut})
def add_recommendation(request, inspection_id: Id, payload: RecommendationIn):
    inspection = access_inspection(request.user, inspection_id)
    lead = access_organization(request.user, payload.lead_unit_id) if payload.lead_unit_id else None
    actions.do_add_recommendation(
        inspection, content=payload.content, deadline_text=payload.deadline_text, lead_unit=lead,
        acting_user=request.user,
    )  # fmt: skip
    return Status(201, access_inspection(request.user, inspection_id))


@router.post("/inspections/{inspection_id}/disciplines", response={201: DisciplineOut, 400: ErrorOut})
def record_discipline(request, inspection_id: Id, payload: DisciplineIn):
    inspection = access_inspection(request.user, inspection_id)
    decision = access_document(request.user, payload.decision_id) if payload.decision_id else None
    discipline = actions.do_record_discipline(
        inspection.unit, inspection=inspection, decision=decision, penalty=payload.penalty, reason=payload.reason,
        acting_user=request.user, **_subjects(request, payload),
    )  # fmt: skip
    return Status(201, discipline)
