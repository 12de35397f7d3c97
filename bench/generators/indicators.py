"""Synthetic indicators, report forms, submissions and values over a generated tree (benchmarks).

DESIGN §5's scale: ~100 indicators reported each quarter for 5 years by the province- and
commune-level units, ~20 of them also by the grassroots units (~27 million values at the
national tier). Rows are written in bulk (COPY on PostgreSQL) and the tallies are counted
once at the end in SQL. Load-test data only: nothing goes through the audited actions.
"""

import datetime
import random

from django.db import connection, transaction
from django.utils import timezone

from hienthuc.indicators import tallies
from hienthuc.indicators.models import (
    Estimate,
    FormIndicator,
    FormUnit,
    Indicator,
    ReportForm,
    Target,
    Value,
)
from hienthuc.lib.periods import Period
from hienthuc.orgs.models import Organization

YEARS = range(2021, 2026)


def generate_indicator_data(*, indicators: int = 100, grassroots_indicators: int = 20, seed: int = 1, out=None) -> dict:
    rng = random.Random(seed)
    top = Organization.objects.filter(depth=1).order_by("-numchild", "path").first()
    if top is None:
        raise ValueError("no tree to fill: run generate_tier first")
    # The province and commune levels report everything, the grassroots level below them a few
    # indicators. At the national tier the provinces sit under the Centre; at the province tier
    # the province is the top itself.
    province_depth = top.depth + 1 if top.kind.code == "trung_uong" else top.depth
    in_tree = Organization.objects.filter(path__startswith=top.path)
    upper_ids = list(in_tree.filter(depth__in=[province_depth, province_depth + 1]).values_list("pk", flat=True))
    grassroots = list(in_tree.filter(depth=province_depth + 2).values_list("pk", flat=True))
    counts = {"values": 0}
    with transaction.atomic():
        _skip_foreign_key_checks()
        made = Indicator.objects.bulk_create(
            [
                Indicator(
                    code=f"BENCH_{n:03d}",
                    name=f"Chỉ tiêu mô phỏng {n}",
                    measure="%" if n % 4 == 0 else "đơn vị",
                    aggregation="avg" if n % 4 == 0 else "sum",
                    time_aggregation="last" if n % 4 == 0 else "sum",
                    decimals=1,
                    owner=top,
                    order=1000 + n,
                )  # fmt: skip
                for n in range(1, indicators + 1)
            ]
        )
        Target.objects.bulk_create(
            [
                Target(indicator=i, unit=top, kind="year", year=year, value=rng.randint(100, 100_000))
                for i in made
                for year in [*YEARS, timezone.localdate().year]
            ],
            ignore_conflicts=True,
        )
        forms = []
        for name, items, units in (
            ("Báo cáo quý (mô phỏng, cấp tỉnh và xã)", made, upper_ids),
            ("Báo cáo quý (mô phỏng, cơ sở)", made[:grassroots_indicators], grassroots),
        ):
            form = ReportForm.objects.create(owner=top, name=name, period_kind="quarter", first_year=YEARS[0])
            FormIndicator.objects.bulk_create(
                [FormIndicator(form=form, indicator=i, order=n) for n, i in enumerate(items)]
            )
            FormUnit.objects.bulk_create([FormUnit(form=form, unit_id=u) for u in units], batch_size=10_000)
            forms.append((form, items, units))
        quarters = [Period(year, "quarter", q) for year in YEARS for q in range(1, 5)]
        for form, items, units in forms:
            counts["values"] += _copy_values(form, items, units, quarters, rng)
            if out:
                out.write(f"  {form.name}: {len(units):,} đơn vị × {len(items)} chỉ tiêu × {len(quarters)} kỳ")
        # Composed periods and estimates in play: the top unit reports the last year directly
        # for one indicator in four (its quarters compose it too: the difference is checked), and
        # estimates this year's whole for every indicator (ước cả năm).
        last, this = str(YEARS[-1]), str(timezone.localdate().year)
        direct = Value.objects.bulk_create(
            [Value(indicator=i, unit=top, period=last, value=rng.randint(100, 100_000)) for i in made[::4]]
        )
        counts["values"] += len(direct)
        Estimate.objects.bulk_create(
            [Estimate(indicator=i, unit=top, period=this, value=rng.randint(100, 100_000)) for i in made]
        )
        if out:
            out.write(f"  {counts['values']:,} giá trị; đang đếm lại số liệu tích lũy…")
        tallies.rebuild()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in (
                "indicators_value",
                "indicators_valuetally",
                "indicators_submission",
                "indicators_submissiontally",
            ):
                cursor.execute(f"ANALYZE {table}")
    return counts


def _skip_foreign_key_checks() -> None:
    """Generated rows reference rows made moments before; checking tens of millions of foreign
    keys one by one at commit took longer than writing them. PostgreSQL skips those checks for
    a superuser's session in replica mode (the throwaway bench cluster's user is one)."""
    if connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
    except Exception:  # not a superuser: keep the checks, only slower
        pass


def _copy_values(form, items, units, quarters, rng) -> int:
    """Submissions (most on time, some late, a few missing) and their values, streamed in bulk
    (tens of millions of values never sit in memory at once)."""
    now = timezone.now()
    submissions = []

    def values():
        for period in quarters:
            due = period.due(form.deadline_days)
            for unit in units:
                roll = rng.random()
                if roll < 0.05:
                    continue
                sent = due + datetime.timedelta(days=-rng.randint(0, 10) if roll < 0.85 else 5)
                sent_at = timezone.make_aware(datetime.datetime.combine(sent, datetime.time(9)))
                submissions.append((form.pk, unit, period.key, "accepted", sent_at, sent_at, now, "{}", "", 1))
                for indicator in items:
                    yield (indicator.pk, unit, period.key, rng.randint(0, 1000) / 10, now)

    columns_s = (
        "form_id, unit_id, period, status, first_submitted_at, submitted_at, updated_at, narrative, comment, version"
    )
    columns_v = "indicator_id, unit_id, period, value, updated_at"
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY indicators_value ({columns_v}) FROM STDIN") as copy:
                for row in values():
                    copy.write_row(row)
                    count += 1
            with cursor.cursor.copy(f"COPY indicators_submission ({columns_s}) FROM STDIN") as copy:
                for row in submissions:
                    copy.write_row(row)
        else:
            batch = []
            for row in values():
                batch.append(row)
                if len(batch) == 100_000:
                    cursor.executemany(f"INSERT INTO indicators_value ({columns_v}) VALUES (%s, %s, %s, %s, %s)", batch)
                    count, batch = count + len(batch), []
            cursor.executemany(f"INSERT INTO indicators_value ({columns_v}) VALUES (%s, %s, %s, %s, %s)", batch)
            count += len(batch)
            marks = ", ".join(["%s"] * 10)
            cursor.executemany(f"INSERT INTO indicators_submission ({columns_s}) VALUES ({marks})", submissions)
    return count
