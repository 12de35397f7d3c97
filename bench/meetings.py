"""Benchmark: a study conference at the scale of the tier — a bridge point at every grassroots
unit up to 31,000 and everyone living there summoned, up to 1,900,000 — then check-in and the
live board at the root.

Run by `make bench` after `generate_tier`. Measured in-process (the HTTP load run over a
multi-worker server comes with the production start, issue #19): one check-in through the action
(invitation check, the idempotent insert, the point's counter, the study rows) beside a bare
idempotent insert into a table of the same shape in the same run; the board of the root beside
the hand-written SQL summing the same points. Afterwards the check-ins are counted against the
database: none lost, none doubled.
"""

import os
import random
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hienthuc.settings")
django.setup()

from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.harness import Report, measure  # noqa: E402
from hienthuc.accounts.system import system_user  # noqa: E402
from hienthuc.documents.models import Document  # noqa: E402
from hienthuc.meetings import figures  # noqa: E402
from hienthuc.meetings.actions import do_check_in  # noqa: E402
from hienthuc.meetings.models import BridgePoint, CheckIn, Invitation, Meeting  # noqa: E402
from hienthuc.orgs.models import Organization  # noqa: E402
from hienthuc.people.models import Person  # noqa: E402

POINTS = 31_000
INVITED = 1_900_000
CHECKINS = 1_000
STUDIED = 3
BOARD_BUDGET_MS = 250
CHECKIN_BUDGET_MS = 25
# In one process the ratio to the bare insert is the ORM's and the action's own work (four
# statements and the checks, against one statement): shown, not judged. The ratio
# (≥ 0.75 × a bare view's rate) is a request-level figure, for the HTTP load run (#19).
CHECKIN_MAX_RATIO = None


def build(root: Organization) -> Meeting:
    """The conference, its points and invitations, written in bulk (set-up, not measured)."""
    meeting = Meeting.objects.create(
        unit=root, kind="study", title="Hội nghị học tập toàn quốc (bench)", starts_at=timezone.now(), format="online"
    )
    grassroots_depth = (
        Organization.objects.filter(path__startswith=root.path, kind__code__in=["dang_uy_co_so", "chi_bo_co_so"])
        .order_by("depth")
        .values_list("depth", flat=True)
        .first()
    )
    units = Organization.objects.filter(path__startswith=root.path, depth=grassroots_depth).order_by("path")
    points = [
        BridgePoint(meeting=meeting, unit_id=pk, path=path, name=name[:255])
        for pk, path, name in units.values_list("pk", "path", "name")[:POINTS]
    ]
    BridgePoint.objects.bulk_create(points, batch_size=5_000)
    # Studied at the conference: a check-in writes a study row for each (seed 002 had seven).
    meeting.documents.set(Document.objects.order_by("pk").values_list("pk", flat=True)[:STUDIED])
    width = len(points[0].path)
    with connection.cursor() as cursor:
        # Everyone living in a point's unit or below it, by the point's path prefix (an equality
        # join on the prefix, not a LIKE per pair).
        cursor.execute(
            f"""
            INSERT INTO {Invitation._meta.db_table} (meeting_id, person_id, point_id, absence, reason)
            SELECT %s, p.id, bp.id, '', '' FROM {Person._meta.db_table} p
            JOIN {Organization._meta.db_table} o ON o.id = p.home_unit_id
            JOIN {BridgePoint._meta.db_table} bp ON bp.meeting_id = %s AND bp.path = SUBSTR(o.path, 1, %s)
            WHERE p.is_active ORDER BY p.id LIMIT %s
            """,
            [meeting.pk, meeting.pk, width, INVITED],
        )
        cursor.execute(
            f"""
            UPDATE {BridgePoint._meta.db_table} SET expected = (
                SELECT COUNT(*) FROM {Invitation._meta.db_table} i WHERE i.point_id = {BridgePoint._meta.db_table}.id
            ) WHERE meeting_id = %s
            """,
            [meeting.pk],
        )
        cursor.execute("CREATE TABLE bench_bare_checkin (meeting_id integer, person_id integer, at varchar(40), "
                       "UNIQUE (meeting_id, person_id))")  # fmt: skip
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return meeting


SQL_BOARD = f"""
    SELECT SUBSTR(path, 1, %s), SUM(expected), SUM(CASE WHEN present > COALESCE(headcount, 0) THEN present
           ELSE COALESCE(headcount, 0) END), COUNT(*)
    FROM {BridgePoint._meta.db_table} WHERE meeting_id = %s AND path LIKE %s GROUP BY 1
"""


def main() -> int:
    # The generated tier's root (the one with the most units right below it).
    root = Organization.objects.filter(depth=1).order_by("-numchild", "path").first()
    meeting = build(root)
    invited = Invitation.objects.filter(meeting=meeting).count()
    points = BridgePoint.objects.filter(meeting=meeting).count()
    report = Report(f"Meetings: a conference at {points:,} bridge points, {invited:,} summoned ({connection.vendor})")
    actor = system_user()
    rng = random.Random(3112021)
    ids = Invitation.objects.filter(meeting=meeting).order_by("pk").values_list("pk", flat=True)
    first, last = ids.first(), ids.last()
    picked = {rng.randint(first, last) for _ in range(CHECKINS * 3)}
    sample = list(Invitation.objects.filter(pk__in=picked))
    rng.shuffle(sample)
    queue = iter(sample)

    def one_checkin():
        invitation = next(queue)
        do_check_in(point_id=invitation.point_id, person_id=invitation.person_id, acting_user=actor)

    bare_ids = iter(range(1, 10**9))

    def bare_insert():
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO bench_bare_checkin (meeting_id, person_id, at) VALUES (%s, %s, %s) "
                "ON CONFLICT (meeting_id, person_id) DO NOTHING RETURNING person_id",
                [meeting.pk, next(bare_ids), timezone.now().isoformat()],
            )
            cursor.fetchone()

    runs = min(CHECKINS, len(sample) - 10)
    baseline = measure(bare_insert, runs=runs, warmup=10)
    result = measure(one_checkin, runs=runs, warmup=10)
    report.add("one check-in (action) vs a bare idempotent insert", result, budget_ms=CHECKIN_BUDGET_MS,
               baseline=baseline, max_ratio=CHECKIN_MAX_RATIO)  # fmt: skip
    print(f"  check-ins/s in one process: {1000 / result['p50']:.0f} (bare insert {1000 / baseline['p50']:.0f})")

    # None lost, none doubled: the rows and the points' counters agree with the calls made.
    made = CheckIn.objects.filter(meeting=meeting).count()
    counted = sum(BridgePoint.objects.filter(meeting=meeting).values_list("present", flat=True))
    if made != runs + 10 or counted != made:
        print(f"!!! check-ins: {runs + 10} made, {made} rows, {counted} counted on the points")
        report.failed = True

    def sql_board():
        with connection.cursor() as cursor:
            cursor.execute(SQL_BOARD, [root.depth * 4 + 4, meeting.pk, root.path + "%"])
            return cursor.fetchall()

    board_baseline = measure(sql_board, runs=20, warmup=2)
    board = measure(lambda: figures.board(meeting, root), runs=20, warmup=2)
    report.add("live board of the root vs its hand-written SQL", board, budget_ms=BOARD_BUDGET_MS,
               baseline=board_baseline, max_ratio=None)  # fmt: skip
    report.print()
    return 1 if report.failed else 0


if __name__ == "__main__":
    sys.exit(main())
