"""The REST API (OpenAPI at /api/openapi.json, docs at /api/docs).

Same scoping as the pages: every object is fetched through its model's visible_to(user),
so anything outside the caller's subtrees is a 404, exactly like a missing one.
"""

import datetime
from typing import Annotated

from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from ninja import Field, NinjaAPI, Query, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.security import HttpBearer
from ninja.security.session import SessionAuth

from hienthuc.accounts import actions as account_actions
from hienthuc.accounts.backends import demo_refused
from hienthuc.accounts.models import ApiToken, hash_token
from hienthuc.api import errors
from hienthuc.api.common import ErrorOut, Id, Pages, Text, choice, documented
from hienthuc.committees.access import access_term
from hienthuc.committees.models import Assignment, CommitteeSeat, Term
from hienthuc.documents.access import access_document
from hienthuc.documents.kinds import KINDS as DOCUMENT_KINDS
from hienthuc.documents.models import Confidentiality, IssuingBody
from hienthuc.documents.models import Status as DocumentStatus
from hienthuc.lib import deadlines
from hienthuc.orgs import aggregates
from hienthuc.orgs.access import access_organization
from hienthuc.orgs.models import Organization
from hienthuc.people.access import access_person
from hienthuc.people.models import Person
from hienthuc.plans.access import access_plan, access_task
from hienthuc.plans.models import PlanKind, PlanStatus


class TokenAuth(HttpBearer):
    def authenticate(self, request, token: str):
        if len(token) > 200:
            return None
        found = ApiToken.objects.active().select_related("user").filter(key_hash=hash_token(token)).first()
        if found is None or not found.user.is_active or demo_refused(found.user):
            return None
        now = timezone.now()
        # Avoid a write per request: the last-use time is only needed to the minute.
        if found.last_used_at is None or now - found.last_used_at > datetime.timedelta(minutes=1):
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.user
        request.api_token = found
        return found.user


class BrowserSession(SessionAuth):
    """The logged-in browser's session (the API docs page, htmx). A request carrying a token is
    the token's to decide: a wrong one is 401, never a CSRF refusal; without a session cookie
    there is nothing to check CSRF for, so that too is 401."""

    def _get_key(self, request):
        if "Authorization" in request.headers or self.param_name not in request.COOKIES:
            return None
        try:
            return super()._get_key(request)
        except HttpError:
            raise HttpError(
                403, "Kiểm tra CSRF không đạt: gửi kèm tiêu đề X-CSRFToken của phiên đăng nhập, hoặc dùng mã truy cập."
            ) from None


class HienThucAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs):
        return errors.document_errors(super().get_openapi_schema(**kwargs))


api = HienThucAPI(
    title="Hiện Thực API",
    version="1",
    description="API của Hiện Thực: đơn vị, cán bộ đảng viên, nhiệm kỳ, cấp ủy. "
    "Xác thực bằng mã truy cập: `Authorization: Bearer <mã>` (lấy mã qua POST /api/auth/token).",
    auth=[TokenAuth(), BrowserSession()],
    urls_namespace="api",
)
errors.install(api)


class TokenIn(Schema):
    username: Text = Field(..., max_length=150)
    password: Text = Field(..., max_length=200)
    name: Text = Field("API", max_length=100)


class TokenOut(Schema):
    token: str
    name: str


class KindOut(Schema):
    code: str
    name: str
    level: str = Field(..., alias="level.name")
    is_body: bool


class UnitOut(Schema):
    id: int
    code: str
    name: str
    short_name: str
    kind: KindOut
    depth: int
    is_active: bool
    parent_id: int | None = None


class UnitCountsOut(UnitOut):
    units_below: int
    people_below: int


class PersonOut(Schema):
    id: int
    full_name: str
    birth_year: int | None
    gender: str
    party_joined_on: datetime.date | None
    home_unit_id: int
    is_active: bool


class TermOut(Schema):
    id: int
    unit_id: int
    number: int
    roman: str
    start_year: int
    end_year: int


class SeatOut(Schema):
    id: int
    term_id: int
    person_id: int
    person_name: str = Field(..., alias="person.full_name")
    body: str
    role: str


class AssignmentOut(Schema):
    id: int
    term_id: int
    person_id: int
    field: str
    unit_id: int | None
    note: str


def _with_parents(units: list[Organization]) -> list[Organization]:
    """Attach parent_id to each unit with one query (the tree stores paths, not parent ids)."""
    parent_paths = {u.path[: -u.steplen] for u in units if u.depth > 1}
    parents = dict(Organization.objects.filter(path__in=parent_paths).values_list("path", "pk"))
    for unit in units:
        unit.parent_id = parents.get(unit.path[: -unit.steplen])
    return units


@api.post("/auth/token", auth=None, response={200: TokenOut, 401: ErrorOut}, tags=["auth"])
def create_token(request, payload: TokenIn):
    """Exchange a username and password for a revocable API token (shown only once)."""
    user = authenticate(request, username=payload.username, password=payload.password)
    if user is None:
        return Status(401, {"detail": "Tên đăng nhập hoặc mật khẩu không đúng, hoặc tài khoản đang bị tạm khóa."})
    _token, raw = account_actions.do_create_api_token(user, name=payload.name, acting_user=user)
    return Status(200, {"token": raw, "name": payload.name})


@api.delete("/auth/token", response={204: None, 400: ErrorOut}, tags=["auth"])
def revoke_token(request):
    """Revoke the token this request was made with."""
    token = getattr(request, "api_token", None)
    if token is None:
        return Status(400, {"detail": "Yêu cầu này không dùng mã truy cập API."})
    account_actions.do_revoke_api_token(token, acting_user=request.user)
    return Status(204, None)


class UnitFilter(Schema):
    parent: Id | None = Field(None, description="Chỉ lấy đơn vị trực thuộc trực tiếp đơn vị này")
    q: Text | None = Field(None, max_length=200, description="Tìm theo tên hoặc mã, không cần dấu")
    active: bool | None = None


@api.get("/units", response=list[UnitOut], tags=["units"])
@paginate(Pages, page_size=50)
def list_units(request, filters: Query[UnitFilter]):
    units = Organization.objects.visible_to(request.user).select_related("kind__level")
    if filters.parent is not None:
        parent = access_organization(request.user, filters.parent)
        units = units.filter(path__startswith=parent.path, depth=parent.depth + 1)
    if filters.q:
        units = units.search(filters.q)
    if filters.active is not None:
        units = units.filter(is_active=filters.active)
    return _PagedUnits(units.order_by("path"))


@api.get("/units/{unit_id}", response=UnitCountsOut, tags=["units"])
def get_unit(request, unit_id: Id):
    unit = access_organization(request.user, unit_id)
    _with_parents([unit])
    unit.units_below, unit.people_below = aggregates.subtree_totals(unit)
    return unit


@api.get("/units/{unit_id}/children", response=list[UnitCountsOut], tags=["units"])
def unit_children(request, unit_id: Id):
    """The unit's direct children with the number of units and people below each."""
    unit = access_organization(request.user, unit_id)
    children = list(Organization.objects.children_of(unit).select_related("kind__level").order_by("name"))
    for child in children:
        child.parent_id = unit.pk
    return children


class _PagedUnits:
    """A queryset wrapper that adds parent ids to just the page being returned."""

    def __init__(self, queryset):
        self.queryset = queryset

    def __len__(self):
        return self.queryset.count()

    def count(self):
        return self.queryset.count()

    def __getitem__(self, item):
        return _with_parents(list(self.queryset[item]))


class PersonFilter(Schema):
    unit: Id | None = Field(None, description="Những người sinh hoạt trong cây đơn vị này")
    q: Text | None = Field(None, max_length=200)


@api.get("/people", response=list[PersonOut], tags=["people"])
@paginate(Pages, page_size=50)
def list_people(request, filters: Query[PersonFilter]):
    people = Person.objects.visible_to(request.user)
    if filters.unit is not None:
        unit = access_organization(request.user, filters.unit)
        people = people.in_subtree(unit)
    if filters.q:
        people = people.search(filters.q)
    return people.order_by("search_name", "pk")


@api.get("/people/{person_id}", response=PersonOut, tags=["people"])
def get_person(request, person_id: Id):
    return access_person(request.user, person_id)


@api.get("/terms", response=list[TermOut], tags=["committees"])
@paginate(Pages, page_size=50)
def list_terms(request, unit: Id | None = None):
    terms = Term.objects.visible_to(request.user)
    if unit is not None:
        terms = terms.filter(unit_id=unit)
    return terms.order_by("-start_year", "pk")


@api.get("/terms/{term_id}", response=TermOut, tags=["committees"])
def get_term(request, term_id: Id):
    return access_term(request.user, term_id)


@api.get("/terms/{term_id}/seats", response=list[SeatOut], tags=["committees"])
def term_seats(request, term_id: Id):
    term = access_term(request.user, term_id)
    return CommitteeSeat.objects.filter(term=term).select_related("person")


@api.get("/terms/{term_id}/assignments", response=list[AssignmentOut], tags=["committees"])
def term_assignments(request, term_id: Id):
    term = access_term(request.user, term_id)
    return Assignment.objects.filter(term=term)


@api.exception_handler(ValidationError)
def on_validation_error(request, exc: ValidationError):
    """An action refused: 400 with the Vietnamese messages, by field where it names one."""
    body = {"detail": " ".join(exc.messages)}
    if hasattr(exc, "error_dict"):
        body["errors"] = exc.message_dict
    return api.create_response(request, body, status=400)


DocumentKindCode = choice(code for code, *_rest in DOCUMENT_KINDS)
ConfidentialityCode = choice(Confidentiality.values)
DocumentStatusCode = choice(DocumentStatus.values)
IssuingBodyCode = choice(IssuingBody.values)


class DocumentOut(Schema):
    id: int
    kind: str = Field(..., alias="kind.code", json_schema_extra=documented(code for code, *_r in DOCUMENT_KINDS))
    kind_name: str = Field(..., alias="kind.name")
    number: str = Field(..., alias="number_normalized")
    number_text: str
    issuing_unit_id: int
    issuing_body: str = Field(..., json_schema_extra=documented(IssuingBody.values))
    signer: str
    issued_on: datetime.date | None
    place: str
    summary: str
    term_id: int | None
    confidentiality: str = Field(..., json_schema_extra=documented(Confidentiality.values))
    status: str = Field(..., json_schema_extra=documented(DocumentStatus.values))


class DocumentIn(Schema):
    kind: DocumentKindCode = Field(..., description="Mã loại văn bản, ví dụ ket_luan, nghi_quyet")
    number_text: Text = Field("", max_length=60, description="Số hiệu như ghi trên văn bản, ví dụ 21-KL/TW")
    issuing_unit_id: Id
    issuing_body: IssuingBodyCode = "bch"
    issued_on: datetime.date | None = None
    place: Text = Field("", max_length=100)
    signer: Text = Field("", max_length=150)
    summary: Text = Field(..., max_length=5000)
    confidentiality: ConfidentialityCode = "thuong"
    status: DocumentStatusCode = "issued"
    full_text: Text = Field("", max_length=1_000_000)


class DocumentPatch(Schema):
    kind: DocumentKindCode | None = None
    number_text: Text | None = Field(None, max_length=60)
    issuing_body: IssuingBodyCode | None = None
    issued_on: datetime.date | None = None
    place: Text | None = Field(None, max_length=100)
    signer: Text | None = Field(None, max_length=150)
    summary: Text | None = Field(None, max_length=5000)
    confidentiality: ConfidentialityCode | None = None
    status: DocumentStatusCode | None = None
    full_text: Text | None = Field(None, max_length=1_000_000)


class LinkOut(Schema):
    id: int
    source_id: int
    target_id: int
    kind: str


class DocumentFilter(Schema):
    q: Text | None = Field(None, max_length=200, description="Tìm không cần dấu, hoặc số hiệu")
    kind: DocumentKindCode | None = None
    unit: Id | None = Field(None, description="Đơn vị ban hành (kể cả các đơn vị trực thuộc)")
    year: int | None = Field(None, ge=1930, le=2200)
    status: DocumentStatusCode | None = None


class SearchOut(Schema):
    documents: list[DocumentOut]
    units: list[UnitOut]
    people: list[PersonOut]


def _document_kind(code: str):
    from hienthuc.documents.models import DocumentKind

    kind = DocumentKind.objects.filter(code=code).first()
    if kind is None:
        raise ValidationError({"kind": f"Không có loại văn bản mã “{code}”."})
    return kind


def _visible_documents(request):
    from hienthuc.documents.models import Document

    return Document.objects.visible_to(request.user).select_related("kind")


@api.get("/documents", response=list[DocumentOut], tags=["documents"])
@paginate(Pages, page_size=50)
def list_documents(request, filters: Query[DocumentFilter]):
    documents = _visible_documents(request)
    if filters.q:
        documents = documents.search(filters.q)
    else:
        documents = documents.order_by("-issued_on", "-id")
    if filters.kind:
        documents = documents.filter(kind__code=filters.kind)
    if filters.unit is not None:
        unit = access_organization(request.user, filters.unit)
        documents = documents.filter(issuing_unit__path__startswith=unit.path)
    if filters.year is not None:
        documents = documents.filter(issued_on__year=filters.year)
    if filters.status:
        documents = documents.filter(status=filters.status)
    return documents


@api.get("/documents/{document_id}", response=DocumentOut, tags=["documents"])
def get_document(request, document_id: Id):
    return access_document(request.user, document_id)


@api.post("/documents", response={201: DocumentOut, 400: ErrorOut}, tags=["documents"])
def create_document(request, payload: DocumentIn):
    from hienthuc.documents.actions import do_create_document

    unit = access_organization(request.user, payload.issuing_unit_id, write=True)
    data = payload.dict(exclude={"issuing_unit_id"})
    data["kind"] = _document_kind(payload.kind)
    document = do_create_document(issuing_unit=unit, acting_user=request.user, **data)
    return Status(201, document)


@api.patch("/documents/{document_id}", response={200: DocumentOut, 400: ErrorOut}, tags=["documents"])
def update_document(request, document_id: Id, payload: DocumentPatch):
    from hienthuc.documents.actions import current_data, do_update_document

    document = access_document(request.user, document_id, write=True)
    data = current_data(document)
    changes = payload.dict(exclude_unset=True)
    if changes.get("kind"):
        changes["kind"] = _document_kind(changes["kind"])
    data.update({k: v for k, v in changes.items() if v is not None or k == "issued_on"})
    return Status(200, do_update_document(document, acting_user=request.user, **data))


@api.get("/documents/{document_id}/links", response=list[LinkOut], tags=["documents"])
def document_links(request, document_id: Id):
    from hienthuc.documents.models import DocumentLink

    document = access_document(request.user, document_id)
    visible = _visible_documents(request)
    return DocumentLink.objects.filter(
        Q(source=document, target__in=visible) | Q(target=document, source__in=visible)
    ).order_by("id")


@api.get("/search", response=SearchOut, tags=["search"])
def search(request, q: Annotated[Text, Field(min_length=1, max_length=200)]):
    """Documents, units and people matching the words (diacritics-insensitive) or a number."""
    return {
        "documents": list(_visible_documents(request).search(q)[:20]),
        "units": _with_parents(
            list(Organization.objects.visible_to(request.user).search(q).select_related("kind__level")[:20])
        ),
        "people": list(Person.objects.visible_to(request.user).search(q)[:20]),
    }


class PlanOut(Schema):
    id: int
    title: str
    kind: str = Field(..., json_schema_extra=documented(PlanKind.values))
    status: str = Field(..., json_schema_extra=documented(PlanStatus.values))
    unit_id: int
    number: str = Field(..., alias="document.number_normalized")
    issued_on: datetime.date | None = Field(None, alias="document.issued_on")
    source_document_id: int | None = Field(
        None, description="Văn bản được thực hiện; null nếu không có hoặc người gọi không được xem (văn bản mật)"
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
    lead_unit: Id | None = Field(None, description="Nhiệm vụ do đơn vị này và các đơn vị trực thuộc chủ trì")
    overdue: bool | None = None


def _plans(request):
    from hienthuc.plans.models import Plan

    return Plan.objects.visible_to(request.user).select_related(
        "document", "source_document__issuing_unit", "source_document__kind"
    )


def _tasks(request):
    from hienthuc.plans.models import Task

    return Task.objects.visible_to(request.user).with_status().prefetch_related("cooperating_units")


@api.get("/plans", response=list[PlanOut], tags=["plans"])
@paginate(Pages, page_size=50)
def list_plans(request):
    return _plans(request).order_by("-created_at", "-id")


@api.get("/plans/{plan_id}", response=PlanOut, tags=["plans"])
def get_plan(request, plan_id: Id):
    return access_plan(request.user, plan_id)


@api.get("/plans/{plan_id}/coverage", response=list[CoverageOut], tags=["plans"])
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


@api.get("/tasks", response=list[TaskOut], tags=["plans"])
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


@api.get("/tasks/{task_id}", response=TaskOut, tags=["plans"])
def get_task(request, task_id: Id):
    return access_task(request.user, task_id)


@api.post("/tasks/{task_id}/progress", response={200: TaskOut, 400: ErrorOut}, tags=["plans"])
def report_progress(request, task_id: Id, payload: ProgressIn):
    """A progress report; `version` is the task's version the reporter saw (a stale one is refused)."""
    from hienthuc.plans.actions import do_record_progress

    task = access_task(request.user, task_id)
    do_record_progress(task, acting_user=request.user, **payload.dict())
    return Status(200, access_task(request.user, task_id))


@api.get("/units/{unit_id}/dashboard", response=DashboardOut, tags=["plans"])
def unit_dashboard(request, unit_id: Id):
    """Tasks of issued plans led in the unit's subtree by status, and per child unit — live."""
    from hienthuc.plans import tallies

    unit = access_organization(request.user, unit_id)
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


@api.get("/units/{unit_id}/coverage", response=list[UnitCoverageOut], tags=["plans"])
def unit_coverage(request, unit_id: Id, document: Id | None = None):
    """For each source document cascaded below the unit (or the one asked): how many units
    below issued their plan on time, late, are overdue or not yet due — per child unit."""
    from hienthuc.documents.models import Document
    from hienthuc.plans import tallies

    unit = access_organization(request.user, unit_id)
    if document is not None:
        access_document(request.user, document)
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


# Indicators, report forms and submissions live in their own module.
from hienthuc.api.indicators import router as indicators_router  # noqa: E402

api.add_router("", indicators_router)
