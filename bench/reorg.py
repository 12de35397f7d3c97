"""A reorganization at scale: the largest province's communes merged three into one — their
grassroots organizations and cells continued under the new communes, members and open work
carried — previewed and applied, beside the same-run baseline of rewriting the same rows with
plain SQL (rolled back). check_tallies must be clean afterwards, and the tree of a day before
and after the effective date must stay within the tree page's budget.

Run last in a leg: it changes the generated tree."""

import datetime
import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hienthuc.settings")
django.setup()

from django.db import connection, transaction  # noqa: E402

from bench.harness import Report, measure  # noqa: E402
from hienthuc.accounts.system import system_user  # noqa: E402
from hienthuc.orgs import aggregates, counts  # noqa: E402
from hienthuc.orgs.models import Organization, OrgKind  # noqa: E402
from hienthuc.reorgs.actions import (  # noqa: E402
    do_add_operation,
    do_apply_reorganization,
    do_create_reorganization,
    do_set_carry_choices,
    preview,
)

EFFECTIVE = datetime.date(2025, 7, 1)
# Budgets against the same-run plain-SQL rewrite of the same rows (ending the units, re-pointing
# their members and tasks). The apply does more than that rewrite: it makes every continued unit
# (bulk, paths computed as the tree does), records the moved rows to undo, writes an audit row
# per ended unit and recounts every registered tally — measured at 26× on the province tier
# (SQLite), so 50× leaves room for a noisy machine; the absolute budgets are what an office can
# wait for once in a term, in one request. The preview reads what the apply will do: 2.5×.
PREVIEW_BUDGET_MS, PREVIEW_RATIO = 10_000, 5
APPLY_BUDGET_MS, APPLY_RATIO = 60_000, 50
TREE_BUDGET_MS = 100


def baseline_rewrite(root: Organization, ceasing_ids: list[int]) -> None:
    """The rows a merger rewrites, by hand: units ended, the subtree re-pointed (people, tasks)."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            org = Organization._meta.db_table
            cursor.execute(
                f"UPDATE {org} SET valid_to = %s, is_active = %s WHERE path LIKE %s AND depth > %s",
                [EFFECTIVE - datetime.timedelta(days=1), False, root.path + "%", root.depth],
            )
            from hienthuc.people.models import Person
            from hienthuc.plans.models import Task

            cursor.execute(
                f"UPDATE {Person._meta.db_table} SET home_unit_id = home_unit_id WHERE home_unit_id IN "
                f"(SELECT id FROM {org} WHERE path LIKE %s AND depth > %s)",
                [root.path + "%", root.depth],
            )
            cursor.execute(
                f"UPDATE {Task._meta.db_table} SET lead_path = lead_path WHERE lead_path LIKE %s",
                [root.path + "%"],
            )
        transaction.set_rollback(True)


def main() -> int:
    root = Organization.objects.filter(kind__code="tinh_uy").order_by("-units_below", "path").first()
    if root is None:
        print("Chưa có dữ liệu: hãy chạy generate_tier trước.")
        return 2
    actor = system_user()
    communes = list(Organization.objects.children_of(root).filter(kind__code="dang_uy_xa").order_by("path"))
    reorg = do_create_reorganization(
        unit=root, title="Sáp nhập xã (đo hiệu năng)", effective_on=EFFECTIVE, acting_user=actor
    )
    kind = OrgKind.objects.get(code="dang_uy_xa")
    groups = [communes[i : i + 3] for i in range(0, len(communes), 3)]
    if len(groups) > 1 and len(groups[-1]) == 1:
        last = groups.pop()
        groups[-1] += last  # a merger takes at least two
    for number, group in enumerate(groups, 1):
        do_add_operation(
            reorg, kind="merge", units=group, new_code=f"{root.code}-M{number:04d}",
            new_name=f"Đảng ủy xã mới {number}", new_kind=kind, new_parent=root, acting_user=actor,
        )  # fmt: skip
    reorg = do_set_carry_choices(reorg, carry={}, move_roles=True, reports_confirmed="Đo hiệu năng", acting_user=actor)
    units = Organization.objects.subtree_of(root).count()
    report = Report(
        f"Sắp xếp đơn vị — {connection.vendor}: {len(communes)} xã của {root.name} hợp nhất còn {len(groups)}, "
        f"{units:,} đơn vị trong tỉnh (1–3 lần đo)"
    )
    ceasing = [c.pk for c in communes]
    base = measure(lambda: baseline_rewrite(root, ceasing), runs=3, warmup=1)
    page = preview(reorg, actor)
    assert not page.errors, page.errors[:5]
    report.add(
        f"xem trước ({page.continued:,} đơn vị tiếp tục)",
        measure(lambda: preview(reorg, actor), runs=1, warmup=0),
        budget_ms=PREVIEW_BUDGET_MS, baseline=base, max_ratio=PREVIEW_RATIO,
    )  # fmt: skip
    report.add(
        "áp dụng (một giao dịch, đếm lại mọi số liệu)",
        measure(lambda: do_apply_reorganization(reorg, acting_user=actor), runs=1, warmup=0),
        budget_ms=APPLY_BUDGET_MS, baseline=base, max_ratio=APPLY_RATIO,
    )  # fmt: skip
    report.info("  SQL viết tay: ghi lại các dòng bị ảnh hưởng (hoàn tác)", base)
    differences = counts.differences()
    assert not differences, differences
    assert aggregates.rebuild() == 0, "subtree aggregates differ after the reorganization"
    for label, day in (("trước", EFFECTIVE - datetime.timedelta(days=1)), ("sau", EFFECTIVE)):
        report.add(
            f"cây đơn vị của tỉnh tại ngày {label} ngày hiệu lực",
            measure(lambda d=day: aggregates.overview([root.path], d), runs=20, warmup=2),
            budget_ms=TREE_BUDGET_MS, baseline=None, max_ratio=None,
        )  # fmt: skip
    print("check_tallies: không có chênh lệch sau khi áp dụng.")
    report.print()
    return 1 if report.failed else 0


if __name__ == "__main__":
    sys.exit(main())
