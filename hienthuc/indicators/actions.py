"""Writing indicators, targets, report forms, submissions and values: one function per
change, atomic and audited, keeping the tallies (tallies.py) in the same transaction."""

import re
import statistics
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hienthuc.audit.record import record
from hienthuc.indicators import tallies
from hienthuc.indicators.models import (
    Aggregation,
    Comparison,
    Estimate,
    FormIndicator,
    FormRule,
    FormUnit,
    Indicator,
    OneOffPeriod,
    PeriodKind,
    ReportForm,
    Source,
    Submission,
    SubmissionStatus,
    Target,
    TargetKind,
    TargetOrigin,
    TimeAggregation,
    Value,
)
from hienthuc.indicators.sources import system_value
from hienthuc.lib import periods, targets
from hienthuc.lib.numbers import NumberError, decimals_of, format_number, parse_number
from hienthuc.lib.text import clean
from hienthuc.orgs.models import Organization
from hienthuc.scope import EDIT_KINDS, can_edit, covers

CODE_RE = re.compile(r"^[A-Za-z0-9_.-]{1,40}$")
VALUE_LIMIT = Decimal("1e14")
# A narrative part is text, never markup (pages escape it, reports print it as written); about
# eight pages of a report, more than any part a unit writes for one field.
NARRATIVE_MAX = 20_000


@transaction.atomic
def do_create_indicator(
    *,
    owner: Organization,
    code: str,
    name: str,
    measure: str,
    aggregation: str = Aggregation.SUM,
    weight: Indicator | None = None,
    time_aggregation: str = TimeAggregation.SUM,
    higher_is_better: bool = True,
    decimals: int = 0,
    min_value: Decimal | None = None,
    max_value: Decimal | None = None,
    document=None,
    source: str = "",
    acting_user: User,
) -> Indicator:
    if not can_edit(acting_user, owner):
        raise ValidationError({"owner": _("Bạn không có quyền xác định chỉ tiêu cho đơn vị này.")})
    code = (code or "").strip().upper()
    if not CODE_RE.match(code):
        raise ValidationError({"code": _("Mã chỉ tiêu gồm 1–40 ký tự: chữ không dấu, chữ số, _ . -")})
    if Indicator.objects.filter(code=code).exists():
        raise ValidationError({"code": _("Đã có chỉ tiêu mã %(code)s.") % {"code": code}})
    name, measure = clean(name)[:300], clean(measure)[:40]
    if not name:
        raise ValidationError({"name": _("Tên chỉ tiêu không được để trống.")})
    if not measure:
        raise ValidationError({"measure": _("Hãy ghi đơn vị tính (%, tỷ đồng, người, km …).")})
    if aggregation not in Aggregation.values:
        raise ValidationError({"aggregation": _("Cách cộng dồn không hợp lệ.")})
    if time_aggregation not in TimeAggregation.values:
        raise ValidationError({"time_aggregation": _("Cách cộng dồn trong năm không hợp lệ.")})
    if source not in Source.values:
        raise ValidationError({"source": _("Nguồn số liệu không hợp lệ.")})
    if aggregation == Aggregation.WEIGHTED and weight is None:
        raise ValidationError({"weight": _("Bình quân gia quyền cần chọn chỉ tiêu làm trọng số.")})
    if not 0 <= (decimals or 0) <= 6:
        raise ValidationError({"decimals": _("Số chữ số thập phân từ 0 đến 6.")})
    if min_value is not None and max_value is not None and min_value > max_value:
        raise ValidationError({"max_value": _("Giá trị lớn nhất phải không nhỏ hơn giá trị nhỏ nhất.")})
    last = Indicator.objects.order_by("-order").values_list("order", flat=True).first() or 0
    indicator = Indicator.objects.create(
        owner=owner, code=code, name=name, measure=measure, aggregation=aggregation,
        weight=weight if aggregation == Aggregation.WEIGHTED else None, time_aggregation=time_aggregation,
        higher_is_better=higher_is_better, decimals=decimals or 0, min_value=min_value, max_value=max_value,
        document=document, order=last + 1, source=source or "",
    )  # fmt: skip
    record(acting_user, "create", indicator, organization=owner, after={"code": code, "name": name})
    return indicator


@transaction.atomic
def do_set_target(
    indicator: Indicator,
    *,
    unit: Organization,
    year: int,
    value,
    kind: str = TargetKind.YEAR,
    origin: str = TargetOrigin.ASSIGNED,
    acting_user: User,
    version: int | None = None,
) -> Target:
    """Set (or change) a target, as written: a number, a range ("8,5–9"), a bound ("≥ 90",
    "dưới 1"), a yearly average or a total over the term (lib/targets.py). An assigned target
    below the indicator's owner is set by that owner; a unit sets its own (higher) one itself."""
    if not (can_edit(acting_user, unit) and (unit.path.startswith(indicator.owner.path) or acting_user.is_superuser)):
        raise ValidationError({"unit": _("Chỉ đặt chỉ tiêu cho đơn vị xác định chỉ tiêu hoặc đơn vị trực thuộc.")})
    if kind not in TargetKind.values:
        raise ValidationError({"kind": _("Loại chỉ tiêu không hợp lệ.")})
    if origin not in TargetOrigin.values:
        raise ValidationError({"origin": _("Nguồn chỉ tiêu không hợp lệ.")})
    if not 1930 <= int(year or 0) <= 2200:
        raise ValidationError({"year": _("Năm phải từ 1930 đến 2200.")})
    text = clean(str(value if value is not None else ""))[:120]
    if isinstance(value, int | float | Decimal):
        written = targets.WrittenTarget(Decimal(str(value)), Decimal(str(value)))
        text = ""
    else:
        try:
            written = targets.parse(text)
        except targets.TargetError as exc:
            raise ValidationError({"value": str(exc)}) from None
        if written.low == written.high and written.basis == targets.LEVEL:
            text = ""  # a plain number: shown in the indicator's own notation
    low = _check_value(indicator, written.low, field="value") if written.low is not None else None
    high = _check_value(indicator, written.high, field="value") if written.high is not None else None
    if written.basis != targets.LEVEL and kind != TargetKind.TERM:
        raise ValidationError(
            {"value": _("Chỉ tiêu bình quân hoặc cộng dồn cả nhiệm kỳ là chỉ tiêu nhiệm kỳ, không phải chỉ tiêu năm.")}
        )
    number = written.judged_by(indicator.higher_is_better)
    key: dict[str, Any] = {"indicator": indicator, "unit": unit, "kind": kind, "year": year, "origin": origin}
    current = Target.objects.select_for_update().filter(**key).first()
    # `version` (optional): the one the client read, 0 for "there was none"; a change in between is refused.
    if version is not None and version != (current.version if current else 0):
        raise ValidationError(
            _("Chỉ tiêu này vừa được người khác đặt lại; hãy đọc lại giá trị mới rồi gửi lại."), code="stale"
        )
    target, created = Target.objects.update_or_create(
        **key,
        defaults={
            "value": number, "low": low, "high": high, "text": text, "basis": written.basis,
            "version": current.version + 1 if current else 1,
        },
    )  # fmt: skip
    record(
        acting_user,
        "create" if created else "update",
        target,
        organization=unit,
        after={"indicator": indicator.code, "year": year, "kind": kind, "origin": origin, "value": text or str(number)},
    )
    return target


def _check_value(indicator: Indicator, raw, *, field: str) -> Decimal:
    """A value typed for an indicator: a number, within its range and decimals."""
    try:
        value = parse_number(raw)
    except NumberError as exc:
        raise ValidationError({field: str(exc)}) from None
    if abs(value) >= VALUE_LIMIT:
        raise ValidationError({field: _("Số quá lớn.")})
    if decimals_of(value) > indicator.decimals:
        allowed = (
            _("tối đa %(decimals)s chữ số thập phân") % {"decimals": indicator.decimals}
            if indicator.decimals
            else _("số nguyên")
        )
        raise ValidationError({field: f"“{indicator.name}” ghi {allowed}."})
    low, high = indicator.min_value, indicator.max_value
    if (low is not None and value < low) or (high is not None and value > high):
        span = _("từ %(value)s đến ") % {
            "value": format_number(low, indicator.decimals) if low is not None else "…"
        } + (format_number(high, indicator.decimals) if high is not None else "…")
        raise ValidationError(
            {
                field: _("“%(indicator)s” phải %(span)s %(measure)s.")
                % {"indicator": indicator.name, "span": span, "measure": indicator.measure}
            }
        )
    return value


@transaction.atomic
def do_create_form(
    *,
    owner: Organization,
    name: str,
    period_kind: str,
    first_year: int,
    indicators: list[Indicator],
    deadline_days: int = 15,
    sections: str = "",
    fields: str = "",
    acting_user: User,
) -> ReportForm:
    if not can_edit(acting_user, owner):
        raise ValidationError({"owner": _("Bạn không có quyền ban hành mẫu báo cáo cho đơn vị này.")})
    if period_kind not in PeriodKind.values:
        raise ValidationError({"period_kind": _("Kỳ báo cáo không hợp lệ.")})
    if not 1930 <= int(first_year or 0) <= 2200:
        raise ValidationError({"first_year": _("Năm bắt đầu phải từ 1930 đến 2200.")})
    name, sections, fields = _check_form_fields(name, period_kind, deadline_days, indicators, sections, fields)
    form = ReportForm.objects.create(
        owner=owner, name=name, period_kind=period_kind, first_year=first_year, deadline_days=deadline_days,
        sections=sections, fields=fields,
    )  # fmt: skip
    FormIndicator.objects.bulk_create(
        [FormIndicator(form=form, indicator=i, order=n) for n, i in enumerate(dict.fromkeys(indicators), 1)]
    )
    record(
        acting_user,
        "create",
        form,
        organization=owner,
        after={"name": name, "indicators": [i.code for i in indicators]},
    )
    return form


def _check_form_fields(
    name: str, period_kind: str, deadline_days: int, indicators: list, sections: str, fields: str
) -> tuple[str, str, str]:
    """What creating and editing a form check alike: the tidied name, sections and fields. A
    deadline may fall before the period ends (negative days), not before it begins."""
    name = clean(name)[:300]
    if not name:
        raise ValidationError({"name": _("Tên mẫu báo cáo không được để trống.")})
    floor = periods.deadline_floor(period_kind)
    if not floor <= int(deadline_days) <= periods.DEADLINE_MAX:
        raise ValidationError(
            {
                "deadline_days": _(
                    "Hạn nộp từ %(floor)s đến %(max)s ngày so với ngày cuối kỳ (số âm: trước khi hết kỳ, "
                    "nhưng không trước ngày đầu kỳ)."
                )
                % {"floor": floor, "max": periods.DEADLINE_MAX}
            }
        )
    if not indicators:
        raise ValidationError({"indicators": _("Mẫu báo cáo cần ít nhất một chỉ tiêu.")})

    def lines(text: str) -> list[str]:
        return list(dict.fromkeys(clean(line)[:200] for line in (text or "").splitlines() if line.strip()))

    if fields and not sections:
        raise ValidationError({"sections": _("Hãy ghi các phần thuyết minh (kết quả, hạn chế, …) cho các lĩnh vực.")})
    return name, "\n".join(lines(sections)), "\n".join(lines(fields))


@transaction.atomic
def do_update_form(
    form: ReportForm,
    *,
    name: str,
    deadline_days: int,
    indicators: list[Indicator],
    sections: str = "",
    fields: str = "",
    is_active: bool = True,
    acting_user: User,
) -> ReportForm:
    """Correct a form: its name, deadline, indicators and sections, or stop its use. Values
    already entered stay (they belong to units and periods, not to forms); a rule on an
    indicator taken out of the form goes with it; a new deadline counts the submissions
    already sent on time or late again."""
    if not can_edit(acting_user, form.owner):
        raise ValidationError(_("Bạn không có quyền sửa mẫu báo cáo này."))
    name, sections, fields = _check_form_fields(name, form.period_kind, deadline_days, indicators, sections, fields)
    form = ReportForm.objects.select_for_update().get(pk=form.pk)
    kept = list(dict.fromkeys(indicators))
    before = {
        "name": form.name,
        "deadline_days": form.deadline_days,
        "sections": form.sections,
        "fields": form.fields,
        "is_active": form.is_active,
        "indicators": list(form.items.order_by("order").values_list("indicator__code", flat=True)),
    }
    dropped_rules = form.rules.exclude(left__in=kept, right__in=kept)
    removed_rules = [
        f"{r.left.code} {r.comparison} {r.right.code}" for r in dropped_rules.select_related("left", "right")
    ]
    dropped_rules.delete()
    form.items.exclude(indicator__in=kept).delete()
    placed = {item.indicator_id: item for item in form.items.all()}
    for order, indicator in enumerate(kept, 1):
        item = placed.get(indicator.pk) or FormIndicator(form=form, indicator=indicator)
        item.order = order
        item.save()
    if int(deadline_days) != form.deadline_days:
        tallies.recount_timeliness(form, old_days=form.deadline_days, new_days=int(deadline_days))
    form.name, form.deadline_days, form.sections, form.is_active = name, int(deadline_days), sections, is_active
    form.fields = fields
    form.save(update_fields=["name", "deadline_days", "sections", "fields", "is_active"])
    after = {
        "name": name,
        "deadline_days": form.deadline_days,
        "sections": sections,
        "fields": fields,
        "is_active": is_active,
        "indicators": [i.code for i in kept],
    }
    if removed_rules:
        after["removed_rules"] = removed_rules
    record(acting_user, "update", form, organization=form.owner, before=before, after=after)
    return form


@transaction.atomic
def do_require_reports(form: ReportForm, *, units: list[Organization], acting_user: User) -> int:
    """Name the units that must submit the form every period (units below its owner)."""
    if not can_edit(acting_user, form.owner):
        raise ValidationError(_("Bạn không có quyền giao mẫu báo cáo này."))
    for unit in units:
        if not unit.path.startswith(form.owner.path):
            raise ValidationError(
                {
                    "units": _("“%(unit)s” không thuộc %(form_owner)s.")
                    % {"unit": unit.name, "form_owner": form.owner.name}
                }
            )
    existing = set(form.required.values_list("unit_id", flat=True))
    new = [u for u in dict.fromkeys(units) if u.pk not in existing]
    FormUnit.objects.bulk_create([FormUnit(form=form, unit=u) for u in new])
    tallies.bump_required(form, new, +1)
    record(acting_user, "require", form, organization=form.owner, after={"units": [u.code for u in new]})
    return len(new)


@transaction.atomic
def do_add_rule(form: ReportForm, *, left: Indicator, comparison: str, right: Indicator, acting_user: User) -> FormRule:
    if not can_edit(acting_user, form.owner):
        raise ValidationError(_("Bạn không có quyền sửa mẫu báo cáo này."))
    if comparison not in Comparison.values:
        raise ValidationError({"comparison": _("Phép so sánh không hợp lệ.")})
    codes = set(form.items.values_list("indicator_id", flat=True))
    if left.pk not in codes or right.pk not in codes or left.pk == right.pk:
        raise ValidationError(_("Quy tắc phải so sánh hai chỉ tiêu khác nhau của mẫu báo cáo."))
    rule = FormRule.objects.create(form=form, left=left, comparison=comparison, right=right)
    record(
        acting_user, "create", rule, organization=form.owner, after={"rule": f"{left.code} {comparison} {right.code}"}
    )
    return rule


@transaction.atomic
def do_add_one_off_period(form: ReportForm, *, name: str, first_day, last_day, acting_user: User) -> OneOffPeriod:
    """A period of a one-off form (a campaign, a study drive): its days may not overlap another
    period of the form, nor end before they begin."""
    if not can_edit(acting_user, form.owner):
        raise ValidationError(_("Bạn không có quyền sửa mẫu báo cáo này."))
    if form.period_kind != PeriodKind.ONE_OFF:
        raise ValidationError(_("Chỉ mẫu báo cáo theo đợt mới thêm được đợt báo cáo."))
    name = clean(name)[:200]
    if not name:
        raise ValidationError({"name": _("Hãy ghi tên đợt (ví dụ: Đợt học tập Nghị quyết Đại hội).")})
    if first_day is None or last_day is None:
        raise ValidationError({"first_day": _("Hãy ghi ngày bắt đầu và ngày kết thúc của đợt.")})
    if last_day < first_day:
        raise ValidationError({"last_day": _("Ngày kết thúc của đợt phải không trước ngày bắt đầu.")})
    form = ReportForm.objects.select_for_update().get(pk=form.pk)
    clash = form.one_off_periods.filter(first_day__lte=last_day, last_day__gte=first_day).first()
    if clash is not None:
        raise ValidationError(
            {
                "first_day": _("Đợt này trùng thời gian với đợt “%(other)s” (%(days)s) của mẫu báo cáo.")
                % {"other": clash.name, "days": clash.period.label}
            }
        )
    created = OneOffPeriod.objects.create(form=form, name=name, first_day=first_day, last_day=last_day)
    record(
        acting_user,
        "create",
        created,
        organization=form.owner,
        after={"form": form.name, "name": name, "period": created.period.key},
    )
    return created


def check_period(form: ReportForm, text: str) -> periods.Period:
    """The period a submission is for: of the form's kind, from its first year, already begun."""
    try:
        period = periods.parse(text)
    except periods.PeriodError as exc:
        raise ValidationError({"period": str(exc)}) from None
    if period.kind == PeriodKind.ONE_OFF and period.kind == form.period_kind:
        if not form.one_off_periods.filter(first_day=period.start, last_day=period.end).exists():
            raise ValidationError(
                {"period": _("Mẫu “%(form)s” không có đợt %(period)s.") % {"form": form.name, "period": period.label}}
            )
    if period.kind != form.period_kind:
        message = _("Mẫu “%(form)s” báo cáo theo %(kind)s; kỳ “%(period)s” không thuộc mẫu này.")
        kind = form.get_period_kind_display().lower()
        raise ValidationError({"period": message % {"form": form.name, "kind": kind, "period": period.label}})
    if period.kind != PeriodKind.ONE_OFF and period.year < form.first_year:
        raise ValidationError(
            {
                "period": _("Mẫu “%(form)s” áp dụng từ năm %(first_year)s.")
                % {"form": form.name, "first_year": form.first_year}
            }
        )
    if period.start > timezone.localdate():
        raise ValidationError({"period": _("Kỳ %(period)s chưa bắt đầu.") % {"period": period.label}})
    return period


RULE_CHECKS = {
    "<=": lambda a, b: a <= b,
    "<": lambda a, b: a < b,
    ">=": lambda a, b: a >= b,
    ">": lambda a, b: a > b,
    "=": lambda a, b: a == b,
}


@transaction.atomic
def do_save_submission(
    form: ReportForm,
    *,
    unit: Organization,
    period: str,
    values: dict[int, str],
    narrative: dict[str, str] | None = None,
    version: int | None = None,
    submit: bool = False,
    submitted_at=None,
    acting_user: User,
) -> Submission:
    """Save a unit's report for a period: its values (by indicator id, as typed) and narrative.
    Every value is checked (number, range, decimals, the form's rules); one bad value writes
    nothing. With `submit`, every indicator must have a value and the report goes up;
    `submitted_at` records when a paper report was actually received (not in the future)."""
    if not can_edit(acting_user, unit):
        raise ValidationError(_("Bạn không có quyền báo cáo cho đơn vị này."))
    if not form.is_active:
        raise ValidationError(
            _("Mẫu “%(form)s” đã ngừng sử dụng; không nhập được báo cáo theo mẫu này.") % {"form": form.name}
        )
    if not form.required.filter(unit=unit).exists():
        raise ValidationError(
            _("%(unit)s không thuộc các đơn vị phải nộp mẫu “%(form)s”.") % {"unit": unit.name, "form": form.name}
        )
    checked = check_period(form, period)
    key = checked.key
    # A period not yet over is reported in estimates (số ước), kept apart from the official
    # figures and replaced, not overwritten, by them once the period is over.
    estimating = checked.end >= timezone.localdate()
    if submitted_at is not None and submitted_at > timezone.now():
        raise ValidationError({"submitted_at": _("Ngày nhận báo cáo không được sau hôm nay.")})
    submission, _created = Submission.objects.select_for_update().get_or_create(form=form, unit=unit, period=key)
    if version is not None and submission.version != version:
        raise ValidationError(
            _(
                "Báo cáo vừa được người khác lưu trong lúc bạn đang nhập. Số liệu bạn nhập chưa được lưu; "
                "hãy tải lại trang rồi nhập lại."
            )
        )
    if submission.is_locked:
        state = _("đã được duyệt") if submission.status == SubmissionStatus.ACCEPTED else _("đã gửi lên cấp trên")
        raise ValidationError(
            _("Báo cáo %(state)s, không sửa được; đề nghị cấp trên trả lại nếu cần sửa.") % {"state": state}
        )
    items = list(form.items.select_related("indicator__weight").order_by("order"))
    held_rows = Estimate.objects if estimating else Value.objects
    current = {
        v.indicator_id: v for v in held_rows.filter(unit=unit, period=key, indicator__in=[i.indicator for i in items])
    }
    errors: dict[str, list[str]] = {}
    typed: dict[int, Decimal | None] = {}
    for item in items:
        indicator = item.indicator
        field = f"value_{indicator.pk}"
        raw = values.get(indicator.pk)
        held = current.get(indicator.pk)
        if not estimating and held is not None and held.submission_id not in (None, submission.pk) and _locked(held):
            continue  # entered once, in an accepted report: shown, not changed here
        if indicator.source:
            # Counted from the tasks and cascades the system holds, never typed.
            typed[indicator.pk] = system_value(indicator.source, unit)
            continue
        if raw is None or str(raw).strip() == "":
            typed[indicator.pk] = None
            if submit:
                errors.setdefault(field, []).append(_("Chưa nhập “%(indicator)s”.") % {"indicator": indicator.name})
            continue
        try:
            typed[indicator.pk] = _check_value(indicator, raw, field=field)
        except ValidationError as exc:
            errors.setdefault(field, []).extend(exc.message_dict[field])
    merged = {pk: v.value for pk, v in current.items()} | {pk: v for pk, v in typed.items() if v is not None}
    for rule in form.rules.select_related("left", "right"):
        a, b = merged.get(rule.left_id), merged.get(rule.right_id)
        if a is not None and b is not None and not RULE_CHECKS[rule.comparison](a, b):
            errors.setdefault(f"value_{rule.left_id}", []).append(
                _("“%(rule_left)s” (%(left_value)s) phải %(comparison)s “%(rule_right)s” (%(right_value)s).")
                % {
                    "rule_left": rule.left.name,
                    "left_value": format_number(a, rule.left.decimals),
                    "comparison": rule.get_comparison_display(),
                    "rule_right": rule.right.name,
                    "right_value": format_number(b, rule.right.decimals),
                }
            )
    for n, (_field, _title, part) in enumerate(form.narrative_parts):
        text = (narrative or {}).get(part, "").strip()
        if len(text) > NARRATIVE_MAX:
            errors.setdefault(f"section_{n}", []).append(
                _("Phần “%(part)s” dài %(length)s ký tự, quá giới hạn %(max)s ký tự; hãy rút gọn hoặc tách ý.")
                % {
                    "part": key,
                    "length": f"{len(text):,}".replace(",", "."),
                    "max": f"{NARRATIVE_MAX:,}".replace(",", "."),
                }
            )
    if errors:
        raise ValidationError(errors)
    changes = []
    for item in items:
        indicator = item.indicator
        if indicator.pk not in typed:
            continue
        new, held = typed[indicator.pk], current.get(indicator.pk)
        old = held.value if held is not None else None
        if new == old:
            continue
        changes.append((indicator, unit, key, old, new))
    official = [] if estimating else changes
    # Deltas are computed against the stored values, before any of them changes.
    deltas = tallies.value_deltas(official)
    for indicator, _unit, _key, _old, new in changes:
        _write_figure(Estimate if estimating else Value, indicator, unit, key, new, submission, acting_user)
    tallies.bump_values(deltas)
    submission.narrative = {part: (narrative or {}).get(part, "").strip() for _f, _t, part in form.narrative_parts}
    before = {"status": submission.status}
    counted_as = tallies.submission_state(submission, form.deadline_days)
    if submit:
        now = submitted_at or timezone.now()
        submission.status = SubmissionStatus.SUBMITTED
        submission.submitted_at = now
        if submission.first_submitted_at is None:
            submission.first_submitted_at = now
    submission.version += 1
    submission.save()
    tallies.restate_submission(submission, unit, counted_as)
    record(
        acting_user,
        "submit" if submit else "update",
        submission,
        organization=unit,
        before=before,
        after={
            "status": submission.status,
            "period": key,
            "estimates" if estimating else "values": {
                i.code: str(new) if new is not None else None for i, _u, _k, _o, new in changes
            },
        },
    )
    return submission


def _write_figure(model, indicator, unit, key: str, new, submission, acting_user) -> None:
    """Store (or, for None, remove) a figure or an estimate typed in a report."""
    if new is None:
        model.objects.filter(indicator=indicator, unit=unit, period=key).delete()
    else:
        model.objects.update_or_create(
            indicator=indicator, unit=unit, period=key,
            defaults={"value": new, "submission": submission, "updated_by": _user(acting_user)},
        )  # fmt: skip


@transaction.atomic
def do_set_estimate(
    indicator: Indicator, *, unit: Organization, period: str, value, correction: bool = False, acting_user: User
) -> Estimate:
    """An estimate for a period not yet over; for one already over only as a correction of the
    estimate made then (recorded as such), never in place of the official figure."""
    if not can_edit(acting_user, unit):
        raise ValidationError(_("Bạn không có quyền nhập số liệu cho đơn vị này."))
    checked = _period_of(period)
    number = _check_value(indicator, value, field="value")
    over = checked.end < timezone.localdate()
    held = Estimate.objects.filter(indicator=indicator, unit=unit, period=checked.key).first()
    if over and not correction:
        raise ValidationError(
            {
                "value": _(
                    "Kỳ %(period)s đã kết thúc: số liệu bây giờ là số chính thức. Chỉ sửa số ước đã báo cáo "
                    "khi đính chính (đánh dấu “Đính chính số ước”)."
                )
                % {"period": checked.label}
            }
        )
    if over and held is None:
        raise ValidationError(
            {"value": _("Kỳ %(period)s chưa có số ước nào để đính chính.") % {"period": checked.label}}
        )
    estimate, created = Estimate.objects.update_or_create(
        indicator=indicator, unit=unit, period=checked.key,
        defaults={"value": number, "updated_by": _user(acting_user)},
    )  # fmt: skip
    record(
        acting_user,
        "correct" if over else "create" if created else "update",
        estimate,
        organization=unit,
        before={"value": str(held.value)} if held else None,
        after={"indicator": indicator.code, "period": checked.key, "value": str(number), "estimate": True},
    )
    return estimate


@transaction.atomic
def do_set_value(indicator: Indicator, *, unit: Organization, period: str, value, acting_user: User) -> Value:
    """The official figure of a period that is over, replacing (not erasing) its estimate; a
    figure an accepted report holds is locked until the level above returns that report."""
    if not can_edit(acting_user, unit):
        raise ValidationError(_("Bạn không có quyền nhập số liệu cho đơn vị này."))
    if indicator.source:
        raise ValidationError({"value": _("Chỉ tiêu này được tính từ hệ thống, không nhập tay.")})
    checked = _period_of(period)
    if checked.end >= timezone.localdate():
        raise ValidationError(
            {
                "value": _("Kỳ %(period)s chưa kết thúc: số liệu lúc này là số ước, hãy nhập vào ô số ước.")
                % {"period": checked.label}
            }
        )
    number = _check_value(indicator, value, field="value")
    held = Value.objects.select_for_update().filter(indicator=indicator, unit=unit, period=checked.key).first()
    if held is not None and _locked(held):
        raise ValidationError(
            {
                "value": _(
                    "Số liệu chính thức kỳ %(period)s đã nằm trong báo cáo được duyệt, không sửa được; đề nghị "
                    "cấp trên trả lại báo cáo nếu cần sửa."
                )
                % {"period": checked.label}
            }
        )
    old = held.value if held is not None else None
    deltas = tallies.value_deltas([(indicator, unit, checked.key, old, number)])
    saved, _created = Value.objects.update_or_create(
        indicator=indicator, unit=unit, period=checked.key,
        defaults={"value": number, "updated_by": _user(acting_user)},
    )  # fmt: skip
    tallies.bump_values(deltas)
    record(
        acting_user,
        "update" if held else "create",
        saved,
        organization=unit,
        before={"value": str(old)} if held else None,
        after={"indicator": indicator.code, "period": checked.key, "value": str(number)},
    )
    return saved


def _period_of(text: str) -> periods.Period:
    try:
        return periods.parse(text)
    except periods.PeriodError as exc:
        raise ValidationError({"period": str(exc)}) from None


def _locked(value: Value | Estimate) -> bool:
    if value.submission_id is None:
        return False
    return Submission.objects.filter(pk=value.submission_id, status=SubmissionStatus.ACCEPTED).exists()


def _user(user):
    return user if user.pk else None


def can_review(user, submission: Submission) -> bool:
    """Reports are accepted or returned by an editor of a unit above the reporting one."""
    return user.is_superuser or any(covers(user, path, EDIT_KINDS) for path in submission.unit.ancestor_paths)


@transaction.atomic
def do_review_submission(submission: Submission, *, accept: bool, comment: str = "", acting_user: User) -> Submission:
    submission = Submission.objects.select_for_update().select_related("unit", "form").get(pk=submission.pk)
    if not can_review(acting_user, submission):
        raise ValidationError(_("Chỉ đơn vị cấp trên mới duyệt hoặc trả lại báo cáo này."))
    comment = (comment or "").strip()[:5000]
    if submission.status != SubmissionStatus.SUBMITTED and not (accept is False and submission.status == "accepted"):
        raise ValidationError(_("Chỉ duyệt hoặc trả lại báo cáo đã gửi."))
    if not accept and not comment:
        raise ValidationError({"comment": _("Trả lại báo cáo cần ghi rõ lý do để đơn vị sửa.")})
    before = {"status": submission.status}
    counted_as = tallies.submission_state(submission)
    submission.status = SubmissionStatus.ACCEPTED if accept else SubmissionStatus.RETURNED
    submission.comment = comment
    submission.reviewed_at = timezone.now()
    submission.reviewed_by = _user(acting_user)
    submission.version += 1
    submission.save()
    # A returned report no longer counts as sent (nor as on time) until it is sent again.
    tallies.restate_submission(submission, submission.unit, counted_as)
    after: dict[str, object] = {"status": submission.status, "comment": comment}
    if accept:
        # Figures the report shows that no report held (imported, say) are accepted with it,
        # and locked with it like its own.
        after["values_taken"] = Value.objects.filter(
            unit=submission.unit,
            period=submission.period,
            indicator__in=submission.form.items.values("indicator"),
            submission__isnull=True,
        ).update(submission=submission)
    record(
        acting_user,
        "accept" if accept else "return",
        submission,
        organization=submission.unit,
        before=before,
        after=after,
    )
    return submission


def history_warnings(unit: Organization, period: str, values: dict[int, Decimal], indicators) -> dict[int, str]:
    """Values far from the unit's own history for the same kind of period (a warning, not an
    error): more than three spreads, and at least half, away from its past average."""
    kind = periods.parse(period).kind
    past: dict[int, list[Decimal]] = {}
    rows = Value.objects.filter(unit=unit, indicator__in=list(values)).exclude(period=period)
    for indicator_id, key, value in rows.values_list("indicator_id", "period", "value"):
        if periods.parse(key).kind == kind:
            past.setdefault(indicator_id, []).append(value)
    warnings = {}
    names = {i.pk: i for i in indicators}
    for indicator_id, value in values.items():
        history = [float(x) for x in past.get(indicator_id, [])]
        if len(history) < 2 or value is None:
            continue
        mean = statistics.fmean(history)
        spread = max(statistics.pstdev(history), abs(mean) * 0.1, 1e-9)
        if abs(float(value) - mean) > max(3 * spread, abs(mean) * 0.5):
            indicator = names[indicator_id]
            average = format_number(Decimal(str(round(mean, indicator.decimals))), indicator.decimals)
            warnings[indicator_id] = _(
                "Khác xa các kỳ trước của đơn vị (bình quân %(average)s %(measure)s); hãy kiểm tra lại."
            ) % {"average": average, "measure": indicator.measure}
    return warnings
