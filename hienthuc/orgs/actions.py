"""Every change to the unit tree: one function each, atomic, audited, aggregates kept."""

import datetime
import re

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hienthuc.audit.record import record, snapshot
from hienthuc.lib.text import clean, max_length
from hienthuc.orgs import aggregates, counts
from hienthuc.orgs.models import Mandate, Organization, OrgKind
from hienthuc.orgs.rules import KindRules, check_placement
from hienthuc.scope import MandateKind, can_admin, can_edit

AUDIT_FIELDS = ["code", "name", "short_name", "kind", "issuer_code", "is_active", "path", "valid_from", "valid_to"]
CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
CODE_MAX = max_length(Organization, "code")
NAME_MAX = max_length(Organization, "name")
SHORT_NAME_MAX = max_length(Organization, "short_name")


def validate_code(code: str, *, exclude_pk: int | None = None) -> str:
    code = clean(code)
    if not code:
        raise ValidationError({"code": _("Mã đơn vị không được để trống.")})
    if len(code) > CODE_MAX:
        raise ValidationError({"code": _("Mã đơn vị dài tối đa %(CODE_MAX)s ký tự.") % {"CODE_MAX": CODE_MAX}})
    if not CODE_RE.match(code):
        raise ValidationError({"code": _("Mã đơn vị chỉ gồm chữ không dấu, chữ số và các dấu . - _ (ví dụ TU-TB-01).")})
    taken = Organization.objects.current().filter(code__iexact=code)
    if exclude_pk:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        raise ValidationError({"code": _("Mã đơn vị “%(code)s” đã được dùng.") % {"code": code}})
    return code


def validate_names(name: str, short_name: str) -> tuple[str, str]:
    name, short_name = clean(name), clean(short_name)
    if not name:
        raise ValidationError({"name": _("Tên đơn vị không được để trống.")})
    if len(name) > NAME_MAX:
        raise ValidationError({"name": _("Tên đơn vị dài tối đa %(NAME_MAX)s ký tự.") % {"NAME_MAX": NAME_MAX}})
    if len(short_name) > SHORT_NAME_MAX:
        raise ValidationError(
            {"short_name": _("Tên viết tắt dài tối đa %(SHORT_NAME_MAX)s ký tự.") % {"SHORT_NAME_MAX": SHORT_NAME_MAX}}
        )
    return name, short_name


def validate_issuer_code(text: str) -> str:
    """An issuer code as Party numbers carry it after the slash: letters only, in capitals."""
    code = " ".join((text or "").split()).upper().replace("đ", "Đ")
    if code and not re.fullmatch(r"[A-ZĐ]{1,20}", code):
        raise ValidationError(
            {
                "issuer_code": _(
                    "Ký hiệu cơ quan ban hành chỉ gồm chữ cái viết liền, tối đa 20 chữ, ví dụ TU, HU, ĐUK "
                    "(phần sau dấu “/” trong số văn bản)."
                )
            }
        )
    return code


@transaction.atomic
def do_create_organization(
    *,
    parent: Organization | None,
    code: str,
    name: str,
    kind: OrgKind,
    short_name: str = "",
    issuer_code: str = "",
    valid_from: datetime.date | None = None,
    placed_on: datetime.date | None = None,
    acting_user: User,
) -> Organization:
    """A new unit under `parent`. Its kind must be allowed under the parent's on the day it
    was founded (`valid_from`), or on `placed_on` when that is unknown (the demo's 2020 tree),
    or today (orgs/rules.py)."""
    if parent is None:
        if not acting_user.is_superuser:
            raise ValidationError(_("Chỉ quản trị hệ thống mới được tạo đơn vị gốc."))
    else:
        parent = Organization.objects.select_for_update().get(pk=parent.pk)
        if not can_edit(acting_user, parent):
            raise ValidationError({"parent": _("Bạn không có quyền thêm đơn vị vào đơn vị này.")})
        if not parent.is_active:
            raise ValidationError({"parent": _("Không thể thêm đơn vị vào đơn vị đã ngừng hoạt động.")})
    code = validate_code(code)
    name, short_name = validate_names(name, short_name)
    check_placement(kind, parent.kind if parent else None, valid_from or placed_on or timezone.localdate())
    fields = {
        "code": code, "name": name, "short_name": short_name, "kind": kind, "valid_from": valid_from,
        "issuer_code": validate_issuer_code(issuer_code),
    }  # fmt: skip
    if parent is not None:
        org = Organization.objects.add_child(parent, fields)
    else:
        org = Organization.objects.add_root(fields)
    aggregates.bump(org.ancestor_paths, units=1)
    record(acting_user, "create", org, organization=org, after=snapshot(org, AUDIT_FIELDS))
    return org


@transaction.atomic
def do_update_organization(
    org: Organization,
    *,
    name: str,
    short_name: str,
    kind: OrgKind,
    code: str | None = None,
    issuer_code: str | None = None,
    acting_user: User,
) -> Organization:
    if not can_edit(acting_user, org):
        raise ValidationError(_("Bạn không có quyền sửa đơn vị này."))
    org = Organization.objects.select_for_update().get(pk=org.pk)
    before = snapshot(org, AUDIT_FIELDS)
    if code is not None and code != org.code:
        org.code = validate_code(code, exclude_pk=org.pk)
    org.name, org.short_name = validate_names(name, short_name)
    if issuer_code is not None:
        org.issuer_code = validate_issuer_code(issuer_code)
    if kind.pk != org.kind_id:
        rules = KindRules()
        parent = Organization.objects.get_parent(org)
        rules.check(kind, parent.kind if parent else None, org.valid_from)
        for child in Organization.objects.children_of(org).filter(is_active=True).select_related("kind"):
            message = rules.problem(child.kind, kind, child.valid_from or timezone.localdate())
            if message:
                raise ValidationError(
                    {
                        "kind": _("Đơn vị trực thuộc “%(child)s”: %(problem)s")
                        % {"child": child.name, "problem": message}
                    }
                )
    org.kind = kind
    org.save()
    after = snapshot(org, AUDIT_FIELDS)
    if after != before:
        record(acting_user, "update", org, organization=org, before=before, after=after)
    return org


@transaction.atomic
def do_move_organization(org: Organization, new_parent: Organization, *, acting_user: User) -> Organization:
    """Move a unit with its whole subtree under another unit, re-pathing every descendant."""
    org = Organization.objects.select_for_update().get(pk=org.pk)
    new_parent = Organization.objects.select_for_update().get(pk=new_parent.pk)
    if not can_admin(acting_user, org):
        raise ValidationError(_("Bạn không có quyền quản trị đơn vị cần chuyển."))
    if not can_admin(acting_user, new_parent):
        raise ValidationError(
            {"new_parent": _("Bạn không có quyền quản trị đơn vị đích; chỉ chuyển được trong phạm vi mình quản trị.")}
        )
    if new_parent.path.startswith(org.path):
        raise ValidationError(
            {"new_parent": _("Không thể chuyển một đơn vị vào chính nó hoặc vào đơn vị cấp dưới của nó.")}
        )
    if org.path[: -org.steplen] == new_parent.path:
        raise ValidationError({"new_parent": _("Đơn vị đã nằm trực tiếp dưới đơn vị này.")})
    if not new_parent.is_active:
        raise ValidationError({"new_parent": _("Không thể chuyển vào đơn vị đã ngừng hoạt động.")})
    # A correction of where the unit was placed: its kind must fit the new parent's on the day
    # it was founded (a dated move with its history is a reorganization).
    check_placement(org.kind, new_parent.kind, org.valid_from, field="new_parent")

    before = snapshot(org, AUDIT_FIELDS)
    units, people = aggregates.subtree_totals(org)
    moved_units = units + (1 if org.is_active else 0)
    aggregates.bump(org.ancestor_paths, units=-moved_units, people=-people)
    # Every kind of count kept per unit follows the subtree (orgs/counts.py: the apps above
    # register how).
    counts.move_subtree(org, new_parent, lambda: Organization.objects.move(org, new_parent, "last-child"))
    org = Organization.objects.get(pk=org.pk)
    if org.has_aggregates:
        Organization.objects.filter(pk=org.pk).update(units_below=units, people_below=people)
    aggregates.bump(org.ancestor_paths, units=moved_units, people=people)
    after = snapshot(org, AUDIT_FIELDS)
    after["parent"] = new_parent.code
    record(acting_user, "move", org, organization=org, before=before, after=after)
    return Organization.objects.get(pk=org.pk)


@transaction.atomic
def do_deactivate_organization(org: Organization, *, acting_user: User) -> Organization:
    """Stop a unit; units are never hard-deleted because their history must stay."""
    org = Organization.objects.select_for_update().get(pk=org.pk)
    if not can_admin(acting_user, org):
        raise ValidationError(_("Bạn không có quyền quản trị đơn vị này."))
    if not org.is_active:
        raise ValidationError(_("Đơn vị đã ngừng hoạt động."))
    if Organization.objects.filter(path__startswith=org.path, depth=org.depth + 1, is_active=True).exists():
        raise ValidationError(_("Hãy ngừng hoạt động hoặc chuyển các đơn vị trực thuộc trước."))
    before = snapshot(org, AUDIT_FIELDS)
    org.is_active = False
    org.save(update_fields=["is_active", "updated_at", "search_text"])
    aggregates.bump(org.ancestor_paths, units=-1)
    record(acting_user, "deactivate", org, organization=org, before=before, after=snapshot(org, AUDIT_FIELDS))
    return org


@transaction.atomic
def do_reactivate_organization(org: Organization, *, acting_user: User) -> Organization:
    org = Organization.objects.select_for_update().get(pk=org.pk)
    if not can_admin(acting_user, org):
        raise ValidationError(_("Bạn không có quyền quản trị đơn vị này."))
    if org.is_active:
        raise ValidationError(_("Đơn vị đang hoạt động."))
    parent = Organization.objects.get_parent(org)
    if parent is not None and not parent.is_active:
        raise ValidationError(_("Đơn vị cấp trên đã ngừng hoạt động; hãy khôi phục đơn vị cấp trên trước."))
    before = snapshot(org, AUDIT_FIELDS)
    org.is_active = True
    org.save(update_fields=["is_active", "updated_at", "search_text"])
    aggregates.bump(org.ancestor_paths, units=1)
    record(acting_user, "reactivate", org, organization=org, before=before, after=snapshot(org, AUDIT_FIELDS))
    return org


@transaction.atomic
def do_give_mandate(
    principal: Organization,
    *,
    agent: Organization,
    kind: str,
    started_on: datetime.date | None = None,
    decision: str = "",
    acting_user: User,
) -> Mandate:
    """Let `agent` (the committee's office, an advisory board) work on behalf of `principal`;
    set by an admin of the principal. The agent must be a body inside the principal's tree."""
    if not can_admin(acting_user, principal):
        raise ValidationError(
            _("Chỉ người quản trị của %(unit)s mới được ủy nhiệm làm thay.") % {"unit": principal.name}
        )
    if kind not in MandateKind.values:
        raise ValidationError({"kind": _("Phạm vi ủy nhiệm không hợp lệ.")})
    if agent.pk == principal.pk or not agent.path.startswith(principal.path) or not agent.kind.is_body:
        raise ValidationError(
            {
                "agent": _(
                    "Cơ quan làm thay phải là cơ quan tham mưu, giúp việc thuộc %(unit)s (Văn phòng, các ban); "
                    "“%(agent)s” không phải."
                )
                % {"unit": principal.name, "agent": agent.name}
            }
        )
    if not agent.is_active:
        raise ValidationError({"agent": _("“%(agent)s” đã ngừng hoạt động.") % {"agent": agent.name}})
    started_on = started_on or timezone.localdate()
    if Mandate.objects.filter(agent=agent, principal=principal, kind=kind).active(started_on).exists():
        raise ValidationError({"agent": _("“%(agent)s” đang được ủy nhiệm việc này.") % {"agent": agent.name}})
    mandate = Mandate.objects.create(
        agent=agent, principal=principal, kind=kind, started_on=started_on, decision=clean(decision)[:200],
        created_by=acting_user if acting_user.pk else None,
    )  # fmt: skip
    record(
        acting_user, "create", mandate, organization=principal,
        after={"agent": agent.pk, "kind": kind, "started_on": started_on.isoformat(), "decision": mandate.decision},
    )  # fmt: skip
    return mandate


@transaction.atomic
def do_end_mandate(mandate: Mandate, *, ended_on: datetime.date | None = None, acting_user: User) -> Mandate:
    mandate = Mandate.objects.select_for_update().select_related("principal").get(pk=mandate.pk)
    if not can_admin(acting_user, mandate.principal):
        raise ValidationError(
            _("Chỉ người quản trị của %(unit)s mới được thôi ủy nhiệm.") % {"unit": mandate.principal.name}
        )
    ended_on = ended_on or timezone.localdate()
    if ended_on <= mandate.started_on:
        raise ValidationError({"ended_on": _("Ngày thôi ủy nhiệm phải sau ngày bắt đầu.")})
    if mandate.ended_on is not None:
        raise ValidationError(_("Ủy nhiệm này đã chấm dứt."))
    mandate.ended_on = ended_on
    mandate.save(update_fields=["ended_on"])
    record(
        acting_user, "update", mandate, organization=mandate.principal,
        before={"ended_on": None}, after={"ended_on": ended_on.isoformat()},
    )  # fmt: skip
    return mandate
