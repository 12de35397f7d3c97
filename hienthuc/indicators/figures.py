"""What the indicator pages, the dashboard panels, the API and the yearly report compute:
a unit's figures against its targets (share of target, forecast light), an indicator's years,
the panels of the unit dashboard. Views render these; they compute nothing themselves."""

from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from hienthuc.indicators import tallies
from hienthuc.indicators.models import (
    FormUnitTally,
    Indicator,
    ReportForm,
    Target,
    TargetBasis,
    TargetOrigin,
    Value,
)
from hienthuc.lib import periods
from hienthuc.lib import targets as targets_lib
from hienthuc.lib.numbers import format_number
from hienthuc.orgs.models import Organization, Succession


def year_rows(indicator: Indicator, unit: Organization, years: list[int]) -> list[dict]:
    """Target and actual per year for a unit, with % of target and the change on the year before;
    the actual marked when composed from the quarters or months, or an estimate, and the unit's
    own target beside the assigned one."""
    figures = tallies.unit_figures(unit, [indicator], tallies.year_keys(years))
    guesses = tallies.estimates([unit.pk], [indicator.pk], [str(y) for y in years]).get(unit.pk, {})
    targets: dict[tuple, Target] = {
        (t.year, t.origin): t
        for t in Target.objects.filter(indicator=indicator, unit=unit, kind="year", year__in=years).select_related(
            "indicator"
        )
    }
    rows, previous = [], None
    for year in years:
        shown = tallies.period_figure(indicator, figures, periods.Period(year, periods.YEAR, 1), guesses)
        actual = shown.value
        assigned, own = targets.get((year, TargetOrigin.ASSIGNED)), targets.get((year, TargetOrigin.OWN))
        target = assigned.value if assigned else None
        rows.append(
            {
                "year": year,
                "target": target,
                "target_text": target_text(assigned),
                "own_target": target_text(own),
                "actual": actual,
                "how": shown.how,
                "differs": shown.differs,
                "estimate": guesses.get((indicator.pk, str(year))),
                "share": share_of(actual, target),
                "change": actual - previous if actual is not None and previous is not None else None,
            }
        )
        previous = actual
    return rows


def target_text(target: Target | None) -> str:
    """A target as written, or its bounds in office notation."""
    if target is None:
        return ""
    if target.text:
        return target.text
    places = target.indicator.decimals

    def written(value):
        return format_number(value, places)

    if target.low is None and target.high is None:
        return written(target.value)
    return targets_lib.describe(target.low, target.high, written)


TERM_YEARS = 5  # a Party term


def term_actual(indicator: Indicator, target: Target, history: dict[int, Decimal | None]) -> Decimal | None:
    """What a term target is judged by, from the unit's yearly figures {year: figure}: the level
    of its last year, the yearly average of the term so far, or the term's total so far."""
    years = range(target.year - TERM_YEARS + 1, target.year + 1)
    known = [history[y] for y in years if history.get(y) is not None]
    if target.basis == TargetBasis.AVERAGE:
        return sum(known) / len(known) if known else None
    if target.basis == TargetBasis.TOTAL:
        return sum(known) if known else None
    return history.get(target.year)


def period_rows(indicator: Indicator, unit: Organization, year: int) -> list[dict]:
    """The indicator's figures through a year — quarters, six months, nine months, the year —
    each reported, composed from shorter periods, estimated or partial, with the difference
    flagged where a reported figure is far from what its parts make."""
    keys = tallies.year_keys([year])
    figures = tallies.unit_figures(unit, [indicator], keys)
    guesses = tallies.estimates([unit.pk], [indicator.pk], keys).get(unit.pk, {})
    wanted = [
        *periods.periods_of_year(periods.QUARTER, year),
        periods.Period(year, periods.HALF, 1),
        periods.Period(year, periods.NINE_MONTHS, 1),
        periods.Period(year, periods.YEAR, 1),
    ]
    rows = []
    for period in wanted:
        shown = tallies.period_figure(indicator, figures, period, guesses)
        if shown.value is None and (indicator.pk, period.key) not in guesses:
            continue
        rows.append(
            {
                "period": period,
                "value": shown.value,
                "how": shown.how,
                "differs": shown.differs,
                "estimate": guesses.get((indicator.pk, period.key)),
            }
        )
    return rows


def share_of(actual, target) -> Decimal | None:
    """Actual as a percentage of the target (one decimal), when both are known."""
    return round(100 * actual / target, 1) if actual is not None and target else None


def target_actual_chart(labels: list[str], rows: list[dict], **options) -> dict:
    """Chart data of target against actual for indicator.js, one bar pair per label."""

    def series(key):
        return [float(r[key]) if r[key] is not None else None for r in rows]

    return {
        "labels": labels,
        "series": [
            {"label": _("Chỉ tiêu"), "data": series("target")},
            {"label": _("Thực hiện"), "data": series("actual")},
        ],
        **options,
    }


def light(indicator: Indicator, actual, target, *, elapsed: float = 1.0) -> str:
    """Forecast light: green on course, orange close, red at risk, grey when it cannot be judged.

    A figure that adds up over the year is judged against the share of the year gone by
    (`elapsed`): 60 % of the target by the end of July is on course."""
    if actual is None or target is None or target == 0:
        return "grey"
    if indicator.time_aggregation == "sum":
        target = target * Decimal(str(max(elapsed, 1 / 12)))
    ratio = actual / target if indicator.higher_is_better else target / actual if actual else 0
    return "green" if ratio >= 1 else "orange" if ratio >= 0.9 else "red"


def indicator_panel(org: Organization, year: int) -> list[dict]:
    """The unit's indicators with a target this year: target, actual so far (or the estimate of
    the year), % of target, last year's actual and the forecast light — red first. A unit
    without targets of its own sees the indicators it reported this year instead (no target, so
    no light). A few queries."""
    today = timezone.localdate()
    targets = {
        t.indicator_id: t
        for t in Target.objects.assigned().filter(unit=org, kind="year", year=year).select_related("indicator")
    }
    own = {
        t.indicator_id: t
        for t in Target.objects.filter(unit=org, kind="year", year=year, origin=TargetOrigin.OWN).select_related(
            "indicator"
        )
    }
    indicators = [t.indicator for t in targets.values()]
    indicators += [t.indicator for pk, t in own.items() if pk not in targets]
    if not indicators:
        # A successor of a reorganization reads, for the years before it, what its predecessors reported.
        reporters = [org.pk, *Succession.objects.filter(successor=org).values_list("predecessor_id", flat=True)]
        reported = Value.objects.filter(unit__in=reporters, period__startswith=str(year)).values("indicator_id")
        indicators = list(Indicator.objects.filter(pk__in=reported).order_by("order", "code")[:30])
    if not indicators:
        return []
    keys = tallies.year_keys([year - 1, year])
    figures, recomputed = tallies.comparable_figures(org, indicators, keys)
    guesses = tallies.estimates([org.pk], [i.pk for i in indicators], [str(year)]).get(org.pk, {})
    this_year = periods.Period(year, periods.YEAR, 1)
    rows = []
    for indicator in indicators:
        shown = tallies.period_figure(indicator, figures, this_year, guesses)
        target = targets[indicator.pk].value if indicator.pk in targets else None
        # An estimate speaks for the whole year; a partial figure for the months gone by.
        elapsed = (today.month - 1) / 12 if year == today.year and shown.how != tallies.ESTIMATE else 1.0
        rows.append(
            {
                "indicator": indicator,
                "target": target,
                "target_text": target_text(targets.get(indicator.pk)),
                "own_target": target_text(own.get(indicator.pk)),
                "actual": shown.value,
                "how": shown.how,
                "share": share_of(shown.value, target),
                "last_year": tallies.year_value(indicator, figures, year - 1),
                "light": light(indicator, shown.value, target, elapsed=elapsed),
                # Figures of the years before a reorganization, on today's boundaries.
                "recomputed": any(key[0] == indicator.pk for key in recomputed),
            }
        )
    order = {"red": 0, "orange": 1, "grey": 2, "green": 3}
    rows.sort(key=lambda r: (order[r["light"]], r["indicator"].order))
    return rows


def completeness_panel(org: Organization, today) -> list[dict]:
    """Each report form some units below must submit, at its latest closed period."""
    form_ids = (
        FormUnitTally.objects.filter(unit__path__startswith=org.path, unit__depth=org.depth + 1, n__gt=0)
        .values_list("form_id", flat=True)
        .distinct()
    )
    pairs = []
    forms = ReportForm.objects.filter(pk__in=form_ids, is_active=True).prefetch_related("one_off_periods")
    for form in forms.order_by("name")[:10]:
        closed = form.periods_due(today)
        if closed:
            pairs.append((form, closed[0]))
    totals = tallies.completeness_many(org, [(form, period.key) for form, period in pairs])
    return [{"form": form, "period": period, "totals": totals[(form.pk, period.key)]} for form, period in pairs]


# ---- report forms -------------------------------------------------------------------------
