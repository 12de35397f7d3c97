"""Synthetic plans and tasks over a generated tree, for the dashboard and coverage benchmarks.

A central resolution cascades down: the top unit's action program requires every province
to issue its plan, each province every commune-level unit, each of those that issued
its plan every grassroots unit. Some issue on time, some late, some not yet. Every unit
then leads about `per_unit` tasks of the nearest plan above it, with deadlines from 2024 to
2028 and completion as a real programme looks half-way through its term.

Rows are written in bulk (COPY on PostgreSQL) and the tallies are recounted once at the end,
so ~5 million tasks take minutes. Nothing goes through the audited actions: this is load-test
data, never real data. Deterministic for a seed.
"""

import calendar
import datetime
import io
import random

from django.db import connection, transaction
from django.utils import timezone

from hienthuc.documents.models import Document, DocumentKind
from hienthuc.lib.text import fold
from hienthuc.orgs.models import Organization
from hienthuc.plans import tallies
from hienthuc.plans.models import Plan, PlanRequirement, Task

TODAY = datetime.date(2026, 6, 15)  # a fixed "today" keeps the mix of statuses deterministic
DEADLINES = [
    (f"Tháng {m}/{y}", "month", datetime.date(y, m, calendar.monthrange(y, m)[1]))
    for y in range(2024, 2029)
    for m in (3, 6, 9, 12)
]
CONTENTS = [
    "Quán triệt, triển khai nghị quyết đến toàn thể cán bộ, đảng viên",
    "Xây dựng đề án phát triển nông nghiệp hữu cơ",
    "Rà soát, bổ sung quy hoạch cán bộ nhiệm kỳ tới",
    "Kiểm tra, giám sát việc thực hiện nghị quyết ở các chi bộ",
    "Đẩy mạnh chuyển đổi số trong hoạt động của cấp ủy",
    "Sơ kết giữa nhiệm kỳ việc thực hiện nghị quyết",
]


def _issued_on(rng: random.Random, due: datetime.date) -> tuple[datetime.date | None, str]:
    """When a required unit issued its plan: on time (60 %), late (25 %) or not yet (15 %)."""
    roll = rng.random()
    if roll < 0.60:
        return due - datetime.timedelta(days=rng.randint(0, 20)), "issued"
    if roll < 0.85:
        return due + datetime.timedelta(days=rng.randint(1, 40)), "issued"
    return None, "draft"


def generate_plans(*, per_unit: int = 15, seed: int = 1, top: Organization | None = None, out=None) -> dict[str, int]:
    """Plans and tasks over the tree under `top` (by default the root with most children)."""
    rng = random.Random(seed)
    if top is None:
        top = Organization.objects.filter(depth=1).order_by("-numchild", "path").first()
    if top is None:
        raise ValueError("no tree to fill: run generate_tier first")
    units = list(
        Organization.objects.filter(path__startswith=top.path).order_by("path").values_list("pk", "path", "depth")
    )
    now = timezone.now()
    kinds = {k.code: k for k in DocumentKind.objects.filter(code__in=["nghi_quyet", "ke_hoach", "chuong_trinh"])}
    counts = {"plans": 0, "requirements": 0, "tasks": 0}
    with transaction.atomic():
        resolution = Document.objects.create(
            kind=kinds["nghi_quyet"], number_text="90-NQ/TW", number_normalized="90-NQ/TW", number_system="party",
            number=90, number_kind="NQ", number_issuer="TW", issuing_unit_id=top.pk, issuing_body="bch",
            issued_on=datetime.date(2024, 1, 10), summary="về phát triển bền vững (mô phỏng)", status="issued",
            search_text=fold("Nghị quyết 90-NQ/TW về phát triển bền vững"),
        )  # fmt: skip
        # The cascade, level by level: a unit with a plan requires its children (party
        # units with children of their own, and the grassroots level) to issue theirs.
        plan_of: dict[str, int] = {}
        root_plan = _plans([(top.pk, top.path, datetime.date(2024, 2, 1))], kinds, resolution, {}, now)
        plan_of.update(root_plan)
        by_depth: dict[int, list] = {}
        for pk, path, depth in units:
            by_depth.setdefault(depth, []).append((pk, path))
        deepest = max(by_depth)
        for depth in range(top.depth + 1, deepest):  # the lowest level (cells) only leads tasks
            due = datetime.date(2024, 2, 1) + datetime.timedelta(days=30 * (depth - top.depth))
            requirements, issued = [], []
            for pk, path in by_depth[depth]:
                parent_plan = plan_of.get(path[: -Organization.steplen])
                if parent_plan is None:
                    continue
                requirements.append(PlanRequirement(plan_id=parent_plan, unit_id=pk, due_on=due, created_at=now))
                day, status = _issued_on(rng, due)
                if status == "issued":
                    issued.append((pk, path, day))
            PlanRequirement.objects.bulk_create(requirements, batch_size=5000)
            parents = {path: plan_of[path[: -Organization.steplen]] for _pk, path, _day in issued}
            plan_of.update(_plans(issued, kinds, resolution, parents, now))
            counts["requirements"] += len(requirements)
        counts["plans"] = len(plan_of)
        counts["tasks"] = _insert_tasks(units, plan_of, rng, per_unit, now)
        if out:
            out.write(
                f"  {counts['plans']:,} kế hoạch, {counts['requirements']:,} đơn vị được giao, "
                f"{counts['tasks']:,} nhiệm vụ; đang đếm lại số liệu tích lũy…"
            )
        tallies.rebuild()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in (
                "plans_task",
                "plans_plan",
                "plans_planrequirement",
                "plans_tasktally",
                "plans_coveragetally",
            ):
                cursor.execute(f"ANALYZE {table}")
    return counts


def _plans(issued, kinds, resolution, parents: dict[str, int], now) -> dict[str, int]:
    """Issued plans (with their documents) for [(unit id, path, issued on)]; {path: plan id}."""
    documents = [
        Document(
            kind=kinds["ke_hoach"],
            number_text=f"{i + 1}-KH",
            number_normalized=f"{i + 1}-KH",
            number_system="party",
            number=None,
            number_kind="KH",
            issuing_unit_id=pk,
            issuing_body="btv",
            issued_on=day,
            summary="Kế hoạch thực hiện Nghị quyết 90-NQ/TW",
            status="issued",
            search_text="ke hoach thuc hien",
            created_at=now,
            updated_at=now,
        )  # fmt: skip
        for i, (pk, _path, day) in enumerate(issued)
    ]
    Document.objects.bulk_create(documents, batch_size=5000)
    plans = [
        Plan(
            document=document,
            unit_id=pk,
            kind="implementation_plan",
            title="Kế hoạch thực hiện Nghị quyết 90-NQ/TW",
            source_document=resolution,
            parent_plan_id=parents.get(path),
            status="issued",
            issued_at=now,
            created_at=now,
        )  # fmt: skip
        for document, (pk, path, _day) in zip(documents, issued, strict=True)
    ]
    Plan.objects.bulk_create(plans, batch_size=5000)
    return {path: plan.pk for plan, (_pk, path, _day) in zip(plans, issued, strict=True)}


def _task_rows(units, plan_of: dict[str, int], rng: random.Random, per_unit: int):
    step = Organization.steplen
    for pk, path, _depth in units:
        # The nearest plan at or above the unit.
        plan = None
        for end in range(len(path), 0, -step):
            plan = plan_of.get(path[:end])
            if plan is not None:
                break
        for order in range(1, per_unit + 1):
            if rng.random() < 0.05:
                text, kind, last_day = "Thường xuyên", "ongoing", None
            else:
                text, kind, last_day = rng.choice(DEADLINES)
            completed = None
            if last_day is not None:
                chance = 0.75 if last_day < TODAY else 0.15
                if rng.random() < chance:
                    completed = min(last_day + datetime.timedelta(days=rng.randint(-60, 45)), TODAY)
            yield (
                plan,
                order,
                rng.choice(CONTENTS),
                pk,
                path,
                text,
                kind,
                last_day,
                100 if completed else 0,
                completed,
            )


def _insert_tasks(units, plan_of, rng, per_unit: int, now) -> int:
    rows = _task_rows(units, plan_of, rng, per_unit)
    n = 0
    if connection.vendor == "postgresql":
        columns = (
            'plan_id, section, "order", content, lead_unit_id, lead_path, output, deadline_text, deadline_kind, '
            "deadline_last_day, notes, progress, completed_on, output_link, version, created_at, updated_at"
        )
        stamp, null = now.isoformat(), "\\N"
        with connection.cursor() as cursor, cursor.cursor.copy(f"COPY plans_task ({columns}) FROM STDIN") as copy:
            buffer = io.StringIO()
            for plan, order, content, lead, path, text, kind, last_day, progress, completed in rows:
                buffer.write(
                    f"{plan}\t\t{order}\t{content}\t{lead}\t{path}\t\t{text}\t{kind}\t{last_day or null}\t\t"
                    f"{progress}\t{completed or null}\t\t1\t{stamp}\t{stamp}\n"
                )
                n += 1
                if buffer.tell() > 1 << 22:
                    copy.write(buffer.getvalue())
                    buffer = io.StringIO()
            copy.write(buffer.getvalue())
        return n
    batch = []
    for plan, order, content, lead, path, text, kind, last_day, progress, completed in rows:
        batch.append(
            Task(
                plan_id=plan, order=order, content=content, lead_unit_id=lead, lead_path=path, deadline_text=text,
                deadline_kind=kind,
                deadline_last_day=last_day, progress=progress, completed_on=completed, created_at=now, updated_at=now,
            )
        )  # fmt: skip
        if len(batch) >= 10_000:
            Task.objects.bulk_create(batch)
            n += len(batch)
            batch = []
    Task.objects.bulk_create(batch)
    return n + len(batch)
