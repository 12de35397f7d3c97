from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hienthuc.forms import split_last, submit
from hienthuc.indicators import actions, tallies
from hienthuc.indicators.access import access_form, access_indicator, access_submission
from hienthuc.indicators.figures import (
    TERM_YEARS,
    completeness_panel,
    indicator_panel,
    light,
    period_rows,
    share_of,
    target_actual_chart,
    target_text,
    term_actual,
    year_rows,
)
from hienthuc.indicators.forms import (
    FigureForm,
    IndicatorForm,
    OneOffPeriodForm,
    ReportFormEditForm,
    ReportFormForm,
    RequireReportsForm,
    RuleForm,
    TargetForm,
    indicator_label,
)
from hienthuc.indicators.models import (
    Estimate,
    FormUnit,
    Indicator,
    PeriodKind,
    ReportForm,
    Submission,
    SubmissionStatus,
    Target,
    Value,
)
from hienthuc.indicators.sources import system_value
from hienthuc.lib import periods
from hienthuc.lib.numbers import format_number
from hienthuc.lib.text import fold
from hienthuc.orgs.access import access_organization, breadcrumbs, children_of, unit_asked
from hienthuc.orgs.models import Organization
from hienthuc.scope import can_edit, edits_anywhere


def home_unit(request: HttpRequest) -> Organization | None:
    return unit_asked(request.user, request.GET)


# ---- indicators ---------------------------------------------------------------------------


def indicator_list(request: HttpRequest) -> HttpResponse:
    indicators = Indicator.objects.visible_to(request.user).select_related(
        "owner", "document__kind", "document__issuing_unit"
    )
    form = IndicatorForm(request.POST or None, user=request.user)
    created = submit(
        request,
        form,
        lambda data: actions.do_create_indicator(acting_user=request.user, **data),
        lambda indicator: _("Đã thêm chỉ tiêu %(code)s.") % {"code": indicator.code},
    )
    if created:
        return redirect(created)
    can_create = edits_anywhere(request.user)
    return render(
        request, "indicators/indicator_list.html", {"indicators": indicators, "form": form, "can_create": can_create}
    )


def indicator_detail(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = access_indicator(request.user, pk)
    unit = home_unit(request)
    today = timezone.localdate()
    year = int(request.GET["year"]) if request.GET.get("year", "").isdigit() else today.year
    year = min(max(year, 1930), today.year + 10)
    # Six years up to today, reaching back to the year asked for.
    years = list(range(min(year, today.year - 5), max(year, today.year) + 1))
    posted = request.POST if request.method == "POST" else None
    target_form = TargetForm(
        posted if posted and "origin" in posted else None, user=request.user, initial={"year": today.year}
    )
    figure_form = FigureForm(
        posted if posted and "origin" not in posted else None,
        user=request.user,
        initial={"unit": unit.name if unit else ""},
        prefix="figure",
    )
    if posted and "origin" in posted:
        if submit(
            request,
            target_form,
            lambda data: actions.do_set_target(indicator, acting_user=request.user, **data),
            _("Đã lưu chỉ tiêu."),
        ):
            return redirect(request.get_full_path())
    elif posted:
        if submit(request, figure_form, lambda data: _set_figure(indicator, data, request.user), _("Đã lưu số liệu.")):
            return redirect(request.get_full_path())
    children = []
    if unit is not None:
        rows = children_of(unit)
        figures = tallies.children_unit_figures(unit, [r["pk"] for r in rows], indicator, tallies.year_keys([year]))
        targets = dict(
            Target.objects.assigned()
            .filter(indicator=indicator, kind="year", year=year, unit__in=[r["pk"] for r in rows])
            .values_list("unit_id", "value")
        )
        guesses = tallies.estimates([r["pk"] for r in rows], [indicator.pk], [str(year)])
        this_year = periods.Period(year, periods.YEAR, 1)
        for row in rows:
            shown = tallies.period_figure(indicator, figures[row["pk"]], this_year, guesses.get(row["pk"]))
            actual = shown.value
            target = targets.get(row["pk"])
            if actual is None and target is None:
                continue
            share = share_of(actual, target)
            children.append(
                {
                    "unit": row,
                    "actual": actual,
                    "how": shown.how,
                    "target": target,
                    "share": share,
                    "light": light(indicator, actual, target),
                }
            )
        children.sort(
            key=lambda c: (
                c["actual"] is None,
                -(c["actual"] or 0) if indicator.higher_is_better else (c["actual"] or 0),
            )
        )
    history = year_rows(indicator, unit, years) if unit else []
    # Term targets as written; the page's unit's judged by their basis (level, average, total).
    term_targets = []
    for t in Target.objects.filter(indicator=indicator, kind="term").select_related("unit", "indicator"):
        actual = None
        if unit is not None and t.unit_id == unit.pk:
            term_years = list(range(t.year - TERM_YEARS + 1, t.year + 1))
            own = {r["year"]: r["actual"] for r in year_rows(indicator, unit, term_years)}
            actual = term_actual(indicator, t, own)
        term_targets.append((t, target_text(t), actual))
    reported = [c for c in children if c["actual"] is not None]
    context = {
        "indicator": indicator,
        "unit": unit,
        "crumbs": breadcrumbs(request.user, unit) if unit else [],
        "history": history,
        "children": children,
        "year": year,
        "years": years,
        "chart": target_actual_chart([str(r["year"]) for r in history], history),
        # The children ranked, as bars: actual against each one's target where it has one.
        "children_chart": target_actual_chart([c["unit"]["name"] for c in reported], reported, horizontal=True),
        "term_targets": term_targets,
        "periods": period_rows(indicator, unit, year) if unit else [],
        "target_form": target_form,
        "figure_form": figure_form,
        "can_set": unit is not None and can_edit(request.user, unit),
    }
    return render(request, "indicators/indicator_detail.html", context)


def _set_figure(indicator: Indicator, data: dict, user):
    if data["estimate"] or data["correction"]:
        return actions.do_set_estimate(
            indicator,
            unit=data["unit"],
            period=data["period"],
            value=data["value"],
            correction=data["correction"],
            acting_user=user,
        )
    return actions.do_set_value(
        indicator, unit=data["unit"], period=data["period"], value=data["value"], acting_user=user
    )


def form_list(request: HttpRequest) -> HttpResponse:
    forms_ = ReportForm.objects.visible_to(request.user).select_related("owner")
    form = ReportFormForm(request.POST or None, user=request.user, initial={"first_year": timezone.localdate().year})
    created = submit(
        request,
        form,
        lambda data: actions.do_create_form(acting_user=request.user, **data),
        lambda created: _("Đã tạo mẫu “%(created)s”.") % {"created": created.name},
    )
    if created:
        return redirect(created)
    can_create = edits_anywhere(request.user)
    return render(request, "indicators/form_list.html", {"forms": forms_, "form": form, "can_create": can_create})


def form_edit(request: HttpRequest, pk: int) -> HttpResponse:
    form = access_form(request.user, pk, write=True)
    codes = ", ".join(form.items.order_by("order").values_list("indicator__code", flat=True))
    initial = {
        "name": form.name,
        "deadline_days": form.deadline_days,
        "indicators": codes,
        "sections": form.sections,
        "fields": form.fields,
    }
    edit_form = ReportFormEditForm(
        request.POST or None, user=request.user, initial={**initial, "is_active": form.is_active}
    )
    if submit(
        request,
        edit_form,
        lambda data: actions.do_update_form(form, acting_user=request.user, **data),
        _("Đã lưu mẫu báo cáo."),
    ):
        return redirect(form)
    return render(request, "indicators/form_edit.html", {"form": form, "edit_form": edit_form})


def form_detail(request: HttpRequest, pk: int) -> HttpResponse:
    form = access_form(request.user, pk)
    editable = can_edit(request.user, form.owner)
    require_form = RequireReportsForm(prefix="req")
    rule_form = RuleForm(user=request.user, prefix="rule")
    period_form = OneOffPeriodForm(prefix="period")
    if request.method == "POST":
        if not editable:
            raise PermissionDenied(_("Bạn chỉ có quyền xem mẫu báo cáo này."))
        if "period-name" in request.POST:
            period_form = OneOffPeriodForm(request.POST, prefix="period")
            if submit(
                request,
                period_form,
                lambda data: actions.do_add_one_off_period(form, acting_user=request.user, **data),
                _("Đã thêm đợt báo cáo."),
            ):
                return redirect(form)
        elif "req-mode" in request.POST:
            require_form = RequireReportsForm(request.POST, prefix="req")
            if (
                submit(
                    request,
                    require_form,
                    lambda data: actions.do_require_reports(
                        form, units=require_form.units_below(form.owner), acting_user=request.user
                    ),
                    lambda n: f"Đã giao {n} đơn vị nộp báo cáo." if n else "Các đơn vị này đã được giao.",
                )
                is not None
            ):
                return redirect(form)
        elif "rule-left" in request.POST:
            rule_form = RuleForm(request.POST, user=request.user, prefix="rule")
            if submit(
                request,
                rule_form,
                lambda data: actions.do_add_rule(
                    form,
                    left=data["left"][0],
                    comparison=data["comparison"],
                    right=data["right"][0],
                    acting_user=request.user,
                ),
                _("Đã thêm quy tắc kiểm tra."),
            ):
                return redirect(form)
    today = timezone.localdate()
    closed = form.periods_open(today)
    recent = closed[:8]
    # The user's own units that must submit this form, with their submissions.
    mine = [
        fu.unit for fu in FormUnit.objects.filter(form=form).select_related("unit") if can_edit(request.user, fu.unit)
    ][:50]
    submissions = {
        (s.unit_id, s.period): s
        for s in Submission.objects.filter(form=form, unit__in=mine, period__in=[p.key for p in recent])
    }
    top = home_unit(request)
    completeness = []
    if top is not None:
        totals = tallies.completeness_many(top, [(form, period.key) for period in recent[:4]])
        completeness = [{"period": p, "totals": totals[(form.pk, p.key)]} for p in recent[:4]]
    context = {
        "form": form,
        "items": form.items.select_related("indicator"),
        "rules": form.rules.select_related("left", "right"),
        "required_count": form.required.count(),
        "can_edit": editable,
        "require_form": require_form,
        "rule_form": rule_form,
        "period_form": period_form,
        "one_off": form.one_off_periods.all() if form.period_kind == PeriodKind.ONE_OFF else [],
        "recent": recent,
        "closed": closed,
        "mine": [(unit, [(p, submissions.get((unit.pk, p.key))) for p in recent]) for unit in mine],
        "top": top,
        "completeness": completeness,
        "labels": tallies.COMPLETENESS_LABELS,
    }
    return render(request, "indicators/form_detail.html", context)


def fill(request: HttpRequest, pk: int) -> HttpResponse:
    """A unit's report for a period: values already known are shown filled, the rest asked."""
    form = access_form(request.user, pk)
    unit = home_unit(request)
    period_key = request.GET.get("period", "")
    try:
        period = actions.check_period(form, period_key)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(form)
    if unit is None or not FormUnit.objects.filter(form=form, unit=unit).exists():
        messages.error(request, _("Đơn vị này không phải nộp mẫu báo cáo này."))
        return redirect(form)
    submission = Submission.objects.filter(form=form, unit=unit, period=period.key).first()
    items = list(form.items.select_related("indicator").order_by("order"))
    # A period not yet over is reported in estimates (actions.do_save_submission).
    estimating = period.end >= timezone.localdate()
    held = {
        v.indicator_id: v
        for v in (Estimate if estimating else Value).objects.filter(
            unit=unit, period=period.key, indicator__in=[i.indicator for i in items]
        )
    }
    estimated = (
        {}
        if estimating
        else dict(
            Estimate.objects.filter(
                unit=unit, period=period.key, indicator__in=[i.indicator for i in items]
            ).values_list("indicator_id", "value")
        )
    )
    errors: dict = {}
    typed: dict[int, str] = {}
    narrative = dict(submission.narrative) if submission else {}
    if request.method == "POST":
        if not can_edit(request.user, unit):
            raise PermissionDenied(_("Bạn chỉ có quyền xem báo cáo này."))
        typed = {i.indicator_id: request.POST.get(f"value_{i.indicator_id}", "") for i in items}
        narrative = {key: request.POST.get(f"section_{n}", "") for n, (_f, _t, key) in enumerate(form.narrative_parts)}
        version = request.POST.get("version", "")
        try:
            saved = actions.do_save_submission(
                form,
                unit=unit,
                period=period.key,
                values=typed,
                narrative=narrative,
                version=int(version) if version.isdigit() else None,
                submit="submit" in request.POST,
                acting_user=request.user,
            )
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        else:
            messages.success(
                request, _("Đã gửi báo cáo lên cấp trên.") if saved.status == "submitted" else _("Đã lưu bản nháp.")
            )
            return redirect(f"{request.path}?unit={unit.pk}&period={period.key}")
    from_elsewhere = 0
    rows = []
    for item in items:
        indicator = item.indicator
        value = held.get(item.indicator_id)
        if indicator.source:
            # Counted from the system, shown as it stands today (stored when the report is saved).
            counted = system_value(indicator.source, unit)
            shown = format_number(counted, indicator.decimals) if counted is not None else ""
        elif item.indicator_id in typed:
            shown = typed[item.indicator_id]
        else:
            shown = format_number(value.value, indicator.decimals) if value else ""
        elsewhere = indicator.source != "" or (
            value is not None and (submission is None or value.submission_id != submission.pk)
        )
        from_elsewhere += elsewhere
        rows.append(
            {
                "indicator": indicator,
                "field": f"value_{item.indicator_id}",
                "value": shown,
                "elsewhere": elsewhere,
                "system": bool(indicator.source),
                "estimated": estimated.get(item.indicator_id),
                "errors": errors.get(f"value_{item.indicator_id}", []),
            }
        )
    current = {i.indicator_id: held[i.indicator_id].value for i in items if i.indicator_id in held}
    warnings = actions.history_warnings(unit, period.key, current, [i.indicator for i in items]) if current else {}
    for row in rows:
        row["warning"] = warnings.get(row["indicator"].pk)
    context = {
        "form": form,
        "unit": unit,
        "period": period,
        "due": period.due(form.deadline_days),
        "estimating": estimating,
        "submission": submission,
        "rows": rows,
        "filled": from_elsewhere,
        "sections": [
            {"n": n, "field": f, "title": t, "text": narrative.get(key, ""), "errors": errors.get(f"section_{n}", [])}
            for n, (f, t, key) in enumerate(form.narrative_parts)
        ],
        "errors": errors.get("__all__", []),
        "editable": can_edit(request.user, unit) and not (submission and submission.is_locked),
        "can_review": submission is not None and actions.can_review(request.user, submission),
    }
    return render(request, "indicators/fill.html", context, status=400 if errors else 200)


@require_POST
def review(request: HttpRequest, pk: int) -> HttpResponse:
    submission = access_submission(request.user, pk)
    try:
        actions.do_review_submission(
            submission,
            accept="accept" in request.POST,
            comment=request.POST.get("comment", ""),
            acting_user=request.user,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Đã duyệt báo cáo.") if "accept" in request.POST else _("Đã trả lại báo cáo."))
    return redirect(submission)


def submission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    submission = access_submission(request.user, pk)
    url = reverse("report_fill", args=[submission.form_id])
    return redirect(f"{url}?unit={submission.unit_id}&period={submission.period}")


def completeness(request: HttpRequest, pk: int) -> HttpResponse:
    """Who had to report, who sent it on time, late, not at all — per child, drill-down."""
    form = access_form(request.user, pk)
    unit = home_unit(request)
    if unit is None:
        raise PermissionDenied(_("Bạn chưa có đơn vị nào."))
    today = timezone.localdate()
    recent = form.periods_due(today)
    try:
        period = actions.check_period(form, request.GET["period"]) if request.GET.get("period") else recent[0]
    except (ValidationError, IndexError):
        messages.error(request, _("Kỳ báo cáo không hợp lệ cho mẫu này."))
        return redirect(form)
    totals, per_child = tallies.completeness(unit, form, period.key)
    children = []
    for child in children_of(unit, include_inactive=True):
        counts = per_child.get(child["pk"])
        if counts and sum(counts.values()):
            required = sum(counts.values())
            children.append(
                {
                    "unit": child,
                    "counts": counts,
                    "required": required,
                    "share": round(100 * (required - counts["missing"]) / required),
                }
            )
    children.sort(key=lambda c: (c["share"], c["unit"]["name"]))
    # The units required right below, each with its submission.
    direct = [
        duty
        for duty in FormUnit.objects.filter(
            form=form, unit__path__startswith=unit.path, unit__depth__lte=unit.depth + 1
        )
        .select_related("unit")
        .order_by("unit__depth", "unit__search_text")
        if duty.covers(period.end)  # a duty a reorganization dated covers some periods only
    ]
    sent = {
        s.unit_id: s for s in Submission.objects.filter(form=form, period=period.key, unit__in=[d.unit for d in direct])
    }
    due = period.due(form.deadline_days)
    rows = []
    for d in direct:
        s = sent.get(d.unit_id)
        state = tallies.submission_state(s, form.deadline_days) if s else tallies.MISSING
        rows.append({"unit": d.unit, "submission": s, "state": state})
    context = {
        "form": form,
        "unit": unit,
        "crumbs": breadcrumbs(request.user, unit),
        "period": period,
        "recent": recent[:12],
        "due": due,
        "totals": totals,
        "children": children,
        "rows": rows,
        "labels": tallies.COMPLETENESS_LABELS,
        "statuses": dict(SubmissionStatus.choices),
    }
    return render(request, "indicators/completeness.html", context)


def unit_panels(request: HttpRequest, pk: int) -> HttpResponse:
    """The unit dashboard's indicator and report panels, loaded after the page (htmx) so the
    task figures never wait for them; the same URL serves them as a page of their own."""
    org = access_organization(request.user, pk)
    today = timezone.localdate()
    year = request.GET.get("year", "")
    year = int(year) if year.isdigit() and 1930 <= int(year) <= 2200 else today.year
    context = {
        "org": org,
        "crumbs": breadcrumbs(request.user, org),
        "crumb_current": org.name,
        "year": year,
        "indicators": indicator_panel(org, year),
        "reports": completeness_panel(org, today),
        "report_labels": tallies.COMPLETENESS_LABELS,
    }
    template = "indicators/panels.html#panels" if request.htmx else "indicators/panels.html"
    return render(request, template, context)


def indicator_lookup(request: HttpRequest) -> HttpResponse:
    """Suggestions for an indicator box: by name or code, without diacritics, among the
    indicators the user sees; in a box of several, each option keeps the ones typed before."""
    text = next((v for v in request.GET.values() if v.strip()), "")
    before, query = split_last(text)
    words = fold(query).split()
    options = []
    if words:
        for indicator in Indicator.objects.visible_to(request.user).only("pk", "code", "name", "measure"):
            haystack = f"{fold(indicator.name)} {indicator.code.lower()}"
            if all(word in haystack for word in words):
                options.append((f"{before}{indicator_label(indicator)}", indicator))
                if len(options) == 20:
                    break
    return render(request, "indicators/indicator_lookup.html", {"options": options})
