"""Files in and out that could harm: exports that would run formulas, links that run script,
files that only look like what they claim, imports too big for a page, imports whose worker
died."""

import datetime
import io
import zipfile

from django.core.exceptions import ValidationError
from django.test import TransactionTestCase, override_settings
from django.utils import timezone

from hienthuc.documents.actions import do_add_attachment, do_create_document
from hienthuc.imports.models import STALLED_MESSAGE, ImportStatus, PendingImport
from hienthuc.lib.files import detect_type
from hienthuc.lib.sheets import FileProblem, read_table
from hienthuc.plans.actions import do_add_task, do_create_plan, do_issue_plan, do_record_progress
from hienthuc.plans.importing import HEADERS, do_import_tasks, export_tasks
from tests.base import BaseTestCase
from tests.helpers import xlsx
from tests.test_documents import docx_bytes
from tests.test_references import kind

PAYLOADS = ['=HYPERLINK("http://x.example","bấm")', "=cmd|' /C calc'!A0", "\t=1+1", "+1", "-1+1", "@SUM(A1)"]


def formula_cells(data: bytes) -> list[str]:
    """Cells an .xlsx stores as formulas (<f> elements, or cells of type str)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = [archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/worksheets/")]
    return [s for s in sheets if "<f>" in s or "<f " in s or 't="str"' in s]


def real_pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


class ExportFormulaTestCase(BaseTestCase):
    def test_no_export_writes_user_text_as_a_formula_and_the_task_table_round_trips(self):
        plan = do_create_plan(unit=self.tinh_a, kind="action_program", title=PAYLOADS[0], acting_user=self.alice)
        for payload in PAYLOADS:
            do_add_task(
                plan, content=payload, lead_unit=self.huyen_a1, deadline_text="Năm 2030", output=payload,
                notes=payload, section=f"I. {payload}", acting_user=self.alice,
            )  # fmt: skip
            do_create_document(
                issuing_unit=self.tinh_a, kind=kind("ket_luan"), issuing_body="btv", status="draft",
                summary=payload, signer=payload, acting_user=self.alice,
            )  # fmt: skip
        self.client.force_login(self.alice)
        exports = {
            "tasks": export_tasks(plan, self.alice),
            "register": self.client.get("/documents/export.xlsx").content,
            "units": self.client.get(f"/orgs/{self.tinh_a.pk}/export.xlsx").content,
            "yearly": self.client.get(f"/orgs/{self.tinh_a.pk}/yearly-report/?year=2021&format=xlsx").content,
        }
        for name, data in exports.items():
            with self.subTest(export=name):
                self.assertEqual(data[:2], b"PK")
                self.assertEqual(formula_cells(data), [])
        again = do_create_plan(unit=self.tinh_a, kind="action_program", title="Bản sao", acting_user=self.alice)
        do_import_tasks(exports["tasks"], acting_user=self.alice, plan=again)
        # The import trims the spaces around a cell (a tab included); the text itself comes back as written.
        written = sorted(p.strip() for p in PAYLOADS)
        self.assertEqual(sorted(again.tasks.values_list("content", flat=True)), written)
        self.assertEqual(sorted(again.tasks.values_list("notes", flat=True)), written)

    def test_an_uncomputed_formula_cell_reads_as_its_text(self):
        import openpyxl

        workbook = openpyxl.Workbook()
        workbook.active.append(HEADERS)
        workbook.active.append([1, '=HYPERLINK("http://x","y")', "Huyện ủy A1", "", "", "Năm 2030", ""])
        out = io.BytesIO()
        workbook.save(out)
        sheet = read_table(out.getvalue(), HEADERS, max_bytes=10**6)
        self.assertEqual(sheet.rows[0][1][1], '=HYPERLINK("http://x","y")')


class LinkTestCase(BaseTestCase):
    def test_only_web_links_are_accepted_and_rendered(self):
        plan = do_create_plan(unit=self.tinh_a, kind="action_program", title="CT", acting_user=self.alice)
        task = do_add_task(
            plan, content="Việc", lead_unit=self.huyen_a1, deadline_text="Năm 2030", acting_user=self.alice
        )
        do_issue_plan(plan, number_text="01-CTr/TU", issued_on=datetime.date(2021, 1, 1), acting_user=self.alice)
        for bad in (
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            "data:text/html,<b>",
            "vbscript:x",
            "//evil",
            "http:",
        ):
            with self.subTest(link=bad), self.assertRaisesMessage(ValidationError, "http:// hoặc https://"):
                do_record_progress(task, percent=10, version=1, evidence_link=bad, acting_user=self.bob)
        self.assertEqual(task.updates.count(), 0)
        self.client.force_login(self.bob)
        response = self.client.post(
            f"/tasks/{task.pk}/progress/", {"version": 1, "percent": 10, "evidence_link": "javascript:alert(1)"}
        )
        self.assertContains(response, "http:// hoặc https://", status_code=400)
        do_record_progress(
            task, percent=100, version=1, evidence_link="https://vanban.example/kq", complete=True,
            completed_on=datetime.date(2021, 2, 1), acting_user=self.bob,
        )  # fmt: skip
        self.assertContains(self.client.get(f"/tasks/{task.pk}/"), 'href="https://vanban.example/kq"')


class UploadCheckTestCase(BaseTestCase):
    def test_it_checks_the_whole_structure_not_the_first_bytes(self):
        self.assertEqual(detect_type(real_pdf()), "pdf")
        self.assertEqual(detect_type(docx_bytes("x")), "docx")
        self.assertEqual(detect_type(xlsx([["a"]])), "xlsx")
        self.assertIsNone(detect_type(b"%PDF-1.4\n<html><script>alert(1)</script></html>"))
        self.assertIsNone(detect_type(b"%PDF-1.4\n" + b"0" * 100 + b"\n%%EOF"))
        macro = io.BytesIO()
        with zipfile.ZipFile(macro, "w") as archive, zipfile.ZipFile(io.BytesIO(docx_bytes("x"))) as source:
            for name in source.namelist():
                archive.writestr(name, source.read(name))
            archive.writestr("word/vbaProject.bin", b"macro")
        self.assertIsNone(detect_type(macro.getvalue()))

    def test_an_attachment_downloads_with_its_checked_type_and_extension(self):
        document = do_create_document(
            issuing_unit=self.tinh_a, kind=kind("ket_luan"), number_text="03-KL/TU", issuing_body="btv",
            issued_on=datetime.date(2022, 1, 5), summary="Kết luận", acting_user=self.alice,
        )  # fmt: skip
        with self.assertRaisesMessage(ValidationError, "kiểm tra theo nội dung"):
            do_add_attachment(document, data=b"%PDF-1.4 <html></html>", filename="x.pdf", acting_user=self.alice)
        attachment = do_add_attachment(document, data=real_pdf(), filename="trang.html", acting_user=self.alice)
        self.client.force_login(self.alice)
        response = self.client.get(f"/attachments/{attachment.pk}/")
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertIn("attachment", response["Content-Disposition"])
        self.assertIn("trang.pdf", response["Content-Disposition"])
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")


class ImportLimitTestCase(BaseTestCase):
    def test_a_task_table_over_its_row_limit_is_refused_before_it_is_read(self):
        plan = do_create_plan(unit=self.tinh_a, kind="action_program", title="CT", acting_user=self.alice)
        rows = [HEADERS] + [[i, f"Việc {i}", "Huyện ủy A1", "", "", "Năm 2030", ""] for i in range(1, 1_102)]
        with self.assertRaisesMessage(FileProblem, "tối đa 1.000 dòng"):
            do_import_tasks(xlsx(rows), acting_user=self.alice, plan=plan)
        self.assertEqual(plan.tasks.count(), 0)
        self.client.force_login(self.alice)
        self.assertContains(self.client.get(f"/plans/{plan.pk}/import/"), "Mỗi tệp tối đa 1.000 dòng")


class StalledImportTestCase(BaseTestCase):
    def test_an_import_whose_worker_died_is_failed_and_can_run_again(self):
        item = PendingImport.objects.create(
            kind="values", created_by=self.alice, filename="so-lieu.csv", payload=b"x", status=ImportStatus.RUNNING,
            progress_done=10, progress_total=10, heartbeat_at=timezone.now() - datetime.timedelta(hours=2),
        )  # fmt: skip
        self.client.force_login(self.alice)
        page = self.client.get(f"/imports/{item.pk}/")
        self.assertContains(page, "chưa có dữ liệu nào được ghi")
        self.assertContains(page, "Chạy lại")
        self.assertEqual(PendingImport.objects.get(pk=item.pk).status, ImportStatus.FAILED)
        self.assertEqual(PendingImport.objects.get(pk=item.pk).message, STALLED_MESSAGE)
        fresh = PendingImport.objects.create(
            kind="values", created_by=self.alice, filename="b.csv", payload=b"x", status=ImportStatus.RUNNING,
            heartbeat_at=timezone.now(),
        )  # fmt: skip
        self.assertEqual(PendingImport.objects.fail_stalled(), 0)
        self.assertEqual(PendingImport.objects.get(pk=fresh.pk).status, ImportStatus.RUNNING)

    @override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}})
    def test_run_again_queues_the_kept_file(self):
        item = PendingImport.objects.create(
            kind="values", created_by=self.alice, filename="a.csv", payload=b"x", status=ImportStatus.FAILED,
            message=STALLED_MESSAGE,
        )  # fmt: skip
        self.client.force_login(self.alice)
        response = self.client.post(f"/imports/{item.pk}/retry/")
        self.assertRedirects(response, f"/imports/{item.pk}/", fetch_redirect_response=False)
        self.assertEqual(PendingImport.objects.get(pk=item.pk).status, ImportStatus.RUNNING)
        self.client.force_login(self.oscar)
        self.assertEqual(self.client.post(f"/imports/{item.pk}/retry/").status_code, 404)


class BackgroundImportTestCase(BaseTestCase):
    def upload(self, plan, rows):
        from django.core.files.uploadedfile import SimpleUploadedFile

        self.client.force_login(self.alice)
        preview = self.client.post(f"/plans/{plan.pk}/import/", {"file": SimpleUploadedFile("nv.xlsx", xlsx(rows))})
        return preview, PendingImport.objects.filter(created_by=self.alice).latest("pk")

    def test_a_large_task_table_runs_in_the_background_with_its_own_page(self):
        plan = do_create_plan(unit=self.tinh_a, kind="action_program", title="CT", acting_user=self.alice)
        rows = [HEADERS] + [[i, f"Việc {i}", "Huyện ủy A1", "", "", "Năm 2030", ""] for i in range(1, 251)]
        preview, pending = self.upload(plan, rows)
        self.assertContains(preview, "Nhập 250 nhiệm vụ")
        self.assertEqual(pending.rows, 250)
        # The test settings run tasks at once (ImmediateBackend); the worker does it in production.
        response = self.client.post(f"/plans/{plan.pk}/import/{pending.pk}/apply/")
        self.assertRedirects(response, f"/imports/{pending.pk}/", fetch_redirect_response=False)
        page = self.client.get(f"/imports/{pending.pk}/")
        self.assertContains(page, "Đã nhập 250 nhiệm vụ.")
        self.assertEqual(plan.tasks.count(), 250)
        self.client.force_login(self.oscar)
        self.assertEqual(self.client.get(f"/imports/{pending.pk}/").status_code, 404)

    def test_a_background_import_refused_when_applied_writes_nothing_and_says_why(self):
        plan = do_create_plan(unit=self.tinh_a, kind="action_program", title="CT", acting_user=self.alice)
        rows = [HEADERS] + [[i, f"Việc {i}", "Huyện ủy A1", "", "", "Năm 2030", ""] for i in range(1, 251)]
        _preview, pending = self.upload(plan, rows)
        do_add_task(
            plan, content="Việc có trước", lead_unit=self.huyen_a1, deadline_text="Năm 2030", acting_user=self.alice
        )
        do_issue_plan(plan, number_text="02-CTr/TU", issued_on=datetime.date(2021, 1, 1), acting_user=self.alice)
        self.client.post(f"/plans/{plan.pk}/import/{pending.pk}/apply/")
        page = self.client.get(f"/imports/{pending.pk}/")
        self.assertContains(page, "Kế hoạch đã ban hành")
        self.assertContains(page, "Không có dữ liệu nào được ghi.")
        self.assertEqual(plan.tasks.count(), 1)


class WorkerSurvivalTestCase(TransactionTestCase):
    """The real worker (django-tasks' db_worker on the database backend) goes on after a task
    that fails with an unexpected error: the failed import says so, the next one is done."""

    def test_the_worker_survives_a_failing_import_and_runs_the_next(self):
        from django.core.management import call_command

        from hienthuc.imports import background, importers
        from tests.base import make_user

        def boom(data, **kwargs):
            raise RuntimeError("the database went away")

        for name, apply, said in (("test-boom", boom, ""), ("test-fine", lambda data, **kwargs: "ok", "Xong.")):
            importers.register(
                importers.Importer(
                    kind=name, url_name="tree_import", title="", help_template="", check=None, apply=apply,
                    describe=None, summary=lambda result, said=said: said, done_url=lambda target: "/",
                )
            )  # fmt: skip
            self.addCleanup(importers._IMPORTERS.pop, name)
        user = make_user("worker-test")
        tasks = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
        with override_settings(TASKS=tasks):
            from django_tasks import task_backends

            task_backends._settings = None  # the backends are built from settings once
            self.addCleanup(setattr, task_backends, "_settings", None)
            failing, fine = (
                PendingImport.objects.create(kind=kind, created_by=user, filename="f.xlsx", payload=b"x", rows=300)
                for kind in ("test-boom", "test-fine")
            )
            background.queue(failing)
            background.queue(fine)
            call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)
        failing.refresh_from_db()
        fine.refresh_from_db()
        self.assertEqual((failing.status, failing.message), (ImportStatus.FAILED, STALLED_MESSAGE))
        self.assertEqual((fine.status, fine.message), (ImportStatus.DONE, "Xong."))


class ApiValueImportLimitTestCase(BaseTestCase):
    def test_the_api_value_import_has_one_limit_its_row_count(self):
        import json

        from django.conf import settings

        from hienthuc.accounts.actions import do_create_api_token

        schema = self.client.get("/api/openapi.json").json()
        values = schema["components"]["schemas"]["ImportIn"]["properties"]["values"]
        self.assertEqual(values["maxItems"], settings.API_VALUE_IMPORT_MAX_ROWS)
        self.assertIn("200.000", values["description"])
        # A body over the upload limit for files (5 MB) but within the row count is checked, not refused.
        rows = [{"unit": "X" * 32, "indicator": "Y" * 40, "period": "2021-Q1", "value": "1234,5"}] * 40_000
        body = json.dumps({"values": rows, "dry_run": True})
        self.assertGreater(len(body), settings.UPLOAD_MAX_BYTES)
        _token, raw = do_create_api_token(self.alice, name="t", acting_user=self.alice)
        response = self.client.post(
            "/api/values/import", body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}"
        )
        self.assertEqual(response.status_code, 400)
        self.assertNotIn("quá lớn", response.content.decode())
        self.assertIn("Không có đơn vị mã", response.json()["errors"][0])
