"""Import of a term's committee from the list offices keep ("Danh sách Ban Chấp hành khóa XX"):
one row per seat, all-or-nothing, each row judged by the composition rules beside the seats
already there and the rows above it (committees/actions.composition_problem)."""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hienthuc.committees.access import access_term
from hienthuc.committees.actions import SeatLine, composition_problem, do_add_seat
from hienthuc.committees.models import Body, CommitteeSeat, SeatRole, SeatSource, Term
from hienthuc.imports.importers import PREVIEW_ROWS, Importer, ImportRejected, Preview
from hienthuc.lib.sheets import CellError, cell_date, read_table
from hienthuc.lib.text import choice_of, clean
from hienthuc.people.lookup import PeopleByName
from hienthuc.people.models import Person

MAX_ROWS = 500  # the national Executive Committee has about 200 members and alternates
# The file's columns (its format, read back by the import: not UI text).
HEADERS = [
    "Họ và tên", "Năm sinh", "Cơ quan", "Chức danh", "Hình thức", "Quyết định", "Từ ngày", "Đến ngày",  # not UI text
]  # fmt: skip
# Columns that may be left out at the end (the year of birth stays: it may be left empty).
OPTIONAL = ("Hình thức", "Quyết định", "Từ ngày", "Đến ngày")  # not UI text
COLUMN_OF = {"person": 1, "body": 3, "role": 4, "how": 5, "decision": 6, "start_date": 7, "end_date": 8}
# The bodies a seat is elected from come first, whatever the file's order (rules.ELECTED_FROM).
BODY_ORDER = {Body.EXECUTIVE: 0, Body.INSPECTION: 1, Body.STANDING: 2, Body.STANDING_OFFICE: 3}


@dataclass
class SeatImport:
    seats: list[tuple[int, dict]] = field(default_factory=list)
    errors: list[CellError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def row_count(self) -> int:
        return len(self.seats)


def plan_seat_import(data: bytes, *, user, term: Term) -> SeatImport:
    sheet = read_table(data, HEADERS, max_bytes=settings.UPLOAD_MAX_BYTES, optional=OPTIONAL, max_rows=MAX_ROWS)
    result = SeatImport()

    def error(row: int, column: int, message: str) -> None:
        result.errors.append(CellError(row, column, HEADERS[column - 1], message))

    people = PeopleByName(Person.objects.visible_to(user), [values[0] for _n, values in sheet.rows])
    rows = []
    for number, values in sheet.rows:
        name, year, body_text, role_text, how_text, decision, start, end = values
        before = len(result.errors)
        candidates = people.candidates(name, year)
        person = candidates[0] if len(candidates) == 1 else None
        if not clean(name):
            error(number, 1, _("Chưa ghi họ và tên."))
        elif not candidates:
            error(
                number, 1,
                _("Không tìm thấy “%(name)s” trong danh sách cán bộ, đảng viên bạn quản lý; hãy thêm người này "
                  "trước, rồi nhập lại.") % {"name": clean(name)},
            )  # fmt: skip
        elif person is None:
            error(
                number, 2,
                _("Có %(n)s người tên “%(name)s”; hãy ghi năm sinh để phân biệt.")
                % {"n": len(candidates), "name": clean(name)},
            )  # fmt: skip
        body = choice_of(body_text, Body.choices, Body.EXECUTIVE)
        if body is None:
            error(number, 3, _("Cơ quan phải là Ban Chấp hành, Ban Thường vụ, Thường trực hoặc Ủy ban Kiểm tra."))
        role = choice_of(role_text, SeatRole.choices, SeatRole.MEMBER)
        if role is None:
            error(number, 4, _("Chức danh “%(value)s” không có trong danh mục.") % {"value": clean(role_text)})
        how = choice_of(how_text, SeatSource.choices, SeatSource.ELECTED)
        if how is None:
            error(number, 5, _("Hình thức phải là Bầu tại đại hội, Bầu bổ sung hoặc Chỉ định."))
        dates = []
        for column, value in ((7, start), (8, end)):
            try:
                dates.append(cell_date(value) if clean(value) or isinstance(value, datetime.date) else None)
            except ValueError:
                error(number, column, _("Ngày “%(value)s” không hợp lệ; hãy ghi ngày/tháng/năm.") % {"value": value})
                dates.append(None)
        if len(result.errors) > before:
            continue
        rows.append((number, {"person": person, "body": body, "role": role, "how": how,
                              "decision": clean(decision), "start_date": dates[0], "end_date": dates[1]}))  # fmt: skip
    # The rules, row by row, beside the seats already there and the rows before.
    seats = [
        SeatLine(s.person_id, s.person.full_name, s.body, s.role, s.start_date, s.end_date)
        for s in CommitteeSeat.objects.filter(term=term).select_related("person")
    ]
    for number, row in sorted(rows, key=lambda r: (BODY_ORDER[r[1]["body"]], r[0])):
        person = row["person"]
        if any(s.person_id == person.pk and s.body == row["body"] for s in seats):
            error(number, 1, _("%(name)s đã có trong %(body)s của nhiệm kỳ.")
                  % {"name": person.full_name, "body": Body(row["body"]).label})  # fmt: skip
            continue
        if row["how"] != SeatSource.ELECTED and not row["decision"]:
            error(number, 6, _("Bầu bổ sung, chỉ định phải ghi quyết định hoặc biên bản (số hiệu, ngày)."))
            continue
        line = SeatLine(person.pk, person.full_name, row["body"], row["role"], row["start_date"], row["end_date"])
        problem = composition_problem(seats, line)
        if problem is not None:
            error(number, COLUMN_OF[problem[0]], problem[1])
            continue
        seats.append(line)
        result.seats.append((number, row))
    result.errors.sort(key=lambda e: (e.row, e.column))
    return result


@transaction.atomic
def do_import_seats(data: bytes, *, acting_user, term: Term, progress=None) -> SeatImport:
    result = plan_seat_import(data, user=acting_user, term=term)
    if not result.ok:
        raise ImportRejected(result)
    for done, (_row, values) in enumerate(result.seats, start=1):
        try:
            do_add_seat(term, acting_user=acting_user, **values)
        except ValidationError as exc:  # the row was checked; a change in between is said, not half-written
            result.errors.append(CellError(_row, 1, HEADERS[0], " ".join(exc.messages)))
            raise ImportRejected(result) from None
        if progress:
            progress(done, result.row_count)
    return result


def describe(result: SeatImport) -> Preview:
    rows = [
        [row, v["person"].full_name, Body(v["body"]).label, SeatRole(v["role"]).label, SeatSource(v["how"]).label]
        for row, v in result.seats[:PREVIEW_ROWS]
    ]
    return Preview(
        counts=[_("%(n)s cấp ủy viên") % {"n": len(result.seats)}],
        button=_("Nhập %(n)s cấp ủy viên") % {"n": len(result.seats)} if result.seats else "",
        columns=[_("Dòng"), _("Họ và tên"), _("Cơ quan"), _("Chức danh"), _("Hình thức")],
        rows=rows,
        total_rows=len(result.seats),
    )


IMPORTER = Importer(
    kind="term-seats",
    url_name="term_seats_import",
    title=gettext_lazy("Nhập danh sách cấp ủy của nhiệm kỳ"),
    help_template="committees/import_help.html",
    check=lambda data, *, user, target: plan_seat_import(data, user=user, term=target),
    apply=lambda data, *, acting_user, target, progress: do_import_seats(
        data, acting_user=acting_user, term=target, progress=progress
    ),
    describe=describe,
    summary=lambda result: _("Đã nhập %(n)s cấp ủy viên.") % {"n": len(result.seats)},
    done_url=lambda term: reverse("term_detail", args=[term.pk]),
    target=lambda user, key: access_term(user, int(key), write=True),
    context=lambda user, target: {"headers": HEADERS, "max_rows": MAX_ROWS},
)
