"""Writing indicators, targets, report forms, submissions and values: one function per
change, atomic and audited, keeping the tallies (tallies.py) in the same transaction."""

import re
import statistics
from decimal import Decimal

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
    FormIndicator,
    FormRule,
    FormUnit,
    Indicator,
    PeriodKind,
    ReportForm,
    Source,
    Submission,
    SubmissionStatus,
    Target,
    TargetKind,
    TimeAggregation,
    Value,
)
from hienthuc.indicators.sources import system_value
from hienthuc.lib import periods
from hienthuc.lib.numbers import NumberError, decimals_of, format_number, parse_number
from hienthuc.lib.text import clean
from hienthuc.orgs.models import Organization
from hienthuc.scope import EDIT_KINDS, can_edit, covers

CODE_RE = re.compile(r"^[A-Za-z0-9_.-]{1,40}$")
VALUE_LIMIT = Decimal("1e14")


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
    indicator: Indicator, *, unit: Organization, year: int, value, kind: str = TargetKind.YEAR, acting_user: User
) -> Target:
    """Set (or change) a target; targets below the indicator's owner are set by that owner."""
    if not (can_edit(acting_user, unit) and (unit.path.startswith(indicator.owner.path) or acting_user.is_superuser)):
        raise ValidationError({"unit": _("Chỉ đặt chỉ tiêu cho đơn vị xác định chỉ tiêu hoặc đơn vị trực thuộc.")})
    if kind not in TargetKind.values:
        raise ValidationError({"kind": _("Loại chỉ tiêu không hợp lệ.")})
    if not 1930 <= int(year or 0) <= 2200:
        raise ValidationError({"year": _("Năm phải từ 1930 đến 2200.")})
    number = _check_value(indicator, value, field="value")
    target, created = Target.objects.update_or_create(
        indicator=indicator, unit=unit, kind=kind, year=year, defaults={"value": number}
    )
    record(
        acting_user,
        "create" if created else "update",
        target,
        organization=unit,
        after={"indicator": indicator.code, "year": year, "kind": kind, "value": str(number)},
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
    acting_user: User,
) -> ReportForm:
    if not can_edit(acting_user, owner):
        raise ValidationError({"owner": _("Bạn không có quyền ban hành mẫu báo cáo cho đơn vị này.")})
    if period_kind not in PeriodKind.values:
        raise ValidationError({"period_kind": _("Kỳ báo cáo không hợp lệ.")})
    if not 1930 <= int(first_year or 0) <= 2200:
        raise ValidationError({"first_year": _("Năm bắt đầu phải từ 1930 đến 2200.")})
    name, sections = _check_form_fields(name, deadline_days, indicators, sections)
    form = ReportForm.objects.create(
        owner=owner, name=name, period_kind=period_kind, first_year=first_year, deadline_days=deadline_days,
        sections=sections,
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


def _check_form_fields(name: str, deadline_days: int, indicators: list, sections: str) -> tuple[str, str]:
    """What creating and editing a form check alike: the tidied name and sections."""
    name = clean(name)[:300]
    if not name:
        raise ValidationError({"name": _("Tên mẫu báo cáo không được để trống.")})
    if not 0 <= int(deadline_days) <= 120:
        raise ValidationError({"deadline_days": _("Hạn nộp từ 0 đến 120 ngày sau khi hết kỳ.")})
    if not indicators:
        raise ValidationError({"indicators": _("Mẫu báo cáo cần ít nhất một chỉ tiêu.")})
    return name, "\n".join(line.strip() for line in (sections or "").splitlines() if line.strip())


@transaction.atomic
def do_update_form(
    form: ReportForm,
    *,
    name: str,
    deadline_days: int,
    indicators: list[Indicator],
    sections: str = "",
    is_active: bool = True,
    acting_user: User,
) -> ReportForm:
    """Correct a form: its name, deadline, indicators and sections, or stop its use. Values
    already entered stay (they belong to units and periods, not to forms); a rule on an
    indicator taken out of the form goes with it; a new deadline counts the submissions
    already sent on time or late again."""
    if not can_edit(acting_user, form.owner):
        raise ValidationError(_("Bạn không có quyền sửa mẫu báo cáo này."))
    name, sections = _check_form_fields(name, deadline_days, indicators, sections)
    form = ReportForm.objects.select_for_update().get(pk=form.pk)
    kept = list(dict.fromkeys(indicators))
    before = {
        "name": form.name,
        "deadline_days": form.deadline_days,
        "sections": form.sections,
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
    form.save(update_fields=["name", "deadline_days", "sections", "is_active"])
    after = {
        "name": name,
        "deadline_days": form.deadline_days,
        "sections": sections,
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


def check_period(form: ReportForm, text: str) -> periods.Period:
    """The period a submission is for: of the form's kind, from its first year, already begun."""
    try:
        period = periods.parse(text)
    except periods.PeriodError as exc:
        raise ValidationError({"period": str(exc)}) from None
    if period.kind != form.period_kind:
        message = _("Mẫu “%(form)s” báo cáo theo %(kind)s; kỳ “%(period)s” không thuộc mẫu này.")
        kind = form.get_period_kind_display().lower()
        raise ValidationError({"period": message % {"form": form.name, "kind": kind, "period": period.label}})
    if period.year < form.first_year:
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
    key = check_period(form, period).key
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
    current = {
        v.indicator_id: v
        for v in Value.objects.filter(unit=unit, period=key, indicator__in=[i.indicator for i in items])
    }
    errors: dict[str, list[str]] = {}
    typed: dict[int, Decimal | None] = {}
    for item in items:
        indicator = item.indicator
        field = f"value_{indicator.pk}"
        raw = values.get(indicator.pk)
        held = current.get(indicator.pk)
        if held is not None and held.submission_id not in (None, submission.pk) and _locked(held):
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
    # Deltas are computed against the stored values, before any of them changes.
    deltas = tallies.value_deltas(changes)
    for indicator, _unit, _key, _old, new in changes:
        if new is None:
            Value.objects.filter(indicator=indicator, unit=unit, period=key).delete()
        else:
            Value.objects.update_or_create(
                indicator=indicator, unit=unit, period=key,
                defaults={"value": new, "submission": submission, "updated_by": _user(acting_user)},
            )  # fmt: skip
    tallies.bump_values(deltas)
    titles = form.section_titles
    submission.narrative = {t: (narrative or {}).get(t, "").strip()[:20000] for t in titles}
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
            "values": {i.code: str(new) if new is not None else None for i, _u, _k, _o, new in changes},
        },
    )
    return submission


def _locked(value: Value) -> bool:
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
