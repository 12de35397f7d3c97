"""Benchmark: a user's visible units with the number of units and people under each child.

Run by `make bench` after `generate_tier` has filled the database. The measured code is
what the tree and unit pages run; the baseline is hand-written SQL computing the same
rows, and an extra line shows what a recount without stored aggregates would cost.
"""

import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hienthuc.settings")
django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from bench.harness import Report, measure  # noqa: E402
from hienthuc.accounts.actions import do_grant_role  # noqa: E402
from hienthuc.accounts.system import system_user  # noqa: E402
from hienthuc.orgs import aggregates  # noqa: E402
from hienthuc.orgs.models import Organization  # noqa: E402
from hienthuc.scope import top_paths  # noqa: E402

BUDGET_MS = 50
MAX_RATIO = 2.0


def bench_user(username: str, org: Organization):
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create_user(username=username, password="bench-password-123")
        do_grant_role(user, organization=org, kind="viewer", acting_user=system_user())
    return user


def visible_units_with_counts(user) -> list:
    """What the tree page computes for a request by this user (loaded by the auth middleware)."""
    return [
        (
            unit["pk"],
            (unit["units_below"], unit["people_below"]),
            [(c["pk"], c["name"], c["kind_name"], c["units_below"], c["people_below"]) for c in children],
        )
        for unit, children in aggregates.overview(top_paths(user))
    ]


BASELINE_SQL_UNITS = """
    SELECT DISTINCT o.id, o.path, o.depth, o.units_below, o.people_below, o.people_here, k.name
    FROM accounts_role r JOIN orgs_organization o ON o.id = r.organization_id
    JOIN orgs_orgkind k ON k.id = o.kind_id WHERE r.user_id = %s ORDER BY o.path
"""
BASELINE_SQL_CHILDREN = """
    SELECT o.id, o.name, k.name, o.units_below, o.people_below FROM orgs_organization o
    JOIN orgs_orgkind k ON k.id = o.kind_id
    WHERE o.depth = %s AND o.path LIKE %s AND o.is_active ORDER BY k.is_body, o.search_text
"""
BASELINE_SQL_ROOT_SUM = """
    SELECT COALESCE(SUM(units_below), 0) + SUM(CASE WHEN is_active THEN 1 ELSE 0 END), COALESCE(SUM(people_below), 0)
    FROM orgs_organization WHERE depth = %s AND path LIKE %s
"""


def baseline(user_id: int) -> list:
    with connection.cursor() as cursor:
        cursor.execute(BASELINE_SQL_UNITS, [user_id])
        units = cursor.fetchall()
        paths = [u[1] for u in units]
        result = []
        for pk, path, depth, units_below, people_below, people_here, _kind in units:
            if any(path != p and path.startswith(p) for p in paths):
                continue
            if depth >= 2:
                totals = (units_below, people_below)
            else:
                cursor.execute(BASELINE_SQL_ROOT_SUM, [depth + 1, path + "%"])
                below, people = cursor.fetchone()
                totals = (below, people + people_here)
            cursor.execute(BASELINE_SQL_CHILDREN, [depth + 1, path + "%"])
            result.append((pk, totals, cursor.fetchall()))
        return result


RECOUNT_SQL = """
    SELECT SUBSTR(o.path, 1, %s) AS child, COUNT(*) FROM people_person p
    JOIN orgs_organization o ON o.id = p.home_unit_id
    WHERE o.path LIKE %s AND o.depth > %s AND p.is_active GROUP BY 1
"""


def recount(root: Organization) -> list:
    with connection.cursor() as cursor:
        cursor.execute(RECOUNT_SQL, [(root.depth + 1) * root.steplen, root.path + "%", root.depth])
        return cursor.fetchall()


def main() -> int:
    root = Organization.objects.filter(depth=1).order_by("-units_below", "path").first()
    if root is None:
        print("Chưa có dữ liệu: hãy chạy generate_tier trước.")
        return 2
    units_total = Organization.objects.count()
    report = Report(
        f"Cây đơn vị — {connection.vendor}, {units_total:,} đơn vị, "
        f"{aggregates.subtree_totals(root)[1]:,} người (p95 trên 50 lần đo)"
    )
    cases = [("gốc", bench_user("bench_root", root), root)]
    largest_child = Organization.objects.children_of(root).order_by("-people_below").first()
    if largest_child is not None and largest_child.numchild:
        cases.append((largest_child.name, bench_user("bench_child", largest_child), largest_child))
    for label, user, _unit in cases:
        ours = visible_units_with_counts(user)
        theirs = baseline(user.pk)
        assert [(a[0], tuple(a[1]), [tuple(c[:1]) + tuple(c[3:]) for c in a[2]]) for a in ours] == [
            (b[0], tuple(b[1]), [(c[0], c[3], c[4]) for c in b[2]]) for b in theirs
        ], "the ORM and the hand-written SQL disagree"
        base = measure(lambda u=user: baseline(u.pk))
        report.add(
            f"đơn vị thấy được + số liệu từng đơn vị con ({label})",
            measure(lambda u=user: visible_units_with_counts(u)),
            budget_ms=BUDGET_MS,
            baseline=base,
            max_ratio=MAX_RATIO,
        )
        report.info(f"  SQL viết tay, cùng kết quả ({label})", base)
    client = Client()
    client.force_login(cases[0][1])
    page = measure(lambda: client.get(f"/orgs/{root.pk}/"), runs=20, warmup=2)
    report.info("  trang đơn vị gốc, trọn yêu cầu HTTP", page)
    report.info("  đếm lại từ đầu không dùng số liệu tích lũy (gốc)", measure(lambda: recount(root), runs=3, warmup=1))
    report.print()
    return 1 if report.failed else 0


if __name__ == "__main__":
    sys.exit(main())
