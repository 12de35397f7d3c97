"""Benchmark: the unit dashboard and the plan-coverage view at the top of the tree.

Run by `make bench` after `generate_tier` and `generate_plans`. The measured code is the
whole HTTP request of each page, as a leader at the root opens it; the baseline is
hand-written SQL reading the same figures from the same tables, checked to agree. An extra
line shows what counting the task rows on every view (no stored tallies) would cost.
"""

import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hienthuc.settings")
django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.harness import Report, measure  # noqa: E402
from bench.tree import bench_user  # noqa: E402
from hienthuc.lib import deadlines  # noqa: E402
from hienthuc.orgs.models import Organization  # noqa: E402
from hienthuc.plans import tallies  # noqa: E402
from hienthuc.plans.coverage import coverage_documents  # noqa: E402
from hienthuc.plans.models import CoverageTally, Task  # noqa: E402

BUDGET_MS = 100

SQL_TASK_CHILDREN = """
    SELECT t.unit_id, t.state, SUM(t.n), SUM(CASE WHEN t.due < %s THEN t.n ELSE 0 END)
    FROM plans_tasktally t JOIN orgs_organization o ON o.id = t.unit_id
    WHERE o.depth = %s AND o.path LIKE %s GROUP BY t.unit_id, t.state
"""
SQL_TASK_OWN = """
    SELECT t.deadline_last_day, t.completed_on, COUNT(*) FROM plans_task t JOIN plans_plan p ON p.id = t.plan_id
    WHERE t.lead_unit_id = %s AND p.status = 'issued' GROUP BY t.deadline_last_day, t.completed_on
"""
SQL_OVERDUE = """
    SELECT t.id FROM plans_task t JOIN plans_plan p ON p.id = t.plan_id
    WHERE p.status = 'issued' AND t.lead_path LIKE %s AND t.completed_on IS NULL AND t.deadline_last_day < %s
    ORDER BY t.deadline_last_day, t.id LIMIT 20
"""
SQL_COVERAGE_CHILDREN = """
    SELECT c.document_id, c.unit_id, c.state, SUM(c.n), SUM(CASE WHEN c.due < %s THEN c.n ELSE 0 END)
    FROM plans_coveragetally c JOIN orgs_organization o ON o.id = c.unit_id
    WHERE o.depth = %s AND o.path LIKE %s GROUP BY c.document_id, c.unit_id, c.state
"""
SQL_CHILDREN = (
    "SELECT o.id, o.name FROM orgs_organization o WHERE o.depth = %s AND o.path LIKE %s ORDER BY o.search_text"
)


def baseline_dashboard(root: Organization, today) -> dict:
    """The dashboard's figures in hand-written SQL: status totals, per child, the overdue list
    and the coverage per source document."""
    totals = dict.fromkeys(deadlines.STATUS_LABELS, 0)
    with connection.cursor() as cursor:
        cursor.execute(SQL_CHILDREN, [root.depth + 1, root.path + "%"])
        cursor.fetchall()
        cursor.execute(SQL_TASK_CHILDREN, [today, root.depth + 1, root.path + "%"])
        for _unit, state, total, overdue in cursor.fetchall():
            if state == "open":
                totals[deadlines.OPEN_OVERDUE] += overdue
                totals[deadlines.OPEN_IN_TIME] += total - overdue
            else:
                totals[
                    {"ongoing": deadlines.STATUS_ONGOING, "on_time": deadlines.DONE_ON_TIME}.get(
                        state, deadlines.DONE_LATE
                    )
                ] += total
        cursor.execute(SQL_TASK_OWN, [root.pk])
        for last_day, completed, n in cursor.fetchall():
            totals[deadlines.status(last_day, completed, today)] += n
        cursor.execute(SQL_OVERDUE, [root.path + "%", today])
        overdue = [row[0] for row in cursor.fetchall()]
        cursor.execute(SQL_COVERAGE_CHILDREN, [today, root.depth + 1, root.path + "%"])
        coverage = cursor.fetchall()
    return {"totals": totals, "overdue": overdue, "coverage_rows": len(coverage)}


SQL_COVERAGE_DOCUMENT = """
    SELECT c.unit_id, c.state, SUM(c.n), SUM(CASE WHEN c.due < %s THEN c.n ELSE 0 END)
    FROM plans_coveragetally c JOIN orgs_organization o ON o.id = c.unit_id
    WHERE c.document_id = %s AND o.depth = %s AND o.path LIKE %s GROUP BY c.unit_id, c.state
"""
SQL_REQUIRED_HERE = """
    SELECT r.unit_id, r.due_on, c.id, d.issued_on FROM plans_planrequirement r
    JOIN plans_plan p ON p.id = r.plan_id JOIN orgs_organization u ON u.id = r.unit_id
    LEFT JOIN plans_plan c ON c.parent_plan_id = r.plan_id AND c.unit_id = r.unit_id AND c.status = 'issued'
    LEFT JOIN documents_document d ON d.id = c.document_id
    WHERE COALESCE(p.source_document_id, p.document_id) = %s AND u.depth <= %s AND u.path LIKE %s
"""


def baseline_coverage(unit: Organization, today, document: int) -> list:
    """The coverage page's figures in hand-written SQL: per child, and the units required right below."""
    with connection.cursor() as cursor:
        cursor.execute(SQL_CHILDREN, [unit.depth + 1, unit.path + "%"])
        cursor.fetchall()
        cursor.execute(SQL_COVERAGE_DOCUMENT, [today, document, unit.depth + 1, unit.path + "%"])
        per_child = cursor.fetchall()
        cursor.execute(SQL_REQUIRED_HERE, [document, unit.depth + 1, unit.path + "%"])
        return [per_child, cursor.fetchall()]


def ours(root: Organization, today) -> dict:
    totals, _children = tallies.task_rollup(root, today)
    overdue = [task.pk for task in tallies.overdue_list(root, today)]
    return {"totals": totals, "overdue": overdue}


RECOUNT_SQL = """
    SELECT SUBSTR(l.path, 1, %s), t.deadline_last_day < %s, t.completed_on IS NULL, COUNT(*)
    FROM plans_task t JOIN plans_plan p ON p.id = t.plan_id JOIN orgs_organization l ON l.id = t.lead_unit_id
    WHERE p.status = 'issued' AND l.path LIKE %s GROUP BY 1, 2, 3
"""


def recount(root: Organization, today) -> list:
    with connection.cursor() as cursor:
        cursor.execute(RECOUNT_SQL, [(root.depth + 1) * root.steplen, today, root.path + "%"])
        return cursor.fetchall()


def main() -> int:
    root = Organization.objects.filter(depth=1).order_by("-numchild", "path").first()
    tasks_total = Task.objects.count()
    if root is None or not tasks_total:
        print("Chưa có dữ liệu: hãy chạy generate_tier rồi generate_plans trước.")
        return 2
    today = timezone.localdate()
    document = CoverageTally.objects.order_by("document_id").values_list("document_id", flat=True).first()
    report = Report(
        f"Theo dõi nhiệm vụ — {connection.vendor}, {tasks_total:,} nhiệm vụ, "
        f"{Organization.objects.count():,} đơn vị (p95 trên 30 lần đo)"
    )
    cases = [("gốc", root)]
    largest = Organization.objects.children_of(root).order_by("-units_below").first()
    if largest is not None:
        cases.append((largest.name, largest))
    for label, unit in cases:
        user = bench_user(f"bench_dash_{unit.pk}", unit)
        client = Client()
        client.force_login(user)
        mine, theirs = ours(unit, today), baseline_dashboard(unit, today)
        assert mine["totals"] == theirs["totals"], "the tallies and the hand-written SQL disagree"
        assert mine["overdue"] == theirs["overdue"], "the overdue lists disagree"
        assert coverage_documents(unit, today, user, limit=5) or not theirs["coverage_rows"]
        base = measure(lambda u=unit: baseline_dashboard(u, today), runs=30)
        page = f"/orgs/{unit.pk}/dashboard/"
        assert client.get(page).status_code == 200
        report.add(
            f"trang theo dõi nhiệm vụ ({label})",
            measure(lambda c=client, p=page: c.get(p), runs=30, warmup=3),
            budget_ms=BUDGET_MS,
            baseline=base,
            max_ratio=None,
        )
        report.info(f"  SQL viết tay, cùng số liệu ({label})", base)
        page = f"/orgs/{unit.pk}/coverage/?document={document}"
        assert client.get(page).status_code == 200
        per_child, _rows = baseline_coverage(unit, today, document)
        figures = tallies.coverage_rollup(unit, today, document_id=document).get(document, {})
        assert sum(sum(c.values()) for c in figures.values()) == sum(row[2] for row in per_child)
        base = measure(lambda u=unit: baseline_coverage(u, today, document), runs=30)
        report.add(
            f"tình hình ban hành kế hoạch thực hiện ({label})",
            measure(lambda c=client, p=page: c.get(p), runs=30, warmup=3),
            budget_ms=BUDGET_MS,
            baseline=base,
            max_ratio=None,
        )
        report.info(f"  SQL viết tay, cùng số liệu ({label})", base)
    client = Client()
    client.force_login(bench_user(f"bench_dash_{root.pk}", root))
    report.info(
        "  trang đơn vị gốc (mốc so sánh: một trang nhẹ)", measure(lambda: client.get(f"/orgs/{root.pk}/"), runs=20)
    )
    report.info(
        "  đếm lại từ các dòng nhiệm vụ, không dùng số liệu tích lũy (gốc)",
        measure(lambda: recount(root, today), runs=3, warmup=1),
    )
    report.print()
    return 1 if report.failed else 0


if __name__ == "__main__":
    sys.exit(main())
