"""Meetings, their agenda and attendance, bridge points, invitations and check-ins: one
function per change, atomic; every change audited except a check-in, which is its own record
(meetings/models.py)."""

import datetime

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Exists, F, Max, OuterRef
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from hienthuc.accounts.models import DEMO_EMAIL_DOMAIN, ApiToken, hash_token
from hienthuc.audit.record import record, snapshot
from hienthuc.committees.models import CommitteeSeat, Term
from hienthuc.documents.models import Document
from hienthuc.lib.db import one_statement, prepared
from hienthuc.lib.text import clean
from hienthuc.meetings.models import (
    BODY_OF_KIND,
    SESSION_KINDS,
    Absence,
    AgendaItem,
    Arrival,
    BridgePoint,
    CheckIn,
    Invitation,
    Mark,
    Meeting,
    MeetingFormat,
    MeetingKind,
    MeetingStatus,
    MemberAttendance,
    Presence,
    Reflection,
    Study,
)
from hienthuc.orgs.models import Organization
from hienthuc.people.models import Person
from hienthuc.scope import EDIT_KINDS, can_edit, can_issue, covers

MEETING_FIELDS = ["unit", "kind", "term", "number", "title", "starts_at", "place", "format", "status", "minutes",
                  "checkin_closed", "allow_guests", "conclusion", "makes_up"]  # fmt: skip
ITEM_FIELDS = ["meeting", "order", "matter", "document", "preparing_unit", "draft_due", "draft_received_on",
               "presenter", "time_slot", "planned_task", "taken", "outcome", "votes_for", "votes_against",
               "votes_abstain", "summoned"]  # fmt: skip
POINT_FIELDS = ["meeting", "unit", "name", "is_main", "operator", "capacity", "planned", "headcount"]


def _require_organizer(user: User, meeting: Meeting) -> None:
    if not can_issue(user, meeting.unit):
        raise ValidationError(_("Chỉ đơn vị tổ chức hội nghị mới được thay đổi hội nghị này."))


def _documents_in_reach(user: User, unit: Organization, documents) -> list[Document]:
    """Documents a meeting of `unit` may take up: ones the user may read, issued by the unit,
    a unit below it or a unit above it (what comes from above is studied below)."""
    documents = list(documents or [])
    visible = set(
        Document.objects.visible_to(user).filter(pk__in=[d.pk for d in documents]).values_list("pk", flat=True)
    )
    for document in documents:
        path = document.issuing_unit.path
        if document.pk not in visible or not (path.startswith(unit.path) or unit.path.startswith(path)):
            raise ValidationError(
                {
                    "documents": _("“%(document)s” không thuộc phạm vi của %(unit)s.")
                    % {"document": document, "unit": unit.name}
                }
            )
    return documents


@transaction.atomic
def do_create_make_up(
    original: Meeting, *, unit: Organization, starts_at: datetime.datetime, place: str = "", acting_user: User
) -> Meeting:
    """A make-up session (học bù) of a study conference, held by `unit` for its members who have
    not studied all the conference's documents: the same documents, a point at the unit, and
    those members summoned there. Their check-in records made-up study (completion counts it)."""
    documents = list(original.documents.all())
    if not documents:
        raise ValidationError(_("Hội nghị này không có văn bản học tập, quán triệt nên không có gì để học bù."))
    if not unit.path.startswith(original.unit.path):
        raise ValidationError(
            {"unit": _("Học bù do đơn vị thuộc %(unit)s tổ chức.") % {"unit": original.unit.name}}
        )  # fmt: skip
    if original.makes_up_id is not None:
        raise ValidationError(_("Đây đã là buổi học bù; hãy tổ chức học bù từ hội nghị gốc."))
    if starts_at < original.starts_at:
        raise ValidationError({"starts_at": _("Buổi học bù phải sau hội nghị gốc.")})
    meeting = do_create_meeting(
        unit, kind=MeetingKind.STUDY, title=_("Học bù: %(title)s") % {"title": original.title}, starts_at=starts_at,
        place=place, documents=documents, makes_up=original, acting_user=acting_user,
    )  # fmt: skip
    point = do_add_bridge_point(meeting, unit=unit, acting_user=acting_user)
    # Who must still study: active members living in the unit's subtree without a study row for
    # each of the documents.
    studied_all = (
        Study.objects.filter(document__in=documents, person_id=OuterRef("pk"))
        .values("person_id")
        .annotate(n=Count("document_id", distinct=True))
        .filter(n=len(documents))
    )
    missing = (
        Person.objects.filter(is_active=True, home_unit__path__startswith=unit.path)
        .exclude(Exists(studied_all))
        .select_related("home_unit")
    )
    do_invite(meeting, point=point, people=missing, acting_user=acting_user)
    return meeting


@transaction.atomic
def do_create_meeting(
    unit: Organization,
    *,
    kind: str,
    title: str,
    starts_at: datetime.datetime,
    place: str = "",
    format: str = MeetingFormat.IN_PERSON,
    number: int | None = None,
    documents=(),
    allow_guests: bool = False,
    makes_up: Meeting | None = None,
    acting_user: User,
) -> Meeting:
    """A meeting of `unit`. A session of a committee body is numbered within the unit's term
    ("lần thứ 12"): the next number when none is given."""
    if not can_issue(acting_user, unit):
        raise ValidationError({"unit": _("Bạn không có quyền tổ chức hội nghị của %(unit)s.") % {"unit": unit.name}})
    if kind not in MeetingKind.values:
        raise ValidationError({"kind": _("Loại hội nghị không hợp lệ.")})
    if format not in MeetingFormat.values:
        raise ValidationError({"format": _("Hình thức không hợp lệ.")})
    title = clean(title)[:500]
    if not title:
        raise ValidationError({"title": _("Hãy ghi tên hội nghị.")})
    documents = _documents_in_reach(acting_user, unit, documents)
    term = None
    if kind in SESSION_KINDS or kind == MeetingKind.CONGRESS:
        year = timezone.localtime(starts_at).year
        term = Term.objects.filter(unit=unit, start_year__lte=year, end_year__gte=year).order_by("-start_year").first()
    if kind in SESSION_KINDS:
        if term is None:
            raise ValidationError(
                {
                    "kind": _("%(unit)s chưa có nhiệm kỳ bao trùm ngày họp; hãy thêm nhiệm kỳ trước.")
                    % {"unit": unit.name}
                }
            )
        taken = Meeting.objects.filter(unit=unit, term=term, kind=kind)
        if number is None:
            number = (taken.aggregate(Max("number"))["number__max"] or 0) + 1
        elif taken.filter(number=number).exists():
            raise ValidationError(
                {"number": _("Khóa %(term)s đã có %(kind)s lần thứ %(number)s.")
                 % {"term": term.roman, "kind": MeetingKind(kind).label, "number": number}}
            )  # fmt: skip
    meeting = Meeting.objects.create(
        unit=unit, kind=kind, term=term, number=number, title=title, starts_at=starts_at, place=clean(place)[:255],
        format=format, allow_guests=allow_guests, makes_up=makes_up, created_by=acting_user if acting_user.pk else None,
    )  # fmt: skip
    meeting.documents.set(documents)
    after = {**snapshot(meeting, MEETING_FIELDS), "documents": [d.pk for d in documents]}
    record(acting_user, "create", meeting, organization=unit, after=after)
    return meeting


@transaction.atomic
def do_record_meeting(
    meeting: Meeting,
    *,
    status: str,
    minutes: str = "",
    conclusion: Document | None = None,
    acting_user: User,
) -> Meeting:
    """Held or cancelled, with what it decided and the notice of its conclusions. Holding it
    closes its check-in."""
    meeting = Meeting.objects.select_for_update().select_related("unit").get(pk=meeting.pk)
    _require_organizer(acting_user, meeting)
    if status not in MeetingStatus.values:
        raise ValidationError({"status": _("Tình trạng không hợp lệ.")})
    if conclusion is not None:
        if status != MeetingStatus.HELD:
            raise ValidationError({"conclusion": _("Chỉ hội nghị đã tổ chức mới có thông báo kết luận.")})
        if not conclusion.issuing_unit.path.startswith(meeting.unit.path):
            raise ValidationError(
                {"conclusion": _("Thông báo kết luận phải do %(unit)s ban hành.") % {"unit": meeting.unit.name}}
            )
    before = snapshot(meeting, MEETING_FIELDS)
    meeting.conclusion = conclusion or meeting.conclusion
    meeting.status, meeting.minutes = status, (minutes or "").strip()
    if status != MeetingStatus.PLANNED:
        meeting.checkin_closed = True
    meeting.save()
    record(
        acting_user,
        "update",
        meeting,
        organization=meeting.unit,
        before=before,
        after=snapshot(meeting, MEETING_FIELDS),
    )
    return meeting


@transaction.atomic
def do_add_agenda_item(
    meeting: Meeting,
    *,
    matter: str,
    document: Document | None = None,
    preparing_unit: Organization | None = None,
    draft_due: datetime.date | None = None,
    presenter: str = "",
    time_slot: str = "",
    planned_task=None,
    acting_user: User,
) -> AgendaItem:
    _require_organizer(acting_user, meeting)
    matter = (matter or "").strip()
    if not matter:
        raise ValidationError({"matter": _("Hãy ghi nội dung trình hội nghị.")})
    if document is not None:
        _documents_in_reach(acting_user, meeting.unit, [document])
    if preparing_unit is not None and not preparing_unit.path.startswith(meeting.unit.path):
        raise ValidationError(
            {"preparing_unit": _("Cơ quan chuẩn bị phải thuộc %(unit)s.") % {"unit": meeting.unit.name}}
        )
    if planned_task is not None and planned_task.plan.unit_id != meeting.unit_id:
        raise ValidationError({"planned_task": _("Nhiệm vụ phải thuộc chương trình công tác của đơn vị tổ chức.")})
    order = (meeting.items.aggregate(Max("order"))["order__max"] or 0) + 1
    item = AgendaItem.objects.create(
        meeting=meeting, order=order, matter=matter, document=document, preparing_unit=preparing_unit,
        draft_due=draft_due, presenter=clean(presenter)[:200], time_slot=clean(time_slot)[:60],
        planned_task=planned_task,
    )  # fmt: skip
    record(acting_user, "create", item, organization=meeting.unit, after=snapshot(item, ITEM_FIELDS))
    return item


@transaction.atomic
def do_record_item(
    item: AgendaItem,
    *,
    taken: bool,
    outcome: str = "",
    votes_for: int | None = None,
    votes_against: int | None = None,
    votes_abstain: int | None = None,
    summoned: int | None = None,
    draft_received_on: datetime.date | None = None,
    acting_user: User,
) -> AgendaItem:
    """After the session: taken or not, what was decided, the vote of the members summoned."""
    item = AgendaItem.objects.select_for_update().select_related("meeting__unit").get(pk=item.pk)
    _require_organizer(acting_user, item.meeting)
    votes = [v for v in (votes_for, votes_against, votes_abstain) if v is not None]
    if any(v < 0 for v in votes) or (summoned is not None and summoned < 0):
        raise ValidationError({"votes_for": _("Số phiếu không được âm.")})
    if summoned is not None and sum(votes) > summoned:
        raise ValidationError(
            {"votes_for": _("Tổng số phiếu (%(total)s) vượt số được triệu tập (%(summoned)s).")
             % {"total": sum(votes), "summoned": summoned}}
        )  # fmt: skip
    before = snapshot(item, ITEM_FIELDS)
    item.taken, item.outcome = taken, (outcome or "").strip()
    item.votes_for, item.votes_against, item.votes_abstain, item.summoned = (
        votes_for,
        votes_against,
        votes_abstain,
        summoned,
    )
    item.draft_received_on = draft_received_on or item.draft_received_on
    item.save()
    record(
        acting_user, "update", item, organization=item.meeting.unit, before=before, after=snapshot(item, ITEM_FIELDS)
    )
    # Taken with its document issued: the work program's task is done, the document its output.
    # Not taken, the task stays open for a later session.
    task, document = item.planned_task, item.document
    if taken and task is not None and task.completed_on is None and document is not None and document.issued_on:
        from hienthuc.plans.actions import do_record_progress

        do_record_progress(
            task, percent=100, version=task.version, complete=True, evidence_document=document,
            completed_on=min(document.issued_on, timezone.localdate()), acting_user=acting_user,
            text=_("Đã xem xét tại %(meeting)s.") % {"meeting": item.meeting.title},
        )  # fmt: skip
    return item


@transaction.atomic
def do_record_member_attendance(
    meeting: Meeting, *, person: Person, presence: str, reason: str = "", acting_user: User
) -> MemberAttendance:
    """A member of the body a session summons: present, or absent with or without a reason."""
    _require_organizer(acting_user, meeting)
    if not meeting.is_session:
        raise ValidationError(
            _("Chỉ ghi dự họp của cấp ủy viên cho phiên họp của Ban Chấp hành, Ban Thường vụ, Thường trực.")
        )
    if presence not in Presence.values:
        raise ValidationError({"presence": _("Tình hình dự họp không hợp lệ.")})
    if presence == Presence.EXCUSED and not clean(reason):
        raise ValidationError({"reason": _("Vắng có lý do thì hãy ghi lý do.")})
    body = BODY_OF_KIND[MeetingKind(meeting.kind)]
    day = timezone.localtime(meeting.starts_at).date()
    seated = CommitteeSeat.objects.filter(term=meeting.term, body=body, person=person).exclude(end_date__lt=day)
    if not seated.exists():
        raise ValidationError(
            {"person": _("%(name)s không phải thành viên %(body)s của khóa vào ngày họp.")
             % {"name": person.full_name, "body": MeetingKind(meeting.kind).label}}
        )  # fmt: skip
    attendance, _created = MemberAttendance.objects.update_or_create(
        meeting=meeting, person=person, defaults={"presence": presence, "reason": clean(reason)[:300]}
    )
    record(
        acting_user, "update", meeting, organization=meeting.unit,
        after={"person": person.pk, "presence": presence, "reason": attendance.reason},
    )  # fmt: skip
    return attendance


@transaction.atomic
def do_record_draft_received(item: AgendaItem, *, received_on: datetime.date, acting_user: User) -> AgendaItem:
    """The office received the preparing body's draft: it is no longer late."""
    item = AgendaItem.objects.select_for_update().select_related("meeting__unit").get(pk=item.pk)
    _require_organizer(acting_user, item.meeting)
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": _("Ngày nhận dự thảo không thể sau hôm nay.")})
    before = {"draft_received_on": item.draft_received_on.isoformat() if item.draft_received_on else None}
    item.draft_received_on = received_on
    item.save(update_fields=["draft_received_on"])
    record(acting_user, "update", item, organization=item.meeting.unit, before=before,
           after={"draft_received_on": received_on.isoformat()})  # fmt: skip
    return item


# --- bridge points, invitations, check-in ---------------------------------------------------


@transaction.atomic
def do_add_bridge_point(
    meeting: Meeting,
    *,
    unit: Organization,
    name: str = "",
    operator: User | None = None,
    capacity: int | None = None,
    planned: int | None = None,
    is_main: bool = False,
    acting_user: User,
) -> BridgePoint:
    _require_organizer(acting_user, meeting)
    if not unit.path.startswith(meeting.unit.path):
        raise ValidationError({"unit": _("Điểm cầu phải thuộc %(unit)s.") % {"unit": meeting.unit.name}})
    if capacity is not None and capacity < 1:
        raise ValidationError({"capacity": _("Sức chứa phải là số dương.")})
    if planned is not None and (planned < 0 or (capacity is not None and planned > capacity)):
        raise ValidationError({"planned": _("Số dự kiến phải từ 0 đến sức chứa của điểm cầu.")})
    if operator is not None and not can_edit(operator, unit):
        raise ValidationError(
            {"operator": _("Người điều hành phải có quyền biên tập ở %(unit)s.") % {"unit": unit.name}}
        )
    if meeting.points.filter(unit=unit).exists():
        raise ValidationError({"unit": _("%(unit)s đã có điểm cầu của hội nghị này.") % {"unit": unit.name}})
    if is_main and meeting.points.filter(is_main=True).exists():
        raise ValidationError({"is_main": _("Hội nghị đã có điểm cầu chính.")})
    point = BridgePoint.objects.create(
        meeting=meeting, unit=unit, path=unit.path, name=clean(name)[:255] or unit.name, operator=operator,
        capacity=capacity, planned=planned, is_main=is_main,
    )  # fmt: skip
    record(acting_user, "create", point, organization=meeting.unit, after=snapshot(point, POINT_FIELDS))
    return point


@transaction.atomic
def do_invite(meeting: Meeting, *, point: BridgePoint, people, acting_user: User) -> int:
    """Summon people to a point; those already invited stay where they are. Returns how many
    were added."""
    _require_organizer(acting_user, meeting)
    if point.meeting_id != meeting.pk:
        raise ValidationError({"point": _("Điểm cầu không thuộc hội nghị này.")})
    people = list(people)
    outside = [p for p in people if not p.home_unit.path.startswith(meeting.unit.path)]
    if outside:
        raise ValidationError(
            {"people": _("%(name)s không thuộc %(unit)s.") % {"name": outside[0].full_name, "unit": meeting.unit.name}}
        )
    ids = {p.pk for p in people}
    already = set(Invitation.objects.filter(meeting=meeting, person_id__in=ids).values_list("person_id", flat=True))
    new = [Invitation(meeting=meeting, person_id=pk, point=point) for pk in sorted(ids - already)]
    Invitation.objects.bulk_create(new, batch_size=5_000)
    BridgePoint.objects.filter(pk=point.pk).update(expected=F("expected") + len(new))
    record(acting_user, "update", point, organization=meeting.unit, after={"invited": len(new)})
    return len(new)


@transaction.atomic
def do_invite_unit(meeting: Meeting, *, point: BridgePoint, acting_user: User) -> int:
    """Summon every active member whose home unit lies in the point's unit."""
    people = Person.objects.active().filter(home_unit__path__startswith=point.unit.path).select_related("home_unit")
    return do_invite(meeting, point=point, people=people, acting_user=acting_user)


@transaction.atomic
def do_invite_positions(meeting: Meeting, *, point: BridgePoint, title: str, acting_user: User) -> int:
    """Summon to a point everyone holding a title now ("Bí thư", "Phó Bí thư") at a unit in the
    point's unit (the key cadres of a commune)."""
    from hienthuc.lib.text import fold
    from hienthuc.people.models import Position

    wanted = fold(clean(title))
    if not wanted:
        raise ValidationError({"title": _("Hãy ghi chức vụ, ví dụ Bí thư.")})
    positions = (
        Position.objects.current().filter(unit__path__startswith=point.unit.path).select_related("person__home_unit")
    )
    people = {p.person for p in positions if wanted in fold(p.title) and p.person.is_active}
    if not people:
        raise ValidationError(
            {
                "title": _("Không có ai giữ chức vụ “%(title)s” tại %(unit)s.")
                % {"title": clean(title), "unit": point.unit.name}
            }
        )
    return do_invite(meeting, point=point, people=sorted(people, key=lambda p: p.pk), acting_user=acting_user)


def runs_point(user: User, point: BridgePoint) -> bool:
    """The point's operator, or an editor of its unit, checks people in there."""
    return _runs(user, point.operator_id, point.path)


def _runs(user: User, operator_id: int | None, path: str) -> bool:
    # By the point's stored path (its unit's): the check-in holds only the row it read.
    return operator_id == user.pk or covers(user, path, EDIT_KINDS)


# The check-in is the busiest path of the application: a national conference checks in a
# thousand people a second (docs/performance.md). It is one read and one write-set, as SQL: the
# ORM would spend more time composing these statements than the database spends answering them.
#
# The one read: the point as stored now (its operator), its meeting (the organizer may have
# closed check-in since the caller looked), the person's name and home path, their invitation.
_CHECKIN_READ = f"""
    SELECT bp.meeting_id, bp.operator_id, bp.path, bp.name, mu.path, m.starts_at, m.makes_up_id,
           m.checkin_closed, m.allow_guests, p.full_name, o.path, i.id, i.absence
    FROM {BridgePoint._meta.db_table} bp
    JOIN {Meeting._meta.db_table} m ON m.id = bp.meeting_id
    JOIN {Organization._meta.db_table} mu ON mu.id = m.unit_id
    LEFT JOIN {Person._meta.db_table} p ON p.id = %s
    LEFT JOIN {Organization._meta.db_table} o ON o.id = p.home_unit_id
    LEFT JOIN {Invitation._meta.db_table} i ON i.meeting_id = bp.meeting_id AND i.person_id = p.id
    WHERE bp.id = %s
"""
# The write: the check-in once; for a new one, the study of each of the conference's documents,
# the point's count (one absent fewer when the person had been recorded absent) and the cleared
# absence. On PostgreSQL one statement (data-modifying WITH); SQLite runs the parts in turn.
_CHECKIN = f"""
    INSERT INTO {CheckIn._meta.db_table} (meeting_id, person_id, point_id, at, arrival, left_early, guest, by_id)
    VALUES (%(meeting)s, %(person)s, %(point)s, %(at)s, %(arrival)s, false, %(guest)s, %(by)s)
    ON CONFLICT (meeting_id, person_id) DO NOTHING RETURNING person_id
"""
# (The WHERE is what lets SQLite tell the upsert's ON CONFLICT from a join's ON.)
_STUDY = f"""
    INSERT INTO {Study._meta.db_table} (document_id, person_id, path, meeting_id, made_up, studied_on)
    SELECT md.document_id, %(person)s, %(path)s, %(meeting)s, %(made_up)s, %(day)s
    FROM {Meeting.documents.through._meta.db_table} md WHERE md.meeting_id = %(meeting)s{{new}}
    ON CONFLICT (document_id, person_id) DO NOTHING
"""
_COUNT = f"""
    UPDATE {BridgePoint._meta.db_table} SET present = present + 1,
        excused = excused - (CASE WHEN %(absence)s = 'excused' THEN 1 ELSE 0 END),
        absent = absent - (CASE WHEN %(absence)s = 'absent' THEN 1 ELSE 0 END)
    WHERE id = %(point)s{{new}}
"""
_CLEAR = f"UPDATE {Invitation._meta.db_table} SET absence = '', reason = '' WHERE id = %(invitation)s{{new}}"
# Each part of the one statement acts only when the check-in is new.
_NEW = " AND EXISTS (SELECT 1 FROM new)"
_CHECKIN_ALL = (
    f"WITH new AS ({_CHECKIN}), studied AS ({_STUDY.format(new=_NEW)}), counted AS ({_COUNT.format(new=_NEW)}), "
    f"cleared AS ({_CLEAR.format(new=_NEW)} AND absence <> '') SELECT COUNT(*) FROM new"
)
_STUDY, _COUNT, _CLEAR = _STUDY.format(new=""), _COUNT.format(new=""), _CLEAR.format(new="")


@transaction.atomic
def do_check_in(*, point_id: int, person_id: int, arrival: str = Arrival.ON_TIME, acting_user: User) -> bool:
    """Record a person present at a point; whether it is new. The same person again changes
    nothing; the point's count and the member's study of the conference's documents follow a
    new check-in, and one recorded absent is no longer.

    A point the user neither operates nor sees is not found (Http404), like any object beyond
    reach; the operator's own point is found without reading their roles."""
    with connection.cursor() as cursor:
        cursor.execute(_CHECKIN_READ, [person_id, point_id])
        row = cursor.fetchone()
    if row is None:
        raise Http404
    (meeting_id, operator_id, point_path, point_name, organizer_path, starts_at, makes_up_id, closed, allow_guests,
     name, path, invitation_id, absence) = row  # fmt: skip
    # access_point's rule: the point's own unit or the organizer's, within the user's reach.
    if operator_id != acting_user.pk and not (covers(acting_user, point_path) or covers(acting_user, organizer_path)):
        raise Http404
    if not _runs(acting_user, operator_id, point_path):
        raise ValidationError(
            {"point": _("Bạn không điều hành điểm cầu “%(point)s”; chỉ người điều hành điểm cầu mới điểm danh tại đó.")
             % {"point": point_name}}
        )  # fmt: skip
    if arrival not in Arrival.values:
        raise ValidationError({"arrival": _("Giờ đến không hợp lệ.")})
    invited = invitation_id is not None
    # One not summoned is named only to a user who may see them: an id must not draw a name
    # from another province.
    if name is None or not invited and not covers(acting_user, path):
        raise ValidationError({"person": _("Không tìm thấy người dự có mã %(id)s.") % {"id": person_id}})
    if closed:
        raise ValidationError(_("Hội nghị đã khóa điểm danh; người đến sau được ghi học bù."))
    if not invited and not allow_guests:
        raise ValidationError(
            {"person": _("%(name)s không có trong danh sách triệu tập của hội nghị.") % {"name": name}}
        )
    if timezone.is_naive(starts_at):  # SQLite answers its stored UTC as a naive datetime
        starts_at = starts_at.replace(tzinfo=datetime.UTC)
    params = {
        "meeting": meeting_id, "person": person_id, "point": point_id, "arrival": arrival, "guest": not invited,
        "by": acting_user.pk, "at": connection.ops.adapt_datetimefield_value(timezone.now()), "path": path,
        "made_up": makes_up_id is not None, "day": timezone.localtime(starts_at).date(), "absence": absence or "",
        "invitation": invitation_id,
    }  # fmt: skip
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(_CHECKIN_ALL, params)
            return cursor.fetchone()[0] == 1
        cursor.execute(_CHECKIN, params)
        if cursor.fetchone() is None:
            return False
        cursor.execute(_STUDY, params)
        cursor.execute(_COUNT, params)
        if absence:
            cursor.execute(_CLEAR, params)
    return True


# A scanner's check-in, the request a national conference sends a thousand times a second, as
# one prepared statement (docs/performance.md): the token (live, its user active), the point
# that user operates, the meeting open, the person summoned — and only then the check-in and all
# that follows it, exactly as _CHECKIN_ALL writes them. Anything else (another user, a guest, an
# error to explain) matches nothing here, writes nothing, and takes do_check_in's path.
_SCANNED = f"""
    WITH caller AS (
        SELECT t.id AS token_id, t.user_id, t.last_used_at
        FROM {ApiToken._meta.db_table} t JOIN {User._meta.db_table} u ON u.id = t.user_id
        WHERE t.key_hash = %(hash)s AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > %(now)s)
              AND u.is_active AND (%(refused)s = '' OR u.email NOT LIKE %(refused)s)
    ),
    target AS (
        SELECT bp.id AS point_id, bp.meeting_id, c.user_id, i.person_id, o.path, i.id AS invitation_id, i.absence,
               m.makes_up_id IS NOT NULL AS made_up, (m.starts_at AT TIME ZONE %(zone)s)::date AS day
        FROM {BridgePoint._meta.db_table} bp
        JOIN caller c ON c.user_id = bp.operator_id
        JOIN {Meeting._meta.db_table} m ON m.id = bp.meeting_id AND NOT m.checkin_closed
        JOIN {Invitation._meta.db_table} i ON i.meeting_id = bp.meeting_id AND i.person_id = %(person)s
        JOIN {Person._meta.db_table} p ON p.id = i.person_id
        JOIN {Organization._meta.db_table} o ON o.id = p.home_unit_id
        WHERE bp.id = %(point)s
    ),
    new AS (
        INSERT INTO {CheckIn._meta.db_table} (meeting_id, person_id, point_id, at, arrival, left_early, guest, by_id)
        SELECT meeting_id, person_id, point_id, %(now)s, %(arrival)s, false, false, user_id FROM target
        ON CONFLICT (meeting_id, person_id) DO NOTHING RETURNING person_id
    ),
    studied AS (
        INSERT INTO {Study._meta.db_table} (document_id, person_id, path, meeting_id, made_up, studied_on)
        SELECT md.document_id, t.person_id, t.path, t.meeting_id, t.made_up, t.day
        FROM target t JOIN {Meeting.documents.through._meta.db_table} md ON md.meeting_id = t.meeting_id
        WHERE EXISTS (SELECT 1 FROM new)
        ON CONFLICT (document_id, person_id) DO NOTHING
    ),
    counted AS (
        UPDATE {BridgePoint._meta.db_table} bp SET present = bp.present + 1,
            excused = bp.excused - (t.absence = 'excused')::int, absent = bp.absent - (t.absence = 'absent')::int
        FROM target t WHERE bp.id = t.point_id AND EXISTS (SELECT 1 FROM new)
    ),
    cleared AS (
        UPDATE {Invitation._meta.db_table} i SET absence = '', reason = ''
        FROM target t WHERE i.id = t.invitation_id AND t.absence <> '' AND EXISTS (SELECT 1 FROM new)
    ),
    touched AS (
        UPDATE {ApiToken._meta.db_table} a SET last_used_at = %(now)s
        FROM caller c WHERE a.id = c.token_id AND (c.last_used_at IS NULL OR c.last_used_at < %(minute_ago)s)
    )
    SELECT (SELECT COUNT(*) FROM target), (SELECT COUNT(*) FROM new)
"""


@one_statement
def do_check_in_scanned(*, token: str, point_id: int, person_id: int, arrival: str = Arrival.ON_TIME) -> bool | None:
    """The scanner's plain case of do_check_in, acting as the token's user: whether the check-in
    is new, or None when the request is anything but the plain case (then nothing is written and
    do_check_in decides). PostgreSQL only; elsewhere always None."""
    if connection.vendor != "postgresql" or arrival not in Arrival.values:
        return None
    now = timezone.now()
    params = {
        "hash": hash_token(token), "now": now, "minute_ago": now - datetime.timedelta(minutes=1),
        "refused": "" if settings.DEBUG else "%@" + DEMO_EMAIL_DOMAIN, "zone": settings.TIME_ZONE,
        "point": point_id, "person": person_id, "arrival": arrival,
    }  # fmt: skip
    matched, created = prepared(_SCANNED, params)
    return None if matched == 0 else created == 1


@transaction.atomic
def do_record_absence(
    meeting: Meeting, *, person: Person, absence: str, reason: str = "", acting_user: User
) -> Invitation:
    """A person summoned who did not come: excused (with the reason) or not."""
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("point__unit")
        .filter(meeting=meeting, person=person)
        .first()
    )
    if invitation is None:
        raise ValidationError(
            {"person": _("%(name)s không có trong danh sách triệu tập của hội nghị.") % {"name": person.full_name}}
        )
    if not runs_point(acting_user, invitation.point) and not can_issue(acting_user, meeting.unit):
        raise ValidationError(_("Bạn không điều hành điểm cầu “%(point)s”.") % {"point": invitation.point.name})
    if absence not in Absence.values:
        raise ValidationError({"absence": _("Tình hình vắng mặt không hợp lệ.")})
    if absence == Absence.EXCUSED and not clean(reason):
        raise ValidationError({"reason": _("Vắng có lý do thì hãy ghi lý do.")})
    if CheckIn.objects.filter(meeting=meeting, person=person).exists():
        raise ValidationError(_("%(name)s đã được điểm danh có mặt.") % {"name": person.full_name})
    if invitation.absence != absence:
        counters = {absence: F(absence) + 1}
        if invitation.absence:
            counters[invitation.absence] = F(invitation.absence) - 1
        BridgePoint.objects.filter(pk=invitation.point_id).update(**counters)
    invitation.absence, invitation.reason = absence, clean(reason)[:300]
    invitation.save(update_fields=["absence", "reason"])
    record(acting_user, "update", invitation.point, organization=meeting.unit,
           after={"person": person.pk, "absence": absence, "reason": invitation.reason})  # fmt: skip
    return invitation


@transaction.atomic
def do_mark_left_early(meeting: Meeting, *, person: Person, acting_user: User) -> CheckIn:
    """A person checked in who left before the end."""
    checkin = (
        CheckIn.objects.select_for_update(of=("self",))
        .select_related("point__unit")
        .filter(meeting=meeting, person=person)
        .first()
    )
    if checkin is None:
        raise ValidationError(_("%(name)s chưa được điểm danh.") % {"name": person.full_name})
    if not runs_point(acting_user, checkin.point):
        raise ValidationError(_("Bạn không điều hành điểm cầu “%(point)s”.") % {"point": checkin.point.name})
    CheckIn.objects.filter(pk=checkin.pk).update(left_early=True)
    checkin.left_early = True
    return checkin


@transaction.atomic
def do_record_headcount(point: BridgePoint, *, count: int, acting_user: User) -> BridgePoint:
    """The people present at a point counted, when names are not kept."""
    point = BridgePoint.objects.select_for_update().select_related("meeting__unit", "unit").get(pk=point.pk)
    if not runs_point(acting_user, point):
        raise ValidationError(_("Bạn không điều hành điểm cầu “%(point)s”.") % {"point": point.name})
    if point.meeting.checkin_closed:
        raise ValidationError(_("Hội nghị đã khóa điểm danh."))
    if count is None or count < 0:
        raise ValidationError({"count": _("Số người có mặt không được âm.")})
    if point.capacity is not None and count > point.capacity:
        raise ValidationError(
            {"count": _("Số người có mặt (%(count)s) vượt sức chứa của điểm cầu (%(capacity)s).")
             % {"count": count, "capacity": point.capacity}}
        )  # fmt: skip
    before = snapshot(point, POINT_FIELDS)
    point.headcount = count
    point.save(update_fields=["headcount"])
    record(
        acting_user,
        "update",
        point,
        organization=point.meeting.unit,
        before=before,
        after=snapshot(point, POINT_FIELDS),
    )
    return point


@transaction.atomic
def do_record_study(document: Document, *, person: Person, studied_on: datetime.date, acting_user: User) -> Study:
    """A member who studied a document later (học bù), recorded by their unit."""
    if not can_edit(acting_user, person.home_unit):
        raise ValidationError(_("Chỉ đơn vị của đảng viên mới ghi học bù."))
    if studied_on > timezone.localdate():
        raise ValidationError({"studied_on": _("Ngày học tập không thể sau hôm nay.")})
    try:
        with transaction.atomic():
            study = Study.objects.create(
                document=document, person=person, path=person.home_unit.path, made_up=True, studied_on=studied_on
            )
    except IntegrityError:
        raise ValidationError(_("%(name)s đã học tập văn bản này.") % {"name": person.full_name}) from None
    record(
        acting_user, "create", study, organization=person.home_unit, after={"document": document.pk, "made_up": True}
    )
    return study


REFLECTION_MAX = 50_000


@transaction.atomic
def do_submit_reflection(
    document: Document,
    *,
    person: Person,
    text: str = "",
    data: bytes | None = None,
    filename: str = "",
    acting_user: User,
) -> Reflection:
    """A member's reflection on a document they studied: the member themself (their account
    is linked to them) or their unit's editor on their behalf; once per document."""
    import uuid

    from django.conf import settings
    from django.core.files.base import ContentFile

    from hienthuc.lib.files import detect_type
    from hienthuc.lib.sheets import FileProblem, check_size

    own = getattr(acting_user, "person", None) is not None and acting_user.person.pk == person.pk
    if not own and not can_edit(acting_user, person.home_unit):
        raise ValidationError(_("Chỉ đảng viên hoặc đơn vị của đảng viên mới nộp bài thu hoạch."))
    if not Study.objects.filter(document=document, person=person).exists():
        raise ValidationError(
            _("%(name)s chưa học tập, quán triệt văn bản này; nộp bài thu hoạch sau khi học.")
            % {"name": person.full_name}
        )
    if Reflection.objects.filter(document=document, person=person).exists():
        raise ValidationError(_("%(name)s đã nộp bài thu hoạch văn bản này.") % {"name": person.full_name})
    text = (text or "").strip()
    if len(text) > REFLECTION_MAX:
        raise ValidationError({"text": _("Bài thu hoạch dài quá; hãy đính kèm tệp.")})
    file_type = ""
    if data:
        try:
            check_size(len(data), settings.ATTACHMENT_MAX_BYTES)
        except FileProblem as exc:
            raise ValidationError({"file": str(exc)}) from None
        file_type = detect_type(data) or ""
        if file_type not in ("pdf", "docx"):
            raise ValidationError({"file": _("Bài thu hoạch đính kèm phải là tệp PDF hoặc Word (.docx).")})
    if not text and not data:
        raise ValidationError({"text": _("Hãy viết bài thu hoạch hoặc đính kèm tệp.")})
    reflection = Reflection(
        document=document, person=person, path=person.home_unit.path, text=text, file_type=file_type,
        submitted_by=acting_user if acting_user.pk else None,
    )  # fmt: skip
    if data:
        reflection.file.save(f"{uuid.uuid4().hex}.{file_type}", ContentFile(data), save=False)
    reflection.save()
    record(acting_user, "create", reflection, organization=person.home_unit,
           after={"document": document.pk, "person": person.pk, "file": file_type, "name": filename[:100]})  # fmt: skip
    return reflection


@transaction.atomic
def do_mark_reflection(reflection: Reflection, *, mark: str, acting_user: User) -> Reflection:
    """The member's cell marks the reflection."""
    reflection = Reflection.objects.select_for_update().select_related("person__home_unit").get(pk=reflection.pk)
    if not can_edit(acting_user, reflection.person.home_unit):
        raise ValidationError(_("Chỉ chi bộ, đơn vị của đảng viên mới xếp loại bài thu hoạch."))
    if mark not in Mark.values:
        raise ValidationError({"mark": _("Xếp loại không hợp lệ.")})
    before = {"mark": reflection.mark}
    reflection.mark, reflection.marked_by = mark, acting_user if acting_user.pk else None
    reflection.save(update_fields=["mark", "marked_by"])
    record(acting_user, "update", reflection, organization=reflection.person.home_unit, before=before,
           after={"mark": mark})  # fmt: skip
    return reflection
