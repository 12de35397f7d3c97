"""The API's documents: the register, links and search."""

import datetime
from typing import TYPE_CHECKING, Annotated, TypeAlias

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from hienthuc.api.common import ErrorOut, Id, Pages, Text, choice, documented
from hienthuc.api.orgs import UnitOut, _with_parents
from hienthuc.api.people import PersonOut
from hienthuc.documents.access import access_document
from hienthuc.documents.kinds import KINDS as DOCUMENT_KINDS
from hienthuc.documents.models import Confidentiality, IssuingBody, Urgency
from hienthuc.documents.models import Status as DocumentStatus
from hienthuc.orgs.access import access_organization
from hienthuc.orgs.models import Organization
from hienthuc.people.models import Person

router = Router()


if TYPE_CHECKING:  # built at run time from the models' choices; plain text to the type checker
    DocumentKindCode: TypeAlias = str
    ConfidentialityCode: TypeAlias = str
    DocumentStatusCode: TypeAlias = str
    IssuingBodyCode: TypeAlias = str
    UrgencyCode: TypeAlias = str
else:
    DocumentKindCode = choice(code for code, *_rest in DOCUMENT_KINDS)
    ConfidentialityCode = choice(Confidentiality.values)
    DocumentStatusCode = choice(DocumentStatus.values)
    IssuingBodyCode = choice(IssuingBody.values)
    UrgencyCode = choice(Urgency.values)


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
    urgency: str = Field(..., json_schema_extra=documented(Urgency.values))
    status: str = Field(..., json_schema_extra=documented(DocumentStatus.values))
    version: int = Field(
        ..., description="Tăng sau mỗi lần sửa; gửi lại khi sửa để không ghi đè bản người khác vừa lưu"
    )


class DocumentIn(Schema):
    kind: DocumentKindCode = Field(..., description="Mã loại văn bản, ví dụ ket_luan, nghi_quyet")
    number_text: Text = Field(
        "",
        max_length=60,
        description="Số hiệu như ghi trên văn bản, ví dụ 21-KL/TW",
    )
    issuing_unit_id: Id
    issuing_body: IssuingBodyCode = "bch"
    issued_on: datetime.date | None = None
    place: Text = Field("", max_length=100)
    signer: Text = Field("", max_length=150)
    summary: Text = Field(..., max_length=5000)
    confidentiality: ConfidentialityCode = "thuong"
    urgency: UrgencyCode = Field("", description="Độ khẩn: để trống là thường")
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
    urgency: UrgencyCode | None = None
    status: DocumentStatusCode | None = None
    full_text: Text | None = Field(None, max_length=1_000_000)
    version: int | None = Field(
        None, ge=1, description="Phiên bản đã đọc: nếu văn bản đã được sửa sau đó, yêu cầu bị từ chối (400)"
    )


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
        raise ValidationError({"kind": _("Không có loại văn bản mã “%(code)s”.") % {"code": code}})
    return kind


def _visible_documents(request):
    from hienthuc.documents.models import Document

    return Document.objects.visible_to(request.user).select_related("kind")


@router.get("/documents", response=list[DocumentOut], tags=["documents"])
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


@router.get("/documents/{document_id}", response=DocumentOut, tags=["documents"])
def get_document(request, document_id: Id):
    return access_document(request.user, document_id)


@router.post("/documents", response={201: DocumentOut, 400: ErrorOut}, tags=["documents"])
def create_document(request, payload: DocumentIn):
    from django.core.exceptions import PermissionDenied

    from hienthuc.documents.actions import do_create_document, may_write

    # A role, or a mandate to act for the unit (the committee's office), lets one register.
    unit = access_organization(request.user, payload.issuing_unit_id)
    if not may_write(request.user, unit, draft=payload.status == "draft"):
        raise PermissionDenied(_("Bạn không có quyền vào sổ, sửa văn bản của %(unit)s.") % {"unit": unit.name})
    data = payload.dict(exclude={"issuing_unit_id"})
    data["kind"] = _document_kind(payload.kind)
    document = do_create_document(issuing_unit=unit, acting_user=request.user, **data)
    return Status(201, document)


@router.patch("/documents/{document_id}", response={200: DocumentOut, 400: ErrorOut}, tags=["documents"])
def update_document(request, document_id: Id, payload: DocumentPatch):
    from hienthuc.documents.actions import current_data, do_update_document

    document = access_document(request.user, document_id, write=True)
    data = current_data(document)
    changes = payload.dict(exclude_unset=True)
    version = changes.pop("version", None)
    if changes.get("kind"):
        changes["kind"] = _document_kind(changes["kind"])
    data.update({k: v for k, v in changes.items() if v is not None or k == "issued_on"})
    return Status(200, do_update_document(document, acting_user=request.user, version=version, **data))


@router.get("/documents/{document_id}/links", response=list[LinkOut], tags=["documents"])
def document_links(request, document_id: Id):
    from hienthuc.documents.models import DocumentLink

    document = access_document(request.user, document_id)
    visible = _visible_documents(request)
    return DocumentLink.objects.filter(
        Q(source=document, target__in=visible) | Q(target=document, source__in=visible)
    ).order_by("id")


@router.get("/search", response=SearchOut, tags=["search"])
def search(request, q: Annotated[Text, Field(min_length=1, max_length=200)]):
    """Documents, units and people matching the words (diacritics-insensitive) or a number."""
    return {
        "documents": list(_visible_documents(request).search(q)[:20]),
        "units": _with_parents(
            list(Organization.objects.visible_to(request.user).search(q).select_related("kind__level")[:20])
        ),
        "people": list(Person.objects.visible_to(request.user).search(q)[:20]),
    }
