"""Task and coverage tallies, kept in step with every write (DESIGN §3, "live figures").

A national deployment holds millions of tasks: a dashboard cannot group them on every view.
Each unit at depth ≥ AGGREGATE_MIN_DEPTH stores, per state, how many tasks of issued plans
its subtree leads (TaskTally) and how many units of its subtree were required to issue a
plan for a source document (CoverageTally). Open items are kept per due day, because whether
they are overdue depends on the day the figure is read. Units above AGGREGATE_MIN_DEPTH (the
Centre) add up their children at read time, so no write in the country updates a hot row.

Every write in actions.py calls the bump functions inside its own transaction; `rebuild()`
recounts from the rows (`manage.py rebuild_aggregates`) and tests compare the two.
"""

import datetime
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.db.models import Case, CharField, Count, Exists, F, OuterRef, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce, Concat, Substr
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hienthuc.documents.models import Document
from hienthuc.lib import deadlines
from hienthuc.orgs import rollup, succession
from hienthuc.orgs.models import AGGREGATE_MIN_DEPTH, FormerName, Organization
from hienthuc.plans.models import (
    NO_DAY,
    CoverageTally,
    Plan,
    PlanRequirement,
    PlanStatus,
    TallyState,
    Task,
    TaskTally,
)

STEP = Organization.steplen

# The coverage states a reader sees (an open requirement is overdue after its due day).
COVERAGE_ON_TIME, COVERAGE_LATE, COVERAGE_OVERDUE, COVERAGE_PENDING = "on_time", "late", "overdue", "pending"
COVERAGE_LABELS = {
    COVERAGE_ON_TIME: gettext_lazy("Đã ban hành đúng hạn"),
    COVERAGE_LATE: gettext_lazy("Đã ban hành muộn"),
    COVERAGE_OVERDUE: gettext_lazy("Quá hạn, chưa ban hành"),
    COVERAGE_PENDING: gettext_lazy("Chưa đến hạn"),
}


# ---- keys ---------------------------------------------------------------------------------


def task_key(deadline_last_day: datetime.date | None, completed_on: datetime.date | None) -> tuple[str, datetime.date]:
    if deadline_last_day is None:
        return TallyState.ONGOING, NO_DAY
    if completed_on is None:
        return TallyState.OPEN, deadline_last_day
    return (TallyState.ON_TIME if completed_on <= deadline_last_day else TallyState.LATE), NO_DAY


def coverage_document_id(plan: Plan) -> int:
    """The document a cascade implements: the plan's source, or the plan itself when it has none."""
    return plan.source_document_id or plan.document_id


def requirement_keys(plan: Plan, requirements: Iterable[PlanRequirement]) -> dict[int, tuple[str, datetime.date]]:
    """{unit id: (state, due)} for requirements of one plan, from its issued child plans."""
    requirements = list(requirements)
    issued: dict[int, list] = {}
    children = Plan.objects.filter(
        parent_plan_id=plan.pk, status=PlanStatus.ISSUED, unit_id__in=[r.unit_id for r in requirements]
    ).values_list("unit_id", "document__issued_on")
    for unit_id, issued_on in children:
        issued.setdefault(unit_id, []).append(issued_on)
    keys = {}
    for r in requirements:
        days = issued.get(r.unit_id)
        if not days:
            keys[r.unit_id] = (TallyState.OPEN, r.due_on)
        elif any(day is not None and day <= r.due_on for day in days):
            keys[r.unit_id] = (TallyState.ON_TIME, NO_DAY)
        else:
            keys[r.unit_id] = (TallyState.LATE, NO_DAY)
    return keys


# ---- writes -------------------------------------------------------------------------------


def bump_tasks(items: Counter, *, ancestors_only: bool = False) -> None:
    """`items`: {(lead unit path, state, due): delta}."""
    deltas = rollup.spread(items, ancestors_only=ancestors_only)
    rollup.upsert_add(TaskTally._meta.db_table, ["unit_id", "state", "due"], ["n"], deltas)


def bump_coverage(items: Counter, *, ancestors_only: bool = False) -> None:
    """`items`: {(required unit path, document id, state, due): delta}."""
    deltas = rollup.spread(items, ancestors_only=ancestors_only)
    rollup.upsert_add(CoverageTally._meta.db_table, ["unit_id", "document_id", "state", "due"], ["n"], deltas)


def task_items(task: Task, sign: int) -> Counter:
    """One task as it stands, to add (+1) or take away (-1); tasks of drafts are not counted."""
    if task.plan.status != PlanStatus.ISSUED:
        return Counter()
    return Counter({(task.lead_unit.path, *task_key(task.deadline_last_day, task.completed_on)): sign})


def count_task(task: Task, sign: int) -> None:
    bump_tasks(task_items(task, sign))


def recount_task(before: Counter, task: Task) -> None:
    """After a change: take away the task as it was (`before`, from task_items(task, -1)) and
    add it as it is, in one write so that unchanged keys cancel and rows are locked in order."""
    items = Counter(before)
    items.update(task_items(task, +1))
    bump_tasks(items)


def count_plan_tasks(plan: Plan, sign: int) -> None:
    """Add or take away every task of a plan (when it is issued)."""
    items: Counter = Counter()
    rows = Task.objects.filter(plan=plan).values_list("lead_path", "deadline_last_day", "completed_on")
    for path, day, done in rows:
        items[(path, *task_key(day, done))] += sign
    bump_tasks(items)


def count_requirements(plan: Plan, requirements: list[PlanRequirement], sign: int) -> None:
    """Add or take away requirements of `plan` in their current state."""
    if not requirements:
        return
    keys = requirement_keys(plan, requirements)
    document_id = coverage_document_id(plan)
    paths = dict(Organization.objects.filter(pk__in={r.unit_id for r in requirements}).values_list("pk", "path"))
    items: Counter = Counter()
    for r in requirements:
        items[(paths[r.unit_id], document_id, *keys[r.unit_id])] += sign
    bump_coverage(items)


@contextmanager
def recounting_answer(document) -> Iterator[None]:
    """Around a change to a document: if it is an issued plan answering a cascade, its issue
    date decides whether it answered on time, so its requirement is counted again."""
    plan = (
        Plan.objects.filter(document_id=document.pk, status=PlanStatus.ISSUED, parent_plan__isnull=False)
        .select_related("parent_plan")
        .first()
    )
    requirements = (
        list(PlanRequirement.objects.filter(plan_id=plan.parent_plan_id, unit_id=plan.unit_id)) if plan else []
    )
    if requirements:
        count_requirements(plan.parent_plan, requirements, -1)
    yield
    if requirements:
        count_requirements(plan.parent_plan, requirements, +1)


def move_subtree(org: Organization, new_parent: Organization, move) -> None:
    """Run `move()` (which re-paths `org`'s subtree) with the tallies following it: the
    subtree's figures leave the old ancestors' rows and join the new ones'. Rows of units in
    the subtree are keyed by id and stay as they are; the paths copied on tasks follow."""
    tasks, coverage = _subtree_counts(org)
    had_rows = org.depth >= AGGREGATE_MIN_DEPTH
    bump_tasks(_as_of(tasks, org.path, -1), ancestors_only=True)
    bump_coverage(_as_of(coverage, org.path, -1), ancestors_only=True)
    old_path = org.path
    move()
    org = Organization.objects.get(pk=org.pk)
    # Tasks carry their lead unit's path (Task.lead_path): re-prefix the subtree's.
    Task.objects.filter(lead_path__startswith=old_path).update(
        lead_path=Concat(Value(org.path), Substr("lead_path", len(old_path) + 1), output_field=CharField())
    )
    # The moved unit keeps its own rows if it had them (they are keyed by id); a unit that
    # had none (it was above AGGREGATE_MIN_DEPTH) gets them now.
    bump_tasks(_as_of(tasks, org.path, +1), ancestors_only=had_rows)
    bump_coverage(_as_of(coverage, org.path, +1), ancestors_only=had_rows)


def _subtree_counts(org: Organization) -> tuple[Counter, Counter]:
    """The subtree's totals, counted from the rows: {(state, due): n} and {(document, state, due): n}."""
    tasks: Counter = Counter()
    rows = Task.objects.filter(plan__status=PlanStatus.ISSUED, lead_path__startswith=org.path)
    for day, done in rows.values_list("deadline_last_day", "completed_on").iterator(chunk_size=10_000):
        tasks[task_key(day, done)] += 1
    coverage: Counter = Counter()
    requirements = PlanRequirement.objects.filter(unit__path__startswith=org.path).select_related("plan", "unit")
    by_plan: dict[int, list] = {}
    for r in requirements:
        by_plan.setdefault(r.plan_id, []).append(r)
    for group in by_plan.values():
        plan = group[0].plan
        for unit_id, key in requirement_keys(plan, group).items():
            coverage[(coverage_document_id(plan), *key)] += sum(1 for r in group if r.unit_id == unit_id)
    return tasks, coverage


def _as_of(counts: Counter, path: str, sign: int) -> Counter:
    return Counter({(path, *key): sign * n for key, n in counts.items()})


# ---- reads --------------------------------------------------------------------------------


def _children_rows(model, org: Organization, **filters):
    return model.objects.filter(unit__path__startswith=org.path, unit__depth=org.depth + 1, **filters)


def task_rollup(org: Organization, today: datetime.date) -> tuple[dict[str, int], dict[int, dict[str, int]]]:
    """Status counts of the tasks (of issued plans) led in `org`'s subtree, and per child unit
    keyed by unit id: two small queries whatever the number of tasks."""
    per_child: dict[int, dict[str, int]] = {}
    rows = (
        _children_rows(TaskTally, org)
        .values("unit_id", "state")
        .annotate(total=Sum("n"), overdue=Sum("n", filter=Q(due__lt=today)))
        .order_by()
    )
    for row in rows:
        counts = per_child.setdefault(row["unit_id"], dict.fromkeys(deadlines.STATUS_LABELS, 0))
        _add_state(counts, row["state"], row["total"], row["overdue"] or 0)
    totals = Task.objects.filter(lead_unit=org, plan__status=PlanStatus.ISSUED).status_counts(today)
    for counts in per_child.values():
        for code, n in counts.items():
            totals[code] += n
    return totals, per_child


def overdue_list(org: Organization, today: datetime.date, limit: int = 20) -> list[Task]:
    """The subtree's most overdue tasks (of issued plans), oldest deadline first.

    The tallies say which due days hold them, so the query reads only tasks up to the day by
    which `limit` are reached. The top of a tree holds every task: walking the open tasks'
    deadline index finds them at once. Below it, ordering by an expression keeps the database
    from walking the whole country's index for one subtree's tasks; it gathers the subtree's
    (one range scan of Task.lead_path) and sorts those few.
    """
    per_day: Counter = Counter()
    rows = _children_rows(TaskTally, org, state=TallyState.OPEN, due__lt=today).values("due").annotate(total=Sum("n"))
    for row in rows.order_by():
        per_day[row["due"]] += row["total"]
    own = Task.objects.filter(lead_unit=org, plan__status=PlanStatus.ISSUED).overdue(today)
    for day, n in own.values_list("deadline_last_day").annotate(n=Count("pk")).order_by():
        per_day[day] += n
    bound, seen = None, 0
    for day in sorted(per_day):
        if per_day[day] > 0:
            bound, seen = day, seen + per_day[day]
            if seen >= limit:
                break
    if bound is None:
        return []
    tasks = (
        Task.objects.filter(plan__status=PlanStatus.ISSUED, deadline_last_day__lte=bound)
        .led_in_subtree(org)
        .overdue(today)
        .select_related("lead_unit")
    )
    if org.depth > 1:
        tasks = tasks.order_by(Coalesce("deadline_last_day", Value(NO_DAY)), "id")
    else:
        tasks = tasks.order_by("deadline_last_day", "id")
    return list(tasks[:limit])


# ---- past days -------------------------------------------------------------------------------
# The tallies are live: they tell today. A past day is read from the rows — tasks and plan
# requirements of plans issued by then, each counted where it was that day (before a
# reorganization handed it on: orgs.HandOver) with its state that day; one grouped query each.

# The keys of the carriers that hand open tasks and unmet requirements on (plans/apps.py).
TASKS_CARRIER, REQUIREMENTS_CARRIER = "tasks", "plan-requirements"


def tasks_on(org: Organization, day: datetime.date) -> tuple[QuerySet, QuerySet]:
    """Tasks of plans issued by `day` that a unit of `org`'s subtree led that day, with
    `day_path` (the path of that unit) and `status_code` as of that day — in two parts that each
    read a range of an index: the tasks not handed on since, where they are led now, and those a
    unit of the subtree handed on after the day (where the first hand-over took them from)."""
    issued = Task.objects.filter(plan__status=PlanStatus.ISSUED, plan__document__issued_on__lte=day)
    staying = (
        issued.filter(lead_path__startswith=org.path)
        .filter(succession.not_handed_after(TASKS_CARRIER, day))
        .annotate(day_path=F("lead_path"))
    )
    handed = issued.filter(pk__in=succession.handed_from_within(TASKS_CARRIER, org.path, day, first=True)).annotate(
        day_path=succession.handed_path(TASKS_CARRIER, day)
    )
    return staying.with_status(day, past=True), handed.with_status(day, past=True)


def requirements_on(org: Organization, day: datetime.date, *, document_id: int | None = None):
    """Requirements of plans issued by `day` owed that day by a unit of `org`'s subtree, with
    `day_path` (the path of that unit); of one source document's cascade if named."""
    requirements = PlanRequirement.objects.filter(plan__document__issued_on__lte=day)
    if document_id is not None:
        requirements = requirements.filter(
            Q(plan__source_document_id=document_id)
            | Q(plan__source_document__isnull=True, plan__document_id=document_id)
        )
    return (
        requirements.filter(
            Q(unit__path__startswith=org.path)
            | Q(pk__in=succession.handed_from_within(REQUIREMENTS_CARRIER, org.path, day))
        )
        .annotate(day_path=Coalesce(succession.handed_path(REQUIREMENTS_CARRIER, day), F("unit__path")))
        .filter(day_path__startswith=org.path)
    )


def by_unit_id(by_path: dict[str, dict], rows: Iterable[dict]) -> dict[int, dict]:
    """A past day's figures come grouped by the path of the child unit they fell under that day;
    keyed by the ids of `rows` (the children the caller lists) as the live rollups are."""
    return {row["pk"]: by_path[row["path"]] for row in rows if row["path"] in by_path}


def coverage_rollup_on(
    org: Organization, day: datetime.date, *, document_id: int | None = None
) -> dict[int, dict[str, dict[str, int]]]:
    """coverage_rollup for a past day: {document id: {child path: {coverage state: n}}} for the
    units strictly below `org` that were required that day to issue a plan (`by_unit_id`). One
    query."""
    answered = Plan.objects.filter(
        parent_plan=OuterRef("plan"), unit=OuterRef("unit"), status=PlanStatus.ISSUED, document__issued_on__lte=day
    )
    width = (org.depth + 1) * STEP
    rows = (
        requirements_on(org, day, document_id=document_id)
        .exclude(day_path=org.path)
        .annotate(
            state=Case(
                When(
                    Exists(answered.filter(document__issued_on__lte=OuterRef("due_on"))), then=Value(COVERAGE_ON_TIME)
                ),
                When(Exists(answered), then=Value(COVERAGE_LATE)),
                When(due_on__lt=day, then=Value(COVERAGE_OVERDUE)),
                default=Value(COVERAGE_PENDING),
            ),
            document=Coalesce("plan__source_document_id", "plan__document_id"),
            child=Substr("day_path", 1, width),
        )
        .values("document", "child", "state")
        .annotate(n=Count("pk"))
        .order_by()
    )
    by_path: dict[int, dict[str, dict[str, int]]] = {}
    for row in rows:
        counts = by_path.setdefault(row["document"], {}).setdefault(row["child"], dict.fromkeys(COVERAGE_LABELS, 0))
        counts[row["state"]] += row["n"]
    return by_path


def task_rollup_on(org: Organization, day: datetime.date) -> tuple[dict[str, int], dict[str, dict[str, int]]]:
    """task_rollup for a past day: the status counts that day of tasks_on(org, day), and per
    child keyed by the child's path (units that day; `by_unit_id`). Two grouped queries."""
    width = (org.depth + 1) * STEP
    totals = dict.fromkeys(deadlines.STATUS_LABELS, 0)
    per_child: dict[str, dict[str, int]] = {}
    for part in tasks_on(org, day):
        rows = part.annotate(child=Substr("day_path", 1, width)).values("child", "status_code").annotate(n=Count("pk"))
        for child, status, n in rows.order_by().values_list("child", "status_code", "n"):
            totals[status] += n
            if len(child) == width:  # else the unit's own tasks
                per_child.setdefault(child, dict.fromkeys(deadlines.STATUS_LABELS, 0))[status] += n
    return totals, per_child


def overdue_list_on(org: Organization, day: datetime.date, limit: int = 20) -> list[Task]:
    """The subtree's most overdue tasks on a past day, each with `day_unit_name`: the unit that
    led it that day, by the name it bore then."""
    tasks = sorted(
        (
            task
            for part in tasks_on(org, day)
            # Ordered by an expression, as in overdue_list: not a walk of the country's open
            # tasks in deadline order for one subtree's.
            for task in part.filter(status_code=deadlines.OPEN_OVERDUE)
            .select_related("lead_unit")
            .order_by(Coalesce("deadline_last_day", Value(NO_DAY)), "id")[:limit]
        ),
        key=lambda task: (task.deadline_last_day, task.pk),
    )[:limit]
    units = Organization.objects.filter(path__in={t.day_path for t in tasks}).only("pk", "path", "name")
    names = {unit.path: unit.name for unit in FormerName.objects.name_units_on(list(units), day)}
    for task in tasks:
        task.day_unit_name = names.get(task.day_path) or task.lead_label
    return tasks


def status_of(state: str, due: datetime.date, today: datetime.date) -> str:
    """The status a tally key stands for as of `today` (one task's worth of _add_state)."""
    counts = dict.fromkeys(deadlines.STATUS_LABELS, 0)
    _add_state(counts, state, 1, 1 if due < today else 0)
    return next(code for code, n in counts.items() if n)


def _add_state(counts: dict[str, int], state: str, total: int, overdue: int) -> None:
    if state == TallyState.OPEN:
        counts[deadlines.OPEN_OVERDUE] += overdue
        counts[deadlines.OPEN_IN_TIME] += total - overdue
    elif state == TallyState.ON_TIME:
        counts[deadlines.DONE_ON_TIME] += total
    elif state == TallyState.LATE:
        counts[deadlines.DONE_LATE] += total
    else:
        counts[deadlines.STATUS_ONGOING] += total


def coverage_rollup(
    org: Organization, today: datetime.date, *, document_id: int | None = None
) -> dict[int, dict[int, dict[str, int]]]:
    """{document id: {child unit id: {coverage state: n}}} for the units strictly below `org`
    that were required to issue a plan; one query."""
    rows = _children_rows(CoverageTally, org)
    if document_id is not None:
        rows = rows.filter(document_id=document_id)
    rows = (
        rows.values("document_id", "unit_id", "state")
        .annotate(total=Sum("n"), overdue=Sum("n", filter=Q(due__lt=today)))
        .order_by()
    )
    result: dict[int, dict[int, dict[str, int]]] = {}
    for row in rows:
        counts = result.setdefault(row["document_id"], {}).setdefault(row["unit_id"], dict.fromkeys(COVERAGE_LABELS, 0))
        if row["state"] == TallyState.OPEN:
            counts[COVERAGE_OVERDUE] += row["overdue"] or 0
            counts[COVERAGE_PENDING] += row["total"] - (row["overdue"] or 0)
        else:
            counts[row["state"]] += row["total"]
    return result


def add_up(counts: Iterable[dict[str, int]], keys: Iterable[str]) -> dict[str, int]:
    total = dict.fromkeys(keys, 0)
    for c in counts:
        for key, n in c.items():
            total[key] += n
    return total


# ---- from scratch -------------------------------------------------------------------------

# Tables named by their models, so a renamed model or db_table cannot leave the SQL behind.
_TASK, _PLAN, _REQUIREMENT = Task._meta.db_table, Plan._meta.db_table, PlanRequirement._meta.db_table
_UNIT, _DOCUMENT = Organization._meta.db_table, Document._meta.db_table

# The task status rule in SQL (lib/deadlines.status is its definition; tests check they agree).
STATE_SQL = (
    "CASE WHEN t.deadline_last_day IS NULL THEN 'ongoing' WHEN t.completed_on IS NULL THEN 'open' "
    "WHEN t.completed_on <= t.deadline_last_day THEN 'on_time' ELSE 'late' END"
)
DUE_SQL = "CASE WHEN t.deadline_last_day IS NOT NULL AND t.completed_on IS NULL THEN t.deadline_last_day ELSE %s END"

_TASK_SELECT = f"""
    SELECT a.id, {STATE_SQL}, {DUE_SQL}, COUNT(*)
    FROM {_TASK} t
    JOIN {_PLAN} p ON p.id = t.plan_id
    JOIN {_UNIT} l ON l.id = t.lead_unit_id
    JOIN {_UNIT} a ON a.path = SUBSTR(l.path, 1, %s)
    WHERE p.status = 'issued' AND l.depth >= %s
    GROUP BY 1, 2, 3
"""

_ISSUED_CHILD = (
    f"SELECT 1 FROM {_PLAN} c JOIN {_DOCUMENT} cd ON cd.id = c.document_id "
    "WHERE c.parent_plan_id = r.plan_id AND c.unit_id = r.unit_id AND c.status = 'issued'"
)


def _coverage_select(requirements_where: str = "") -> str:
    """The coverage recount; `requirements_where` limits the requirements read (a condition on
    their unit `ru`): a requirement's state is worked out before the tally's scope applies, so a
    scoped recount limits them here, or the whole country's are read each time."""
    requirements = f"{_REQUIREMENT} r"
    if requirements_where:
        requirements += f" JOIN {_UNIT} ru ON ru.id = r.unit_id WHERE {requirements_where}"
    return f"""
    SELECT a.id, COALESCE(p.source_document_id, p.document_id), r.state,
        CASE WHEN r.state = 'open' THEN r.due_on ELSE %s END, COUNT(*)
    FROM (
        SELECT r.plan_id, r.unit_id, r.due_on,
            CASE WHEN EXISTS ({_ISSUED_CHILD} AND cd.issued_on <= r.due_on) THEN 'on_time'
                 WHEN EXISTS ({_ISSUED_CHILD}) THEN 'late' ELSE 'open' END AS state
        FROM {requirements}
    ) r
    JOIN {_PLAN} p ON p.id = r.plan_id
    JOIN {_UNIT} u ON u.id = r.unit_id
    JOIN {_UNIT} a ON a.path = SUBSTR(u.path, 1, %s)
    WHERE u.depth >= %s
    GROUP BY 1, 2, 3, 4
"""


_COVERAGE_SELECT = _coverage_select()


def _depths() -> range:
    return Organization.objects.tally_depths()


def expected() -> tuple[dict, dict]:
    """Both tallies counted from the rows: {(unit id, state, due): n}, {(unit id, document id, state, due): n}."""
    tasks, coverage = {}, {}
    with rollup.recount_cursor() as cursor:
        for depth in _depths():
            cursor.execute(_TASK_SELECT, [NO_DAY, depth * STEP, depth])
            tasks.update({(unit, state, _day(due)): n for unit, state, due, n in cursor.fetchall()})
            cursor.execute(_COVERAGE_SELECT, [NO_DAY, depth * STEP, depth])
            coverage.update({(unit, doc, state, _day(due)): n for unit, doc, state, due, n in cursor.fetchall()})
    return tasks, coverage


def stored() -> tuple[dict, dict]:
    tasks = {
        (unit, state, due): n
        for unit, state, due, n in TaskTally.objects.exclude(n=0).values_list("unit_id", "state", "due", "n")
    }
    coverage = {
        (unit, doc, state, due): n
        for unit, doc, state, due, n in CoverageTally.objects.exclude(n=0).values_list(
            "unit_id", "document_id", "state", "due", "n"
        )
    }
    return tasks, coverage


def _day(value) -> datetime.date:
    # SQLite hands back the text it stored; PostgreSQL a date.
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(value)


def rebuild(units: rollup.Units | None = None) -> None:
    """Recount both tallies from the rows, in SQL (minutes at the national tier, not hours) —
    every unit's rows, or only those of `units` (a reorganization recounts the subtree it changed)."""
    units = units or rollup.Units()
    where, where_params = units.sql("a")
    with rollup.recount_cursor() as cursor:
        for model in (TaskTally, CoverageTally):
            cursor.execute(
                f"DELETE FROM {model._meta.db_table} WHERE unit_id IN (SELECT a.id FROM {_UNIT} a WHERE {where})",
                where_params,
            )
        tasks, task_params = _scoped(_TASK_SELECT, units, "l")
        inner, inner_params = "", []
        if units.under and not units.ids:
            inner, inner_params = units.sql("ru")
        coverage, coverage_params = _scoped(_coverage_select(inner), units, "u")
        for depth in _depths():
            cursor.execute(
                f"INSERT INTO {TaskTally._meta.db_table} (unit_id, state, due, n) {tasks}",
                [NO_DAY, depth * STEP, depth, *task_params],
            )
            cursor.execute(
                f"INSERT INTO {CoverageTally._meta.db_table} (unit_id, document_id, state, due, n) {coverage}",
                [NO_DAY, *inner_params, depth * STEP, depth, *coverage_params],
            )


def _scoped(select: str, units: rollup.Units, item_alias: str) -> tuple[str, list]:
    """A recount SELECT limited to the tally rows of `units` (its last GROUP BY ends the WHERE)."""
    where, params = units.sql_pair("a", item_alias)
    head, tail = select.rsplit("GROUP BY", 1)
    return f"{head} AND {where} GROUP BY{tail}", params


def differences() -> list[str]:
    """Every stored task or coverage tally row that differs from a recount, readable."""
    lines = []
    for name, mine, theirs in zip((_("nhiệm vụ"), _("ban hành kế hoạch")), stored(), expected(), strict=True):
        for key in sorted(set(mine) | set(theirs), key=str):
            if mine.get(key) != theirs.get(key):
                lines.append(
                    _("%(name)s %(key)s: lưu %(stored)s, đếm lại %(recounted)s")
                    % {"name": name, "key": key, "stored": mine.get(key), "recounted": theirs.get(key)}
                )
    return lines
