"""Import of an inspection and supervision program's items from Excel, as the inspection
commission keeps them: one row per item with its subject (a unit's code, or a member's name
and year of birth), content, form, period and conducting body. All or nothing: each problem is
named by row and column, and a clean file adds every item through do_add_program_item."""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hienthuc.imports.importers import PREVIEW_ROWS, Importer, ImportRejected, Preview
from hienthuc.inspections.actions import do_add_program_item
from hienthuc.inspections.models import Body, Form
from hienthuc.lib import deadlines
from hienthuc.lib.sheets import CellError, read_table
from hienthuc.lib.text import choice_of, clean, fold
from hienthuc.orgs.models import Organization
from hienthuc.people.lookup import PeopleByName
from hienthuc.people.models import Person
from hienthuc.plans.access import access_plan
from hienthuc.plans.models import Plan, PlanKind
from hienthuc.scope import can_issue

MAX_ROWS = 2_000
# The file's columns (its format: not UI text).
HEADERS = [
    "Mã đơn vị được kiểm tra, giám sát",  # not UI text
    "Đảng viên được kiểm tra, giám sát",  # not UI text
    "Năm sinh",  # not UI text
    "Nội dung",  # not UI text
    "Hình thức",  # not UI text
    "Thời gian",  # not UI text
    "Chủ thể tiến hành",  # not UI text
]


@dataclass
class ProgramImport:
    rows: list[dict] = field(default_factory=list)
    errors: list[CellError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def row_count(self) -> int:
        return len(self.rows)


def plan_program_import(data: bytes, *, plan: Plan) -> ProgramImport:
    sheet = read_table(data, HEADERS, max_bytes=settings.UPLOAD_MAX_BYTES, max_rows=MAX_ROWS)
    result = ProgramImport()

    def error(row: int, column: int, message: str) -> None:
        result.errors.append(CellError(row, column, HEADERS[column - 1], message))

    unit = plan.unit
    codes = {fold(clean(values[0])) for _n, values in sheet.rows if clean(values[0])}
    below = {
        fold(u.code): u
        for u in Organization.objects.current().filter(path__startswith=unit.path).exclude(pk=unit.pk)
        if fold(u.code) in codes
    }
    people = PeopleByName(
        Person.objects.active().filter(home_unit__path__startswith=unit.path), [v[1] for _n, v in sheet.rows]
    )
    for number, (code, name, year, content, form, period, body) in sheet.rows:
        subject_unit = subject_person = None
        if clean(code) and clean(name):
            error(number, 1, _("Ghi một đối tượng: mã đơn vị hoặc họ tên đảng viên, không ghi cả hai."))
        elif clean(code):
            subject_unit = below.get(fold(clean(code)))
            if subject_unit is None:
                error(number, 1, _("Không có đơn vị mã “%(code)s” thuộc %(unit)s.")
                      % {"code": clean(code), "unit": unit.name})  # fmt: skip
        elif clean(name):
            candidates = people.candidates(name, year)
            if not candidates:
                error(number, 2, _("Không tìm thấy đảng viên “%(name)s” thuộc %(unit)s.")
                      % {"name": clean(name), "unit": unit.name})  # fmt: skip
            elif len(candidates) > 1:
                error(number, 3, _("Có %(n)s người tên “%(name)s”; hãy ghi năm sinh để phân biệt.")
                      % {"n": len(candidates), "name": clean(name)})  # fmt: skip
            else:
                subject_person = candidates[0]
        else:
            error(number, 1, _("Chưa ghi đối tượng kiểm tra, giám sát."))
        if not clean(content):
            error(number, 4, _("Chưa ghi nội dung."))
        form_value = choice_of(form, Form.choices)
        if form_value is None:
            error(
                number,
                5,
                _("Hình thức phải là một trong: %(list)s.") % {"list": ", ".join(str(x) for x in Form.labels)},
            )
        try:
            deadlines.parse(clean(period))
        except deadlines.DeadlineError as exc:
            error(number, 6, str(exc))
        body_value = choice_of(body, Body.choices, default=Body.COMMISSION)
        if body_value is None:
            error(
                number, 7, _("Chủ thể phải là một trong: %(list)s.") % {"list": ", ".join(str(x) for x in Body.labels)}
            )
        result.rows.append(
            {"row": number, "subject_unit": subject_unit, "subject_person": subject_person, "content": clean(content),
             "form": form_value, "period_text": clean(period), "body": body_value}
        )  # fmt: skip
    result.errors.sort(key=lambda e: (e.row, e.column))
    return result


@transaction.atomic
def do_import_program(data: bytes, *, acting_user, plan: Plan, progress=None) -> ProgramImport:
    result = plan_program_import(data, plan=plan)
    if not result.ok:
        raise ImportRejected(result)
    for done, row in enumerate(result.rows, start=1):
        item = {k: v for k, v in row.items() if k != "row"}
        do_add_program_item(plan, acting_user=acting_user, **item)
        if progress:
            progress(done, len(result.rows))
    return result


def _target(user, key: str) -> Plan:
    plan = access_plan(user, int(key))
    if not can_issue(user, plan.unit):
        raise PermissionDenied(_("Chỉ đơn vị lập chương trình mới nhập được các mục của chương trình."))
    if plan.kind != PlanKind.INSPECTION_PROGRAM or plan.is_issued:
        raise PermissionDenied(_("Chỉ nhập được vào chương trình kiểm tra, giám sát chưa ban hành."))
    return plan


def describe(result: ProgramImport) -> Preview:
    return Preview(
        counts=[_("%(n)s mục kiểm tra, giám sát") % {"n": len(result.rows)}],
        button=_("Thêm %(n)s mục") % {"n": len(result.rows)} if result.rows else "",
        columns=[_("Dòng"), _("Đối tượng"), _("Nội dung"), _("Hình thức"), _("Thời gian")],
        rows=[
            [
                r["row"],
                (r["subject_unit"] or r["subject_person"]).__str__(),
                r["content"][:120],
                Form(r["form"]).label,
                r["period_text"],
            ]
            for r in result.rows[:PREVIEW_ROWS]
        ],  # fmt: skip
        total_rows=len(result.rows),
    )


IMPORTER = Importer(
    kind="inspection-program",
    url_name="inspection_program_import",
    title=gettext_lazy("Nhập chương trình kiểm tra, giám sát"),
    help_template="inspections/import_help.html",
    check=lambda data, *, user, target: plan_program_import(data, plan=target),
    apply=lambda data, *, acting_user, target, progress: do_import_program(
        data, acting_user=acting_user, plan=target, progress=progress
    ),
    describe=describe,
    summary=lambda result: _("Đã thêm %(n)s mục vào chương trình.") % {"n": len(result.rows)},
    done_url=lambda plan: reverse("plan_detail", args=[plan.pk]),
    target=_target,
    context=lambda user, target: {"headers": HEADERS, "max_rows": MAX_ROWS},
)
