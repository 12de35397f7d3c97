"""Preparing, previewing, applying and undoing a reorganization: one function each, atomic,
audited. The preview and the apply read the same resolution of the decision (`resolve`), so
what the preview lists is what the apply does.

How a decision resolves: every unit an operation ends (merged, split, dissolved, moved) ceases
the day before the effective date and keeps its place and history. Each gets a successor — a
new unit (merged, split, or the continuation of a moved unit under its new parent, with the
same code) or an existing one (merge into it, the unit taking over a dissolved one). Units
below a ceasing unit that do not cease themselves continue, with their subtrees, under its
successor: a new unit each, same code, same kind. Then the registered carriers
(orgs/succession.py) hand open work and duties from every ceasing unit to its successor, and
every count kept per unit is recounted.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, ProtectedError, Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from hienthuc.accounts.models import Role
from hienthuc.audit.record import record, record_each
from hienthuc.documents.models import Document
from hienthuc.indicators.models import Submission, SubmissionStatus
from hienthuc.lib import periods
from hienthuc.lib.text import clean, fold
from hienthuc.orgs import aggregates, counts, succession
from hienthuc.orgs.actions import CODE_RE, validate_names
from hienthuc.orgs.models import AGGREGATE_MIN_DEPTH, FormerName, Organization, OrgKind, Succession
from hienthuc.orgs.rollup import Units
from hienthuc.orgs.rules import KindRules
from hienthuc.reorgs.models import (
    CarriedRow,
    CreatedUnit,
    Operation,
    OperationKind,
    OperationUnit,
    Reorganization,
    ReorgStatus,
    SplitPart,
)
from hienthuc.scope import can_admin

PREVIEW_LINES = 200  # units listed by name in the preview; the counts cover all
# Accounts' roles on ceasing units follow them when the admin leaves that on (accounts sit below
# the tree, so the reorganization carries them itself).
_ROLES = succession.unit_field_carrier("roles", "", Role.objects.all, "organization", unique_with="user")


def _day(day: datetime.date) -> str:
    return formats.date_format(day, "d/m/Y")


# --- preparing -------------------------------------------------------------------------------


@transaction.atomic
def do_create_reorganization(
    *,
    unit: Organization,
    title: str,
    effective_on: datetime.date,
    decision: Document | None = None,
    acting_user: User,
) -> Reorganization:
    if not can_admin(acting_user, unit):
        raise ValidationError({"unit": _("Bạn không quản trị đơn vị này.")})
    title = clean(title)
    if not title:
        raise ValidationError({"title": _("Hãy ghi nội dung quyết định sắp xếp.")})
    reorg = Reorganization.objects.create(
        unit=unit,
        title=title[:500],
        effective_on=effective_on,
        decision=decision,
        created_by=acting_user if acting_user.pk else None,
    )
    record(acting_user, "create", reorg, organization=unit, after=_summary(reorg))
    return reorg


def _locked(reorg: Reorganization, acting_user: User, *, allowed: set[ReorgStatus], refused: str) -> Reorganization:
    """The decision, locked, if the user administers it and its status is one of `allowed`."""
    reorg = Reorganization.objects.select_for_update().get(pk=reorg.pk)
    if not can_admin(acting_user, reorg.unit):
        raise ValidationError(_("Bạn không quản trị đơn vị của quyết định này."))
    if reorg.status in allowed:
        return reorg
    if reorg.is_running:
        raise ValidationError(_("Quyết định đang được xử lý trong nền; hãy chờ xong."))
    raise ValidationError(refused)


def _editable(reorg: Reorganization, acting_user: User, *, applying: bool = False) -> Reorganization:
    """A draft (or, for the background worker's apply, one handed over for applying)."""
    allowed = {ReorgStatus.DRAFT, ReorgStatus.APPLYING} if applying else {ReorgStatus.DRAFT}
    return _locked(
        reorg, acting_user, allowed=allowed, refused=_("Quyết định đã áp dụng; hãy hủy áp dụng trước khi sửa.")
    )


def _undoable(reorg: Reorganization, acting_user: User, *, undoing: bool = False) -> Reorganization:
    """An applied decision before its effective date (or one handed over for undoing)."""
    allowed = {ReorgStatus.APPLIED, ReorgStatus.UNDOING} if undoing else {ReorgStatus.APPLIED}
    reorg = _locked(reorg, acting_user, allowed=allowed, refused=_("Quyết định chưa được áp dụng."))
    if timezone.localdate() >= reorg.effective_on:
        raise ValidationError(
            _("Quyết định đã có hiệu lực từ %(day)s; không hủy áp dụng được, hãy lập quyết định sắp xếp mới.")
            % {"day": _day(reorg.effective_on)}
        )
    return reorg


@transaction.atomic
def do_add_operation(
    reorg: Reorganization,
    *,
    kind: str,
    units: list[Organization],
    target: Organization | None = None,
    new_code: str = "",
    new_name: str = "",
    new_short_name: str = "",
    new_kind: OrgKind | None = None,
    new_parent: Organization | None = None,
    parts: list[dict] | None = None,
    acting_user: User,
) -> Operation:
    """Add one change to a draft decision. Each unit takes part in one change of a decision;
    the whole decision is checked again by the preview and the apply."""
    reorg = _editable(reorg, acting_user)
    if kind not in OperationKind.values:
        raise ValidationError({"kind": _("Loại thay đổi không hợp lệ.")})
    taken = OperationUnit.objects.filter(reorganization=reorg, unit__in=units).select_related("unit").first()
    if taken is not None:
        raise ValidationError(
            {"units": _("“%(unit)s” đã có trong một thay đổi khác của quyết định này.") % {"unit": taken.unit.name}}
        )
    if len({u.pk for u in units}) != len(units):
        raise ValidationError({"units": _("Mỗi đơn vị chỉ ghi một lần.")})
    operation = Operation(
        reorganization=reorg,
        kind=kind,
        target=target,
        new_code=clean(new_code),
        new_name=clean(new_name),
        new_short_name=clean(new_short_name),
        new_kind=new_kind,
        new_parent=new_parent,
    )
    problems = _operation_problems(operation, units, parts or [], acting_user)
    if problems:
        raise ValidationError(problems)
    operation.save()
    OperationUnit.objects.bulk_create(OperationUnit(reorganization=reorg, operation=operation, unit=u) for u in units)
    for spec in parts or []:
        part = SplitPart.objects.create(
            operation=operation,
            code=clean(spec["code"]),
            name=clean(spec["name"]),
            kind=spec["kind"],
            takes_work=bool(spec.get("takes_work")),
        )
        part.children.set(spec.get("children", []))
    record(acting_user, "update", reorg, organization=reorg.unit, after={"operation": _describe(operation, units)})
    return operation


@transaction.atomic
def do_remove_operation(operation: Operation, *, acting_user: User) -> None:
    reorg = _editable(operation.reorganization, acting_user)
    units = [ou.unit for ou in operation.units.select_related("unit")]
    record(acting_user, "update", reorg, organization=reorg.unit, before={"operation": _describe(operation, units)})
    operation.delete()


@transaction.atomic
def do_set_carry_choices(
    reorg: Reorganization, *, carry: dict[str, bool], move_roles: bool, reports_confirmed: str, acting_user: User
) -> Reorganization:
    reorg = _editable(reorg, acting_user)
    before = _summary(reorg)
    keys = {c.key for c in succession.registered()}
    reorg.carry = {key: bool(value) for key, value in carry.items() if key in keys}
    reorg.move_roles = move_roles
    reorg.reports_confirmed = clean(reports_confirmed)[:2000]
    reorg.save(update_fields=["carry", "move_roles", "reports_confirmed"])
    record(acting_user, "update", reorg, organization=reorg.unit, before=before, after=_summary(reorg))
    return reorg


def _operation_problems(op: Operation, units: list[Organization], parts: list[dict], user) -> dict[str, str]:
    """What is wrong with one change taken alone (the decision as a whole: `resolve`)."""
    if op.kind == OperationKind.MERGE and len(units) < 2 and op.target is None:
        return {"units": _("Hợp nhất cần ít nhất hai đơn vị, hoặc một đơn vị và đơn vị tiếp nhận.")}
    if op.kind != OperationKind.MERGE and len(units) != 1:
        return {"units": _("Thay đổi này áp dụng cho đúng một đơn vị.")}
    if not units:
        return {"units": _("Hãy chọn đơn vị.")}
    for unit in units:
        if not can_admin(user, unit):
            return {"units": _("Bạn không quản trị “%(unit)s”.") % {"unit": unit.name}}
        if unit.valid_to is not None:
            return {"units": _("“%(unit)s” đã chấm dứt từ %(day)s.") % {"unit": unit.name, "day": _day(unit.valid_to)}}
        if unit.depth == 1:
            return {"units": _("Không sắp xếp đơn vị gốc của cây.")}
    for other in (op.target, op.new_parent):
        if other is not None and not can_admin(user, other):
            return {"target": _("Đơn vị “%(unit)s” nằm ngoài phạm vi bạn quản trị.") % {"unit": other.name}}
    if op.kind == OperationKind.MERGE:
        if len({u.kind.level_id for u in units}) > 1:
            return {"units": _("Các đơn vị hợp nhất phải cùng cấp (%(kinds)s).") % {
                "kinds": ", ".join(sorted({u.kind.name for u in units}))}}  # fmt: skip
        if op.target is None and not (op.new_code and op.new_name and op.new_kind):
            return {"new_name": _("Hãy chọn đơn vị tiếp nhận, hoặc ghi mã, tên và loại của đơn vị mới.")}
        if op.target is not None and op.target.kind.level_id != units[0].kind.level_id:
            return {"target": _("Đơn vị tiếp nhận phải cùng cấp với các đơn vị hợp nhất.")}
    if op.kind == OperationKind.DISSOLVE and op.target is None:
        return {"target": _("Hãy chọn đơn vị tiếp nhận các đơn vị trực thuộc và công việc của đơn vị giải thể.")}
    if op.kind == OperationKind.MOVE and op.new_parent is None:
        return {"new_parent": _("Hãy chọn đơn vị cấp trên mới.")}
    if op.kind == OperationKind.RENAME:
        if not op.new_name and op.new_kind is None:
            return {"new_name": _("Hãy ghi tên mới hoặc chọn loại mới.")}
        if op.new_name:
            validate_names(op.new_name, op.new_short_name)
    if op.kind == OperationKind.SPLIT:
        if len(parts) < 2:
            return {"parts": _("Chia tách cần ít nhất hai đơn vị mới.")}
        children = {c.pk for c in Organization.objects.children_of(units[0])}
        for spec in parts:
            stray = [c for c in spec.get("children", []) if c.pk not in children]
            if stray:
                return {"parts": _("“%(unit)s” không phải đơn vị trực thuộc “%(split)s”.") % {
                    "unit": stray[0].name, "split": units[0].name}}  # fmt: skip
    if op.new_code and not CODE_RE.match(op.new_code):
        return {"new_code": _("Mã đơn vị chỉ gồm chữ không dấu, chữ số và các dấu . - _ (ví dụ TU-TB-01).")}
    return {}


# --- resolving a decision ----------------------------------------------------------------------


@dataclass
class Slot:
    """A successor: an existing unit, or one the apply creates (code, name, kind, under a
    parent that is a unit or another slot)."""

    unit: Organization | None = None
    code: str = ""
    name: str = ""
    short_name: str = ""
    kind: OrgKind | None = None
    parent: "Slot | None" = None
    continues: Organization | None = None  # the unit this one continues (a move, a unit below)
    created: Organization | None = None
    split_children: set[int] = field(default_factory=set)  # a split's part: the children it takes
    takes_work: bool = False  # a split's part that takes the members and open work

    @property
    def label(self) -> str:
        if self.unit is not None:
            return self.unit.name
        return f"{self.name} ({self.code})"

    def resolved(self) -> Organization:
        return self.unit or self.created  # type: ignore[return-value]


@dataclass
class Resolution:
    reorg: Reorganization
    errors: list[str] = field(default_factory=list)
    ceasing: dict[int, Organization] = field(default_factory=dict)  # ceasing by the operations
    successors: dict[int, list[Slot]] = field(default_factory=lambda: defaultdict(list))
    work_to: dict[int, Slot] = field(default_factory=dict)  # where a ceasing unit's open work goes
    new_slots: list[Slot] = field(default_factory=list)  # parents before children
    continued: list[Slot] = field(default_factory=list)  # units below ceasing ones, continued
    renames: list[tuple[Operation, Organization]] = field(default_factory=list)

    @property
    def all_ceasing_ids(self) -> list[int]:
        return [*self.ceasing, *(s.continues.pk for s in self.continued if s.continues)]

    def work_map(self) -> dict[int, int]:
        """{ceasing unit id: the unit id its open work goes to} once the slots are created."""
        found = {pk: slot.resolved().pk for pk, slot in self.work_to.items()}
        for slot in self.continued:
            if slot.continues is not None:
                found[slot.continues.pk] = slot.resolved().pk
        return found


def resolve(reorg: Reorganization, acting_user) -> Resolution:
    """What the decision would do, and every reason it cannot (read-only)."""
    result = Resolution(reorg)
    operations = list(
        reorg.operations.select_related("target__kind", "new_kind", "new_parent__kind").prefetch_related(
            "units__unit__kind", "parts__kind", "parts__children"
        )
    )
    if not operations:
        result.errors.append(_("Quyết định chưa có thay đổi nào."))
        return result
    on = reorg.effective_on
    rules = KindRules()
    slot_of_existing: dict[int, Slot] = {}

    def existing(unit: Organization) -> Slot:
        return slot_of_existing.setdefault(unit.pk, Slot(unit=unit))

    # 1. What ceases, and each ceasing unit's successors.
    for op in operations:
        units = [ou.unit for ou in op.units.all()]
        problems = _operation_problems(op, units, _parts_spec(op), acting_user)
        for message in problems.values():
            result.errors.append(f"{op.get_kind_display()}: {message}")
        if problems:
            continue
        if op.kind == OperationKind.RENAME:
            result.renames.append((op, units[0]))
            continue
        if op.kind == OperationKind.MERGE:
            if op.target is not None:
                slot = existing(op.target)
            else:
                slot = Slot(code=op.new_code, name=op.new_name, short_name=op.new_short_name, kind=op.new_kind)
                slot.parent = existing(op.new_parent) if op.new_parent else _parent_slot(units[0], existing)
                result.new_slots.append(slot)
            for unit in units:
                if op.target is not None and unit.pk == op.target.pk:
                    continue
                result.ceasing[unit.pk] = unit
                result.successors[unit.pk].append(slot)
                result.work_to[unit.pk] = slot
        elif op.kind == OperationKind.DISSOLVE:
            assert op.target is not None  # checked by _operation_problems
            unit = units[0]
            result.ceasing[unit.pk] = unit
            slot = existing(op.target)
            result.successors[unit.pk].append(slot)
            result.work_to[unit.pk] = slot
        elif op.kind == OperationKind.MOVE:
            assert op.new_parent is not None  # checked by _operation_problems
            unit = units[0]
            if op.new_parent.path.startswith(unit.path):
                result.errors.append(
                    _("Không thể chuyển “%(unit)s” vào chính nó hoặc đơn vị cấp dưới của nó.") % {"unit": unit.name}
                )
                continue
            result.ceasing[unit.pk] = unit
            slot = Slot(
                code=unit.code, name=unit.name, short_name=unit.short_name, kind=unit.kind,
                parent=existing(op.new_parent), continues=unit,
            )  # fmt: skip
            result.new_slots.append(slot)
            result.successors[unit.pk].append(slot)
            result.work_to[unit.pk] = slot
        elif op.kind == OperationKind.SPLIT:
            unit = units[0]
            result.ceasing[unit.pk] = unit
            parent = _parent_slot(unit, existing)
            slots = []
            for part in op.parts.all():
                slots.append(
                    Slot(
                        code=part.code, name=part.name, kind=part.kind, parent=parent,
                        split_children={c.pk for c in part.children.all()}, takes_work=part.takes_work,
                    )
                )  # fmt: skip
            result.new_slots.extend(slots)
            result.successors[unit.pk].extend(slots)
            result.work_to[unit.pk] = next((s for s in slots if s.takes_work), slots[0])

    # 2. A successor or a new parent that is itself ceasing is replaced by its successor; one
    # inside a ceasing unit's subtree is refused (it would be continued, not kept).
    ceasing_paths = [u.path for u in result.ceasing.values()]
    for slot in list(slot_of_existing.values()):
        kept = slot.unit
        if kept is None or kept.pk in result.ceasing:
            continue
        inside = next((p for p in ceasing_paths if kept.path.startswith(p) and kept.path != p), None)
        if inside:
            owner = next(u for u in result.ceasing.values() if u.path == inside)
            result.errors.append(
                _("“%(unit)s” nằm trong “%(owner)s” đang chấm dứt; hãy chọn đơn vị ngoài đơn vị đó.")
                % {"unit": kept.name, "owner": owner.name}
            )

    # A unit handed to one that ceases too (a district dissolved into a province that merges)
    # goes on to that one's successor.
    def onward(slot: Slot, owner: int) -> Slot | None:
        seen = {owner}
        while slot.unit is not None and slot.unit.pk in result.ceasing:
            if slot.unit.pk in seen or slot.unit.pk not in result.work_to:
                return None
            seen.add(slot.unit.pk)
            slot = result.work_to[slot.unit.pk]
        return slot

    for pk in list(result.work_to):
        final = onward(result.work_to[pk], pk)
        if final is None:
            result.errors.append(
                _("“%(unit)s” và đơn vị nhận nó lại nhận lẫn nhau; hãy chọn một đơn vị kế tục không chấm dứt.")
                % {"unit": result.ceasing[pk].name}
            )
            continue
        result.work_to[pk] = final
        result.successors[pk] = [onward(s, pk) or s for s in result.successors[pk]]
    for slot in result.new_slots:
        while slot.parent is not None and slot.parent.unit is not None and slot.parent.unit.pk in result.ceasing:
            successor = result.work_to.get(slot.parent.unit.pk)
            if successor is None or successor is slot:
                break
            slot.parent = successor

    # 3. Units below ceasing ones continue under the successor (a split: the part naming them).
    if ceasing_paths:
        slot_by_path: dict[str, Slot] = {}
        ceasing_by_path = {u.path: u for u in result.ceasing.values()}
        for unit in _current_within(ceasing_paths):
            if unit.pk in result.ceasing:
                continue
            parent_path = unit.path[: -unit.steplen]
            if parent_path in slot_by_path:
                parent = slot_by_path[parent_path]
            else:
                found = ceasing_by_path.get(parent_path)
                if found is None:
                    continue  # below a unit that continues: handled through that unit's slot
                parent = _child_home(result, found, unit)
            slot = Slot(
                code=unit.code, name=unit.name, short_name=unit.short_name, kind=unit.kind, parent=parent,
                continues=unit,
            )  # fmt: skip
            slot_by_path[unit.path] = slot
            result.continued.append(slot)

    # 4. What may sit under what, on the effective date; codes free among the units that remain.
    for slot in [*result.new_slots, *result.continued]:
        parent_kind = None
        if slot.parent is not None:
            parent_kind = slot.parent.unit.kind if slot.parent.unit is not None else slot.parent.kind
        if slot.kind is None:
            continue
        message = rules.problem(slot.kind, parent_kind, on)
        if message:
            result.errors.append(f"{slot.label}: {message}")
            if len(result.errors) > PREVIEW_LINES:
                break
    for op, unit in result.renames:
        if op.new_kind is not None and op.new_kind.pk != unit.kind_id:
            parent = Organization.objects.get_parent(unit)
            message = rules.problem(op.new_kind, parent.kind if parent else None, on)
            if message:
                result.errors.append(f"{unit.name}: {message}")
    new_codes = [s.code.upper() for s in result.new_slots if s.continues is None]
    for code in {c for c in new_codes if new_codes.count(c) > 1}:
        result.errors.append(_("Mã “%(code)s” được dùng cho hai đơn vị mới.") % {"code": code})
    leaving = {u.code.upper() for u in result.ceasing.values()}
    clash = (
        Organization.objects.current()
        .filter(code__in=[s.code for s in result.new_slots if s.continues is None])
        .exclude(pk__in=list(result.ceasing))
    )
    for unit in clash:
        if unit.code.upper() not in leaving:
            result.errors.append(_("Mã đơn vị “%(code)s” đã được dùng.") % {"code": unit.code})

    # 5. Accepted reports of ceasing units for periods ending on or after the effective date.
    if result.ceasing and not reorg.reports_confirmed:
        accepted = Submission.objects.filter(unit_id__in=list(result.ceasing), status=SubmissionStatus.ACCEPTED)
        late = [s for s in accepted.only("period", "unit_id") if periods.parse(s.period).end >= on]
        if late:
            result.errors.append(
                _(
                    "%(n)s báo cáo đã được duyệt của các đơn vị chấm dứt thuộc kỳ kết thúc từ %(day)s trở đi; "
                    "nếu ngày hiệu lực vẫn đúng, hãy ghi xác nhận (lý do) rồi áp dụng."
                )
                % {"n": len(late), "day": _day(on)}
            )
    return result


def _current_within(paths: list[str]) -> Iterator[Organization]:
    """Current units in the subtrees of `paths` (themselves included), parents first. A
    national decision ends ten thousand units: one LIKE per subtree would make the database
    test every unit against each, so past a few subtrees the units under their common
    ancestor are read once and each is matched by its ancestors' paths."""
    tops: list[str] = []
    for path in sorted(paths):  # an ancestor sorts before its descendants
        if not tops or not path.startswith(tops[-1]):
            tops.append(path)
    units = Organization.objects.current().select_related("kind").order_by("path")
    if len(tops) <= 20:
        q = Q()
        for path in tops:
            q |= Q(path__startswith=path)
        yield from units.filter(q)
        return
    common = _common_ancestor(tops)
    if common:
        units = units.filter(path__startswith=common)
    wanted = set(tops)
    lengths = sorted({len(p) for p in tops})
    for unit in units.iterator(chunk_size=5_000):
        if any(unit.path[:n] in wanted for n in lengths if n <= len(unit.path)):
            yield unit


def _parent_slot(unit: Organization, existing) -> Slot | None:
    parent = Organization.objects.get_parent(unit)
    return existing(parent) if parent else None


def _child_home(result: Resolution, owner: Organization, child: Organization) -> Slot:
    for slot in result.successors[owner.pk]:
        if child.pk in slot.split_children:
            return slot
    return result.work_to[owner.pk]


def _parts_spec(op: Operation) -> list[dict]:
    return [
        {"code": p.code, "name": p.name, "kind": p.kind, "children": list(p.children.all())} for p in op.parts.all()
    ]


# --- the preview ---------------------------------------------------------------------------------


@dataclass
class Preview:
    errors: list[str]
    ceasing: list[tuple[Organization, list[str]]]  # unit, its successors' labels
    created: list[str]
    continued: int
    continued_sample: list[str]
    renames: list[str]
    carried: list[tuple[str, str, int, bool]]  # key, label, rows, carried (or kept)
    roles: list[str]
    day_before: datetime.date


def preview(reorg: Reorganization, acting_user) -> Preview:
    result = resolve(reorg, acting_user)
    ceasing_ids = result.all_ceasing_ids
    carried = []
    for carrier in succession.registered():
        counted = carrier.count(ceasing_ids) if ceasing_ids else {}
        carried.append((carrier.key, carrier.label, sum(counted.values()), reorg.carries(carrier.key)))
    targets = {pk: slot.label for pk, slot in result.work_to.items()}
    for slot in result.continued:
        if slot.continues is not None:
            targets[slot.continues.pk] = slot.label
    roles = [
        _("%(user)s — %(role)s tại %(unit)s → %(target)s")
        % {
            "user": role.user.username,
            "role": role.get_kind_display(),
            "unit": role.organization.name,
            "target": targets.get(role.organization_id, "?"),
        }  # fmt: skip
        for role in Role.objects.filter(organization_id__in=ceasing_ids).select_related("user", "organization")[
            :PREVIEW_LINES
        ]
    ]
    renames = []
    for op, unit in result.renames:
        change = []
        if op.new_name and op.new_name != unit.name:
            change.append(_("tên “%(name)s”") % {"name": op.new_name})
        if op.new_kind is not None and op.new_kind.pk != unit.kind_id:
            change.append(_("loại “%(kind)s”") % {"kind": op.new_kind.name})
        renames.append(_("%(unit)s: %(change)s") % {"unit": unit.name, "change": ", ".join(change)})
    return Preview(
        errors=result.errors,
        ceasing=[(u, [s.label for s in result.successors[u.pk]]) for u in result.ceasing.values()],
        created=[
            _("%(label)s — %(kind)s, thuộc %(parent)s")
            % {"label": s.label, "kind": s.kind.name if s.kind else "", "parent": s.parent.label if s.parent else "—"}
            for s in result.new_slots
            if s.continues is None
        ],
        continued=len(result.continued) + sum(1 for s in result.new_slots if s.continues is not None),
        continued_sample=[
            _("%(unit)s → thuộc %(parent)s") % {"unit": s.label, "parent": s.parent.label if s.parent else "—"}
            for s in [*(s for s in result.new_slots if s.continues is not None), *result.continued][:PREVIEW_LINES]
        ],
        renames=renames,
        carried=carried,
        roles=roles,
        day_before=reorg.effective_on - datetime.timedelta(days=1),
    )


# --- applying and undoing -------------------------------------------------------------------------


@transaction.atomic
def do_queue_reorganization(reorg: Reorganization, *, undo: bool = False, acting_user: User) -> Reorganization:
    """Hand the apply (or the undo) to the background worker (reorgs/background.py), after the
    checks that need no resolution; the worker resolves and applies all or nothing, and on a
    refusal puts the decision back with the reason in its message."""
    reorg = _undoable(reorg, acting_user) if undo else _editable(reorg, acting_user)
    reorg.status = ReorgStatus.UNDOING if undo else ReorgStatus.APPLYING
    reorg.queued_at = timezone.now()
    reorg.queued_by = acting_user
    reorg.message = ""
    reorg.save(update_fields=["status", "queued_at", "queued_by", "message"])
    record(acting_user, "queue", reorg, organization=reorg.unit, after=_summary(reorg))
    return reorg


@transaction.atomic
def do_apply_reorganization(reorg: Reorganization, *, acting_user: User) -> Reorganization:
    """Apply the whole decision or nothing: the same resolution the preview showed."""
    reorg = _editable(reorg, acting_user, applying=True)
    result = resolve(reorg, acting_user)
    if result.errors:
        raise ValidationError(result.errors)
    day_before = reorg.effective_on - datetime.timedelta(days=1)
    ceasing_ids = result.all_ceasing_ids

    # Renames happen in place: the unit stays the same unit.
    for op, unit in result.renames:
        op.before = {"name": unit.name, "short_name": unit.short_name, "kind": unit.kind_id}
        op.save(update_fields=["before"])
        FormerName.objects.create(
            unit=unit, name=unit.name, short_name=unit.short_name, kind_id=unit.kind_id, until=day_before,
            reorganization_id=reorg.pk,
        )  # fmt: skip
        if op.new_name:
            unit.name, unit.short_name = validate_names(op.new_name, op.new_short_name or unit.short_name)
        if op.new_kind is not None:
            unit.kind = op.new_kind
        unit.save()
        record(acting_user, "update", unit, organization=unit, before=op.before, after={"name": unit.name})

    # Ceasing units end the day before; their codes are then free for their continuations.
    Organization.objects.filter(pk__in=ceasing_ids).update(valid_to=day_before, is_active=False)

    created = _create_units([*result.new_slots, *result.continued], reorg.effective_on)
    CreatedUnit.objects.bulk_create(CreatedUnit(reorganization=reorg, unit=u) for u in created)

    # Successions, for the unit pages and comparable series.
    links = [
        Succession(
            reorganization_id=reorg.pk, predecessor_id=pk, successor=slot.resolved(), effective_on=reorg.effective_on
        )
        for pk, slots in result.successors.items()
        for slot in slots
    ]
    links += [
        Succession(
            reorganization_id=reorg.pk,
            predecessor=slot.continues,
            successor=slot.created,
            effective_on=reorg.effective_on,
        )
        for slot in result.continued
    ]
    Succession.objects.bulk_create(links)

    # Open work and duties go to the successors; what was not chosen stays with the old unit.
    work = result.work_map()
    carried: dict[tuple[str, int, int], list[int]] = defaultdict(list)
    carriers = [c for c in succession.registered() if reorg.carries(c.key)]
    if reorg.move_roles:
        carriers.append(_ROLES)
    for carrier in carriers:
        for row, from_unit, to_unit in carrier.carry(work, reorg.effective_on):
            carried[(carrier.key, from_unit, to_unit)].append(row)
    CarriedRow.objects.bulk_create(
        (
            CarriedRow(reorganization=reorg, carrier=key, from_unit_id=a, to_unit_id=b, row_ids=ids)
            for (key, a, b), ids in carried.items()
        ),
        batch_size=2_000,
    )

    touched = [u.path for u in Organization.objects.filter(pk__in=[*ceasing_ids, *work.values()]).only("path")]
    _recount(touched + [u.path for u in created])
    reorg.status = ReorgStatus.APPLIED
    reorg.applied_at = timezone.now()
    reorg.message = ""
    reorg.save(update_fields=["status", "applied_at", "message"])
    after = {"valid_to": day_before.isoformat(), "reorganization": reorg.pk}
    record_each(acting_user, "cease", _in_chunks(ceasing_ids), organization=lambda unit: unit, after=after)
    summary = _summary(reorg, ceased=len(ceasing_ids), created=len(created))
    record(acting_user, "apply", reorg, organization=reorg.unit, after=summary)
    return reorg


@transaction.atomic
def do_undo_reorganization(reorg: Reorganization, *, acting_user: User) -> Reorganization:
    """Undo an applied decision, allowed until its effective date: work goes back, the units it
    made are removed (refused if something new was recorded on them) and the ended units resume."""
    reorg = _undoable(reorg, acting_user, undoing=True)
    by_carrier: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
    for key, from_unit, to_unit, ids in reorg.carried.values_list("carrier", "from_unit_id", "to_unit_id", "row_ids"):
        by_carrier[key] += [(row, from_unit, to_unit) for row in ids]
    for key, moves in by_carrier.items():
        (_ROLES if key == _ROLES.key else succession.carrier(key)).undo(moves)
    successions = Succession.objects.filter(reorganization_id=reorg.pk)
    ceased = list(successions.values_list("predecessor_id", flat=True).distinct())
    created_ids = list(reorg.created.values_list("unit_id", flat=True))
    touched = list(
        Organization.objects.filter(
            pk__in=[*ceased, *created_ids, *successions.values_list("successor_id", flat=True)]
        ).values_list("path", flat=True)
    )
    reorg.carried.all().delete()
    successions.delete()
    reorg.created.all().delete()
    try:
        for unit in Organization.objects.filter(pk__in=created_ids).order_by("-depth"):
            unit.delete()
    except ProtectedError:
        raise ValidationError(
            _("Đã có dữ liệu mới ghi vào các đơn vị do quyết định tạo ra; không hủy áp dụng được.")
        ) from None
    Organization.objects.filter(pk__in=ceased).update(valid_to=None, is_active=True)
    FormerName.objects.filter(reorganization_id=reorg.pk).delete()
    for op in reorg.operations.filter(kind=OperationKind.RENAME).exclude(before={}):
        unit = op.units.get().unit
        unit.name, unit.short_name, unit.kind_id = op.before["name"], op.before["short_name"], op.before["kind"]
        unit.save()
        op.before = {}
        op.save(update_fields=["before"])
    _recount(touched)
    reorg.status = ReorgStatus.DRAFT
    reorg.applied_at = None
    reorg.message = ""
    reorg.save(update_fields=["status", "applied_at", "message"])
    record(acting_user, "undo", reorg, organization=reorg.unit, after=_summary(reorg))
    return reorg


def _create_units(slots: list[Slot], founded: datetime.date) -> list[Organization]:
    """Every unit the decision makes, a level at a time (parents first), in bulk: a national
    reorganization continues hundreds of thousands of units. Paths follow treebeard's layout —
    each new child after its parent's last one — and each parent's `numchild` is kept."""
    children_of_slot: dict[int, int] = defaultdict(int)
    for slot in slots:
        if slot.parent is not None:
            children_of_slot[id(slot.parent)] += 1
    next_step: dict[str, int] = {}
    grown: dict[int, int] = defaultdict(int)  # existing parent id → children added
    created: list[Organization] = []
    pending = list(slots)
    while pending:
        ready = [s for s in pending if s.parent is None or s.parent.unit is not None or s.parent.created is not None]
        if not ready:
            raise ValidationError(_("Không xác định được thứ tự tạo đơn vị mới."))
        if any(s.parent is None for s in ready):
            raise ValidationError(_("Không sắp xếp đơn vị gốc của cây."))
        rows = []
        for slot in ready:
            parent = slot.parent.resolved()  # type: ignore[union-attr]
            if parent.path not in next_step:
                last = Organization.objects.children_of(parent).order_by("-path").values_list("path", flat=True)
                last_path = last.first()
                next_step[parent.path] = Organization._str2int(last_path[-Organization.steplen :]) if last_path else 0
            next_step[parent.path] += 1
            if slot.parent.unit is not None:  # type: ignore[union-attr]
                grown[parent.pk] += 1
            slot.created = Organization(
                code=slot.code, name=slot.name, short_name=slot.short_name, kind=slot.kind, valid_from=founded,
                path=Organization._get_path(parent.path, parent.depth + 1, next_step[parent.path]),
                depth=parent.depth + 1, numchild=children_of_slot.get(id(slot), 0),
                search_text=fold(f"{slot.name} {slot.short_name} {slot.code}")[:400],
            )  # fmt: skip
            rows.append(slot.created)
        created += Organization.objects.bulk_create(rows, batch_size=2_000)
        pending = [s for s in pending if s.created is None]
    for parent_id, added in grown.items():
        Organization.objects.filter(pk=parent_id).update(numchild=F("numchild") + added)
    return created


def _recount(paths: list[str]) -> None:
    """Every count kept per unit, from the rows: a reorganization moves work between units and
    makes and ends them. Only the smallest subtree holding every unit it touched is recounted
    (a province's, for a merger of its communes); its ancestors' totals do not change."""
    aggregates.rebuild()
    top = _common_ancestor(paths)
    if top is not None and len(top) // Organization.steplen >= AGGREGATE_MIN_DEPTH:
        counts.rebuild_all(Units(under=[top]))
    else:
        # Across provinces (a national decision): the subtrees at the first counted level.
        cut = AGGREGATE_MIN_DEPTH * Organization.steplen
        tops = sorted({p[:cut] for p in paths if len(p) >= cut})
        counts.rebuild_all(Units(under=tops) if tops else None)


def _in_chunks(ids: list[int]) -> Iterator[Organization]:
    for start in range(0, len(ids), 5_000):
        yield from Organization.objects.filter(pk__in=ids[start : start + 5_000]).order_by("pk")


def _common_ancestor(paths: list[str]) -> str | None:
    if not paths:
        return None
    step = Organization.steplen
    prefix = min(paths)
    last = max(paths)
    common = 0
    while common + step <= min(len(prefix), len(last)) and prefix[: common + step] == last[: common + step]:
        common += step
    return prefix[:common] or None


def _summary(reorg: Reorganization, **extra) -> dict:
    return {
        "title": reorg.title,
        "effective_on": reorg.effective_on.isoformat(),
        "status": reorg.status,
        "carry": reorg.carry,
        "move_roles": reorg.move_roles,
        "reports_confirmed": reorg.reports_confirmed,
        **extra,
    }


def _describe(operation: Operation, units: list[Organization]) -> str:
    names = ", ".join(u.name for u in units)
    return f"{operation.get_kind_display()}: {names}"
