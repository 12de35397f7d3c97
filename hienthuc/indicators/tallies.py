"""Live rollups of indicator values and of report submissions (DESIGN §3, "live figures").

Values: every unit from the province down keeps, per indicator, period and the depth of the
reporting units, how many values the units below it hold, their sum, and Σ value×weight and
Σ weight for weighted averages (a unit's own value is its Value row, not repeated here, so an
import at the leaves writes only the far fewer rows of their ancestors). A unit's figure is its
own value when it reported one, else the rollup of the shallowest level below it that
reported (so a district's figure and its communes' are never added together). Submissions:
how many units of each subtree must submit each form, and how many sent each period's report
on time or late.

Every write in actions.py bumps these in its transaction; rebuild() recounts them from the rows.
"""

from collections import Counter
from decimal import Decimal

from django.db import connection
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hienthuc.indicators.models import (
    Aggregation,
    Estimate,
    FormUnit,
    FormUnitTally,
    Indicator,
    ReportForm,
    Submission,
    SubmissionStatus,
    SubmissionTally,
    Value,
    ValueTally,
)
from hienthuc.lib import periods
from hienthuc.orgs import rollup
from hienthuc.orgs.models import AGGREGATE_MIN_DEPTH, Organization, Succession
from hienthuc.orgs.rollup import Units

# Raw SQL names its tables through the models (a renamed table cannot leave a query behind).
_VALUE, _VALUE_TALLY, _INDICATOR = Value._meta.db_table, ValueTally._meta.db_table, Indicator._meta.db_table
_FORM_UNIT, _FORM_UNIT_TALLY = FormUnit._meta.db_table, FormUnitTally._meta.db_table
_SUBMISSION_TALLY, _UNIT = SubmissionTally._meta.db_table, Organization._meta.db_table

ZERO = Decimal(0)
ON_TIME, LATE, MISSING = "on_time", "late", "missing"
COMPLETENESS_LABELS = {
    ON_TIME: gettext_lazy("Nộp đúng hạn"),
    LATE: gettext_lazy("Nộp muộn"),
    MISSING: gettext_lazy("Chưa nộp"),
}


# ---- writes -------------------------------------------------------------------------------


def value_deltas(changes) -> dict:
    """Tally deltas for value changes [(indicator, unit, period, old, new)] (old/new a Decimal
    or None), computed before they are written: {(unit path, indicator id, period, depth):
    (n, total, wsum, wtotal)}.

    A weighted average keeps Σ value×weight and Σ weight over the values present, a missing
    weight counting as 0; its share is recomputed before and after the batch, so a value and
    its weight may arrive in either order or together."""
    deltas: dict = {}

    def add(unit, indicator_id, period, delta) -> None:
        key = (unit.path, indicator_id, period, unit.depth)
        deltas[key] = tuple(a + b for a, b in zip(deltas.get(key, (0, ZERO, ZERO, ZERO)), delta, strict=True))

    new_values = {(i.pk, u.pk, p): new for i, u, p, _old, new in changes}
    # Which indicators each changed one is the weight of: one query, not one per value.
    weighted_by: dict[int, list[int]] = {}
    rows = Indicator.objects.filter(weight_id__in={i.pk for i, *_ in changes}, aggregation=Aggregation.WEIGHTED)
    for pk, weight_id in rows.values_list("pk", "weight_id"):
        weighted_by.setdefault(weight_id, []).append(pk)
    weighted: set = set()
    for indicator, unit, period, old, new in changes:
        add(
            unit,
            indicator.pk,
            period,
            ((new is not None) - (old is not None), (new or ZERO) - (old or ZERO), ZERO, ZERO),
        )
        if indicator.aggregation == Aggregation.WEIGHTED:
            weighted.add((indicator.pk, indicator.weight_id, unit, period))
        for weighted_id in weighted_by.get(indicator.pk, ()):
            weighted.add((weighted_id, indicator.pk, unit, period))
    stored = _values(
        {
            (i, unit.pk, period)
            for indicator_id, weight_id, unit, period in weighted
            for i in (indicator_id, weight_id)
            if i
        }
    )
    for indicator_id, weight_id, unit, period in weighted:
        value_old, weight_old = stored.get((indicator_id, unit.pk, period)), stored.get((weight_id, unit.pk, period))
        value_new = new_values.get((indicator_id, unit.pk, period), value_old)
        weight_new = new_values.get((weight_id, unit.pk, period), weight_old)
        before = ((value_old or ZERO) * (weight_old or ZERO), (weight_old or ZERO) if value_old is not None else ZERO)
        after = ((value_new or ZERO) * (weight_new or ZERO), (weight_new or ZERO) if value_new is not None else ZERO)
        add(unit, indicator_id, period, (0, ZERO, after[0] - before[0], after[1] - before[1]))
    return deltas


def _values(keys: set[tuple[int, int, str]]) -> dict[tuple[int, int, str], Decimal]:
    """The stored values of (indicator id, unit id, period) keys, a few queries for thousands
    (an import of a weight reads the weighted figure of every row)."""
    found = {}
    ordered = sorted(keys, key=lambda key: key[1])
    for start in range(0, len(ordered), 2_000):
        wanted = set(ordered[start : start + 2_000])
        rows = Value.objects.filter(
            unit_id__in={unit for _indicator, unit, _period in wanted},
            period__in={period for _indicator, _unit, period in wanted},
            indicator_id__in={indicator for indicator, _unit, _period in wanted},
        ).values_list("indicator_id", "unit_id", "period", "value")
        found.update(((i, u, p), v) for i, u, p, v in rows if (i, u, p) in wanted)
    return found


def bump_values(deltas: dict) -> None:
    rollup.upsert_add(
        ValueTally._meta.db_table,
        ["unit_id", "indicator_id", "period", "depth"],
        ["n", "total", "wsum", "wtotal"],
        rollup.spread(deltas, ancestors_only=True),
    )


def bump_required(form: ReportForm, units: list[Organization], sign: int) -> None:
    deltas = rollup.spread(Counter({(unit.path, form.pk): sign for unit in units}))
    rollup.upsert_add(FormUnitTally._meta.db_table, ["unit_id", "form_id"], ["n"], deltas)


# A report counts as sent while it waits for review or once accepted, on time or late by when
# that version was sent; a returned one counts as not sent until it is sent again.
SENT_STATUSES = (SubmissionStatus.SUBMITTED, SubmissionStatus.ACCEPTED)


def timeliness(sent_at, period: str, deadline_days: int) -> str:
    return ON_TIME if timezone.localdate(sent_at) <= periods.parse(period).due(deadline_days) else LATE


def submission_state(submission: Submission, deadline_days: int | None = None) -> str:
    """ON_TIME, LATE, or MISSING (never sent, or returned and not sent again)."""
    if submission.status not in SENT_STATUSES or submission.submitted_at is None:
        return MISSING
    days = submission.form.deadline_days if deadline_days is None else deadline_days
    return timeliness(submission.submitted_at, submission.period, days)


def _bump_states(moves: Counter) -> None:
    moves = Counter({key: n for key, n in moves.items() if key[3] != MISSING and n})
    if moves:
        deltas = rollup.spread(moves)
        rollup.upsert_add(SubmissionTally._meta.db_table, ["unit_id", "form_id", "period", "state"], ["n"], deltas)


def recount_timeliness(form: ReportForm, *, old_days: int, new_days: int) -> None:
    """A form's deadline changed: submissions sent move between on time and late."""
    moves: Counter = Counter()
    sent = Submission.objects.filter(form=form, status__in=SENT_STATUSES).select_related("unit")
    for submission in sent:
        old, new = submission_state(submission, old_days), submission_state(submission, new_days)
        if old != new:
            moves[(submission.unit.path, form.pk, submission.period, old)] -= 1
            moves[(submission.unit.path, form.pk, submission.period, new)] += 1
    _bump_states(moves)


def restate_submission(submission: Submission, unit: Organization, before: str) -> None:
    """After a submission was sent, returned or accepted: it leaves the state it was counted in
    (`before`, from submission_state) for the one it is in now."""
    after = submission_state(submission)
    if after != before:
        key = (unit.path, submission.form_id, submission.period)
        _bump_states(Counter({(*key, before): -1, (*key, after): 1}))


# ---- reads: values ------------------------------------------------------------------------


class Figure:
    """A rolled-up (n, total, wsum, wtotal), read as the indicator's aggregation says."""

    __slots__ = ("n", "total", "wsum", "wtotal")

    def __init__(self, n=0, total=ZERO, wsum=ZERO, wtotal=ZERO):
        self.n, self.total, self.wsum, self.wtotal = n, Decimal(total), Decimal(wsum), Decimal(wtotal)

    def __add__(self, other: "Figure") -> "Figure":
        return Figure(self.n + other.n, self.total + other.total, self.wsum + other.wsum, self.wtotal + other.wtotal)

    def value(self, aggregation: str) -> Decimal | None:
        if not self.n:
            return None
        if aggregation == Aggregation.SUM:
            return self.total
        if aggregation == Aggregation.AVERAGE:
            return self.total / self.n
        if aggregation == Aggregation.WEIGHTED:
            return self.wsum / self.wtotal if self.wtotal else None
        return None  # not added up: only a unit's own value counts


def children_figures(org: Organization, indicator_ids, period_keys) -> dict[tuple, dict[int, Figure]]:
    """{(indicator id, period): {child unit id: the figure below it}} in one query: the
    shallowest level below each child that reported (a child's own value is read from its
    Value rows and takes precedence: see own_values)."""
    rows = (
        ValueTally.objects.filter(
            unit__path__startswith=org.path,
            unit__depth=org.depth + 1,
            indicator_id__in=indicator_ids,
            period__in=period_keys,
            n__gt=0,
        )
        .values_list("indicator_id", "period", "unit_id", "depth", "n", "total", "wsum", "wtotal")
        .order_by("depth")
    )
    result: dict[tuple, dict[int, Figure]] = {}
    for indicator_id, period, unit_id, _depth, n, total, wsum, wtotal in rows:
        per_child = result.setdefault((indicator_id, period), {})
        if unit_id not in per_child:  # rows come shallowest first
            per_child[unit_id] = Figure(n, total, wsum, wtotal)
    return result


def _child_units(alias: str) -> str:
    return f"JOIN {_UNIT} o ON o.id = {alias}.unit_id WHERE o.depth = %s AND o.path LIKE %s"


# Children that reported the figure themselves: their Value rows (the unique key starts with
# unit and period, so the indicators asked for are filtered within the index range).
_OWN_SQL = f"""
    SELECT v.indicator_id, v.period, COUNT(*), SUM(v.value), 0, 0
    FROM {_VALUE} v {_child_units("v")} AND v.period >= %s AND v.period < %s
        AND v.indicator_id IN ({{ids}})
    GROUP BY v.indicator_id, v.period"""
# Their weighted averages' Σ value×weight and Σ weight, only when some are asked for.
_OWN_WEIGHTED_SQL = f"""
    SELECT v.indicator_id, v.period, 0, 0, SUM(v.value * COALESCE(w.value, 0)), SUM(COALESCE(w.value, 0))
    FROM {_VALUE} v JOIN {_INDICATOR} i ON i.id = v.indicator_id AND i.aggregation = 'weighted'
    LEFT JOIN {_VALUE} w ON w.indicator_id = i.weight_id AND w.unit_id = v.unit_id AND w.period = v.period
    {_child_units("v")} AND v.period >= %s AND v.period < %s AND v.indicator_id IN ({{ids}})
    GROUP BY v.indicator_id, v.period"""
# The others: the shallowest level below each that reported it.
_DEEPER_SQL = f"""
    SELECT t.indicator_id, t.period, SUM(t.n), SUM(t.total), SUM(t.wsum), SUM(t.wtotal)
    FROM {_VALUE_TALLY} t {_child_units("t")}
        AND t.period >= %s AND t.period < %s AND t.indicator_id IN ({{ids}}) AND t.n > 0
        AND NOT EXISTS (SELECT 1 FROM {_VALUE} y WHERE y.unit_id = t.unit_id AND y.period = t.period
            AND y.indicator_id = t.indicator_id)
        AND NOT EXISTS (SELECT 1 FROM {_VALUE_TALLY} x WHERE x.unit_id = t.unit_id AND x.period = t.period
            AND x.indicator_id = t.indicator_id AND x.depth < t.depth AND x.n > 0)
    GROUP BY t.indicator_id, t.period"""


def below_figures(org: Organization, indicator_ids, period_keys) -> dict[tuple, Figure]:
    """{(indicator id, period): the children's figures added up}: each child's own value where
    it reported one, else the shallowest level below it that did. Two grouped queries reading
    the children's rows for the years asked (keys sort by year: "2024" < "2024-Q1" < "2025"),
    the hot read of the indicator panel; most children report themselves."""
    ids, keys = set(indicator_ids), set(period_keys)
    if not ids or not keys:
        return {}
    years = sorted(int(key[:4]) for key in keys)
    first, after = str(years[0]), str(years[-1] + 1)
    result: dict[tuple, Figure] = {}
    weighted = set(Indicator.objects.filter(pk__in=ids, aggregation=Aggregation.WEIGHTED).values_list("pk", flat=True))

    def run(sql: str, picked) -> None:
        sql = sql.replace("{ids}", ", ".join(["%s"] * len(picked)))
        with connection.cursor() as cursor:
            # Paths hold only 0-9 and A-Z, so a prefix needs no LIKE escaping.
            cursor.execute(sql, [org.depth + 1, org.path + "%", first, after, *picked])
            for i, p, n, total, wsum, wtotal in cursor.fetchall():
                if i in ids and p in keys:
                    result[(i, p)] = result.get((i, p), Figure()) + Figure(n, total, wsum, wtotal)

    run(_OWN_SQL, sorted(ids))
    # Levels below are read only for indicators some child did not report itself.
    children = Organization.objects.children_of(org).count()  # not org.numchild: the instance may be stale
    incomplete = {i for i in ids if any(result.get((i, p), Figure()).n < children for p in keys)}
    if incomplete:
        run(_DEEPER_SQL, sorted(incomplete))
    if weighted:
        run(_OWN_WEIGHTED_SQL, sorted(weighted))
    return result


def own_values(units: list[int], indicator_ids, period_keys) -> dict[tuple, Decimal]:
    """{(indicator id, period, unit id): value} reported by the units themselves."""
    rows = Value.objects.filter(unit_id__in=units, indicator_id__in=indicator_ids, period__in=period_keys)
    return {(i, p, u): v for i, p, u, v in rows.values_list("indicator_id", "period", "unit_id", "value")}


def unit_figures(org: Organization, indicators: list[Indicator], period_keys) -> dict[tuple, Decimal | None]:
    """{(indicator id, period): figure} for `org`: its own value, else its children's rollup."""
    ids = [i.pk for i in indicators]
    own = own_values([org.pk], ids, period_keys)
    below = below_figures(org, ids, period_keys)
    return {
        (indicator.pk, period): _own_else_below(indicator, period, org.pk, own, below.get((indicator.pk, period)))
        for indicator in indicators
        for period in period_keys
    }


def children_unit_figures(org: Organization, child_ids, indicator: Indicator, period_keys) -> dict[int, dict]:
    """unit_figures of one indicator for each of `org`'s children at once (two queries):
    {child id: {(indicator id, period): figure}}."""
    own = own_values(child_ids, [indicator.pk], period_keys)
    below = children_figures(org, [indicator.pk], period_keys)
    return {
        child: {
            (indicator.pk, period): _own_else_below(
                indicator, period, child, own, below.get((indicator.pk, period), {}).get(child)
            )
            for period in period_keys
        }
        for child in child_ids
    }


def comparable_figures(
    org: Organization, indicators: list[Indicator], period_keys
) -> tuple[dict[tuple, Decimal | None], set[tuple]]:
    """unit_figures, and for the periods that ended before `org` existed — it succeeded other
    units in a reorganization — its predecessors' figures combined by each indicator's rule:
    the period on today's boundaries ("2024 on the new province"). Returns the figures and the
    (indicator id, period) keys so recomputed. A predecessor that was split among several
    successors is divided by its units below: each part counts the figures of those it took;
    a part that took none (nothing to divide by) leaves the figure unknown."""
    figures = unit_figures(org, indicators, period_keys)
    if org.valid_from is None:
        return figures, set()
    early = [k for k in period_keys if periods.parse(k).end < org.valid_from]
    links = list(Succession.objects.filter(successor=org).select_related("predecessor")) if early else []
    if not links:
        return figures, set()
    split = set(
        Succession.objects.filter(predecessor__in=[link.predecessor for link in links])
        .values("predecessor")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .values_list("predecessor", flat=True)
    )
    weights = [i.weight for i in indicators if i.aggregation == Aggregation.WEIGHTED and i.weight_id]
    wanted = [*indicators, *weights]
    parts, undivided = [], False
    for link in links:
        if link.predecessor_id not in split:
            parts.append(comparable_figures(link.predecessor, wanted, early)[0])
            continue
        # A split unit's figure is divided by its units below: this part counts those that
        # went to it (their continuations are its children), each on its own old figures.
        old = link.predecessor
        moved = Succession.objects.filter(
            successor__in=Organization.objects.children_of(org),
            predecessor__path__startswith=old.path,
            predecessor__depth=old.depth + 1,
        ).select_related("successor")
        found = [comparable_figures(m.successor, wanted, early)[0] for m in moved]
        parts.extend(found)
        undivided |= not found
    recomputed = set()
    for indicator in indicators:
        for key in early:
            if figures.get((indicator.pk, key)) is not None or undivided or not parts:
                continue
            combined = Figure()
            for part in parts:
                value = part.get((indicator.pk, key))
                if value is None:
                    continue
                weight = part.get((indicator.weight_id, key)) if indicator.weight_id else None
                combined = combined + Figure(1, value, value * (weight or 0), weight or 0)
            value = combined.value(indicator.aggregation) if len(parts) > 1 else (
                combined.total if combined.n else None)  # fmt: skip
            if value is not None:
                figures[(indicator.pk, key)] = value
                recomputed.add((indicator.pk, key))
    return figures, recomputed


def _own_else_below(indicator: Indicator, period: str, unit_id: int, own: dict, below: "Figure | None"):
    """A unit's figure: its own value if it reported one, else the figure of the levels below."""
    if (indicator.pk, period, unit_id) in own:
        return own[(indicator.pk, period, unit_id)]
    return (below or Figure()).value(indicator.aggregation)


class Shown:
    """A figure as a page shows it: the value, and how it was had — reported for the period
    itself (""), composed from its shorter periods ("composed"), the unit's estimate
    ("estimate"), or added up so far from the parts reported ("partial"); `differs` marks a
    reported figure far from the one its parts compose."""

    __slots__ = ("value", "how", "differs")

    def __init__(self, value: Decimal | None, how: str = "", differs: Decimal | None = None):
        self.value, self.how, self.differs = value, how, differs


COMPOSED, ESTIMATE, PARTIAL = "composed", "estimate", "partial"
# A reported figure further than this from what its parts compose is flagged for a check.
DIFFERENCE_FLAGGED = Decimal("0.05")


def compose(indicator: Indicator, parts: list[Decimal]) -> Decimal:
    """Shorter periods' figures made into a longer one's by the indicator's rule over time."""
    if indicator.time_aggregation == "last":
        return parts[-1]
    if indicator.time_aggregation == "avg":
        return sum(parts) / len(parts)
    return sum(parts)


def period_figure(indicator: Indicator, figures: dict, period: periods.Period, estimates: dict | None = None) -> Shown:
    """An indicator's figure for a period from {(indicator id, period key): figure} and the
    unit's estimates {(indicator id, period key): value}: the period's own, else composed from
    a way of its shorter periods reported in full, else the estimate, else what its parts
    reported so far add up to."""
    direct = figures.get((indicator.pk, period.key))
    ways = [[figures.get((indicator.pk, p.key)) for p in way] for way in period.parts()]
    complete = next((way for way in ways if way and all(v is not None for v in way)), None)
    composed = compose(indicator, complete) if complete else None
    if direct is not None:
        differs = None
        if composed is not None and abs(direct - composed) > abs(direct) * DIFFERENCE_FLAGGED:
            differs = composed
        return Shown(direct, "", differs)
    if composed is not None:
        return Shown(composed, COMPOSED)
    estimate = (estimates or {}).get((indicator.pk, period.key))
    if estimate is not None:
        return Shown(estimate, ESTIMATE)
    for way in ways:
        some = [v for v in way if v is not None]
        if some:
            return Shown(compose(indicator, some), PARTIAL)
    return Shown(None)


def year_value(indicator: Indicator, figures: dict, year: int) -> Decimal | None:
    """An indicator's official figure for a year (period_figure without estimates)."""
    return period_figure(indicator, figures, periods.Period(year, periods.YEAR, 1)).value


def year_keys(years) -> list[str]:
    """The period keys a year's figure, and its halves' and nine months', may come from."""
    keys = []
    for year in years:
        keys += [str(year), f"{year}-9T"]
        for kind in (periods.QUARTER, periods.HALF, periods.MONTH):
            keys.extend(p.key for p in periods.periods_of_year(kind, year))
    return keys


def estimates(unit_ids, indicator_ids, period_keys) -> dict[int, dict[tuple, Decimal]]:
    """{unit id: {(indicator id, period): estimate}} of the units' own estimates (one query)."""
    found: dict[int, dict[tuple, Decimal]] = {}
    rows = Estimate.objects.filter(unit_id__in=unit_ids, indicator_id__in=indicator_ids, period__in=period_keys)
    for unit_id, indicator_id, period, value in rows.values_list("unit_id", "indicator_id", "period", "value"):
        found.setdefault(unit_id, {})[(indicator_id, period)] = value
    return found


# ---- reads: completeness ------------------------------------------------------------------


def completeness(org: Organization, form: ReportForm, period: str) -> tuple[dict[str, int], dict[int, dict[str, int]]]:
    """How many units below `org` must submit `form`, and sent it on time, late or not at all,
    in total and per child unit (keyed by id): two small queries."""
    required = dict(
        FormUnitTally.objects.filter(unit__path__startswith=org.path, unit__depth=org.depth + 1, form=form)
        .values_list("unit_id", "n")
        .order_by()
    )
    for child, n in _dated_required(org, [form.pk], period).get(form.pk, {}).items():
        required[child] = required.get(child, 0) + n
    per_child = {pk: {ON_TIME: 0, LATE: 0, MISSING: n} for pk, n in required.items() if n}
    rows = SubmissionTally.objects.filter(
        unit__path__startswith=org.path, unit__depth=org.depth + 1, form=form, period=period
    ).values_list("unit_id", "state", "n")
    for unit_id, state, n in rows.order_by():
        counts = per_child.setdefault(unit_id, {ON_TIME: 0, LATE: 0, MISSING: 0})
        counts[state] += n
        counts[MISSING] -= n
    totals = dict.fromkeys(COMPLETENESS_LABELS, 0)
    for counts in per_child.values():
        for key, n in counts.items():
            totals[key] += n
    return totals, per_child


def _dated_required(org: Organization, form_ids, period: str) -> dict[int, dict[int, int]]:
    """{form id: {child of org id: n}} of the duties a reorganization dated (FormUnit.valid_*) that
    cover `period`, below `org` — few rows, counted live: the tallies count undated duties only."""
    dated = FormUnit.objects.dated().filter(form_id__in=form_ids, unit__path__startswith=org.path)
    dated = dated.exclude(unit=org).values_list("form_id", "unit__path", "valid_from", "valid_to")
    if not dated:
        return {}
    end = periods.parse(period).end
    step = Organization.steplen
    children = dict(Organization.objects.children_of(org).values_list("path", "pk"))
    found: dict[int, dict[int, int]] = {}
    for form_id, path, start, stop in dated:
        if (start is None or start <= end) and (stop is None or end <= stop):
            child = children.get(path[: (org.depth + 1) * step])
            if child is not None:
                found.setdefault(form_id, {}).setdefault(child, 0)
                found[form_id][child] += 1
    return found


def completeness_many(org: Organization, pairs: list[tuple[ReportForm, str]]) -> dict[tuple[int, str], dict[str, int]]:
    """{(form id, period): totals} below `org` for several (form, period) pairs in two queries
    (the dashboard's forms, a form's latest periods)."""
    if not pairs:
        return {}
    totals = {(form.pk, period): dict.fromkeys(COMPLETENESS_LABELS, 0) for form, period in pairs}
    below = {"unit__path__startswith": org.path, "unit__depth": org.depth + 1, "form_id__in": {f.pk for f, _ in pairs}}
    required: dict[int, int] = {}
    for form_id, n in FormUnitTally.objects.filter(**below).values_list("form_id", "n").order_by():
        required[form_id] = required.get(form_id, 0) + n
    for (form_id, period), counts in totals.items():
        dated = _dated_required(org, [form_id], period).get(form_id, {})
        counts[MISSING] = required.get(form_id, 0) + sum(dated.values())
    rows = SubmissionTally.objects.filter(period__in={p for _, p in pairs}, **below)
    for form_id, period, state, n in rows.values_list("form_id", "period", "state", "n").order_by():
        if (counts := totals.get((form_id, period))) is not None:
            counts[state] += n
            counts[MISSING] -= n
    return totals


# ---- from scratch -------------------------------------------------------------------------


def expected() -> tuple[dict, dict, dict]:
    """The three tallies counted from the rows (for tests and rebuilds), non-zero rows only."""
    step = Organization.steplen
    units = dict(Organization.objects.values_list("pk", "path"))
    ids = {path: pk for pk, path in units.items()}
    weights = dict(Indicator.objects.filter(aggregation=Aggregation.WEIGHTED).values_list("pk", "weight_id"))
    all_values = {
        (i, u, p): v for i, u, p, v in Value.objects.values_list("indicator_id", "unit_id", "period", "value")
    }
    values: dict = {}
    for (indicator_id, unit_id, period), value in all_values.items():
        path = units[unit_id]
        depth = len(path) // step
        wsum = wtotal = ZERO
        if indicator_id in weights:
            weight = all_values.get((weights[indicator_id], unit_id, period), ZERO)
            wsum, wtotal = value * weight, weight
        for d in range(AGGREGATE_MIN_DEPTH, depth):
            key = (ids[path[: d * step]], indicator_id, period, depth)
            old = values.get(key, (0, ZERO, ZERO, ZERO))
            values[key] = (old[0] + 1, old[1] + value, old[2] + wsum, old[3] + wtotal)
    required: Counter = Counter()
    for form_id, path in FormUnit.objects.undated().values_list("form_id", "unit__path"):
        for prefix in rollup.ancestry(path):
            required[(ids[prefix], form_id)] += 1
    submitted: Counter = Counter()
    for submission in Submission.objects.filter(status__in=SENT_STATUSES).select_related("form", "unit"):
        for prefix in rollup.ancestry(submission.unit.path):
            submitted[(ids[prefix], submission.form_id, submission.period, submission_state(submission))] += 1
    return values, dict(+required), dict(+submitted)


def stored() -> tuple[dict, dict, dict]:
    values = {
        (u, i, p, d): (n, total, wsum, wtotal)
        for u, i, p, d, n, total, wsum, wtotal in ValueTally.objects.values_list(
            "unit_id", "indicator_id", "period", "depth", "n", "total", "wsum", "wtotal"
        )
        if n or total or wsum or wtotal
    }
    required = {(u, f): n for u, f, n in FormUnitTally.objects.exclude(n=0).values_list("unit_id", "form_id", "n")}
    submitted = {
        (u, f, p, s): n
        for u, f, p, s, n in SubmissionTally.objects.exclude(n=0).values_list(
            "unit_id", "form_id", "period", "state", "n"
        )
    }
    return values, required, submitted


def move_subtree(org: Organization, new_parent: Organization, move) -> None:
    """Run `move()` with the indicator tallies following the moved subtree: the units whose rows
    it changes — its old and new ancestors and the subtree itself — are recounted from the rows
    (value, reporting-duty and submission tallies alike)."""
    old = set(Organization.objects.filter(path__in=org.ancestor_paths).values_list("pk", flat=True))
    move()
    org = Organization.objects.get(pk=org.pk)
    new = set(Organization.objects.filter(path__in=org.ancestor_paths).values_list("pk", flat=True))
    rebuild(Units(ids=sorted(old | new), under=[org.path]))


def differences() -> list[str]:
    """Every stored tally row that differs from a recount, as a line a person can read."""
    lines = []
    for name, mine, theirs in zip(
        (_("giá trị"), _("đơn vị phải báo cáo"), _("báo cáo đã nộp")), stored(), expected(), strict=True
    ):
        for key in sorted(set(mine) | set(theirs), key=str):
            if mine.get(key) != theirs.get(key):
                lines.append(
                    _("chỉ tiêu, %(name)s %(key)s: lưu %(stored)s, đếm lại %(recounted)s")
                    % {"name": name, "key": key, "stored": mine.get(key), "recounted": theirs.get(key)}
                )
    return lines


def rebuild(units: "Units | None" = None) -> None:
    """All three indicator tallies recounted in SQL, level by level (the national tier's tens of
    millions of values do not fit a recount in Python) — every unit's rows, or only those of
    `units` (a unit move recounts the units it touched)."""
    step = Organization.steplen
    depths = Organization.objects.tally_depths()
    units = units or Units()
    where, where_params = units.sql("a")
    with rollup.recount_cursor() as cursor:
        for model in (ValueTally, FormUnitTally, SubmissionTally):
            table = model._meta.db_table
            cursor.execute(
                f"DELETE FROM {table} WHERE unit_id IN (SELECT a.id FROM {_UNIT} a WHERE {where})",
                where_params,
            )
        where, where_params = units.sql_pair("a", "u")
        for depth in depths:
            params = [depth * step, depth, *where_params]
            cursor.execute(
                f"INSERT INTO {_VALUE_TALLY} (unit_id, indicator_id, period, depth, n, total, wsum, wtotal) "
                "SELECT a.id, v.indicator_id, v.period, u.depth, COUNT(*), SUM(v.value), 0, 0 "
                f"FROM {_VALUE} v JOIN {_UNIT} u ON u.id = v.unit_id "
                f"JOIN {_UNIT} a ON a.path = SUBSTR(u.path, 1, %s) "
                f"WHERE u.depth > %s AND {where} GROUP BY a.id, v.indicator_id, v.period, u.depth",
                params,
            )
            # Weighted averages only: Σ value×weight and Σ weight (a missing weight counts as 0).
            cursor.execute(
                f"INSERT INTO {_VALUE_TALLY} (unit_id, indicator_id, period, depth, n, total, wsum, wtotal) "
                "SELECT a.id, v.indicator_id, v.period, u.depth, 0, 0, SUM(v.value * COALESCE(w.value, 0)), "
                "SUM(COALESCE(w.value, 0)) "
                f"FROM {_VALUE} v "
                f"JOIN {_INDICATOR} i ON i.id = v.indicator_id AND i.aggregation = 'weighted' "
                f"LEFT JOIN {_VALUE} w ON w.indicator_id = i.weight_id AND w.unit_id = v.unit_id "
                "AND w.period = v.period "
                f"JOIN {_UNIT} u ON u.id = v.unit_id "
                f"JOIN {_UNIT} a ON a.path = SUBSTR(u.path, 1, %s) "
                f"WHERE u.depth > %s AND {where} GROUP BY a.id, v.indicator_id, v.period, u.depth "
                "ON CONFLICT (unit_id, period, indicator_id, depth) DO UPDATE SET wsum = excluded.wsum, "
                "wtotal = excluded.wtotal",
                params,
            )
            cursor.execute(
                f"INSERT INTO {_FORM_UNIT_TALLY} (unit_id, form_id, n) SELECT a.id, f.form_id, COUNT(*) "
                f"FROM {_FORM_UNIT} f JOIN {_UNIT} u ON u.id = f.unit_id "
                f"JOIN {_UNIT} a ON a.path = SUBSTR(u.path, 1, %s) "
                f"WHERE u.depth >= %s AND {where} AND f.valid_from IS NULL AND f.valid_to IS NULL "
                "GROUP BY a.id, f.form_id",
                params,
            )
    # Timeliness depends on each form's deadline: computed per submission in Python, counted in SQL.
    _submission_tallies(depths, where, where_params)


def _submission_tallies(depths: range, where: str, where_params: list) -> None:
    step = Organization.steplen
    forms = {f.pk: f for f in ReportForm.objects.all()}
    with rollup.recount_cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS tmp_submission_state")
        columns = "unit_id bigint, form_id bigint, period varchar(17), state varchar(8)"
        cursor.execute(f"CREATE TEMPORARY TABLE tmp_submission_state ({columns})")
        rows = Submission.objects.filter(status__in=SENT_STATUSES, submitted_at__isnull=False).values_list(
            "unit_id", "form_id", "period", "submitted_at"
        )
        batch = []
        for unit_id, form_id, period, sent_at in rows.iterator(chunk_size=50_000):
            batch.append((unit_id, form_id, period, timeliness(sent_at, period, forms[form_id].deadline_days)))
        if connection.vendor == "postgresql":
            with cursor.cursor.copy("COPY tmp_submission_state FROM STDIN") as copy:
                for row in batch:
                    copy.write_row(row)
        else:
            cursor.executemany("INSERT INTO tmp_submission_state VALUES (%s, %s, %s, %s)", batch)
        for depth in depths:
            cursor.execute(
                f"INSERT INTO {_SUBMISSION_TALLY} (unit_id, form_id, period, state, n) "
                "SELECT a.id, s.form_id, s.period, s.state, COUNT(*) FROM tmp_submission_state s "
                f"JOIN {_UNIT} u ON u.id = s.unit_id "
                f"JOIN {_UNIT} a ON a.path = SUBSTR(u.path, 1, %s) "
                f"WHERE u.depth >= %s AND {where} GROUP BY a.id, s.form_id, s.period, s.state",
                [depth * step, depth, *where_params],
            )
        cursor.execute("DROP TABLE tmp_submission_state")
