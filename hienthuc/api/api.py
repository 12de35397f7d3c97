"""The REST API (OpenAPI at /api/openapi.json, docs at /api/docs).

Same scoping as the pages: every object is fetched through its model's visible_to(user),
so anything outside the caller's subtrees is a 404, exactly like a missing one.
"""

import datetime
from typing import Annotated

from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, NinjaAPI, Query, Schema, Status
from ninja.pagination import PageNumberPagination, paginate
from ninja.security import HttpBearer, django_auth
from pydantic import AfterValidator

from hienthuc.accounts import actions as account_actions
from hienthuc.accounts.models import ApiToken, hash_token
from hienthuc.committees.models import Assignment, CommitteeSeat, Term
from hienthuc.orgs import aggregates
from hienthuc.orgs.models import Organization
from hienthuc.people.models import Person


class TokenAuth(HttpBearer):
    def authenticate(self, request, token: str):
        if len(token) > 200:
            return None
        found = ApiToken.objects.active().select_related("user").filter(key_hash=hash_token(token)).first()
        if found is None or not found.user.is_active:
            return None
        now = timezone.now()
        # Avoid a write per request: the last-use time is only needed to the minute.
        if found.last_used_at is None or now - found.last_used_at > datetime.timedelta(minutes=1):
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.user
        request.api_token = found
        return found.user


api = NinjaAPI(
    title="Hiện Thực API",
    version="1",
    description="API của Hiện Thực: đơn vị, cán bộ đảng viên, nhiệm kỳ, cấp ủy. "
    "Xác thực bằng mã truy cập: `Authorization: Bearer <mã>` (lấy mã qua POST /api/auth/token).",
    auth=[TokenAuth(), django_auth],
    urls_namespace="api",
)


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("Chuỗi chứa ký tự không hợp lệ (NUL).")
    return value


# Every free-text input of the API: PostgreSQL cannot store or compare NUL characters.
Text = Annotated[str, AfterValidator(_no_nul)]


class ErrorOut(Schema):
    detail: str


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
    parent: int | None = Field(None, description="Chỉ lấy đơn vị trực thuộc trực tiếp đơn vị này")
    q: Text | None = Field(None, max_length=200, description="Tìm theo tên hoặc mã, không cần dấu")
    active: bool | None = None


@api.get("/units", response=list[UnitOut], tags=["units"])
@paginate(PageNumberPagination, page_size=50)
def list_units(request, filters: Query[UnitFilter]):
    units = Organization.objects.visible_to(request.user).select_related("kind__level")
    if filters.parent is not None:
        parent = get_object_or_404(Organization.objects.visible_to(request.user), pk=filters.parent)
        units = units.filter(path__startswith=parent.path, depth=parent.depth + 1)
    if filters.q:
        units = units.search(filters.q)
    if filters.active is not None:
        units = units.filter(is_active=filters.active)
    return _PagedUnits(units.order_by("path"))


@api.get("/units/{unit_id}", response=UnitCountsOut, tags=["units"])
def get_unit(request, unit_id: int):
    unit = get_object_or_404(Organization.objects.visible_to(request.user).select_related("kind__level"), pk=unit_id)
    _with_parents([unit])
    unit.units_below, unit.people_below = aggregates.subtree_totals(unit)
    return unit


@api.get("/units/{unit_id}/children", response=list[UnitCountsOut], tags=["units"])
def unit_children(request, unit_id: int):
    """The unit's direct children with the number of units and people below each."""
    unit = get_object_or_404(Organization.objects.visible_to(request.user), pk=unit_id)
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
    unit: int | None = Field(None, description="Những người sinh hoạt trong cây đơn vị này")
    q: Text | None = Field(None, max_length=200)


@api.get("/people", response=list[PersonOut], tags=["people"])
@paginate(PageNumberPagination, page_size=50)
def list_people(request, filters: Query[PersonFilter]):
    people = Person.objects.visible_to(request.user)
    if filters.unit is not None:
        unit = get_object_or_404(Organization.objects.visible_to(request.user), pk=filters.unit)
        people = people.in_subtree(unit)
    if filters.q:
        people = people.search(filters.q)
    return people.order_by("search_name", "pk")


@api.get("/people/{person_id}", response=PersonOut, tags=["people"])
def get_person(request, person_id: int):
    return get_object_or_404(Person.objects.visible_to(request.user), pk=person_id)


@api.get("/terms", response=list[TermOut], tags=["committees"])
@paginate(PageNumberPagination, page_size=50)
def list_terms(request, unit: int | None = None):
    terms = Term.objects.visible_to(request.user)
    if unit is not None:
        terms = terms.filter(unit_id=unit)
    return terms.order_by("-start_year", "pk")


@api.get("/terms/{term_id}", response=TermOut, tags=["committees"])
def get_term(request, term_id: int):
    return get_object_or_404(Term.objects.visible_to(request.user), pk=term_id)


@api.get("/terms/{term_id}/seats", response=list[SeatOut], tags=["committees"])
def term_seats(request, term_id: int):
    term = get_object_or_404(Term.objects.visible_to(request.user), pk=term_id)
    return CommitteeSeat.objects.filter(term=term).select_related("person")


@api.get("/terms/{term_id}/assignments", response=list[AssignmentOut], tags=["committees"])
def term_assignments(request, term_id: int):
    term = get_object_or_404(Term.objects.visible_to(request.user), pk=term_id)
    return Assignment.objects.filter(term=term)


@api.exception_handler(ValidationError)
def on_validation_error(request, exc: ValidationError):
    return api.create_response(request, {"detail": " ".join(exc.messages)}, status=400)
