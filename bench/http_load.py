"""Benchmark: check-ins over HTTP at a national study conference, against the application served
as in production (granian, several workers) on PostgreSQL, driven by wrk from its own process.

Run by `make bench` on the PostgreSQL leg after `bench.meetings`, whose conference (a point at
every grassroots unit, everyone summoned) it reuses. In the same run and on the same server:

- an empty view under /api/ (the stack's own cost: granian, Django, the middleware);
- a bare view doing one idempotent insert (the baseline the issue names);
- the real check-in API (`POST /api/points/{id}/checkins`): the operator's token, the point and
  the person looked up within the operator's reach, the invitation, the insert, the point's
  counter and the study rows — by an operator per point, a thousand points at once, with one
  request in ten repeating a person already sent;
- while the check-ins run, the root's live board polled as the board page does.

Afterwards the responses (each thread of wrk writes the person and "created" it was answered)
are counted against the database: every "created" has its row, no person has two, the points'
counters add up to the rows, and repeats were answered "already there".

Budgets (issue #15 §4): ≥ 1,000 check-ins/s with p99 ≤ 200 ms, ≥ 0.75 × the bare view's rate,
the board's p95 ≤ 250 ms during the load.
"""

import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hienthuc.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from hienthuc.accounts.models import ApiToken, Role, hash_token  # noqa: E402
from hienthuc.meetings.models import BridgePoint, CheckIn, Invitation, Meeting  # noqa: E402
from hienthuc.orgs.models import Organization  # noqa: E402
from hienthuc.scope import RoleKind  # noqa: E402

HERE = Path(__file__).resolve().parent
OPERATORS = 1_000
PER_POINT = 80
DURATION = int(os.environ.get("BENCH_HTTP_SECONDS", "48"))
# The run is cut into rounds, each an empty, a bare and a check-in slice in turn, so that the
# machine's drift (this one's rates move by a third from one minute to the next) weighs on the
# baselines and the check-ins alike.
ROUNDS = int(os.environ.get("BENCH_HTTP_ROUNDS", "8"))
CONNECTIONS = int(os.environ.get("BENCH_HTTP_CONNECTIONS", "32"))
WORKERS = int(os.environ.get("BENCH_HTTP_WORKERS", str(2 * (os.cpu_count() or 1) + 1)))
REPEAT_EVERY = 10
MIN_RATE = 1_000
MAX_P99_MS = 200
MIN_RATIO = 0.75
BOARD_BUDGET_MS = 250
BENCH_TITLE = "Hội nghị học tập toàn quốc (bench)"


def conference() -> tuple[Meeting, Organization]:
    root = Organization.objects.filter(depth=1).order_by("-numchild", "path").first()
    meeting = Meeting.objects.filter(unit=root, title=BENCH_TITLE).order_by("-pk").first()
    if meeting is None:
        from bench.meetings import build

        meeting = build(root)
    return meeting, root


def prepare(meeting: Meeting, root: Organization, work: Path) -> tuple[list[Path], list[Path], list[Path], str]:
    """Operators with a token at a thousand points, the people each will check in, and a
    session for the board's viewer. Bench set-up, written in bulk (not measured)."""
    User = get_user_model()
    rng = random.Random(7022026)
    points = list(
        BridgePoint.objects.filter(meeting=meeting, expected__gte=PER_POINT // 2).values_list("pk", "unit_id")
    )
    points = rng.sample(points, min(OPERATORS, len(points)))
    stamp = timezone.now().strftime("%H%M%S")
    users = User.objects.bulk_create(
        [User(username=f"bench-op-{stamp}-{pk}", email=f"op{pk}@bench.invalid", is_active=True) for pk, _u in points]
    )
    Role.objects.bulk_create(
        [
            Role(user=user, organization_id=unit_id, kind=RoleKind.EDITOR)
            for user, (_p, unit_id) in zip(users, points, strict=True)
        ]
    )
    for user, (pk, _u) in zip(users, points, strict=True):
        BridgePoint.objects.filter(pk=pk).update(operator=user)
    raws = [ApiToken.generate() for _ in users]
    ApiToken.objects.bulk_create(
        [
            ApiToken(user=user, name="bench", prefix=raw[3:9], key_hash=hash_token(raw))
            for user, raw in zip(users, raws, strict=True)
        ]
    )
    token_of = {pk: raw for (pk, _u), raw in zip(points, raws, strict=True)}
    checked = CheckIn.objects.filter(meeting=meeting, person_id__in=Invitation.objects.filter(
        meeting=meeting, point_id__in=token_of).values("person_id")).values_list("person_id", flat=True)  # fmt: skip
    skip = set(checked)
    rows = [
        (point_id, person_id)
        for point_id, person_id in Invitation.objects.filter(meeting=meeting, point_id__in=token_of)
        .order_by("point_id", "person_id")
        .values_list("point_id", "person_id")
        if person_id not in skip
    ]
    rng.shuffle(rows)
    # Each round takes its own share of the people, so no round repeats another's check-ins (the
    # repeats are the script's own, one in REPEAT_EVERY); the baselines post the same bodies
    # without a token.
    checkins, bare, empty = [], [], []
    for n in range(ROUNDS):
        share = rows[n::ROUNDS]
        checkins.append(work / f"checkins.{n}.tsv")
        checkins[-1].write_text("".join(f"/api/points/{p}/checkins\t{token_of[p]}\t{person}\n" for p, person in share))
        bare.append(work / f"bare.{n}.tsv")
        bare[-1].write_text("".join(f"/api/bench/bare/{meeting.pk}\t-\t{person}\n" for _p, person in share))
        empty.append(work / f"empty.{n}.tsv")
        empty[-1].write_text("".join(f"/api/bench/empty/{meeting.pk}\t-\t{person}\n" for _p, person in share))
    viewer = User.objects.create(username=f"bench-board-{stamp}", email="board@bench.invalid")
    Role.objects.create(user=viewer, organization=root, kind=RoleKind.VIEWER)
    client = Client()
    client.force_login(viewer)
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE bench_bare_checkin")
    return checkins, bare, empty, client.cookies[settings.SESSION_COOKIE_NAME].value


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_command(port: int) -> list[str]:
    # Granian: its HTTP side is Rust, so the workers' Python time goes to the application (the
    # same stack measured with gunicorn's sync and gthread workers answered 25–40% fewer
    # requests per second here, the empty view included).
    return [str(Path(sys.executable).with_name("granian")), "--interface", "wsgi", "--host", "127.0.0.1",
            "--port", str(port), "--workers", str(WORKERS), "--blocking-threads", "1", "--backlog", "2048",
            "--no-access-log", "--log-level", "warning", "hienthuc.wsgi:application"]  # fmt: skip


def start_server(port: int) -> subprocess.Popen:
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="bench.http_settings")
    # One client address sends the whole country's load here; in the field each point has its own.
    env["API_RATE_PER_MINUTE"] = str(10**9)
    command = server_command(port)
    server = subprocess.Popen(command, env=env, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=2).read()
            return server
        except OSError:
            time.sleep(0.3)
    stop_server(server)
    raise RuntimeError("granian did not answer within 60 s")


def stop_server(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)


def run_wrk(port: int, lines: Path, out: Path, seconds: float) -> dict:
    threads = 2
    result = subprocess.run(
        ["wrk", "-t", str(threads), "-c", str(CONNECTIONS), "-d", f"{seconds:.0f}s", "--timeout", "5s",
         "-s", str(HERE / "checkin.lua"), f"http://127.0.0.1:{port}", "--",
         str(lines), str(threads), str(out), str(REPEAT_EVERY)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    figures = next(line for line in result.stdout.splitlines() if line.startswith("WRK "))
    requests, duration_us, errors, non2xx, p50, p95, p99 = map(int, figures.split()[1:8])
    answers = []
    for part in out.parent.glob(out.name + ".*"):
        answers += [line.split() for line in part.read_text().splitlines()]
    return {
        "rate": requests / (duration_us / 1e6),
        "requests": requests,
        "errors": errors + non2xx,
        "p50": p50 / 1000,
        "p95": p95 / 1000,
        "p99": p99 / 1000,
        "answers": answers,
    }


def combined(runs: list[dict]) -> dict:
    """The rounds of one kind as one run: requests over the time they took; each percentile the
    worst round's (wrk gives no pooled one)."""
    seconds = sum(run["requests"] / run["rate"] for run in runs)
    return {
        "rate": sum(run["requests"] for run in runs) / seconds,
        "requests": sum(run["requests"] for run in runs),
        "errors": sum(run["errors"] for run in runs),
        **{key: max(run[key] for run in runs) for key in ("p50", "p95", "p99")},
        "answers": [answer for run in runs for answer in run["answers"]],
    }


def poll_board(port: int, meeting: Meeting, session: str, stop: threading.Event, samples: list) -> None:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/meetings/{meeting.pk}/board/",
        headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}={session}", "HX-Request": "true"},
    )
    while not stop.is_set():
        started = time.perf_counter()
        with urllib.request.urlopen(request, timeout=10) as response:
            response.read()
            if response.status != 200:
                raise RuntimeError(f"board answered {response.status}")
        samples.append((time.perf_counter() - started) * 1000)
        stop.wait(0.5)


def check_counts(meeting: Meeting, answers: list) -> list[str]:
    """Every answer against the database: nothing lost, nothing doubled."""
    problems = []
    created = {int(person) for status, person, flag in answers if status == "200" and flag == "true"}
    repeated = [int(person) for status, person, flag in answers if status == "200" and flag == "false"]
    failed = [a for a in answers if a[0] != "200"]
    rows = set(CheckIn.objects.filter(meeting=meeting, person_id__in=created).values_list("person_id", flat=True))
    if failed:
        problems.append(f"{len(failed)} answers were not 200 (first: {failed[0]})")
    if rows != created:
        problems.append(f"{len(created - rows)} check-ins answered “created” have no row")
    created_twice = sum(1 for status, _p, flag in answers if status == "200" and flag == "true") - len(created)
    if created_twice:
        problems.append(f"{created_twice} people were answered “created” twice")
    total = CheckIn.objects.filter(meeting=meeting).count()
    counted = sum(BridgePoint.objects.filter(meeting=meeting).values_list("present", flat=True))
    if total != counted:
        problems.append(f"{total} check-in rows but the points count {counted}")
    if not repeated:
        problems.append("no repeat was answered “already there”")
    return problems


def main() -> int:
    if connection.vendor != "postgresql":
        print("\nMeetings over HTTP: run on the PostgreSQL leg only (the production database).")
        return 0
    if shutil.which("wrk") is None:
        print("\n!!! Meetings over HTTP: wrk is not installed (Debian's wrk; scripts/bench.sh installs it as root).")
        return 1
    meeting, root = conference()
    work = Path(tempfile.mkdtemp(prefix="hienthuc-http-"))
    checkins, bare, empty, session = prepare(meeting, root, work)
    port = free_port()
    server = start_server(port)
    board: list[float] = []
    slice_seconds = max(2, DURATION / ROUNDS)
    slices: dict[str, list[dict]] = {"empty": [], "bare": [], "checkin": []}
    try:
        run_wrk(port, empty[0], work / "warm", 3)  # every worker imported and connected
        for n in range(ROUNDS):
            slices["empty"].append(run_wrk(port, empty[n], work / f"empty{n}", slice_seconds))
            slices["bare"].append(run_wrk(port, bare[n], work / f"bare{n}", slice_seconds))
            stop = threading.Event()
            poller = threading.Thread(target=poll_board, args=(port, meeting, session, stop, board))
            poller.start()
            slices["checkin"].append(run_wrk(port, checkins[n], work / f"checkin{n}", slice_seconds))
            stop.set()
            poller.join()
    finally:
        stop_server(server)
        shutil.rmtree(work, ignore_errors=True)
    empty_run, bare_run, checkin_run = (combined(slices[kind]) for kind in ("empty", "bare", "checkin"))
    problems = check_counts(meeting, checkin_run["answers"])
    board.sort()
    board_p95 = board[min(len(board) - 1, int(round(0.95 * len(board))) - 1)] if board else float("inf")
    ratio = checkin_run["rate"] / bare_run["rate"]

    print(f"\nMeetings over HTTP: granian, {WORKERS} workers, wrk {CONNECTIONS} connections, {ROUNDS} rounds of "
          f"{slice_seconds:.0f} s each, {connection.vendor} (latencies: the worst round's)")  # fmt: skip
    header = f"{'run':<44} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7}"
    print(header)
    print("-" * len(header))
    for name, run in (("empty view (the stack)", empty_run), ("bare view: one idempotent insert", bare_run),
                      ("check-in API (operator token, checks, counters)", checkin_run)):  # fmt: skip
        print(f"{name:<44} {run['rate']:>8.0f} {run['p50']:>8.1f} {run['p95']:>8.1f} {run['p99']:>8.1f} "
              f"{run['errors']:>7}")  # fmt: skip
    verdicts = [
        (f"check-ins/s ≥ {MIN_RATE:,}", f"{checkin_run['rate']:.0f}", checkin_run["rate"] >= MIN_RATE),
        (f"check-in p99 ≤ {MAX_P99_MS} ms", f"{checkin_run['p99']:.1f} ms", checkin_run["p99"] <= MAX_P99_MS),
        (f"check-in rate ≥ {MIN_RATIO} × bare view", f"{ratio:.2f} ×", ratio >= MIN_RATIO),
        (f"root's board p95 during the load ≤ {BOARD_BUDGET_MS} ms",
         f"{board_p95:.1f} ms (p50 {statistics.median(board) if board else 0:.1f}, {len(board)} polls)",
         board_p95 <= BOARD_BUDGET_MS),
        ("none lost or doubled (answers against the database)", "; ".join(problems) or "agree",
         not problems),
    ]  # fmt: skip
    for name, figure, ok in verdicts:
        print(f"  {name:<56} {figure:<40} {'OK' if ok else 'OVER BUDGET'}")
    return 0 if all(ok for _n, _f, ok in verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
