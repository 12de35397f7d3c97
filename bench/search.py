"""Benchmark: the search box over ~50,000 documents at the province tier.

Baseline: the plain indexed lookup by normalized number, measured in the same run.
"""

import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hienthuc.settings")
django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402

from bench.generators.documents import bench_province  # noqa: E402
from bench.harness import Report, measure  # noqa: E402
from hienthuc.accounts.actions import do_grant_role  # noqa: E402
from hienthuc.accounts.system import system_user  # noqa: E402
from hienthuc.documents.models import Document  # noqa: E402

BUDGET_MS = 100
QUERIES = ["quan triet", "ket luan 05", "nong thon moi kieu mau", "xây dựng Đảng", "so 12 - kl/tu", "chuyen doi so"]


def main() -> int:
    documents = Document.objects.count()
    if not documents:
        print("Chưa có văn bản: hãy chạy generate_documents trước.")
        return 2
    province = bench_province()
    User = get_user_model()
    user = User.objects.filter(username="bench_search").first()
    if user is None:
        user = User.objects.create_user(username="bench_search", password="bench-password-123")
        do_grant_role(user, organization=province, kind="viewer", acting_user=system_user())
    number = (
        Document.objects.filter(issuing_unit__path__startswith=province.path)
        .values_list("number_normalized", flat=True)
        .first()
    )

    def lookup():
        with connection.cursor() as cursor:
            cursor.execute("SELECT id, summary FROM documents_document WHERE number_normalized = %s LIMIT 30", [number])
            return cursor.fetchall()

    report = Report(
        f"Tìm kiếm — {connection.vendor}, {documents:,} văn bản, phạm vi {province.name} (p95 trên 30 lần đo)"
    )
    base = measure(lookup, runs=30)
    report.info("tra cứu theo số hiệu chuẩn hóa (SQL, chỉ mục)", base)
    for query in QUERIES:

        def run(q=query):
            user._hienthuc_roles = None
            return list(Document.objects.visible_to(user).search(q).select_related("kind", "issuing_unit")[:30])

        found = len(run())
        report.add(
            f"tìm “{query}” ({found} kết quả đầu)",
            measure(run, runs=30),
            budget_ms=BUDGET_MS,
            baseline=base,
            max_ratio=None,
        )
    report.print()
    return 1 if report.failed else 0


if __name__ == "__main__":
    sys.exit(main())
