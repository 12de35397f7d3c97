"""What may sit under what: the kind rules (orgs.KindRule, seeded from orgs/kinds.py) checked
wherever a unit gets a parent — create, kind change, correction move, tree import and
reorganization — with one message that says what is allowed instead."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from hienthuc.orgs.models import KindRule, OrgKind


class KindRules:
    """The rules read once, for a run of checks (an import checks thousands of rows)."""

    def __init__(self) -> None:
        self.by_kind: dict[int, list[KindRule]] = {}
        for rule in KindRule.objects.select_related("kind", "parent_kind"):
            self.by_kind.setdefault(rule.kind_id, []).append(rule)

    def problem(self, kind: OrgKind, parent_kind: OrgKind | None, on: datetime.date | None) -> str:
        """Why a unit of `kind` may not sit under a parent of `parent_kind` on `on` ('' if it may).
        `on` None is a unit founded before the records: a rule in force at any time up to today."""
        rules = self.by_kind.get(kind.pk)
        if not rules:
            return ""  # a kind without rules sits anywhere (docs/architecture.md)
        parent_id = parent_kind.pk if parent_kind else None
        if any(r.parent_kind_id == parent_id and _in_force(r, on) for r in rules):
            return ""
        under = parent_kind.name if parent_kind else _("gốc cây (không có cấp trên)")
        allowed = sorted({str(r.parent_kind or _("gốc cây")) for r in rules if _in_force(r, on)})
        same = [r for r in rules if r.parent_kind_id == parent_id]
        if same and on is not None:
            rule = same[0]
            return _(
                "“%(kind)s” chỉ được đặt dưới “%(parent)s” %(span)s (%(source)s); ngày %(day)s nằm ngoài thời gian đó."
            ) % {
                "kind": kind.name,
                "parent": under,
                "span": _span(rule),
                "source": rule.source,
                "day": _date(on),
            }
        if allowed and on is None:
            return _("“%(kind)s” không được đặt dưới “%(parent)s”; chỉ đặt được dưới: %(allowed)s.") % {
                "kind": kind.name,
                "parent": under,
                "allowed": ", ".join(allowed),
            }
        if allowed:
            return _(
                "“%(kind)s” không được đặt dưới “%(parent)s”; vào ngày %(day)s chỉ đặt được dưới: %(allowed)s."
            ) % {
                "kind": kind.name,
                "parent": under,
                "day": _date(on),
                "allowed": ", ".join(allowed),
            }
        day = on or timezone.localdate()
        return _("Vào ngày %(day)s không còn thành lập đơn vị loại “%(kind)s”.") % {
            "day": _date(day),
            "kind": kind.name,
        }

    def check(self, kind: OrgKind, parent_kind: OrgKind | None, on: datetime.date | None, field="kind") -> None:
        message = self.problem(kind, parent_kind, on)
        if message:
            raise ValidationError({field: message})


def check_placement(kind: OrgKind, parent_kind: OrgKind | None, on: datetime.date | None, field="kind") -> None:
    KindRules().check(kind, parent_kind, on, field)


def _in_force(rule: KindRule, on: datetime.date | None) -> bool:
    if on is None:
        return rule.valid_from is None or rule.valid_from <= timezone.localdate()
    return rule.covers(on)


def _date(day: datetime.date) -> str:
    return formats.date_format(day, "d/m/Y")


def _span(rule: KindRule) -> str:
    if rule.valid_from and rule.valid_to:
        return _("từ %(start)s đến %(end)s") % {"start": _date(rule.valid_from), "end": _date(rule.valid_to)}
    if rule.valid_from:
        return _("từ %(start)s") % {"start": _date(rule.valid_from)}
    if rule.valid_to:
        return _("đến %(end)s") % {"end": _date(rule.valid_to)}
    return ""
