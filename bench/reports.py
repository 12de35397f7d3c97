"""Benchmark: report completeness and the indicator panel at the top of the tree.

Run by `make bench` after `generate_indicator_data`. Measured: the completeness page (whole HTTP
request), the unit dashboard's indicator panel and one indicator's page for the root unit —
with composed periods in play (the units report quarters; years, halves and nine months are
composed from them, the root's directly reported year checked against its quarters, its
estimates of this year read beside); baseline: hand-written SQL reading the same figures from
the same tables, checked to agree.
"""

import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hienthuc.settings")
django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from bench.harness import Report, measure  # noqa: E402
from bench.tree import bench_user  # noqa: E402
from hienthuc.indicators import tallies  # noqa: E402
from hienthuc.indicators.figures import indicator_panel  # noqa: E402
from hienthuc.indicators.models import FormUnit, Indicator, ReportForm, Value  # noqa: E402
from hienthuc.orgs.models import Organization  # noqa: E402

BUDGET_MS = 250
YEAR = 2025
PERIOD = "2025-Q4"

SQL_REQUIRED = """
    SELECT t.unit_id, t.n FROM indicators_formunittally t JOIN orgs_organization o ON o.id = t.unit_id
    WHERE t.form_id = %s AND o.depth = %s AND o.path LIKE %s
"""
SQL_SUBMITTED = """
    SELECT t.unit_id, t.state, t.n FROM indicators_submissiontally t JOIN orgs_organization o ON o.id = t.unit_id
    WHERE t.form_id = %s AND t.period = %s AND o.depth = %s AND o.path LIKE %s
"""
SQL_OWN = """
    SELECT v.indicator_id, v.period, v.unit_id, v.value FROM indicators_value v
    JOIN orgs_organization o ON o.id = v.unit_id
    WHERE o.depth = %s AND o.path LIKE %s AND v.period IN ({})
"""
SQL_PANEL = """
    SELECT t.indicator_id, t.period, t.unit_id, t.depth, t.n, t.total FROM indicators_valuetally t
    JOIN orgs_organization o ON o.id = t.unit_id
    WHERE o.depth = %s AND o.path LIKE %s AND t.period IN ({}) AND t.n > 0
"""


def baseline_completeness(root, form) -> dict:
    with connection.cursor() as cursor:
        cursor.execute(SQL_REQUIRED, [form.pk, root.depth + 1, root.path + "%"])
        totals = {"on_time": 0, "late": 0, "missing": sum(n for _, n in cursor.fetchall())}
        cursor.execute(SQL_SUBMITTED, [form.pk, PERIOD, root.depth + 1, root.path + "%"])
        for _unit, state, n in cursor.fetchall():
            totals[state] += n
            totals["missing"] -= n
    return totals


def baseline_panel(root) -> dict:
    """Sum of the shallowest reporting level per child, per indicator, for the year's quarters."""
    keys = [f"{YEAR}-Q{q}" for q in range(1, 5)]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indicator_id, value FROM indicators_target WHERE unit_id = %s AND year = %s AND kind = 'year'",
            [root.pk, YEAR],
        )
        targets = dict(cursor.fetchall())
        cursor.execute(SQL_PANEL.format(", ".join(["%s"] * len(keys))), [root.depth + 1, root.path + "%", *keys])
        best: dict = {}
        for indicator, period, unit, depth, n, total in cursor.fetchall():
            # Tally rows count the levels below each child; its own values come next and win.
            key = (indicator, period, unit)
            if key not in best or depth < best[key][0]:
                best[key] = (depth, n, total)
        cursor.execute(SQL_OWN.format(", ".join(["%s"] * len(keys))), [root.depth + 1, root.path + "%", *keys])
        for indicator, period, unit, value in cursor.fetchall():
            best[(indicator, period, unit)] = (root.depth + 1, 1, value)
    return {"targets": len(targets), "cells": len(best)}


def main() -> int:
    root = Organization.objects.filter(depth=1).order_by("-numchild", "path").first()
    form = ReportForm.objects.filter(name__contains="mô phỏng").order_by("pk").first()
    if root is None or form is None:
        print("Chưa có dữ liệu: hãy chạy generate_tier rồi generate_indicator_data trước.")
        return 2
    report = Report(
        f"Báo cáo định kỳ và chỉ tiêu — {connection.vendor}, {Value.objects.count():,} giá trị, "
        f"{FormUnit.objects.count():,} đơn vị phải báo cáo (p95 trên 30 lần đo)"
    )
    user = bench_user(f"bench_reports_{root.pk}", root)
    client = Client()
    client.force_login(user)
    totals, _ = tallies.completeness(root, form, PERIOD)
    assert totals == baseline_completeness(root, form), "completeness: the tallies and the SQL disagree"
    base = measure(lambda: baseline_completeness(root, form), runs=30)
    url = f"/reports/{form.pk}/completeness/?unit={root.pk}&period={PERIOD}"
    assert client.get(url).status_code == 200
    page = measure(lambda: client.get(url), runs=30, warmup=3)
    report.add("tình hình nộp báo cáo của gốc, trọn yêu cầu HTTP", page,
               budget_ms=BUDGET_MS, baseline=base, max_ratio=None)  # fmt: skip
    report.info("  SQL viết tay, cùng số liệu", base)
    rows = indicator_panel(root, YEAR)
    assert len(rows) == baseline_panel(root)["targets"], "the panel and the SQL disagree on the indicators"
    base = measure(lambda: baseline_panel(root), runs=30)
    panel = measure(lambda: indicator_panel(root, YEAR), runs=30)
    report.add(f"bảng {len(rows)} chỉ tiêu năm {YEAR} của gốc (tổng hợp từ quý)", panel,
               budget_ms=BUDGET_MS, baseline=base, max_ratio=None)  # fmt: skip
    report.info("  SQL viết tay, cùng số liệu", base)
    indicator = Indicator.objects.filter(code__startswith="BENCH_").order_by("pk").first()
    url = f"/indicators/{indicator.pk}/?unit={root.pk}&year={YEAR}"
    assert client.get(url).status_code == 200
    page = measure(lambda: client.get(url), runs=30, warmup=3)
    report.add("trang một chỉ tiêu của gốc (kỳ tổng hợp, số ước), HTTP", page,
               budget_ms=BUDGET_MS, baseline=None, max_ratio=None)  # fmt: skip
    # The yearly report of a province (the root at the province tier, the largest province at the national).
    from hienthuc.dashboard import yearly

    province = (
        root if root.kind.code == "tinh_uy" else Organization.objects.children_of(root).order_by("-units_below").first()
    )
    timing = measure(lambda: yearly.to_docx(yearly.build(province, YEAR, user)), runs=3, warmup=1)
    report.add(f"báo cáo năm {YEAR} (.docx) của {province.name}", timing, budget_ms=3000, baseline=None, max_ratio=None)
    report.print()
    return 1 if report.failed else 0


if __name__ == "__main__":
    sys.exit(main())
