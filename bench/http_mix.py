"""Benchmark: a province's staff at work over HTTP, against the production start's application
server (granian, several workers) on PostgreSQL, driven by wrk from its own process.

The generated province with most units below (bench.generators.documents.bench_province) is
the tier measured: its viewers open, in turn, the province's dashboard and its task panel, the
task list, a periodic report form, a search, and — through the API with a token — the document
register. Beside it, in the same run and on the same server, a GET that crosses the whole
stack and runs no query (/api/bench/hello): the mix's figures read as multiples of it.

Budgets (README, "Speed under load"): the mix answers ≥ 30 pages/s on this 2-core machine with
every answer a 200, p95 ≤ 1,500 ms and p99 ≤ 2,500 ms under 16 connections kept busy — the
pages cost 20–90 ms of server time each (measured in-process), so two cores give at most ~45
pages/s, and 16 users clicking without pause queue about half a second of work. Ho Chi Minh City's
50,000 staff, one in ten at work at once opening a page every 30 s, ask ≈ 170 pages/s: six
such machines, or one server of a dozen cores.
"""

import os
import random
import shutil
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlencode

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hienthuc.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from bench.generators.documents import bench_province  # noqa: E402
from bench.http_load import free_port, start_server, stop_server  # noqa: E402
from hienthuc.accounts.models import ApiToken, Role, hash_token  # noqa: E402
from hienthuc.indicators.models import ReportForm  # noqa: E402
from hienthuc.orgs.models import Organization  # noqa: E402
from hienthuc.scope import RoleKind  # noqa: E402

HERE = Path(__file__).resolve().parent
SECONDS = int(os.environ.get("BENCH_MIX_SECONDS", "20"))
CONNECTIONS = int(os.environ.get("BENCH_MIX_CONNECTIONS", "16"))
USERS = 20
MIN_RATE, MAX_P95_MS, MAX_P99_MS = 30, 1500, 2500
WORDS = ["nghị quyết", "chuyển đổi số", "kết luận", "nông thôn mới", "cải cách hành chính", "xây dựng Đảng"]


def prepare(work: Path) -> tuple[Path, Path, Organization]:
    """Viewers of the province with a session and a token each; the mix's lines."""
    province = bench_province()
    if province is None:
        raise SystemExit("no generated province: run manage.py generate_tier first")
    User = get_user_model()
    rng = random.Random(19)
    cookie = settings.SESSION_COOKIE_NAME
    units = list(Organization.objects.filter(path__startswith=province.path, depth=province.depth + 1)[:50])
    form = ReportForm.objects.filter(owner__path__startswith=province.path[: province.steplen]).first()
    lines, hello = [], []
    for n in range(USERS):
        user, _new = User.objects.get_or_create(username=f"bench-mix-{n}", defaults={"email": f"mix{n}@bench.invalid"})
        Role.objects.get_or_create(user=user, organization=province, kind=RoleKind.VIEWER)
        raw = ApiToken.generate()
        ApiToken.objects.create(user=user, name="bench", prefix=raw[3:9], key_hash=hash_token(raw))
        client = Client()
        client.force_login(user)
        session = ("Cookie", f"{cookie}={client.cookies[cookie].value}")
        token = ("Authorization", f"Bearer {raw}")
        unit = rng.choice(units) if units else province
        pages = [
            (f"/orgs/{province.pk}/dashboard/", session),
            (f"/orgs/{unit.pk}/dashboard/tasks/", session),
            (f"/tasks/?unit={unit.pk}", session),
            (f"/search/?{urlencode({'q': rng.choice(WORDS)})}", session),
            (f"/api/documents?unit={unit.pk}", token),
        ]
        if form is not None:
            pages.append((f"/reports/{form.pk}/", session))
        rng.shuffle(pages)
        lines += [f"{path}\t{name}\t{value}\n" for path, (name, value) in pages]
        hello.append(f"/api/bench/hello\t{session[0]}\t{session[1]}\n")
    mix, base = work / "mix.tsv", work / "hello.tsv"
    mix.write_text("".join(lines))
    base.write_text("".join(hello))
    return mix, base, province


def run_wrk(port: int, lines: Path, seconds: int) -> dict:
    import subprocess

    result = subprocess.run(
        ["wrk", "-t", "2", "-c", str(CONNECTIONS), "-d", f"{seconds}s", "--timeout", "10s",
         "-s", str(HERE / "mix.lua"), f"http://127.0.0.1:{port}", "--", str(lines)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    figures = next(line for line in result.stdout.splitlines() if line.startswith("WRK "))
    requests, duration_us, errors, non2xx, p50, p95, p99 = map(int, figures.split()[1:8])
    return {"rate": requests / (duration_us / 1e6), "errors": errors + non2xx, "p50": p50 / 1000,
            "p95": p95 / 1000, "p99": p99 / 1000}  # fmt: skip


def main() -> int:
    if connection.vendor != "postgresql":
        print("\nPage mix over HTTP: run on the PostgreSQL leg only (the production database).")
        return 0
    if shutil.which("wrk") is None:
        print("\n!!! Page mix over HTTP: wrk is not installed (Debian's wrk; scripts/bench.sh installs it as root).")
        return 1
    work = Path(tempfile.mkdtemp(prefix="hienthuc-mix-"))
    mix, hello, province = prepare(work)
    port = free_port()
    server = start_server(port)
    try:
        run_wrk(port, mix, 3)  # warm: every worker imported and connected
        base = run_wrk(port, hello, max(5, SECONDS // 3))
        pages = run_wrk(port, mix, SECONDS)
    finally:
        stop_server(server)
        shutil.rmtree(work, ignore_errors=True)
    load = os.getloadavg()[0]
    print(f"\nPage mix over HTTP: {province.name}, {USERS} viewers, wrk {CONNECTIONS} connections, {SECONDS} s, "
          f"load average {load:.2f}")  # fmt: skip
    header = f"{'run':<52} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7}"
    print(header)
    print("-" * len(header))
    for name, run in (("GET through the stack, no query (baseline)", base),
                      ("dashboard, task panel, tasks, report form, search, API", pages)):  # fmt: skip
        print(f"{name:<52} {run['rate']:>8.0f} {run['p50']:>8.1f} {run['p95']:>8.1f} {run['p99']:>8.1f} "
              f"{run['errors']:>7}")  # fmt: skip
    verdicts = [
        (f"pages/s ≥ {MIN_RATE}", f"{pages['rate']:.0f} ({pages['rate'] / base['rate']:.2f} × baseline)",
         pages["rate"] >= MIN_RATE),
        (f"p95 ≤ {MAX_P95_MS} ms", f"{pages['p95']:.1f} ms", pages["p95"] <= MAX_P95_MS),
        (f"p99 ≤ {MAX_P99_MS} ms", f"{pages['p99']:.1f} ms", pages["p99"] <= MAX_P99_MS),
        ("every answer a 200", str(pages["errors"] + base["errors"]), pages["errors"] + base["errors"] == 0),
    ]  # fmt: skip
    for name, figure, ok in verdicts:
        print(f"  {name:<40} {figure:<40} {'OK' if ok else 'OVER BUDGET'}")
    return 0 if all(ok for _n, _f, ok in verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
