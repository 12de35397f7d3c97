"""The production start (scripts/serve.sh: granian with several workers and the task worker) as
real processes: two app servers on one database answer alike (nothing kept in a process), the
health endpoint, and a database that drops every connection (a restart) costs no request."""

import datetime
import os
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import requests
from django.db import connection
from django.test import TestCase, TransactionTestCase, override_settings
from django.utils import timezone

from tests.helpers import fresh_database
from tests.test_sso import free_port

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "mat-khau-trien-khai-2026"
MAKE_UNIT = (
    "from hienthuc.accounts.system import system_user; from hienthuc.orgs.actions import do_create_organization; "
    "from hienthuc.orgs.models import OrgKind; "
    "kind = OrgKind.objects.get(code='trung_uong'); "
    "print(do_create_organization(parent=None, code='TW', name='Trung ương', kind=kind, acting_user=system_user()).pk)"
)


def start(env: dict[str, str], port: int, *, migrate: bool, log) -> subprocess.Popen:
    return subprocess.Popen(
        ["scripts/serve.sh"], cwd=ROOT, start_new_session=True, stdout=log, stderr=log,
        env={**env, "PORT": str(port), "SKIP_MIGRATE": "0" if migrate else "1"},
    )  # fmt: skip


def wait_healthy(base: str, server: subprocess.Popen, log_path: Path) -> dict:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError("the server stopped: " + log_path.read_text()[-3000:])
        try:
            answer = requests.get(f"{base}/health/", timeout=5)
            if answer.status_code == 200:
                return answer.json()
        except requests.ConnectionError:
            pass
        time.sleep(0.5)
    raise AssertionError("no healthy answer in 120 s: " + log_path.read_text()[-3000:])


def stop(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(20)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(5)


def log_in(base: str) -> requests.Session:
    session = requests.Session()
    session.get(f"{base}/accounts/login/", timeout=10)
    answer = session.post(
        f"{base}/accounts/login/",
        {"username": "quantri", "password": PASSWORD, "csrfmiddlewaretoken": session.cookies["csrftoken"]},
        headers={"Referer": f"{base}/accounts/login/"}, timeout=10,
    )  # fmt: skip
    assert answer.url.endswith("/orgs/"), answer.url
    return session


class ProductionStartTestCase(TransactionTestCase):
    def test_two_app_servers_on_one_database_answer_alike_and_survive_a_database_restart(self):
        folder = Path(tempfile.mkdtemp(prefix="hienthuc-deploy-"))
        env = {
            **os.environ, **fresh_database(self, folder, "deploy"), "DEBUG": "0", "SECRET_KEY": "trien-khai-thu",
            "ALLOWED_HOSTS": "127.0.0.1", "SECURE_SSL_REDIRECT": "0", "SECURE_COOKIES": "0", "WEB_WORKERS": "2",
            "TASK_WORKERS": "1", "TASKS_BACKEND": "django_tasks_db.DatabaseBackend", "DEMO": "0",
        }  # fmt: skip
        ports = free_port(), free_port()
        bases = [f"http://127.0.0.1:{p}" for p in ports]
        log_path = folder / "servers.log"
        with open(log_path, "w") as log:
            first = start(env, ports[0], migrate=True, log=log)
            self.addCleanup(stop, first)
            self.assertEqual(
                wait_healthy(bases[0], first, log_path), {"status": "ok", "database": "ok", "worker": "ok"}
            )
            made = subprocess.run(
                [".venv/bin/python", "manage.py", "createsuperuser", "--noinput", "--username", "quantri",
                 "--email", "qt@x.vn"],
                cwd=ROOT, env={**env, "DJANGO_SUPERUSER_PASSWORD": PASSWORD}, capture_output=True, text=True,
            )  # fmt: skip
            self.assertEqual(made.returncode, 0, made.stderr)
            unit = subprocess.run(
                [".venv/bin/python", "manage.py", "shell", "--no-imports", "-c", MAKE_UNIT],
                cwd=ROOT, env=env, capture_output=True, text=True,
            )  # fmt: skip
            self.assertEqual(unit.returncode, 0, unit.stderr)
            unit_id = int(unit.stdout.split()[-1])
            second = start(env, ports[1], migrate=False, log=log)
            self.addCleanup(stop, second)
            wait_healthy(bases[1], second, log_path)

            # A session opened on one server is good on the other; so is an API token.
            session = log_in(bases[0])
            self.assertEqual(session.get(f"{bases[1]}/orgs/", timeout=10, allow_redirects=False).status_code, 200)
            token = requests.post(
                f"{bases[1]}/api/auth/token", json={"username": "quantri", "password": PASSWORD}, timeout=10
            ).json()["token"]
            auth = {"Authorization": f"Bearer {token}"}
            # A write through one server, retried through the other with the same key: one result.
            document = {
                "kind": "ket_luan", "number_text": "01-KL/TW", "issuing_unit_id": unit_id, "issued_on": "2026-01-05",
                "summary": "Kết luận thử",
            }  # fmt: skip
            answers = [
                requests.post(
                    f"{b}/api/documents", json=document, headers={**auth, "Idempotency-Key": "d-1"}, timeout=10
                )
                for b in bases
            ]
            self.assertEqual([a.status_code for a in answers], [201, 201], answers[0].text)
            self.assertEqual(answers[0].json(), answers[1].json())
            listed = requests.get(f"{bases[0]}/api/documents", headers=auth, timeout=10).json()
            self.assertEqual([d["number"] for d in listed["items"]], ["01-KL/TW"])

            if connection.vendor == "postgresql":
                # Every connection dropped, as a restart drops them: the servers reconnect.
                name = env["DATABASE_URL"].split("/")[-1].split("?")[0]
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [name])
                for base in bases:
                    page = session.get(f"{base}/orgs/", timeout=10, allow_redirects=False)
                    self.assertIn(page.status_code, (200, 500))
                    if page.status_code == 500:
                        self.assertIn("Đã có lỗi", page.text)
                    self.assertEqual(session.get(f"{base}/orgs/", timeout=10, allow_redirects=False).status_code, 200)


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}})
class HealthTestCase(TestCase):
    def setUp(self):
        from django_tasks import task_backends

        task_backends._settings = None  # the backends are built from settings once
        self.addCleanup(setattr, task_backends, "_settings", None)

    def test_it_is_healthy_while_the_worker_keeps_up(self):
        answer = self.client.get("/health/")
        self.assertEqual(answer.status_code, 200)
        self.assertEqual(answer.json(), {"status": "ok", "database": "ok", "worker": "ok"})
        self.assertEqual(answer["Cache-Control"], "max-age=0, no-cache, no-store, must-revalidate, private")

    def test_it_fails_when_a_task_has_waited_too_long(self):
        from django_tasks_db.models import DBTaskResult

        self.client.get("/health/")  # queues the ping, which no worker runs here
        DBTaskResult.objects.update(enqueued_at=timezone.now() - datetime.timedelta(minutes=5))
        answer = self.client.get("/health/")
        self.assertEqual(answer.status_code, 503)
        self.assertEqual(answer.json()["status"], "fail")
        self.assertIn("stalled", answer.json()["worker"])
        # A task deferred to tomorrow (the daily reminders) is not late.
        DBTaskResult.objects.update(enqueued_at=timezone.now(), run_after=timezone.now() + datetime.timedelta(days=1))
        self.assertEqual(self.client.get("/health/").status_code, 200)

    def test_a_busy_monitor_queues_one_ping_a_minute(self):
        from django_tasks_db.models import DBTaskResult

        from hienthuc.health import ping

        for _ in range(5):
            self.assertEqual(self.client.get("/health/").status_code, 200)
        self.assertEqual(DBTaskResult.objects.filter(task_path=ping.module_path).count(), 1)
        # An answered ping over an hour old is cleared when the next one is queued.
        DBTaskResult.objects.update(status="SUCCESSFUL", enqueued_at=timezone.now() - datetime.timedelta(hours=2))
        self.client.get("/health/")
        self.assertEqual(list(DBTaskResult.objects.values_list("status", flat=True)), ["READY"])
