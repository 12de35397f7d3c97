"""The API's evaluations (open a year, the three stages), commendations and reviews, with the
pages' scoping and actions."""

from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, TypeAlias

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from hienthuc.api.common import ErrorOut, Id, Pages, Text, choice, documented
from hienthuc.committees.models import Term
from hienthuc.documents.access import access_document
from hienthuc.evaluations import actions
from hienthuc.evaluations.access import access_evaluation
from hienthuc.evaluations.models import Band, Commendation, CommendationKind, Evaluation, Stage
from hienthuc.orgs.access import access_organization
from hienthuc.people.models import Person
from hienthuc.reviews import actions as review_actions
from hienthuc.reviews.access import access_review
from hienthuc.reviews.models import Review, ReviewKind

router = Router(tags=["evaluations"])

if TYPE_CHECKING:
    BandCode: TypeAlias = str
    KindCode: TypeAlias = str
    ReviewKindCode: TypeAlias = str
else:
    BandCode = choice(Band.values)
    KindCode = choice(CommendationKind.values)
    ReviewKindCode = choice(ReviewKind.values)

Score = Decimal | None
Year = Annotated[int, Field(ge=2000, le=2200)]


class EvaluationOut(Schema):
    id: int
    unit_id: int
    year: int
    term_id: int | None
    subject_unit_id: int | None
    subject_person_id: int | None
    evidence: dict
    computed_score: Decimal | None
    computed_band: str = Field(..., json_schema_extra=documented(["", *Band.values]))
    self_band: str
    proposed_band: str
    final_band: str
    final_score: Decimal | None
    stage: str = Field(..., json_schema_extra=documented(Stage.values))


class OpenIn(Schema):
    unit_id: Id
    year: int | None = Field(None, ge=2000, le=2200, description="The year; or give term_id for a term's.")
    term_id: Id | None = None
    people: bool = False


class OpenOut(Schema):
    opened: int


class BandIn(Schema):
    band: BandCode
    score: Score = Field(None, ge=-1000, le=1000, max_digits=6, decimal_places=2)
    reason: Text = Field("", max_length=4000)


class DecideIn(BandIn):
    decision_id: Id | None = None


class EntryIn(Schema):
    subject_unit_id: Id | None = None
    subject_person_id: Id | None = None
    evaluation_id: Id | None = None
    reason: Text = Field(..., max_length=4000)


class CommendIn(Schema):
    unit_id: Id
    decision_id: Id | None = None
    kind: KindCode
    year: int = Field(..., ge=2000, le=2200)
    entries: list[EntryIn] = Field(..., max_length=2000)


class CommendationOut(Schema):
    id: int
    unit_id: int
    decision_id: int
    kind: str = Field(..., json_schema_extra=documented(CommendationKind.values))
    year: int
    subject_unit_id: int | None
    subject_person_id: int | None
    reason: str
    evaluation_id: int | None


class ReviewIn(Schema):
    unit_id: Id
    kind: ReviewKindCode
    title: Text = Field(..., max_length=500)
    period_text: Text = Field("", max_length=100)
    meeting_id: Id | None = None
    plan_id: Id | None = None
    year: int | None = Field(None, ge=1930, le=2200)
    results: Text = Field("", max_length=50_000)
    shortcomings: Text = Field("", max_length=50_000)
    causes: Text = Field("", max_length=50_000)
    lessons: Text = Field("", max_length=50_000)


class ReviewOut(Schema):
    id: int
    unit_id: int
    kind: str = Field(..., json_schema_extra=documented(ReviewKind.values))
    title: str
    period_text: str
    meeting_id: int | None
    plan_id: int | None
    term_id: int | None
    year: int | None
    results: str
    shortcomings: str
    causes: str
    lessons: str


@router.get("/evaluations", response=list[EvaluationOut])
@paginate(Pages, page_size=100)
def list_evaluations(request, year: Year | None = None, unit: Id | None = None):
    evaluations = Evaluation.objects.visible_to(request.user)
    if year is not None:
        evaluations = evaluations.filter(year=year)
    if unit is not None:
        evaluations = evaluations.filter(subject_path__startswith=access_organization(request.user, unit).path)
    return evaluations.order_by("-year", "subject_path", "pk")


@router.get("/evaluations/{evaluation_id}", response=EvaluationOut)
def get_evaluation(request, evaluation_id: Id):
    return access_evaluation(request.user, evaluation_id)


@router.post("/evaluations", response={201: OpenOut, 400: ErrorOut})
def open_evaluations(request, payload: OpenIn):
    unit = access_organization(request.user, payload.unit_id)
    term = None
    if payload.term_id is not None:
        term = Term.objects.filter(pk=payload.term_id, unit=unit).first()
        if term is None:
            message = _("%(unit)s không có nhiệm kỳ mã %(id)s.") % {"unit": unit.name, "id": payload.term_id}
            raise ValidationError({"term_id": message})
    opened = actions.do_open_evaluations(
        unit, year=payload.year, term=term, people=payload.people, acting_user=request.user
    )
    return Status(201, {"opened": opened})


@router.post("/evaluations/{evaluation_id}/self", response={200: EvaluationOut, 400: ErrorOut})
def self_assess(request, evaluation_id: Id, payload: BandIn):
    evaluation = access_evaluation(request.user, evaluation_id)
    return Status(200, actions.do_self_assess(evaluation, acting_user=request.user, **payload.dict()))


@router.post("/evaluations/{evaluation_id}/proposal", response={200: EvaluationOut, 400: ErrorOut})
def propose(request, evaluation_id: Id, payload: BandIn):
    evaluation = access_evaluation(request.user, evaluation_id)
    return Status(200, actions.do_propose_evaluation(evaluation, acting_user=request.user, **payload.dict()))


@router.post("/evaluations/{evaluation_id}/decision", response={200: EvaluationOut, 400: ErrorOut})
def decide(request, evaluation_id: Id, payload: DecideIn):
    evaluation = access_evaluation(request.user, evaluation_id)
    decision = access_document(request.user, payload.decision_id) if payload.decision_id else None
    data = payload.dict(exclude={"decision_id"})
    return Status(200, actions.do_decide_evaluation(evaluation, decision=decision, acting_user=request.user, **data))


@router.get("/commendations", response=list[CommendationOut], tags=["commendations"])
@paginate(Pages, page_size=100)
def list_commendations(request, decision: Id | None = None):
    commendations = Commendation.objects.visible_to(request.user)
    if decision is not None:
        commendations = commendations.filter(decision=access_document(request.user, decision))
    return commendations.order_by("-year", "decision_id", "pk")


@router.post("/commendations", response={201: list[CommendationOut], 400: ErrorOut}, tags=["commendations"])
def commend(request, payload: CommendIn):
    unit = access_organization(request.user, payload.unit_id)
    decision = access_document(request.user, payload.decision_id) if payload.decision_id else None
    entries = []
    for number, entry in enumerate(payload.entries, start=1):
        person = None
        if entry.subject_person_id:
            person = (
                Person.objects.visible_to(request.user)
                .select_related("home_unit")
                .filter(pk=entry.subject_person_id)
                .first()
            )
            if person is None:
                raise ValidationError(_("Dòng %(n)s: không tìm thấy người có mã %(id)s trong phạm vi của bạn.")
                                      % {"n": number, "id": entry.subject_person_id})  # fmt: skip
        entries.append(
            {
                "subject_unit": access_organization(request.user, entry.subject_unit_id)
                if entry.subject_unit_id
                else None,
                "subject_person": person,
                "evaluation": access_evaluation(request.user, entry.evaluation_id) if entry.evaluation_id else None,
                "reason": entry.reason,
            }
        )
    made = actions.do_commend(
        unit, decision=decision, kind=payload.kind, year=payload.year, entries=entries, acting_user=request.user
    )
    return Status(201, made)


@router.get("/reviews", response=list[ReviewOut], tags=["reviews"])
@paginate(Pages, page_size=50)
def list_reviews(request):
    return Review.objects.visible_to(request.user).order_by("-id")


@router.get("/reviews/{review_id}", response=ReviewOut, tags=["reviews"])
def get_review(request, review_id: Id):
    return access_review(request.user, review_id)


@router.post("/reviews", response={201: ReviewOut, 400: ErrorOut}, tags=["reviews"])
def create_review(request, payload: ReviewIn):
    from hienthuc.meetings.access import access_meeting
    from hienthuc.plans.access import access_plan

    unit = access_organization(request.user, payload.unit_id)
    meeting = access_meeting(request.user, payload.meeting_id) if payload.meeting_id else None
    plan = access_plan(request.user, payload.plan_id) if payload.plan_id else None
    data = payload.dict(exclude={"unit_id", "meeting_id", "plan_id"})
    return Status(
        201, review_actions.do_create_review(unit, meeting=meeting, plan=plan, acting_user=request.user, **data)
    )
