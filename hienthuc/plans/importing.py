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
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hienthuc.imports.importers import PREVIEW_ROWS, Importer, ImportRejected, Preview
from hienthuc.lib import deadlines
from hienthuc.lib.files import DOCX, XLSX, detect_type
from hienthuc.lib.sheets import CellError, FileProblem, read_docx_grids, read_grids, too_many_rows, write_table
from hienthuc.lib.text import fold
from hienthuc.orgs.models import Organization
from hienthuc.plans.access import access_plan
from hienthuc.plans.actions import do_add_task, do_set_appendix_title
from hienthuc.plans.models import SECTION_SEPARATOR, Plan, Task

# The column headers are the file's format, read back by the import: Vietnamese in any language.
HEADERS = [
    "STT",
    "Nội dung nhiệm vụ",  # not UI text
    "Cơ quan chủ trì",  # not UI text
    "Cơ quan phối hợp",  # not UI text
    "Sản phẩm",  # not UI text
    "Thời gian hoàn thành",  # not UI text
    "Ghi chú",  # not UI text
]
# A plan's task table is tens or hundreds of rows; each row is written with its tallies and
# audit in the request, so a larger file is refused before it is read (and stated in the form).
MAX_ROWS = 1_000
COL_NO, COL_CONTENT, COL_LEAD, COL_COOP, COL_OUTPUT, COL_DEADLINE, COL_NOTES = range(1, 8)


@dataclass
class TaskImportPlan:
    tasks: list[tuple[int, dict]] = field(default_factory=list)  # (table row, do_add_task's arguments)
    sections: int = 0
    errors: list[CellError] = field(default_factory=list)
    # What the import will do that the person should know before applying: a group of units
    # made into one task each, a body kept by name because it is not in the tree.
    notes: list[str] = field(default_factory=list)
    title: str = ""

    @property
    def rows(self) -> int:
        return len({row for row, _values in self.tasks})

    @property
    def row_count(self) -> int:
        """What apply writes: one task each (imports/views.py sends large files to the worker)."""
        return len(self.tasks)

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

    def suggest(self, text: str, cutoff: float = 0.6) -> list[str]:
        names = difflib.get_close_matches(fold(text), list(self.by_key), n=3, cutoff=cutoff)
        return list(dict.fromkeys(self.by_key[n].name for n in names))

    def typo_of(self, text: str) -> list[str]:
        """Units whose name is nearly `text` ("Huyện ủy A9" for "Huyện ủy A1"): a name so close to
        one in the tree is a mistake to correct, not a body outside the tree to keep by name."""
        return self.suggest(text, cutoff=TYPO_CUTOFF)


# What a header cell means, by the words offices use for it (folded). Columns are found by
# meaning, in any order; a two-row header ("Cơ quan thực hiện" over "Chủ trì | Phối hợp") reads
# as one. Content, lead and deadline are required.
COLUMNS = {
    "notes": lambda h: h.startswith("ghi chu"),
    "coop": lambda h: "phoi hop" in h,
    "lead": lambda h: "chu tri" in h or h in ("co quan thuc hien", "don vi thuc hien", "co quan, don vi thuc hien"),
    "deadline": lambda h: h.startswith(
        ("thoi gian", "thoi han", "thoi diem", "tien do", "han hoan thanh", "moc thoi gian")
    ),
    "output": lambda h: "san pham" in h or h.startswith(("hinh thuc", "ket qua")),
    "no": lambda h: h in ("stt", "tt", "so tt", "so thu tu", "thu tu", "s tt"),
    "content": lambda h: h.startswith(("noi dung", "nhiem vu", "ten nhiem vu", "cong viec", "ten cong viec")),
}
REQUIRED = ("content", "lead", "deadline")
# How close (difflib ratio of folded names) a name must be to a unit's to count as its typo.
TYPO_CUTOFF = 0.85
_COLUMN_NUMBERS = re.compile(r"^\(?\d{1,2}\)?$")
# Where the table ends: the signature block ("T/M BAN THƯỜNG VỤ", "K/T BÍ THƯ", "BÍ THƯ") or the
# recipients ("Nơi nhận:"). Nothing below it is a task.
_SIGNATURE = re.compile(r"^(?:t/m|tm\.?|k/t|kt\.)\s|^noi (?:nhan|gui)|^(?:pho )?bi thu$")
# STT of a heading row, by style: the order in which styles first appear sets their depth.
_STT = re.compile(r"^(?:([IVXLC]+)|([A-Z])|(\d+(?:\.\d+)*)|([a-zđ]))\s*[.)]?$")
_LEADING_STT = re.compile(r"^((?:[IVXLC]+|[A-Z]|\d+(?:\.\d+)*)[.)]|[a-zđ]\))\s+(.+)$")
# "Các huyện ủy, thành ủy, đảng ủy trực thuộc Tỉnh ủy": a group of the units below, named by kind.
_GROUP = re.compile(r"^(?:cac|toan the cac|tat ca cac)\s+(.+)$")
_GROUP_TAIL = re.compile(r"\s+(?:truc thuoc|thuoc|cua)\s+.*$")
_SPLIT_LEADS = re.compile(r"\s*[;\n]\s*")
_SPLIT_NAMES = re.compile(r"\s*,\s*|\s+và\s+")


def _column_of(header: str) -> str | None:
    folded = fold(header).rstrip(":")
    for key, test in COLUMNS.items():
        if test(folded):
            return key
    return None


def _header(grid: list[tuple[int, list[str]]]) -> tuple[int, dict[str, int]] | None:
    """(index in grid of the last header row, {column key: cell index}) for the first row of
    the first 25 that names the required columns, alone or with the row below it."""
    for index, (_number, cells) in enumerate(grid[:25]):
        for rows in (1, 2):
            if index + rows > len(grid):
                continue
            combined = list(cells)
            if rows == 2:
                below = grid[index + 1][1]
                combined = [b or a for a, b in zip(cells + [""] * len(below), below + [""] * len(cells), strict=False)]
            columns: dict[str, int] = {}
            for position, text in enumerate(combined):
                key = _column_of(text) if text else None
                if key and key not in columns:
                    columns[key] = position
            if all(k in columns for k in REQUIRED):
                return index + rows - 1, columns
    return None


class TaskTableReader:
    """Reads a task table as offices write it, row by row, into tasks to create: headings kept
    as a section path, STT kept as written, lead cells naming a group of units, several bodies,
    or bodies outside the Party tree understood, the table ended by the signature block."""

    def __init__(self, plan: Plan, result: "TaskImportPlan"):
        self.plan, self.result = plan, result
        self.matcher = UnitMatcher(plan.unit)
        self.children = list(Organization.objects.children_of(plan.unit).filter(is_active=True))
        self.styles: list[str] = []
        self.headings: list[tuple[int, str]] = []  # (depth, "STT title")

    def error(self, row: int, column: int, message: str) -> None:
        self.result.errors.append(CellError(row, column, HEADERS[column - 1], message))

    def heading(self, no: str, title: str) -> None:
        match = _STT.match(no) if no else None
        style = "none" if match is None else ("roman", "letter", "arabic", "small")[match.lastindex - 1]
        if style == "arabic":
            style += str(no.rstrip(".)").count("."))
        if style not in self.styles:
            self.styles.append(style)
        depth = self.styles.index(style)
        self.headings = [h for h in self.headings if h[0] < depth] + [(depth, f"{no} {title}".strip())]
        self.result.sections += 1

    def group(self, text: str) -> list[Organization] | None:
        """The units below the plan's unit that a group phrase names, or None if it is none."""
        match = _GROUP.match(fold(text))
        if match is None:
            return None
        phrase = _GROUP_TAIL.sub("", match.group(1))
        kinds = [k.strip() for k in re.split(r",|\bva\b|;", phrase) if k.strip()]
        found = []
        for unit in self.children:
            name = fold(unit.name)
            if any(name.startswith(k + " ") or name == k for k in kinds):
                found.append(unit)
        return found or None

    def leads(self, number: int, text: str) -> list[tuple[Organization, bool]] | None:
        """[(unit, outside the tree?)] for a lead cell; errors and notes recorded."""
        group = self.group(text)
        if group:
            names = ", ".join(u.name for u in group[:4]) + (
                _(" và %(group)s đơn vị khác") % {"group": len(group) - 4} if len(group) > 4 else ""
            )
            self.result.notes.append(
                _("Dòng %(number)s: “%(text)s” — giao cho %(group)s đơn vị (%(names)s), mỗi đơn vị một nhiệm vụ.")
                % {"number": number, "text": text, "group": len(group), "names": names}
            )
            return [(u, False) for u in group]
        whole = self.matcher.find(text)
        if whole is not None:
            return [(whole, False)]
        parts = [p for p in _SPLIT_LEADS.split(text) if p.strip()]
        if len(parts) == 1:
            # "A, B" or "A và B" is several bodies only if every piece is a unit: "Sở Kế hoạch và
            # Đầu tư" is one body outside the tree.
            pieces = [p for p in _SPLIT_NAMES.split(text) if p.strip()]
            if len(pieces) > 1 and all(self.matcher.find(p) for p in pieces):
                parts = pieces
        units = []
        for part in parts:
            unit = self.matcher.find(part)
            if unit is not None:
                units.append((unit, False))
                continue
            if group := self.group(part):
                units += [(u, False) for u in group]
                continue
            if typo := self.matcher.typo_of(part):
                more = _(" Có phải: %(list)s?") % {"list": "; ".join(typo)}
                self.error(
                    number,
                    COL_LEAD,
                    _("Không tìm thấy “%(part)s” trong %(plan_unit)s.%(more)s")
                    % {"part": part, "plan_unit": self.plan.unit.name, "more": more},
                )
                return None
            self.result.notes.append(
                _(
                    "Dòng %(number)s: “%(part)s” chưa có trong cây đơn vị của %(plan_unit)s — giữ theo tên, "
                    "%(plan_unit)s theo dõi."
                )
                % {"number": number, "part": part, "plan_unit": self.plan.unit.name}
            )
            units.append((self.plan.unit, True))
        if len(parts) > 1:
            self.result.notes.append(
                _("Dòng %(number)s: %(parts)s cơ quan cùng chủ trì — mỗi cơ quan một nhiệm vụ.")
                % {"number": number, "parts": len(parts)}
            )
        return units

    def cooperating(self, number: int, text: str) -> list[Organization]:
        """The units of the tree the cooperating cell names (groups included); the cell itself is
        kept as written, so bodies outside the tree stay named."""
        found = []
        for piece in [p for p in _SPLIT_LEADS.split(text) if p.strip()]:
            if group := self.group(piece):
                found += group
            elif (unit := self.matcher.find(piece)) is not None:
                found.append(unit)
            else:
                for name in [n for n in _SPLIT_NAMES.split(piece) if n.strip()]:
                    if (unit := self.matcher.find(name)) is not None:
                        found.append(unit)
                    elif typo := self.matcher.typo_of(name):
                        more = _(" Có phải: %(list)s?") % {"list": "; ".join(typo)}
                        self.error(
                            number,
                            COL_COOP,
                            _("Không tìm thấy “%(name)s” trong %(plan_unit)s.%(more)s")
                            % {"name": name, "plan_unit": self.plan.unit.name, "more": more},
                        )
        return list(dict.fromkeys(found))

    def row(
        self, number: int, no: str, content: str, lead: str, coop: str, output: str, deadline_text: str, notes: str
    ):
        if not (lead or deadline_text or coop or output) and (content or no):
            if not no and (split := _LEADING_STT.match(content)):
                no, content = split.groups()
            self.heading(no, content)
            return
        errors_before = len(self.result.errors)
        if not content:
            self.error(number, COL_CONTENT, _("Nội dung nhiệm vụ không được để trống."))
        if not lead:
            self.error(number, COL_LEAD, _("Chưa ghi cơ quan chủ trì."))
        # Every problem of the row is named at once, in the order of its columns.
        leads = self.leads(number, lead) if lead else None
        cooperating = self.cooperating(number, coop)
        try:
            deadlines.parse(deadline_text)
        except deadlines.DeadlineError as exc:
            self.error(number, COL_DEADLINE, str(exc))
        if leads is None or len(self.result.errors) > errors_before:
            return
        several = len(leads) > 1
        section = SECTION_SEPARATOR.join(h[1] for h in self.headings)
        for unit, outside in leads:
            self.result.tasks.append(
                (
                    number,
                    {
                        "section": section, "number_text": no, "content": content, "lead_unit": unit,
                        "lead_text": lead if (several or outside or fold(lead) != fold(unit.name)) else "",
                        "lead_outside": outside, "cooperating": cooperating, "cooperating_text": coop,
                        "output": output, "deadline_text": deadline_text, "notes": notes, "order": number,
                    },
                )
            )  # fmt: skip


def _paragraph_heading(paragraphs: list[str], number: int, width: int) -> list[tuple[int, list[str]]]:
    """A numbered part title written as a paragraph above a Word table ("II. KINH TẾ") is a
    heading of the table: given as a row merged across it."""
    if paragraphs and _LEADING_STT.match(paragraphs[-1]):
        return [(number, [paragraphs[-1]] * width)]
    return []


def _grid(data: bytes) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """(title lines above the table, the rows from its header on) from an .xlsx or .docx."""
    file_type = detect_type(data)
    if file_type == DOCX:
        tables = read_docx_grids(data, max_bytes=settings.UPLOAD_MAX_BYTES)
        for index, (above, rows) in enumerate(tables):
            found = _header(rows)
            if found is None:
                continue
            width = len(rows[found[0]][1])
            first = _paragraph_heading(above, rows[found[0]][0], width)
            if first:
                above = above[:-1]
                rows = rows[: found[0] + 1] + first + rows[found[0] + 1 :]
            # An appendix split into several tables (one per part) continues in each later table
            # that repeats the same header.
            for more_above, more in tables[index + 1 :]:
                again = _header(more)
                if again is not None and again[1] == found[1]:
                    rows = rows + _paragraph_heading(more_above, more[again[0]][0], width) + more[again[0] + 1 :]
            if len(rows) - found[0] - 1 > MAX_ROWS + 60:
                raise too_many_rows(MAX_ROWS)
            return above, rows
        raise FileProblem(
            _(
                "Không tìm thấy bảng nhiệm vụ trong tệp Word: bảng phải có các cột Nội dung nhiệm vụ, Cơ quan chủ trì "
                "và Thời gian hoàn thành (tên cột có thể ghi khác, ví dụ “Đơn vị chủ trì”, “Thời hạn”)."
            )
        )
    if file_type == XLSX or file_type is None:
        # read_grids gives the Vietnamese message for anything that is not an .xlsx; the table
        # is on the first sheet that has its header.
        grids = read_grids(data, max_bytes=settings.UPLOAD_MAX_BYTES, max_rows=MAX_ROWS)
        for _name, grid in grids:
            if _header(grid) is not None:
                return [], grid
        return [], grids[0][1] if grids else []
    raise FileProblem(_("Chỉ nhập được bảng nhiệm vụ từ tệp Excel (.xlsx) hoặc Word (.docx)."))


def plan_task_import(data: bytes, *, user, plan: Plan) -> TaskImportPlan:
    if plan.is_issued:
        raise FileProblem(_("Kế hoạch đã ban hành: chỉ nhập bảng nhiệm vụ vào kế hoạch còn là dự thảo."))
    above, grid = _grid(data)
    found = _header(grid)
    if found is None:
        raise FileProblem(
            _(
                "Không tìm thấy dòng tiêu đề của bảng nhiệm vụ. Bảng cần các cột Nội dung nhiệm vụ, Cơ quan chủ trì "
                "và Thời gian hoàn thành (có thể ghi “Nội dung”, “Đơn vị chủ trì”, “Thời hạn”…); STT, Cơ quan phối "
                "hợp, Sản phẩm, Ghi chú nếu có. Mẫu: %(list)s."
            )
            % {"list": " | ".join(HEADERS)}
        )
    index, columns = found
    result = TaskImportPlan()
    # The lines above the header (title, "(Kèm theo … số 01-CTr/TU …)") are the appendix's title.
    titles = above + [" ".join(c for c in cells if c) for _n, cells in grid[:index] if any(cells)]
    header_cells = grid[index][1]
    result.title = "\n".join(t for t in titles if fold(t) not in {fold(h) for h in header_cells})[:2000]
    reader = TaskTableReader(plan, result)
    rows = grid[index + 1 :]
    if rows and sum(1 for c in rows[0][1] if _COLUMN_NUMBERS.match(c)) >= 3:
        rows = rows[1:]  # the row numbering the columns: (1) (2) (3) …
    for number, cells in rows:
        present = [c for c in cells if c]
        if present and _SIGNATURE.search(fold(present[0])):
            break
        if len(set(present)) == 1 and len(present) > 1:
            # A Word heading merged across the row repeats its text in every cell.
            cells = [present[0]] + [""] * (len(cells) - 1)
            values = {key: "" for key in COLUMNS}
            values["content"] = present[0]
        else:
            values = {key: (cells[pos] if pos < len(cells) else "") for key, pos in columns.items()}
        if len(result.tasks) >= MAX_ROWS * 20:
            raise too_many_rows(MAX_ROWS)
        reader.row(
            number, values.get("no", ""), values.get("content", ""), values.get("lead", ""), values.get("coop", ""),
            values.get("output", ""), values.get("deadline", ""), values.get("notes", ""),
        )  # fmt: skip
    if not result.tasks and not result.errors:
        raise FileProblem(_("Bảng không có dòng nhiệm vụ nào dưới dòng tiêu đề."))
    result.errors.sort(key=lambda e: (e.row, e.column))
    return result


@transaction.atomic
def do_import_tasks(data: bytes, *, acting_user, plan: Plan, progress=None) -> TaskImportPlan:
    """Write every task of the table, or none; the lines above the header become the plan's
    appendix title (kept for the export)."""
    result = plan_task_import(data, user=acting_user, plan=plan)
    if not result.ok:
        raise ImportRejected(result)
    # Rows keep their order after the tasks already in the plan; tasks of one row share it.
    base = plan.tasks.order_by("-order").values_list("order", flat=True).first() or 0
    for done, (row, values) in enumerate(result.tasks, start=1):
        do_add_task(plan, acting_user=acting_user, **{**values, "order": base + row})
        if progress:
            progress(done, len(result.tasks))
    if result.title and not plan.appendix_title:
        plan.appendix_title = do_set_appendix_title(plan, title=result.title, acting_user=acting_user).appendix_title
    return result


def describe(result: TaskImportPlan) -> Preview:
    rows = [
        [
            row,
            t["section"],
            f"{t['number_text']} {t['content']}".strip(),
            t["lead_text"] if t.get("lead_outside") else t["lead_unit"].name,
            t["deadline_text"],
        ]
        for row, t in result.tasks[:PREVIEW_ROWS]
    ]
    return Preview(
        counts=[
            _("%(tasks)s nhiệm vụ từ %(rows)s dòng của bảng, trong %(sections)s mục.")
            % {"tasks": len(result.tasks), "rows": result.rows, "sections": result.sections}
        ],
        button=_("Nhập %(tasks)s nhiệm vụ") % {"tasks": len(result.tasks)},
        columns=[_("Dòng"), _("Mục"), _("Nội dung nhiệm vụ"), _("Cơ quan chủ trì"), _("Thời gian hoàn thành")],
        rows=rows,
        total_rows=len(result.tasks),
        notes=result.notes,
        heading=_("Tiêu đề phụ lục (giữ lại để xuất bảng): %(title)s") % {"title": result.title}
        if result.title
        else "",
    )


IMPORTER = Importer(
    kind="plan-tasks",
    url_name="plan_tasks_import",
    title=gettext_lazy("Nhập bảng nhiệm vụ vào kế hoạch"),
    help_template="plans/import_help.html",
    check=lambda data, *, user, target: plan_task_import(data, user=user, plan=target),
    apply=lambda data, *, acting_user, target, progress: do_import_tasks(
        data, acting_user=acting_user, plan=target, progress=progress
    ),
    describe=describe,
    summary=lambda result: _("Đã nhập %(tasks)s nhiệm vụ.") % {"tasks": len(result.tasks)},
    done_url=lambda plan: reverse("plan_detail", args=[plan.pk]),
    target=lambda user, key: access_plan(user, int(key), write=True),
    accept=".xlsx,.docx",
    file_label=gettext_lazy("Tệp (.xlsx hoặc .docx)"),
    context=lambda user, target: {"headers": HEADERS, "max_rows": MAX_ROWS},
)


def split_heading(heading: str) -> tuple[str, str]:
    """ "I. CÔNG TÁC XÂY DỰNG ĐẢNG" -> ("I.", "CÔNG TÁC XÂY DỰNG ĐẢNG"); no STT -> ("", heading)."""
    first, _, rest = heading.partition(" ")
    if rest and _STT.match(first):
        return first, rest
    return "", heading


def table_rows(tasks) -> list[list]:
    """The task table's rows as it was written: a heading row wherever the section path
    changes, STT as written (a running number only for tasks that had none), and one row for
    the tasks made from one row (a group of lead bodies), with the lead cell as written."""
    rows: list[list] = []
    previous: list[str] = []
    number = 0
    last_row = None
    for task in tasks:
        if task.lead_text and (task.order, task.lead_text) == last_row:
            continue  # another unit of the same table row
        last_row = (task.order, task.lead_text)
        path = task.sections
        common = 0
        while common < min(len(path), len(previous)) and path[common] == previous[common]:
            common += 1
        for heading in path[common:]:
            rows.append([*split_heading(heading), "", "", "", "", ""])
            number = 0
        if len(path) < len(previous) and common == len(path):
            number = 0
        previous = path
        number += 1
        lead = task.lead_text or task.lead_unit.name
        rows.append(
            [task.number_text or number, task.content, lead, task.cooperating_label, task.output,
             task.deadline_text, task.notes]
        )  # fmt: skip
    return rows


def export_tasks(plan: Plan, user) -> bytes:
    """The task table as `user` sees it on the plan's page (the tasks they may open), laid out
    as it was imported, so that the file imports again unchanged."""
    tasks = (
        Task.objects.visible_to(user)
        .filter(plan=plan)
        .select_related("lead_unit")
        .prefetch_related("cooperating_units")
        .order_by("order", "id")
    )
    title = plan.appendix_title or plan.title.upper()
    return write_table(title, HEADERS, table_rows(tasks), sheet_name=_("Nhiệm vụ"))
