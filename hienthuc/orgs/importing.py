"""Import and export of the unit tree as .xlsx: code | name | kind | parent code | short name.

Import is two steps: plan_tree_import() checks every row and says what would happen (nothing
is written); do_import_tree() re-checks and applies the plan in one transaction. IMPORTER
declares the kind for the generic import pages (imports/importers.py).
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hienthuc.accounts.models import RoleKind
from hienthuc.imports.importers import PREVIEW_ROWS, Importer, ImportRejected, Preview
from hienthuc.lib.sheets import CellError, DayCell, cell_date, read_table, write_tables
from hienthuc.lib.text import clean, fold
from hienthuc.orgs.actions import (
    CODE_MAX,
    CODE_RE,
    NAME_MAX,
    SHORT_NAME_MAX,
    do_create_organization,
    do_update_organization,
)
from hienthuc.orgs.models import Organization, OrgKind
from hienthuc.orgs.rules import KindRules
from hienthuc.scope import admins_anywhere, can_admin, root_paths

# A province's tree (about 10,000 units) in one file; larger trees are imported per province.
MAX_ROWS = 20_000
# The column headers are the file's format, read back by the import: Vietnamese in any language.
HEADERS = [
    "Mã đơn vị",  # not UI text
    "Tên đơn vị",  # not UI text
    "Loại đơn vị",  # not UI text
    "Mã đơn vị cấp trên",  # not UI text
    "Tên viết tắt",  # not UI text
    "Ngày thành lập",  # not UI text
]
OPTIONAL = ("Tên viết tắt", "Ngày thành lập")  # not UI text
COL_CODE, COL_NAME, COL_KIND, COL_PARENT, COL_SHORT, COL_FOUNDED = range(1, 7)


@dataclass
class TreeRow:
    row: int
    code: str
    name: str
    kind: OrgKind | None
    parent_code: str
    short_name: str
    valid_from: datetime.date | None = None  # founded on; the kind rules apply as of that day


@dataclass
class TreePlan:
    creates: list[TreeRow] = field(default_factory=list)  # parents before children
    updates: list[tuple[Organization, TreeRow]] = field(default_factory=list)
    unchanged: int = 0
    errors: list[CellError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def row_count(self) -> int:
        return len(self.creates) + len(self.updates)

    @property
    def total(self) -> int:
        return len(self.creates) + len(self.updates) + self.unchanged


def _kind_lookup() -> dict[str, OrgKind]:
    kinds = {}
    for kind in OrgKind.objects.all():
        kinds[fold(kind.name)] = kind
        kinds[fold(kind.code)] = kind
    return kinds


def plan_tree_import(data: bytes, *, user) -> TreePlan:
    """Check a tree file against the database; raises FileProblem if it cannot be read at all."""
    sheet = read_table(data, HEADERS, max_bytes=settings.UPLOAD_MAX_BYTES, optional=OPTIONAL, max_rows=MAX_ROWS)
    plan = TreePlan()

    def error(row: int, column: int, message: str) -> None:
        plan.errors.append(CellError(row, column, HEADERS[column - 1], message))

    kinds = _kind_lookup()
    rows: dict[str, TreeRow] = {}
    for number, values in sheet.rows:
        code, name, kind_text, parent_code, short_name = (clean(v) for v in values[: COL_FOUNDED - 1])
        founded, bad_date = None, False
        if clean(values[COL_FOUNDED - 1]):
            try:
                founded = cell_date(values[COL_FOUNDED - 1])
            except ValueError:
                error(
                    number,
                    COL_FOUNDED,
                    _("Ngày “%(value)s” không hợp lệ; hãy ghi ngày/tháng/năm, ví dụ 01/07/2025.")
                    % {"value": clean(values[COL_FOUNDED - 1])},
                )
                bad_date = True  # the kind rules need the day: not judged against today instead
        bad = bad_date
        if not code:
            error(number, COL_CODE, _("Mã đơn vị không được để trống."))
            bad = True
        elif len(code) > CODE_MAX or not CODE_RE.match(code):
            error(
                number,
                COL_CODE,
                _("Mã “%(code)s” không hợp lệ: tối đa %(CODE_MAX)s ký tự, chữ không dấu, số, . - _")
                % {"code": code, "CODE_MAX": CODE_MAX},
            )
            bad = True
        elif fold(code) in rows:
            error(
                number,
                COL_CODE,
                _("Mã “%(code)s” trùng với dòng %(row)s.") % {"code": code, "row": rows[fold(code)].row},
            )
            bad = True
        if not name:
            error(number, COL_NAME, _("Tên đơn vị không được để trống."))
        elif len(name) > NAME_MAX:
            error(
                number,
                COL_NAME,
                _("Tên đơn vị dài %(name)s ký tự; tối đa %(NAME_MAX)s.") % {"name": len(name), "NAME_MAX": NAME_MAX},
            )
        if len(short_name) > SHORT_NAME_MAX:
            error(
                number,
                COL_SHORT,
                _("Tên viết tắt dài tối đa %(SHORT_NAME_MAX)s ký tự.") % {"SHORT_NAME_MAX": SHORT_NAME_MAX},
            )
        kind = kinds.get(fold(kind_text))
        if not kind_text:
            error(number, COL_KIND, _("Loại đơn vị không được để trống."))
        elif kind is None:
            error(
                number,
                COL_KIND,
                _("Loại đơn vị “%(kind_text)s” không có trong danh mục loại đơn vị.") % {"kind_text": kind_text},
            )
        if not parent_code and not user.is_superuser:
            error(number, COL_PARENT, _("Phải ghi mã đơn vị cấp trên."))
        if not bad:
            rows[fold(code)] = TreeRow(number, code, name, kind, parent_code, short_name, founded)

    rules = KindRules()
    existing = {
        fold(o.code): o
        for o in Organization.objects.current().filter(code__in=[r.code for r in rows.values()]).select_related("kind")
    }
    parents_in_db = {
        fold(o.code): o
        for o in Organization.objects.current()
        .filter(code__in=[r.parent_code for r in rows.values() if r.parent_code])
        .select_related("kind")
    }

    new_rows: dict[str, TreeRow] = {}
    for key, row in rows.items():
        org = existing.get(key)
        if org is None:
            new_rows[key] = row
            continue
        if not can_admin(user, org):
            error(row.row, COL_CODE, _("Mã “%(code)s” đã được dùng cho một đơn vị khác.") % {"code": row.code})
            continue
        if not row.parent_code and not user.is_superuser:
            continue  # already told to give the parent's code: one message for one missing cell
        current_parent = Organization.objects.get_parent(org)
        if fold(current_parent.code if current_parent else "") != fold(row.parent_code):
            where = current_parent.code if current_parent else _("(gốc)")
            error(
                row.row,
                COL_PARENT,
                _(
                    "Đơn vị “%(code)s” đang trực thuộc “%(where)s”; không chuyển đơn vị qua nhập tệp, hãy dùng chức "
                    "năng Chuyển đơn vị."
                )
                % {"code": row.code, "where": where},
            )
            continue
        if (org.name, org.short_name, org.kind_id) == (row.name, row.short_name, row.kind and row.kind.pk):
            plan.unchanged += 1
        else:
            if row.kind and row.kind.pk != org.kind_id:
                message = rules.problem(row.kind, current_parent.kind if current_parent else None, org.valid_from)
                if message:
                    error(row.row, COL_KIND, message)
                    continue
            plan.updates.append((org, row))

    # Order new units parents-first and refuse loops (A under B under A).
    placed: set[str] = set()
    for key in new_rows:
        trail: list[str] = []
        current = key
        while current in new_rows and current not in placed:
            if current in trail:
                loop = trail[trail.index(current) :] + [current]
                names = " → ".join(new_rows[k].code for k in loop)
                for k in set(loop):
                    error(new_rows[k].row, COL_PARENT, _("Vòng lặp cấp trên: %(names)s.") % {"names": names})
                    placed.add(k)
                trail = []
                break
            trail.append(current)
            current = fold(new_rows[current].parent_code)
        if not trail:
            continue
        top = new_rows[trail[-1]]
        parent_key = fold(top.parent_code)
        if parent_key and parent_key not in new_rows:
            parent = parents_in_db.get(parent_key)
            if parent is None or not can_admin(user, parent):
                error(
                    top.row,
                    COL_PARENT,
                    _("Không tìm thấy đơn vị cấp trên “%(parent_code)s” trong tệp hay trong phạm vi bạn quản trị.")
                    % {"parent_code": top.parent_code},
                )
            elif not parent.is_active:
                error(
                    top.row,
                    COL_PARENT,
                    _("Đơn vị cấp trên “%(parent_code)s” đã ngừng hoạt động.") % {"parent_code": top.parent_code},
                )
        for k in reversed(trail):
            placed.add(k)
            plan.creates.append(new_rows[k])

    # What may sit under what, each new unit as of the day it was founded (today if not given).
    for row in plan.creates:
        parent_key = fold(row.parent_code)
        parent_row, parent_unit = new_rows.get(parent_key), parents_in_db.get(parent_key)
        if parent_unit is not None and not can_admin(user, parent_unit):
            parent_unit = None  # out of reach: reported as unknown above, its kind not revealed
        parent_kind = parent_row.kind if parent_row else (parent_unit.kind if parent_unit else None)
        if row.kind is None or (row.parent_code and parent_kind is None):
            continue  # already told: an unknown kind or parent
        message = rules.problem(row.kind, parent_kind, row.valid_from or timezone.localdate())
        if message:
            error(row.row, COL_KIND, message)

    plan.errors.sort(key=lambda e: (e.row, e.column))
    return plan


@transaction.atomic
def do_import_tree(data: bytes, *, acting_user, progress=None) -> TreePlan:
    """Apply a tree file all-or-nothing; raises ValidationError listing every problem."""
    plan = plan_tree_import(data, user=acting_user)
    if not plan.ok:
        raise ImportRejected(plan)
    created: dict[str, Organization] = {}
    for row in plan.creates:
        parent = None
        if row.parent_code:
            parent = created.get(fold(row.parent_code)) or Organization.objects.current().get(
                code__iexact=row.parent_code
            )
        created[fold(row.code)] = do_create_organization(
            parent=parent,
            code=row.code,
            name=row.name,
            kind=row.kind,
            short_name=row.short_name,
            valid_from=row.valid_from,
            acting_user=acting_user,
        )
        if progress:
            progress(len(created), plan.row_count)
    for done, (org, row) in enumerate(plan.updates, start=len(plan.creates) + 1):
        do_update_organization(org, name=row.name, short_name=row.short_name, kind=row.kind, acting_user=acting_user)
        if progress:
            progress(done, plan.row_count)
    return plan


def describe(plan: TreePlan) -> Preview:
    creates = [[r.row, r.code, r.name, r.kind.name, r.parent_code, _("mới")] for r in plan.creates]
    updates = [[r.row, r.code, r.name, r.kind.name, r.parent_code, _("cập nhật")] for _org, r in plan.updates]
    rows = sorted(creates + updates, key=lambda r: r[0])
    writes = []
    if plan.creates:
        writes.append(_("tạo %(creates)s đơn vị") % {"creates": len(plan.creates)})
    if plan.updates:
        writes.append(_("cập nhật %(updates)s đơn vị") % {"updates": len(plan.updates)})
    return Preview(
        counts=[
            _("%(creates)s đơn vị mới") % {"creates": len(plan.creates)},
            _("%(updates)s đơn vị cập nhật tên, tên viết tắt hoặc loại") % {"updates": len(plan.updates)},
            _("%(unchanged)s đơn vị không đổi") % {"unchanged": plan.unchanged},
        ],
        button=(", ".join(writes) if writes else "").capitalize(),
        columns=[_("Dòng"), _("Mã"), _("Tên"), _("Loại"), _("Cấp trên"), ""],
        rows=rows[:PREVIEW_ROWS],
        total_rows=len(rows),
    )


def summary(plan: TreePlan) -> str:
    return _("Đã nhập %(creates)s đơn vị mới, cập nhật %(updates)s đơn vị, %(unchanged)s đơn vị không đổi.") % {
        "creates": len(plan.creates),
        "updates": len(plan.updates),
        "unchanged": plan.unchanged,
    }


def _help(user, target) -> dict:
    admin_units = Organization.objects.filter(path__in=root_paths(user, (RoleKind.ADMIN,)))
    return {"admin_units": admin_units, "headers": HEADERS, "max_rows": MAX_ROWS}


IMPORTER = Importer(
    kind="tree",
    url_name="tree_import",
    title=gettext_lazy("Nhập cây đơn vị từ Excel"),
    help_template="orgs/import_help.html",
    check=lambda data, *, user, target: plan_tree_import(data, user=user),
    apply=lambda data, *, acting_user, target, progress: do_import_tree(
        data, acting_user=acting_user, progress=progress
    ),
    describe=describe,
    summary=summary,
    done_url=lambda target: reverse("tree"),
    allowed=admins_anywhere,
    denied=gettext_lazy("Chỉ quản trị đơn vị mới được nhập cây đơn vị."),
    context=_help,
)


def export_tree(root: Organization, *, include_inactive: bool = False) -> bytes:
    """The subtree in the import layout, parents before children, so it imports back as is; a
    second sheet lists the units below that ceased in reorganizations (history, not imported).
    A unit that ceased itself exports its tree as it stood on its last day."""
    subtree = Organization.objects.subtree_of(root).select_related("kind")
    codes_by_path = dict(Organization.objects.subtree_of(root).values_list("path", "code"))
    parent_of_root = Organization.objects.get_parent(root)

    def parent_code(unit: Organization) -> str:
        return codes_by_path.get(unit.path[: -unit.steplen]) or (parent_of_root.code if parent_of_root else "")

    def day(value) -> object:
        return DayCell(value) if value else ""

    if root.valid_to is not None:
        units = subtree.as_of(root.valid_to)
        title = _("Danh sách đơn vị: %(root)s (đến %(day)s)") % {"root": root.name, "day": f"{root.valid_to:%d/%m/%Y}"}
    else:
        units = subtree.current() if include_inactive else subtree.current().filter(is_active=True)
        title = _("Danh sách đơn vị: %(root)s") % {"root": root.name}
    rows = [[u.code, u.name, u.kind.name, parent_code(u), u.short_name, day(u.valid_from)] for u in units]
    sheets = [(_("Đơn vị"), title, HEADERS, rows)]
    if root.valid_to is None:
        ceased = subtree.filter(valid_to__isnull=False).prefetch_related("successions_out__successor")
        history = [
            [u.code, u.name, u.kind.name, parent_code(u), day(u.valid_from), day(u.valid_to),
             "; ".join(s.successor.name for s in u.successions_out.all())]
            for u in ceased
        ]  # fmt: skip
        if history:
            headers = [_("Mã đơn vị"), _("Tên đơn vị"), _("Loại đơn vị"), _("Mã đơn vị cấp trên"), _("Ngày thành lập"),
                       _("Ngày chấm dứt"), _("Đơn vị kế tục")]  # fmt: skip
            sheets.append((_("Đã chấm dứt"), _("Đơn vị đã chấm dứt (lịch sử, không dùng để nhập)"), headers, history))
    return write_tables(sheets)
