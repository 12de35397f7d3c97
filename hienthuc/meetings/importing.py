"""Import of a conference's invitation list: who is summoned, to which bridge point. All or
nothing; each unknown or ambiguous person and each unknown point named by row and column."""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hienthuc.imports.importers import PREVIEW_ROWS, Importer, ImportRejected, Preview
from hienthuc.lib.sheets import CellError, read_table
from hienthuc.lib.text import clean, fold
from hienthuc.meetings.access import access_meeting
from hienthuc.meetings.actions import do_invite
from hienthuc.meetings.models import Invitation, Meeting
from hienthuc.people.lookup import PeopleByName
from hienthuc.people.models import Person
from hienthuc.scope import can_issue

MAX_ROWS = 20_000
# The file's columns (its format: not UI text).
HEADERS = ["Họ và tên", "Năm sinh", "Mã đơn vị điểm cầu"]  # not UI text


@dataclass
class InvitationImport:
    rows: list[tuple[int, Person, object]] = field(default_factory=list)  # (row, person, point)
    already: int = 0
    errors: list[CellError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def row_count(self) -> int:
        return len(self.rows)


def plan_invitation_import(data: bytes, *, user, meeting: Meeting) -> InvitationImport:
    sheet = read_table(data, HEADERS, max_bytes=settings.UPLOAD_MAX_BYTES, max_rows=MAX_ROWS)
    result = InvitationImport()

    def error(row: int, column: int, message: str) -> None:
        result.errors.append(CellError(row, column, HEADERS[column - 1], message))

    points = {fold(p.unit.code): p for p in meeting.points.select_related("unit")}
    members = Person.objects.active().filter(home_unit__path__startswith=meeting.unit.path)
    people = PeopleByName(members, [values[0] for _n, values in sheet.rows])
    invited = set(Invitation.objects.filter(meeting=meeting).values_list("person_id", flat=True))
    seen: dict[int, int] = {}
    for number, (name, year, code) in sheet.rows:
        candidates = people.candidates(name, year)
        point = points.get(fold(clean(code)))
        if not clean(name):
            error(number, 1, _("Chưa ghi họ và tên."))
        elif not candidates:
            error(number, 1, _("Không tìm thấy “%(name)s” trong danh sách đảng viên của %(unit)s.")
                  % {"name": clean(name), "unit": meeting.unit.name})  # fmt: skip
        elif len(candidates) > 1:
            error(number, 2, _("Có %(n)s người tên “%(name)s”; hãy ghi năm sinh để phân biệt.")
                  % {"n": len(candidates), "name": clean(name)})  # fmt: skip
        if point is None:
            error(number, 3, _("Hội nghị không có điểm cầu của đơn vị mã “%(code)s”.") % {"code": clean(code)})
        if len(candidates) != 1 or point is None:
            continue
        person = candidates[0]
        if person.pk in seen:
            error(number, 1, _("%(name)s đã có ở dòng %(row)s.") % {"name": person.full_name, "row": seen[person.pk]})
            continue
        seen[person.pk] = number
        if person.pk in invited:
            result.already += 1
            continue
        result.rows.append((number, person, point))
    result.errors.sort(key=lambda e: (e.row, e.column))
    return result


@transaction.atomic
def do_import_invitations(data: bytes, *, acting_user, meeting: Meeting, progress=None) -> InvitationImport:
    result = plan_invitation_import(data, user=acting_user, meeting=meeting)
    if not result.ok:
        raise ImportRejected(result)
    by_point: dict[int, tuple[object, list[Person]]] = {}
    for _row, person, point in result.rows:
        by_point.setdefault(point.pk, (point, []))[1].append(person)
    for done, (point, people) in enumerate(by_point.values(), start=1):
        do_invite(meeting, point=point, people=people, acting_user=acting_user)
        if progress:
            progress(done, len(by_point))
    return result


def _target(user, key: str) -> Meeting:
    meeting = access_meeting(user, int(key))
    if not can_issue(user, meeting.unit):
        raise PermissionDenied(_("Chỉ đơn vị tổ chức hội nghị mới nhập danh sách triệu tập."))
    return meeting


def describe(result: InvitationImport) -> Preview:
    return Preview(
        counts=[
            _("%(n)s người được triệu tập thêm") % {"n": len(result.rows)},
            _("%(n)s người đã có trong danh sách (bỏ qua)") % {"n": result.already},
        ],
        button=_("Triệu tập %(n)s người") % {"n": len(result.rows)} if result.rows else "",
        columns=[_("Dòng"), _("Họ và tên"), _("Đơn vị"), _("Điểm cầu")],
        rows=[[row, p.full_name, p.home_unit.name, point.name] for row, p, point in result.rows[:PREVIEW_ROWS]],
        total_rows=len(result.rows),
    )


IMPORTER = Importer(
    kind="meeting-invitations",
    url_name="meeting_invitations_import",
    title=gettext_lazy("Nhập danh sách triệu tập hội nghị"),
    help_template="meetings/import_help.html",
    check=lambda data, *, user, target: plan_invitation_import(data, user=user, meeting=target),
    apply=lambda data, *, acting_user, target, progress: do_import_invitations(
        data, acting_user=acting_user, meeting=target, progress=progress
    ),
    describe=describe,
    summary=lambda result: _("Đã triệu tập thêm %(n)s người.") % {"n": len(result.rows)},
    done_url=lambda meeting: reverse("meeting_detail", args=[meeting.pk]),
    target=_target,
    context=lambda user, target: {"headers": HEADERS, "max_rows": MAX_ROWS},
)
