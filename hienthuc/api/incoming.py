"""The API's incoming documents: the register, directions and answers."""

import datetime
from typing import TYPE_CHECKING, TypeAlias

from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from hienthuc.api.common import ErrorOut, Id, Pages, Text, choice, documented
from hienthuc.documents.access import access_document
from hienthuc.documents.models import Confidentiality, DocumentKind, Urgency
from hienthuc.incoming.access import access_incoming
from hienthuc.incoming.models import IncomingDocument, IncomingStatus
from hienthuc.orgs.access import access_organization

router = Router()

if TYPE_CHECKING:
    UrgencyCode: TypeAlias = str
    SecrecyCode: TypeAlias = str
    IncomingStatusCode: TypeAlias = str
else:
    UrgencyCode = choice(Urgency.values)
    SecrecyCode = choice(Confidentiality.values)
    IncomingStatusCode = choice([*IncomingStatus.values, "overdue"])


class IncomingOut(Schema):
    id: int
    unit_id: int
    year: int
    receipt_number: int
    received_on: datetime.date
    sender: str
    number_text: str
    original_date: datetime.date | None
    summary: str
    document_id: int | None = Field(None, description="the original in the register, when the caller may read it")
    urgency: str = Field(..., json_schema_extra=documented(Urgency.values))
    confidentiality: str = Field(..., json_schema_extra=documented(Confidentiality.values))
    processing_due: datetime.date
    status: str = Field(..., json_schema_extra=documented(IncomingStatus.values))
    direction: str
    directed_by: str
    directed_on: datetime.date | None
    assigned_unit_id: int | None
    task_id: int | None

    @staticmethod
    def resolve_document_id(obj, context):
        from hienthuc.documents.refs import visible_id

        return visible_id(context["request"].user, obj.document)


class IncomingIn(Schema):
    unit_id: Id
    received_on: datetime.date
    sender: Text = Field(..., max_length=255)
    summary: Text = Field(..., max_length=5000)
    number_text: Text = Field("", max_length=60)
    original_date: datetime.date | None = None
    kind: Text | None = Field(None, max_length=32, description="Mã loại văn bản, ví dụ ket_luan")
    urgency: UrgencyCode = ""
    confidentiality: SecrecyCode = "thuong"
    receipt_number: int | None = Field(None, ge=1, le=10_000_000, description="Để trống: số tiếp theo của năm")


class DirectionIn(Schema):
    direction: Text = Field(..., max_length=5000)
    directed_by: Text = Field(..., max_length=150)
    directed_on: datetime.date | None = None
    assigned_unit_id: Id | None = None
    deadline_text: Text = Field("", max_length=100)


class AnswerIn(Schema):
    document_id: Id


class IncomingFilter(Schema):
    status: IncomingStatusCode | None = None
    year: int | None = Field(None, ge=1930, le=2200)
    unit: Id | None = Field(None, description="Đơn vị nhận (kể cả các đơn vị trực thuộc)")


def _rows(request):
    return IncomingDocument.objects.visible_to(request.user).select_related("document__issuing_unit")


@router.get("/incoming", response=list[IncomingOut], tags=["incoming"])
@paginate(Pages, page_size=50)
def list_incoming(request, filters: Query[IncomingFilter]):
    from django.utils import timezone

    rows = _rows(request)
    if filters.status == "overdue":
        rows = rows.overdue(timezone.localdate())
    elif filters.status:
        rows = rows.filter(status=filters.status)
    if filters.year:
        rows = rows.filter(year=filters.year)
    if filters.unit is not None:
        unit = access_organization(request.user, filters.unit)
        rows = rows.filter(unit__path__startswith=unit.path)
    return rows.order_by("-year", "-receipt_number", "pk")


@router.get("/incoming/{incoming_id}", response=IncomingOut, tags=["incoming"])
def get_incoming(request, incoming_id: Id):
    return access_incoming(request.user, incoming_id)


@router.post("/incoming", response={201: IncomingOut, 400: ErrorOut}, tags=["incoming"])
def receive(request, payload: IncomingIn):
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    from hienthuc.incoming.actions import do_receive_document

    unit = access_organization(request.user, payload.unit_id)
    data = payload.dict(exclude={"unit_id", "kind"})
    kind = None
    if payload.kind:
        kind = DocumentKind.objects.filter(code=payload.kind).first()
        if kind is None:
            raise ValidationError(
                {"kind": _("Loại văn bản “%(kind)s” không có trong danh mục.") % {"kind": payload.kind}}
            )
    return Status(201, do_receive_document(unit, kind=kind, acting_user=request.user, **data))


@router.post("/incoming/{incoming_id}/direction", response={200: IncomingOut, 400: ErrorOut}, tags=["incoming"])
def direct(request, incoming_id: Id, payload: DirectionIn):
    from hienthuc.incoming.actions import do_direct_incoming

    incoming = access_incoming(request.user, incoming_id)
    assigned = access_organization(request.user, payload.assigned_unit_id) if payload.assigned_unit_id else None
    data = payload.dict(exclude={"assigned_unit_id"})
    return Status(200, do_direct_incoming(incoming, assigned_unit=assigned, acting_user=request.user, **data))


@router.post("/incoming/{incoming_id}/answers", response={200: IncomingOut, 400: ErrorOut}, tags=["incoming"])
def answer(request, incoming_id: Id, payload: AnswerIn):
    from hienthuc.incoming.actions import do_answer_incoming

    incoming = access_incoming(request.user, incoming_id)
    document = access_document(request.user, payload.document_id)
    return Status(200, do_answer_incoming(incoming, document, acting_user=request.user))
