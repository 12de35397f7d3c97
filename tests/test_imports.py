"""The import framework: every registered kind has its pages, a file is read once per step,
and the preview's button says what apply writes."""

import dataclasses
from unittest import mock

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from hienthuc.imports import importers
from hienthuc.imports.models import ImportStatus, PendingImport
from hienthuc.orgs.importing import HEADERS
from hienthuc.orgs.models import Organization
from tests.base import BaseTestCase
from tests.helpers import xlsx

TREE = [
    HEADERS,
    ["A1c", "Đảng ủy xã Bắc Sơn", "Đảng ủy cơ sở", "A1", "", "01/06/2021"],
    ["A1c-1", "Chi bộ thôn 1", "Chi bộ", "A1c", ""],
]


class ImportFrameworkTestCase(BaseTestCase):
    def counting(self, kind: str) -> dict:
        """Swap the kind's importer for one that counts its check and apply calls."""
        calls = {"check": 0, "apply": 0}
        importer = importers.get(kind)

        def check(*args, **kwargs):
            calls["check"] += 1
            return importer.check(*args, **kwargs)

        def apply(*args, **kwargs):
            calls["apply"] += 1
            return importer.apply(*args, **kwargs)

        patcher = mock.patch.dict(importers._IMPORTERS, {kind: dataclasses.replace(importer, check=check, apply=apply)})
        patcher.start()
        self.addCleanup(patcher.stop)
        return calls

    def upload(self, rows, url="/orgs/import/"):
        return self.client.post(url, {"file": SimpleUploadedFile("cay.xlsx", xlsx(rows))})

    def test_it_serves_the_upload_page_of_every_registered_kind(self):
        from hienthuc.committees.actions import do_create_term
        from hienthuc.plans.actions import do_create_plan

        draft = do_create_plan(unit=self.tinh_a, kind="implementation_plan", title="Kế hoạch", acting_user=self.alice)
        term = do_create_term(self.tinh_a, number="XX", start_year=2020, end_year=2025, acting_user=self.alice)
        from hienthuc.meetings.actions import do_create_meeting

        meeting = do_create_meeting(
            self.tinh_a, kind="study", title="Hội nghị", starts_at=timezone.now(), acting_user=self.alice
        )
        # The object each kind imports into.
        program = do_create_plan(unit=self.tinh_a, kind="inspection_program", title="Chương trình kiểm tra",
                                 acting_user=self.alice)  # fmt: skip
        targets = {"plan-tasks": draft.pk, "term-seats": term.pk, "meeting-invitations": meeting.pk,
                   "inspection-program": program.pk}  # fmt: skip
        self.client.force_login(self.alice)
        for kind, importer in importers._IMPORTERS.items():
            with self.subTest(kind):
                args = [targets[kind]] if importer.target is not importers.no_target else []
                page = self.client.get(reverse(importer.url_name, args=args))
                self.assertContains(page, importer.title)
                self.assertContains(page, f'accept="{importer.accept}"')

    def test_it_reads_the_file_once_per_step(self):
        calls = self.counting("tree")
        self.client.force_login(self.alice)
        self.upload(TREE)
        self.assertEqual(calls, {"check": 1, "apply": 0})
        pending = PendingImport.objects.get()
        # The data changes after the preview: apply finds it, and its own check is what the page shows.
        Organization.objects.filter(pk=self.huyen_a1.pk).update(is_active=False)
        page = self.client.post(f"/orgs/import/{pending.pk}/apply/")
        self.assertContains(page, "Dữ liệu đã thay đổi kể từ lúc xem trước")
        self.assertContains(page, "đã ngừng hoạt động")
        self.assertEqual(calls, {"check": 1, "apply": 1})
        self.assertEqual(PendingImport.objects.get().status, ImportStatus.PREVIEWED)

    def test_its_button_says_what_apply_writes(self):
        self.client.force_login(self.alice)
        page = self.upload([*TREE, ["A1", self.huyen_a1.name + " mới", self.huyen_a1.kind.name, "A", ""]])
        self.assertContains(page, "Tạo 2 đơn vị, cập nhật 1 đơn vị")
        before = Organization.objects.count()
        page = self.client.post(f"/orgs/import/{PendingImport.objects.get().pk}/apply/", follow=True)
        self.assertContains(page, "Đã nhập 2 đơn vị mới, cập nhật 1 đơn vị")
        self.assertEqual(Organization.objects.count(), before + 2)
        self.assertEqual(PendingImport.objects.get().status, ImportStatus.DONE)

    def test_it_offers_no_button_when_nothing_would_change(self):
        self.client.force_login(self.alice)
        page = self.upload(
            [HEADERS, ["A1", self.huyen_a1.name, self.huyen_a1.kind.name, "A", self.huyen_a1.short_name]]
        )
        self.assertContains(page, "Tệp không có gì mới để ghi")
        self.assertNotContains(page, "/apply/")

    def test_it_refuses_the_upload_page_to_those_who_may_not_import(self):
        self.client.force_login(self.charlie)
        self.assertEqual(self.client.get("/orgs/import/").status_code, 403)
        self.assertEqual(self.client.get("/documents/import/").status_code, 403)
        self.assertEqual(self.client.get("/indicators/import/").status_code, 403)

    def test_a_missing_parent_code_is_one_error_not_two(self):
        self.client.force_login(self.alice)
        a1 = self.huyen_a1
        page = self.upload([HEADERS, ["A1", a1.name, a1.kind.name, "", ""]])
        self.assertContains(page, "Phải ghi mã đơn vị cấp trên")
        self.assertNotContains(page, "không chuyển đơn vị qua nhập tệp")
