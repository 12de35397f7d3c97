"""Benchmark: importing indicator values from a file, against the raw storing of the same rows.

Run by `make bench`: 1,000,000 values into PostgreSQL (COPY as the baseline), 200,000 into
SQLite (executemany). Measured: the whole import — reading the CSV, checking every row, the
comparison with stored values, the tallies and the writes — once each, in the same run. The
baseline writes the same rows into the same table (indexes, key checks) with nothing else.
Budget: ≥ 50,000 values/s on PostgreSQL and ≥ 1/3 of the raw speed.
"""

import itertools
import os
import sys
import time
from decimal import Decimal

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hienthuc.settings")
django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from hienthuc.indicators.importing import do_import_values  # noqa: E402
from hienthuc.indicators.models import Indicator  # noqa: E402
from hienthuc.orgs.models import Organization  # noqa: E402

MIN_RATE = 50_000
MIN_SHARE_OF_RAW = 1 / 3
INDICATORS = 10
PERIODS = [f"2024-Q{q}" for q in range(1, 5)]


def main() -> int:
    rows_wanted = int(
        os.environ.get("BENCH_IMPORT_ROWS") or (1_000_000 if connection.vendor == "postgresql" else 200_000)
    )
    top = Organization.objects.filter(depth=1).order_by("-numchild", "path").first()
    if top is None:
        print("Chưa có dữ liệu: hãy chạy generate_tier trước.")
        return 2
    user = get_user_model().objects.filter(
        username="bench_import"
    ).first() or get_user_model().objects.create_superuser("bench_import", password="bench-password-123")
    indicators = []
    for n in range(1, INDICATORS + 1):
        indicator, _ = Indicator.objects.get_or_create(
            code=f"IMPORT_{n:02d}",
            defaults={"name": f"Chỉ tiêu nhập {n}", "measure": "đơn vị", "decimals": 1, "owner": top},
        )
        indicators.append(indicator)
    # A fresh start on a database an earlier run filled: the import below must create every value.
    from hienthuc.indicators.models import Value, ValueTally

    with transaction.atomic():
        ValueTally.objects.filter(indicator__in=indicators).delete()
        Value.objects.filter(indicator__in=indicators).delete()
    _vacuum()
    per_unit = INDICATORS * len(PERIODS)
    units = list(
        Organization.objects.filter(path__startswith=top.path, depth__gte=2)
        .order_by("path")
        .values_list("pk", "code")[: rows_wanted // per_unit]
    )
    rows = [
        (indicator, unit_pk, code, period, Decimal(n % 1000) / 10)
        for n, ((unit_pk, code), indicator, period) in enumerate(itertools.product(units, indicators, PERIODS))
    ]
    # Vietnamese notation, as offices type it: a decimal comma, so the cell is quoted.
    lines = ["Mã đơn vị,Mã chỉ tiêu,Kỳ,Giá trị"]
    lines.extend(f'{code},{i.code},{p},"{str(v).replace(".", ",")}"' for i, _u, code, p, v in rows)
    data = ("\n".join(lines) + "\n").encode()

    # The baseline: the same rows written raw into the same table (its indexes and key checks
    # included, checked at once rather than at commit), with no validation and no tallies;
    # rolled back so the import below writes them for real.
    now = timezone.now()
    raw_rows = [(i.pk, u, p, v, now) for i, u, _code, p, v in rows]
    columns = "indicator_id, unit_id, period, value, updated_at"
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        started = time.perf_counter()
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY indicators_value ({columns}) FROM STDIN") as copy:
                for row in raw_rows:
                    copy.write_row(row)
        else:
            cursor.executemany(f"INSERT INTO indicators_value ({columns}) VALUES (%s, %s, %s, %s, %s)", raw_rows)
        raw_seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    _vacuum()

    started = time.perf_counter()
    result = do_import_values(data, acting_user=user)
    seconds = time.perf_counter() - started
    assert result.created == len(rows), (result.created, len(rows))

    rate, raw_rate = len(rows) / seconds, len(rows) / raw_seconds
    share = rate / raw_rate
    ok_rate = connection.vendor != "postgresql" or rate >= MIN_RATE
    ok = ok_rate and share >= MIN_SHARE_OF_RAW
    baseline = "COPY" if connection.vendor == "postgresql" else "executemany"
    print(f"\nNhập số liệu chỉ tiêu — {connection.vendor}, {len(rows):,} giá trị, tệp CSV {len(data) / 1e6:.1f} MB")
    verdict = {True: "OK", False: "OVER BUDGET"}
    lines = [
        ("nhập trọn vẹn (đọc, kiểm tra, so sánh, tích lũy, ghi)", f"{seconds:.2f}", f"{rate:,.0f}",
         f"≥ {MIN_RATE:,}" if connection.vendor == "postgresql" else "—", verdict[ok_rate]),
        (f"  ghi thô cùng các dòng vào cùng bảng ({baseline})", f"{raw_seconds:.2f}", f"{raw_rate:,.0f}", "—",
         "info"),
        ("  tỷ lệ so với ghi thô", "", f"{share:.2f}", "≥ 0.33", verdict[share >= MIN_SHARE_OF_RAW]),
    ]  # fmt: skip
    print(f"{'benchmark':<52} {'giây':>8} {'giá trị/giây':>14} {'ngân sách':>12}  result")
    print("-" * 98)
    for name, secs, per_second, budget, result in lines:
        print(f"{name:<52} {secs:>8} {per_second:>14} {budget:>12}  {result}")
    return 0 if ok else 1


def _vacuum() -> None:
    """PostgreSQL keeps the rows a rollback or a delete left behind until a vacuum: without one,
    each write would find the other's dead rows under the same keys in the unique index."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM indicators_value, indicators_valuetally")


if __name__ == "__main__":
    sys.exit(main())
