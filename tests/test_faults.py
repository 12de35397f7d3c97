"""Faults, each for real: the process applying an import killed half-way (SIGKILL, as an
out-of-memory kill or a pulled plug would) leaves nothing of it, and a later run of the same
file goes through. The kill comes at a chosen write statement, so the test is not a race."""

import os
import subprocess
import tempfile
from pathlib import Path

from django.test import TransactionTestCase

from hienthuc.orgs.importing import HEADERS
from tests.helpers import fresh_database, xlsx

ROOT = Path(__file__).resolve().parent.parent

SETUP = """
from django.contrib.auth import get_user_model
from hienthuc.accounts.system import system_user
from hienthuc.orgs.actions import do_create_organization
from hienthuc.orgs.models import OrgKind
root = do_create_organization(parent=None, code="TW", name="Trung ương", kind=OrgKind.objects.get(code="trung_uong"),
                              acting_user=system_user())
do_create_organization(parent=root, code="TT", name="Tỉnh ủy Thử", kind=OrgKind.objects.get(code="tinh_uy"),
                       acting_user=system_user())
get_user_model().objects.create_superuser("quantri", "qt@x.vn", "mat-khau-thu-2026")
"""

# This process kills itself at its KILL_AT-th write statement (0: never).
KILLER = """
import os, signal
from django.db import connection

kill_at, writes = int(os.environ["KILL_AT"]), [0]

def killer(execute, sql, params, many, context):
    if sql.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")):
        writes[0] += 1
        if writes[0] == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)
    return execute(sql, params, many, context)

connection.execute_wrappers.append(killer)
"""

# The import, in a process killed at a chosen write.
IMPORT = (
    KILLER
    + """
import sys
from django.contrib.auth import get_user_model
from hienthuc.orgs.importing import do_import_tree
data = open(os.environ["IMPORT_FILE"], "rb").read()
try:
    do_import_tree(data, acting_user=get_user_model().objects.get(username="quantri"))
except Exception as error:
    print(getattr(error, "messages", error)[:3], file=sys.stderr)
    raise
print("writes", writes[0])
"""
)

QUEUE = """
import os
from django.contrib.auth import get_user_model
from hienthuc.imports import background
from hienthuc.imports.models import PendingImport
data = open(os.environ["IMPORT_FILE"], "rb").read()
pending = PendingImport.objects.create(kind="tree", created_by=get_user_model().objects.get(username="quantri"),
                                       filename="cay.xlsx", payload=data, rows=40)
background.queue(pending)
print(pending.pk)
"""

# The real worker (django-tasks' db_worker), killed at a chosen write.
WORKER = (
    KILLER
    + """
from django.core.management import call_command
call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)
"""
)

STATUS = """
import os
from hienthuc.imports.models import PendingImport
PendingImport.objects.fail_stalled()
p = PendingImport.objects.get(pk=int(os.environ["PENDING"]))
print(p.status, "|", p.message)
"""

COUNT = """
from hienthuc.audit.models import AuditEvent
from hienthuc.orgs.models import Organization
print(Organization.objects.count(), AuditEvent.objects.count())
"""


class KilledImportTestCase(TransactionTestCase):
    def fresh(self):
        folder = Path(tempfile.mkdtemp(prefix="hienthuc-fault-"))
        env = {**os.environ, **fresh_database(self, folder, "fault"), "DEBUG": "0", "DEMO": "0"}
        migrate = subprocess.run(
            [".venv/bin/python", "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, capture_output=True, text=True
        )
        self.assertEqual(migrate.returncode, 0, migrate.stderr)
        self.assertEqual(self.shell(env, SETUP).returncode, 0)
        rows = [HEADERS] + [
            [f"TT-{n}", f"Đảng ủy xã số {n}", "Đảng ủy xã/phường/đặc khu", "TT", ""] for n in range(1, 41)
        ]
        path = folder / "cay.xlsx"
        path.write_bytes(xlsx(rows))
        return env, path

    def test_the_task_worker_killed_mid_import_leaves_a_clear_failure_and_no_write(self):
        env, path = self.fresh()
        env = {**env, "TASKS_BACKEND": "django_tasks_db.DatabaseBackend", "IMPORT_FILE": str(path)}
        before = self.shell(env, COUNT).stdout.split()
        pending = self.shell(env, QUEUE).stdout.split()[-1]
        killed = self.shell(env, WORKER, KILL_AT="30")
        self.assertEqual(killed.returncode, -9, killed.stderr)
        self.assertEqual(self.shell(env, COUNT).stdout.split(), before)
        # Once its heartbeat is older than IMPORT_STALE_MINUTES the page says it failed, nothing written.
        status = self.shell(env, STATUS, PENDING=pending, IMPORT_STALE_MINUTES="0").stdout
        self.assertIn("failed |", status)
        self.assertIn("chưa có dữ liệu nào được ghi", status)
        # Nothing runs it again behind the person's back; run again on purpose, it writes once.
        self.assertEqual(self.shell(env, WORKER, KILL_AT="0").returncode, 0)
        self.assertEqual(self.shell(env, COUNT).stdout.split()[0], before[0])
        again = self.shell(env, QUEUE).stdout.split()[-1]
        self.assertEqual(self.shell(env, WORKER, KILL_AT="0").returncode, 0)
        self.assertIn("done |", self.shell(env, STATUS, PENDING=again).stdout)
        self.assertEqual(int(self.shell(env, COUNT).stdout.split()[0]), int(before[0]) + 40)

    def shell(self, env, code, **extra):
        return subprocess.run(
            [".venv/bin/python", "manage.py", "shell", "--no-imports", "-c", code],
            cwd=ROOT, env={**env, **extra}, capture_output=True, text=True, timeout=300,
        )  # fmt: skip

    def test_a_tree_import_killed_half_way_leaves_nothing_and_runs_again(self):
        folder = Path(tempfile.mkdtemp(prefix="hienthuc-fault-"))
        env = {**os.environ, **fresh_database(self, folder, "fault"), "DEBUG": "0", "DEMO": "0"}
        migrate = subprocess.run(
            [".venv/bin/python", "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, capture_output=True, text=True
        )
        self.assertEqual(migrate.returncode, 0, migrate.stderr)
        self.assertEqual(self.shell(env, SETUP).returncode, 0)
        rows = [HEADERS] + [
            [f"TT-{n}", f"Đảng ủy xã số {n}", "Đảng ủy xã/phường/đặc khu", "TT", ""] for n in range(1, 41)
        ]
        path = folder / "cay.xlsx"
        path.write_bytes(xlsx(rows))
        before = self.shell(env, COUNT).stdout.split()

        killed = self.shell(env, IMPORT, KILL_AT="25", IMPORT_FILE=str(path))
        self.assertEqual(killed.returncode, -9, killed.stderr)  # SIGKILL, in the middle of the writes
        self.assertEqual(self.shell(env, COUNT).stdout.split(), before)

        done = self.shell(env, IMPORT, KILL_AT="0", IMPORT_FILE=str(path))
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertGreater(int(done.stdout.split()[-1]), 25)  # the kill did come half-way
        organizations, _events = self.shell(env, COUNT).stdout.split()
        self.assertEqual(int(organizations), int(before[0]) + 40)
        tallies = subprocess.run(
            [".venv/bin/python", "manage.py", "check_tallies"], cwd=ROOT, env=env, capture_output=True, text=True
        )
        self.assertEqual(tallies.returncode, 0, tallies.stdout)


class DatabaseDropsMidRequestTestCase(TransactionTestCase):
    """PostgreSQL restarting in the middle of a request (its connection killed between two of the
    page's queries): a clean Vietnamese error page, and the next request is served."""

    def test_a_dropped_connection_gives_the_error_page_then_the_next_request_works(self):
        import psycopg
        from django.db import connection
        from django.test import Client

        from hienthuc.documents.kinds import seed_document_kinds
        from hienthuc.documents.models import DocumentKind
        from hienthuc.orgs.kinds import seed_kinds
        from hienthuc.orgs.models import OrgKind, OrgLevel
        from tests.base import build_cast

        if connection.vendor != "postgresql":
            self.skipTest("a server restart is PostgreSQL's; SQLite has no connection to lose")
        seed_kinds(OrgLevel, OrgKind)
        seed_document_kinds(DocumentKind)
        build_cast(self)
        client = Client(raise_request_exception=False)
        client.force_login(self.alice)
        self.assertEqual(client.get(f"/orgs/{self.tinh_a.pk}/").status_code, 200)
        queries = [0]
        params = connection.get_connection_params()
        conninfo = {k: v for k, v in params.items() if k in ("dbname", "user", "password", "host", "port")}

        def drop_after_two(execute, sql, params, many, context):
            queries[0] += 1
            if queries[0] == 3:
                pid = connection.connection.info.backend_pid
                with psycopg.connect(**conninfo, autocommit=True) as other:
                    other.execute("SELECT pg_terminate_backend(%s)", [pid])
            return execute(sql, params, many, context)

        with connection.execute_wrapper(drop_after_two):
            page = client.get(f"/orgs/{self.tinh_a.pk}/")
        self.assertEqual(page.status_code, 500)
        self.assertContains(page, "Đã có lỗi hệ thống", status_code=500)
        # A server starts each request by dropping a connection that failed (request_started →
        # close_old_connections); Django's test client leaves that signal out, so do it here.
        from django.db import close_old_connections

        close_old_connections()
        self.assertEqual(client.get(f"/orgs/{self.tinh_a.pk}/").status_code, 200)
