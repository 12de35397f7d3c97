"""The evidence of an evaluation, computed from what the system holds, and the score and band
the rule proposes from it (docs/architecture.md, "Evaluation").

Evidence for a unit and a year (over a term: the same for its years, with its term-end targets):
its own tasks due that year (led by the unit itself: a committee answers for its tasks; its
units below are evaluated for theirs) on time, late, overdue and not yet due, and the outputs
delivered; its report duties for the year's periods already due, sent on time, late or not at
all; its own year targets met by its own year figure; and how far its members studied the
documents studied in its tree that year. For a member: the tasks they lead in person
(Task.leader) and the documents they studied of those studied at their unit that year. Each part
is computed for a whole batch of subjects in a few grouped queries, so opening a province's
evaluations does not run a query per unit.

The score is the weighted mean of the parts present (a part with nothing due does not count):
tasks and reports score 1 on time, 1 − the late penalty late (Decree 335/2025/NĐ-CP: a late
product loses 25% of its progress points), 0 when not done; indicators the share met; study the
share studied. The band follows 366-QĐ/TW: the two top bands need every task on time; "complete"
needs every task done with at most `complete_max_late`% late; below that, or below
`complete_min` points, the subject did not complete its tasks."""

import datetime
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Q

from hienthuc.evaluations.models import Band, EvaluationRule
from hienthuc.indicators.models import FormUnit, Submission, Target, TargetBasis, TargetKind, Value
from hienthuc.indicators.tallies import LATE, ON_TIME, SENT_STATUSES, timeliness
from hienthuc.lib.tree import PATH_STEP
from hienthuc.meetings.models import Study
from hienthuc.orgs.models import Organization
from hienthuc.people.models import Person
from hienthuc.plans.models import PlanStatus, Task

EMPTY_TASKS = {"on_time": 0, "late": 0, "overdue": 0, "pending": 0, "outputs": 0}


def _task_counts(tasks, key: str, today: datetime.date) -> dict[int, dict]:
    done = Q(completed_on__isnull=False)
    rows = (
        tasks.filter(plan__status=PlanStatus.ISSUED)
        .order_by()
        .values(key)
        .annotate(
            on_time=Count("pk", filter=done & Q(completed_on__lte=F("deadline_last_day"))),
            late=Count("pk", filter=Q(completed_on__gt=F("deadline_last_day"))),
            overdue=Count("pk", filter=Q(completed_on__isnull=True, deadline_last_day__lt=today)),
            pending=Count("pk", filter=Q(completed_on__isnull=True, deadline_last_day__gte=today)),
            outputs=Count("pk", filter=done & (Q(output_document__isnull=False) | ~Q(output_link=""))),
        )
    )
    return {row.pop(key): row for row in rows}


def _reports(units: list[Organization], years: range, today: datetime.date) -> dict[int, dict]:
    """Per unit: the report periods of `years` already due, sent on time, late, or not sent."""
    duties = (
        FormUnit.objects.filter(unit__in=units, form__is_active=True, form__first_year__lte=years[-1])
        .select_related("form")
        .prefetch_related("form__one_off_periods")
    )
    sent = {
        (s["form_id"], s["unit_id"], s["period"]): s["submitted_at"]
        for s in Submission.objects.filter(
            unit__in=units,
            period__gte=str(years[0]),
            period__lt=str(years[-1] + 1),
            status__in=SENT_STATUSES,
            submitted_at__isnull=False,
        ).values("form_id", "unit_id", "period", "submitted_at")
    }
    result: dict[int, dict] = defaultdict(lambda: {"on_time": 0, "late": 0, "missing": 0})
    for duty in duties:
        due = [p for year in years for p in duty.form.periods_of_year(year)]
        for period in due:
            if period.due(duty.form.deadline_days) >= today or not duty.covers(period.end):
                continue
            at = sent.get((duty.form_id, duty.unit_id, period.key))
            state = timeliness(at, period.key, duty.form.deadline_days) if at else "missing"
            result[duty.unit_id][{ON_TIME: "on_time", LATE: "late"}.get(state, "missing")] += 1
    return result


def _indicators(units: list[Organization], years: range, today: datetime.date) -> dict[int, dict]:
    """Per unit: its targets met by its own figure for the last year (a year's targets, or over a
    term its term-end targets); a target without a figure is unmet once the year is over."""
    year = years[-1]
    kind = TargetKind.YEAR if len(years) == 1 else TargetKind.TERM
    targets = list(Target.objects.assigned().filter(unit__in=units, kind=kind, year=year).select_related("indicator"))
    by_year: dict[tuple[int, int], dict[int, Decimal]] = defaultdict(dict)
    for v in Value.objects.filter(
        unit__in=units, period__in=[str(y) for y in years], indicator_id__in={t.indicator_id for t in targets}
    ).values("unit_id", "indicator_id", "period", "value"):
        by_year[(v["unit_id"], v["indicator_id"])][int(v["period"])] = v["value"]
    result: dict[int, dict] = defaultdict(lambda: {"met": 0, "unmet": 0})
    for target in targets:
        # A term target is judged as written: the level of its last year, the yearly average of
        # the term, or the term's total (Target.basis).
        held = by_year.get((target.unit_id, target.indicator_id), {})
        if target.basis == TargetBasis.AVERAGE:
            value = sum(held.values()) / len(held) if held else None
        elif target.basis == TargetBasis.TOTAL:
            value = sum(held.values()) if held else None
        else:
            value = held.get(year)
        if value is None:
            if year < today.year:
                result[target.unit_id]["unmet"] += 1
            continue
        met = value >= target.value if target.indicator.higher_is_better else value <= target.value
        result[target.unit_id]["met" if met else "unmet"] += 1
    return result


def _study_units(units: list[Organization], years: range) -> dict[int, dict]:
    """Per unit: members' studies of the documents studied in its tree that year, over its
    members times those documents. Each grouped row is added to every unit above its path."""
    if not units:
        return {}
    common = units[0].path
    for unit in units:
        while not unit.path.startswith(common):
            common = common[:-PATH_STEP]
    wanted = {u.path for u in units}
    studied: dict[str, int] = defaultdict(int)
    documents: dict[str, set[int]] = defaultdict(set)
    rows = (
        Study.objects.filter(studied_on__year__gte=years[0], studied_on__year__lte=years[-1], path__startswith=common)
        .values_list("path", "document_id")
        .annotate(n=Count("pk"))
    )
    for path, document_id, n in rows:
        for end in range(PATH_STEP, len(path) + 1, PATH_STEP):
            if path[:end] in wanted:
                studied[path[:end]] += n
                documents[path[:end]].add(document_id)
    result = {}
    for unit in units:
        members = unit.people_below or unit.people_here
        count = len(documents[unit.path])
        result[unit.pk] = {"documents": count, "studied": studied[unit.path], "must": members * count}
    return result


def _due_in(years: range) -> dict:
    return {"deadline_last_day__year__gte": years[0], "deadline_last_day__year__lte": years[-1]}


def units_evidence(units: list[Organization], years: range, today: datetime.date) -> dict[int, dict]:
    """Evidence for each unit over `years`: one year, or a term's years."""
    tasks = _task_counts(Task.objects.filter(lead_unit__in=units, **_due_in(years)), "lead_unit_id", today)
    reports = _reports(units, years, today)
    indicators = _indicators(units, years, today)
    study = _study_units(units, years)
    return {
        u.pk: {
            "tasks": tasks.get(u.pk, dict(EMPTY_TASKS)),
            "reports": dict(reports.get(u.pk, {"on_time": 0, "late": 0, "missing": 0})),
            "indicators": dict(indicators.get(u.pk, {"met": 0, "unmet": 0})),
            "study": study.get(u.pk, {"documents": 0, "studied": 0, "must": 0}),
        }
        for u in units
    }


def people_evidence(people: list[Person], years: range, today: datetime.date) -> dict[int, dict]:
    tasks = _task_counts(Task.objects.filter(leader__in=people, **_due_in(years)), "leader_id", today)
    studied = dict(
        Study.objects.filter(person__in=people, studied_on__year__gte=years[0], studied_on__year__lte=years[-1])
        .values_list("person_id")
        .annotate(n=Count("pk"))
        .values_list("person_id", "n")
    )
    homes = {p.home_unit_id for p in people}
    documents = defaultdict(set)
    for unit_id, document_id in (
        Study.objects.filter(
            studied_on__year__gte=years[0], studied_on__year__lte=years[-1], person__home_unit_id__in=homes
        )
        .values_list("person__home_unit_id", "document_id")
        .distinct()
    ):
        documents[unit_id].add(document_id)
    return {
        p.pk: {
            "tasks": tasks.get(p.pk, dict(EMPTY_TASKS)),
            "study": {
                "documents": len(documents[p.home_unit_id]),
                "studied": studied.get(p.pk, 0),
                "must": len(documents[p.home_unit_id]),
            },
        }
        for p in people
    }


def _share(on_time: int, late: int, missed: int, penalty: int) -> Decimal | None:
    due = on_time + late + missed
    if not due:
        return None
    return Decimal(100) * (on_time + late * (Decimal(100 - penalty) / 100)) / due


def score(evidence: dict, rule: EvaluationRule) -> tuple[Decimal | None, str, dict]:
    """(score out of 100 or None with no evidence, band or "" then, each part's score)."""
    tasks = evidence.get("tasks", EMPTY_TASKS)
    parts: dict[str, Decimal | None] = {
        "tasks": _share(tasks["on_time"], tasks["late"], tasks["overdue"], rule.late_penalty),
        "reports": None,
        "indicators": None,
        "study": None,
    }
    if "reports" in evidence:
        r = evidence["reports"]
        parts["reports"] = _share(r["on_time"], r["late"], r["missing"], rule.late_penalty)
    if "indicators" in evidence:
        i = evidence["indicators"]
        judged = i["met"] + i["unmet"]
        parts["indicators"] = Decimal(100 * i["met"]) / judged if judged else None
    s = evidence.get("study", {})
    if s.get("must"):
        parts["study"] = min(Decimal(100), Decimal(100 * s["studied"]) / s["must"])
    weights = {
        "tasks": rule.weight_tasks,
        "reports": rule.weight_reports,
        "indicators": rule.weight_indicators,
        "study": rule.weight_study,
    }
    present = {k: v for k, v in parts.items() if v is not None and weights[k]}
    if not present:
        return None, "", {k: None for k in parts}
    total = sum(weights[k] * v for k, v in present.items()) / sum(weights[k] for k in present)
    total = total.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    rounded = {
        k: (v.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) if v is not None else None) for k, v in parts.items()
    }
    return total, band_for(total, tasks, rule), rounded


def band_for(total: Decimal, tasks: dict, rule: EvaluationRule) -> str:
    due = tasks["on_time"] + tasks["late"] + tasks["overdue"]
    all_on_time = tasks["late"] == 0 and tasks["overdue"] == 0
    if all_on_time and total >= rule.excellent_min:
        return Band.EXCELLENT
    if all_on_time and total >= rule.good_min:
        return Band.GOOD
    late_share = Decimal(100 * tasks["late"]) / due if due else Decimal(0)
    if total >= rule.complete_min and tasks["overdue"] == 0 and late_share <= rule.complete_max_late:
        return Band.COMPLETE
    return Band.FAILED


def as_json(parts: dict) -> dict:
    return {k: (str(v) if v is not None else None) for k, v in parts.items()}
