"""Backups (hienthuc/backups): an archive restored into a fresh database holds every row and
attachment of the one it was taken from, on SQLite and on PostgreSQL alike."""

import datetime
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import TransactionTestCase

from hienthuc.backups.archive import BackupError, current_figures, read_manifest
from hienthuc.documents.actions import do_add_attachment, do_create_document
from hienthuc.documents.kinds import seed_document_kinds
from hienthuc.documents.models import DocumentKind
from hienthuc.orgs import aggregates
from hienthuc.orgs.kinds import seed_kinds
from hienthuc.orgs.models import OrgKind, OrgLevel
from hienthuc.plans.actions import do_add_task, do_create_plan
from tests.base import build_cast
from tests.helpers import fresh_database
from tests.test_documents import docx_bytes

DOCX = docx_bytes("Toàn văn nghị quyết về nông thôn mới")


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    full = {**os.environ, **env}
    return subprocess.run(
        [sys.executable, "manage.py", *args], env=full, capture_output=True, text=True, timeout=300, check=False
    )


def figures_json() -> str:
    return (
        "import json; from hienthuc.backups.archive import current_figures; "
        "from hienthuc.orgs import aggregates; "
        "print(json.dumps({'tables': {t: [f.rows, f.checksum] for t, f in current_figures().items()}, "
        "'aggregates': sorted(map(list, aggregates.stored().items()))}))"
    )


class BackupRestoreTestCase(TransactionTestCase):
    def setUp(self):
        seed_kinds(OrgLevel, OrgKind)  # a TransactionTestCase before this one may have emptied them
        seed_document_kinds(DocumentKind)
        build_cast(self)
        document = do_create_document(
            issuing_unit=self.tinh_a, kind=DocumentKind.objects.get(code="nghi_quyet"), number_text="01-NQ/TU",
            issuing_body="bch", issued_on=datetime.date(2021, 10, 4), summary="về nông thôn mới",
            acting_user=self.alice,
        )  # fmt: skip
        do_add_attachment(document, data=DOCX, filename="nghi-quyet.docx", acting_user=self.alice)
        plan = do_create_plan(
            unit=self.tinh_a, kind="action_program", title="Chương trình hành động", source_document=document,
            acting_user=self.alice,
        )  # fmt: skip
        do_add_task(
            plan, content="Xây dựng đề án", lead_unit=self.huyen_a1, cooperating=[], output="Đề án",
            deadline_text="Quý IV/2021", section="", acting_user=self.alice,
        )  # fmt: skip
        self.folder = Path(tempfile.mkdtemp(prefix="hienthuc-backup-test-"))

    def test_it_restores_every_table_and_attachment_into_a_fresh_database(self):
        call_command("backup", "--output", str(self.folder), stdout=open(os.devnull, "w"), stderr=open(os.devnull, "w"))
        (archive,) = self.folder.glob("hienthuc-*.tar.gz")
        manifest = read_manifest(archive)
        self.assertEqual(manifest["engine"], connection.vendor)
        with tarfile.open(archive) as tar:
            names = tar.getnames()
        stored = Path(settings.MEDIA_ROOT)
        attachment = next(p for p in stored.rglob("*") if p.is_file() and p.read_bytes() == DOCX)
        self.assertIn("media/" + attachment.relative_to(stored).as_posix(), names)

        env = fresh_database(self, self.folder, "restore")
        done = manage("restore", str(archive), env=env)
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertIn("khớp từng bảng", done.stdout)

        # The restored database, read by its own process: every table's count and checksum,
        # and the tallies (stored per-unit counts) as the source has them.
        restored = json.loads(manage("shell", "--no-imports", "-c", figures_json(), env=env).stdout)
        source = {t: [f.rows, f.checksum] for t, f in current_figures().items()}
        self.assertEqual(restored["tables"], source)
        self.assertGreater(source["plans_task"][0], 0)
        self.assertEqual(restored["aggregates"], json.loads(json.dumps(sorted(map(list, aggregates.stored().items())))))
        self.assertEqual(manage("check_tallies", env=env).returncode, 0)
        restored_file = Path(env["MEDIA_DIR"]) / attachment.relative_to(stored)
        self.assertEqual(restored_file.read_bytes(), DOCX)

        # Restoring again over the data is refused unless asked for, and writes nothing.
        again = manage("restore", str(archive), env=env)
        self.assertNotEqual(again.returncode, 0)
        self.assertIn("đã có dữ liệu", again.stderr)
        self.assertEqual(manage("restore", str(archive), "--replace", env=env).returncode, 0)

    def test_it_refuses_a_file_that_is_not_a_backup(self):
        bogus = self.folder / "not-a-backup.tar.gz"
        bogus.write_bytes(b"PK\x03\x04 this is a zip")
        with self.assertRaises(BackupError) as caught:
            read_manifest(bogus)
        self.assertIn("không phải bản sao lưu", str(caught.exception))
        with self.assertRaises(CommandError):
            call_command("restore", str(bogus))

    def test_it_refuses_an_archive_of_the_other_engine(self):
        other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
        archive = self.folder / "other.tar.gz"
        manifest = self.folder / "manifest.json"
        manifest.write_text(json.dumps({"format": 1, "engine": other, "taken_at": "", "tables": {}}))
        with tarfile.open(archive, "w:gz") as tar:
            tar.add(manifest, "manifest.json")
        with self.assertRaisesRegex(CommandError, "cơ sở dữ liệu đang cấu hình"):
            call_command("restore", str(archive))
