"""The API's meetings: sessions and conferences, agenda, bridge points, invitations, check-in
(one or a batch, as a scanner station sends them) and study completion."""

import datetime
import functools
import json
from typing import TYPE_CHECKING, TypeAlias

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from hienthuc.api.common import ID_MAX, ErrorOut, Id, Pages, Text, choice, documented, visible_person
from hienthuc.documents.access import access_document
from hienthuc.meetings.access import access_meeting, access_point
from hienthuc.meetings.models import Arrival, Meeting, MeetingFormat, MeetingKind, MeetingStatus
from hienthuc.orgs.access import access_organization
from hienthuc.people.models import Person

router = Router()
BATCH_MAX = 500

if TYPE_CHECKING:
    MeetingKindCode: TypeAlias = str
    FormatCode: TypeAlias = str
    ArrivalCode: TypeAlias = str
else:
    MeetingKindCode = choice(MeetingKind.values)
    FormatCode = choice(MeetingFormat.values)
    ArrivalCode = choice(Arrival.values)


class MeetingOut(Schema):
    id: int
    unit_id: int
    kind: str = Field(..., json_schema_extra=documented(MeetingKind.values))
    term_id: int | None
    number: int | None
    title: str
    starts_at: datetime.datetime
    place: str
    format: str = Field(..., json_schema_extra=documented(MeetingFormat.values))
    status: str = Field(..., json_schema_extra=documented(MeetingStatus.values))
    checkin_closed: bool


class MeetingIn(Schema):
    unit_id: Id
    kind: MeetingKindCode
    title: Text = Field(..., max_length=500)
    starts_at: datetime.datetime
    place: Text = Field("", max_length=255)
    format: FormatCode = "in_person"
    number: int | None = Field(None, ge=1, le=1000)
    document_ids: list[Id] = Field([], max_length=50)
    allow_guests: bool = False


class ItemOut(Schema):
    id: int
    order: int
    matter: str
    document_id: int | None = None
    preparing_unit_id: int | None
    draft_due: datetime.date | None
    presenter: str
    taken: bool | None
    outcome: str
    votes_for: int | None
    votes_against: int | None
    votes_abstain: int | None
    summoned: int | None

    @staticmethod
    def resolve_document_id(obj, context) -> int | None:
        from hienthuc.documents.refs import visible_id

        return visible_id(context["request"].user, obj.document)


class PointOut(Schema):
    id: int
    unit_id: int
    name: str
    is_main: bool
    capacity: int | None
    expected: int
    planned: int | None
    present: int
    headcount: int | None


class CheckInIn(Schema):
    person_id: Id
    arrival: ArrivalCode = "on_time"


class CheckInOut(Schema):
    person_id: int
    created: bool = Field(..., description="false: the person had already been checked in (counted once)")


class BatchIn(Schema):
    checkins: list[CheckInIn] = Field(..., max_length=BATCH_MAX)


class BatchOut(Schema):
    created: int
    already: int


class ItemIn(Schema):
    matter: Text = Field(..., max_length=5000)
    document_id: Id | None = None
    preparing_unit_id: Id | None = None
    draft_due: datetime.date | None = None
    presenter: Text = Field("", max_length=200)
    time_slot: Text = Field("", max_length=60)


class ItemRecordIn(Schema):
    taken: bool
    outcome: Text = Field("", max_length=5000)
    votes_for: int | None = Field(None, ge=0, le=100_000)
    votes_against: int | None = Field(None, ge=0, le=100_000)
    votes_abstain: int | None = Field(None, ge=0, le=100_000)
    summoned: int | None = Field(None, ge=0, le=100_000)


class AttendanceIn(Schema):
    person_id: Id
    presence: str = Field(..., json_schema_extra={"enum": ["present", "excused", "absent"]})
    reason: Text = Field("", max_length=300)


class AttendanceOut(Schema):
    person_id: int
    presence: str
    reason: str


class InviteIn(Schema):
    person_ids: list[Id] = Field(..., max_length=5_000)


class CompletionRow(Schema):
    unit_id: int
    studied: int
    members: int


class CompletionOut(Schema):
    unit_id: int
    studied: int
    members: int
    complete_units: int
    units: int
    rows: list[CompletionRow]


@router.get("/meetings", response=list[MeetingOut], tags=["meetings"])
@paginate(Pages, page_size=50)
def list_meetings(request, unit: Id | None = None, kind: MeetingKindCode | None = None):
    meetings = Meeting.objects.visible_to(request.user)
    if unit is not None:
        meetings = meetings.filter(unit__path__startswith=access_organization(request.user, unit).path)
    if kind:
        meetings = meetings.filter(kind=kind)
    return meetings.order_by("-starts_at", "pk")


@router.get("/meetings/{meeting_id}", response=MeetingOut, tags=["meetings"])
def get_meeting(request, meeting_id: Id):
    return access_meeting(request.user, meeting_id)


@router.post("/meetings", response={201: MeetingOut, 400: ErrorOut}, tags=["meetings"])
def create_meeting(request, payload: MeetingIn):
    from hienthuc.meetings.actions import do_create_meeting

    unit = access_organization(request.user, payload.unit_id)
    documents = [access_document(request.user, pk) for pk in payload.document_ids]
    data = payload.dict(exclude={"unit_id", "document_ids"})
    return Status(201, do_create_meeting(unit, documents=documents, acting_user=request.user, **data))


@router.get("/meetings/{meeting_id}/agenda", response=list[ItemOut], tags=["meetings"])
def list_agenda(request, meeting_id: Id):
    meeting = access_meeting(request.user, meeting_id)
    return meeting.items.select_related("document__issuing_unit")


@router.post("/meetings/{meeting_id}/agenda", response={201: ItemOut, 400: ErrorOut}, tags=["meetings"])
def add_item(request, meeting_id: Id, payload: ItemIn):
    from hienthuc.meetings.actions import do_add_agenda_item

    meeting = access_meeting(request.user, meeting_id)
    document = access_document(request.user, payload.document_id) if payload.document_id else None
    unit = access_organization(request.user, payload.preparing_unit_id) if payload.preparing_unit_id else None
    data = payload.dict(exclude={"document_id", "preparing_unit_id"})
    item = do_add_agenda_item(meeting, document=document, preparing_unit=unit, acting_user=request.user, **data)
    return Status(201, item)


@router.post("/agenda/{item_id}/outcome", response={200: ItemOut, 400: ErrorOut}, tags=["meetings"])
def record_item(request, item_id: Id, payload: ItemRecordIn):
    from hienthuc.meetings.access import access_item
    from hienthuc.meetings.actions import do_record_item

    return Status(200, do_record_item(access_item(request.user, item_id), acting_user=request.user, **payload.dict()))


@router.post("/meetings/{meeting_id}/attendance", response={200: AttendanceOut, 400: ErrorOut}, tags=["meetings"])
def record_attendance(request, meeting_id: Id, payload: AttendanceIn):
    from hienthuc.meetings.actions import do_record_member_attendance

    meeting = access_meeting(request.user, meeting_id)
    person = visible_person(request.user, payload.person_id)
    attendance = do_record_member_attendance(
        meeting, person=person, presence=payload.presence, reason=payload.reason, acting_user=request.user
    )
    return {"person_id": person.pk, "presence": attendance.presence, "reason": attendance.reason}


@router.get("/meetings/{meeting_id}/points", response=list[PointOut], tags=["meetings"])
@paginate(Pages, page_size=200)
def list_points(request, meeting_id: Id):
    return access_meeting(request.user, meeting_id).points.order_by("-is_main", "path", "pk")


@router.post("/points/{point_id}/invitations", response={200: BatchOut, 400: ErrorOut}, tags=["meetings"])
def invite(request, point_id: Id, payload: InviteIn):
    from hienthuc.meetings.actions import do_invite

    point = access_point(request.user, point_id)
    people = list(Person.objects.visible_to(request.user).filter(pk__in=payload.person_ids).select_related("home_unit"))
    missing = sorted(set(payload.person_ids) - {p.pk for p in people})
    if missing:
        raise ValidationError({"person_ids": _("Không tìm thấy người có mã %(ids)s trong phạm vi của bạn.")
                               % {"ids": ", ".join(map(str, missing[:10]))}})  # fmt: skip
    added = do_invite(point.meeting, point=point, people=people, acting_user=request.user)
    return {"created": added, "already": len(people) - added}


@router.post("/points/{point_id}/checkins", response={200: CheckInOut, 400: ErrorOut}, tags=["meetings"])
def check_in(request, point_id: Id, payload: CheckInIn):
    from hienthuc.meetings.actions import do_check_in

    # The action finds the point itself (a 404 beyond reach): one read for the busiest request.
    created = do_check_in(
        point_id=point_id, person_id=payload.person_id, arrival=payload.arrival, acting_user=request.user
    )
    return {"person_id": payload.person_id, "created": created}


# POST /api/points/{id}/checkins as a scanner sends it — its token, a JSON body — is answered here,
# before django-ninja, in one prepared statement (docs/performance.md, issue #15's 1,000 a
# second). Every other request to that address, and any the statement does not match (another
# user than the point's operator, a guest, an error to explain), goes to check_in above, which
# answers as the API documents: the two answer alike (tests/test_meetings.py).
@csrf_exempt
@login_not_required
def scanner_check_in(request: HttpRequest, point_id: int) -> HttpResponse:
    header = request.headers.get("Authorization", "")
    if (
        request.method == "POST"
        and header.startswith("Bearer ")
        and len(header) <= 207
        and request.content_type == "application/json"
        and 1 <= point_id <= ID_MAX
    ):
        body = _scanned_body(request.body)
        if body is not None:
            from hienthuc.meetings.actions import do_check_in_scanned

            created = do_check_in_scanned(token=header[7:], point_id=point_id, **body)
            if created is not None:
                return JsonResponse({"person_id": body["person_id"], "created": created})
    return _check_in_view()(request, point_id=point_id)


def _scanned_body(raw: bytes) -> dict | None:
    """The body check_in's schema takes, when plainly so (an int id, a known arrival); None
    leaves the judging to django-ninja."""
    try:
        body = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(body, dict):
        return None
    person_id, arrival = body.get("person_id"), body.get("arrival", Arrival.ON_TIME)
    if type(person_id) is not int or not 1 <= person_id <= ID_MAX or arrival not in Arrival.values:
        return None
    return {"person_id": person_id, "arrival": arrival}


@functools.cache
def _check_in_view():
    from hienthuc.api.api import api

    return next(pattern.callback for pattern in api.urls[0] if getattr(pattern, "name", "") == "check_in")


@router.post("/points/{point_id}/checkins/batch", response={200: BatchOut, 400: ErrorOut}, tags=["meetings"])
def check_in_batch(request, point_id: Id, payload: BatchIn):
    """A scanner station's queue sent at once: all or nothing, each person counted once."""
    from django.db import transaction

    from hienthuc.meetings.actions import do_check_in

    point = access_point(request.user, point_id)
    created = 0
    with transaction.atomic():
        for index, item in enumerate(payload.checkins):
            try:
                new = do_check_in(
                    point_id=point.pk,
                    person_id=item.person_id,
                    arrival=item.arrival,
                    acting_user=request.user,
                )
            except ValidationError as exc:
                raise ValidationError(
                    _("Lượt %(n)s (người dự %(id)s): %(problem)s")
                    % {"n": index + 1, "id": item.person_id, "problem": " ".join(exc.messages)}
                ) from None
            created += new
    return {"created": created, "already": len(payload.checkins) - created}


@router.get("/documents/{document_id}/completion", response=CompletionOut, tags=["meetings"])
def completion(request, document_id: Id, unit: Id):
    from hienthuc.meetings.figures import completion as figures_completion

    document = access_document(request.user, document_id)
    org = access_organization(request.user, unit)
    result = figures_completion(document.pk, org)
    return {
        "unit_id": org.pk, "studied": result["total"].studied, "members": result["total"].members,
        "complete_units": result["complete_units"], "units": result["units"],
        "rows": [{"unit_id": r.unit.pk, "studied": r.studied, "members": r.members} for r in result["rows"]],
    }  # fmt: skip
