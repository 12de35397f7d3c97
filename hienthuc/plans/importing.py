"""Import and export of a plan's task table in the layout offices use:

    STT | Nội dung nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Sản phẩm | Thời gian hoàn thành | Ghi chú

from .xlsx (title rows above the header allowed) or from the table of a .docx. Rows whose STT is
a section number (I., II., 1., 2.) with no lead body are section headings for the tasks below.
Units are matched by name as written within the plan's unit; near misses get suggestions.
"""

import difflib
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from hienthuc.lib import deadlines
from hienthuc.lib.files import DOCX, XLSX, detect_type
from hienthuc.lib.sheets import CellError, FileProblem, read_docx_table, read_table, write_table
from hienthuc.lib.text import clean, fold
from hienthuc.orgs.models import Organization
from hienthuc.plans.actions import do_add_task
from hienthuc.plans.models import Plan, Task

HEADERS = [
    "STT",
    "Nội dung nhiệm vụ",
    "Cơ quan chủ trì",
    "Cơ quan phối hợp",
    "Sản phẩm",
    "Thời gian hoàn thành",
    "Ghi chú",
]
# A plan's task table is tens or hundreds of rows; each row is written with its tallies and
# audit in the request, so a larger file is refused before it is read (and stated in the form).
MAX_ROWS = 1_000
COL_NO, COL_CONTENT, COL_LEAD, COL_COOP, COL_OUTPUT, COL_DEADLINE, COL_NOTES = range(1, 8)
_SECTION_NO = re.compile(r"^(?:[IVXLC]+|[A-Z]|\d+)\s*[.)]?$")
_SPLIT = re.compile(r"\s*[;\n]\s*|\s*,\s*(?=[^\d])")


@dataclass
class TaskImportPlan:
    tasks: list[tuple[int, dict]] = field(default_factory=list)
    sections: int = 0
    errors: list[CellError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class UnitMatcher:
    """Finds units of the plan's subtree by name as written (any case or diacritics), short name
    or code, and suggests the closest names when nothing matches."""

    def __init__(self, root: Organization):
        self.by_key: dict[str, Organization] = {}
        units = Organization.objects.subtree_of(root).filter(is_active=True)
        for unit in units:
            for key in (unit.name, unit.short_name, unit.code):
                if key:
                    self.by_key.setdefault(fold(key), unit)

    def find(self, text: str) -> Organization | None:
        return self.by_key.get(fold(text))

    def suggest(self, text: str) -> list[str]:
        names = difflib.get_close_matches(fold(text), list(self.by_key), n=3, cutoff=0.6)
        return list(dict.fromkeys(self.by_key[n].name for n in names))


def _rows(data: bytes):
    file_type = detect_type(data)
    if file_type == DOCX:
        return read_docx_table(data, HEADERS, max_bytes=settings.UPLOAD_MAX_BYTES, max_rows=MAX_ROWS)
    if file_type == XLSX or file_type is None:
        # read_table gives the Vietnamese message for anything that is not an .xlsx.
        return read_table(data, HEADERS, max_bytes=settings.UPLOAD_MAX_BYTES, max_rows=MAX_ROWS)
    raise FileProblem("Chỉ nhập được bảng nhiệm vụ từ tệp Excel (.xlsx) hoặc Word (.docx).")


def plan_task_import(data: bytes, *, user, plan: Plan) -> TaskImportPlan:
    sheet = _rows(data)
    result = TaskImportPlan()
    if plan.is_issued:
        raise FileProblem("Kế hoạch đã ban hành: chỉ nhập bảng nhiệm vụ vào kế hoạch còn là dự thảo.")

    def error(row: int, column: int, message: str) -> None:
        result.errors.append(CellError(row, column, HEADERS[column - 1], message))

    matcher = UnitMatcher(plan.unit)
    section = ""
    for number, values in sheet.rows:
        no, content, lead, coop, output, deadline_text, notes = (clean(v) for v in values)
        heading = not (lead or deadline_text or coop or output)
        if heading and (content or no) and (not no or _SECTION_NO.match(no)):
            section = f"{no} {content}".strip()
            result.sections += 1
            continue
        errors_before = len(result.errors)
        if not content:
            error(number, COL_CONTENT, "Nội dung nhiệm vụ không được để trống.")
        lead_unit = matcher.find(lead) if lead else None
        if not lead:
            error(number, COL_LEAD, "Chưa ghi cơ quan chủ trì.")
        elif lead_unit is None:
            hint = matcher.suggest(lead)
            more = f" Có phải: {'; '.join(hint)}?" if hint else ""
            error(number, COL_LEAD, f"Không tìm thấy “{lead}” trong {plan.unit.name}.{more}")
        cooperating = []
        for name in [n for n in _SPLIT.split(coop) if n.strip()] if coop else []:
            unit = matcher.find(name)
            if unit is None:
                hint = matcher.suggest(name)
                more = f" Có phải: {'; '.join(hint)}?" if hint else ""
                error(number, COL_COOP, f"Không tìm thấy “{name}” trong {plan.unit.name}.{more}")
            else:
                cooperating.append(unit)
        try:
            deadlines.parse(deadline_text)
        except deadlines.DeadlineError as exc:
            error(number, COL_DEADLINE, str(exc))
        if len(result.errors) > errors_before:
            continue
        result.tasks.append(
            (
                number,
                {
                    "section": section, "content": content, "lead_unit": lead_unit, "cooperating": cooperating,
                    "output": output, "deadline_text": deadline_text, "notes": notes,
                },
            )
        )  # fmt: skip
    if not result.tasks and not result.errors:
        raise FileProblem("Bảng không có dòng nhiệm vụ nào dưới dòng tiêu đề.")
    result.errors.sort(key=lambda e: (e.row, e.column))
    return result


@transaction.atomic
def do_import_tasks(data: bytes, *, acting_user, plan: Plan) -> TaskImportPlan:
    result = plan_task_import(data, user=acting_user, plan=plan)
    if not result.ok:
        raise ValidationError([str(e) for e in result.errors])
    for _row, values in result.tasks:
        do_add_task(plan, acting_user=acting_user, **values)
    return result


def export_tasks(plan: Plan, user) -> bytes:
    """The task table as `user` sees it on the plan's page: the tasks they may open."""
    rows, section, number = [], None, 0
    tasks = (
        Task.objects.visible_to(user)
        .filter(plan=plan)
        .select_related("lead_unit")
        .prefetch_related("cooperating_units")
    )
    for task in tasks.order_by("order", "id"):
        if task.section != section:
            section = task.section
            if section:
                no, _, title = section.partition(" ")
                rows.append([no, title, "", "", "", "", ""])
            number = 0
        number += 1
        cooperating = "; ".join(u.name for u in task.cooperating_units.all())
        rows.append(
            [number, task.content, task.lead_unit.name, cooperating, task.output, task.deadline_text, task.notes]
        )
    title = f"{plan.title.upper()}"
    return write_table(title, HEADERS, rows, sheet_name="Nhiệm vụ")
