from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from hienthuc.audit.models import AuditEvent
from hienthuc.imports.models import PendingImport
from hienthuc.lib.sheets import FileProblem
from hienthuc.orgs import aggregates
from hienthuc.orgs.importing import HEADERS, do_import_tree, export_tree, plan_tree_import
from hienthuc.orgs.models import Organization
from tests.base import BaseTestCase
from tests.helpers import read_xlsx, xlsx

GOOD = [
    HEADERS,
    ["A1c", "Đảng ủy xã Bắc Sơn", "Đảng ủy cơ sở", "A1", "ĐU Bắc Sơn", "15/03/2021"],
    ["A1c-1", "Chi bộ thôn 1", "chi bộ", "A1c", ""],  # kind matched without case or diacritics
    ["A1c-2", "Chi bộ thôn 2", "Chi bộ", "A1c"],
]


class TreeImportTestCase(BaseTestCase):
    def upload(self, data: bytes, name: str = "cay.xlsx"):
        return self.client.post("/orgs/import/", {"file": SimpleUploadedFile(name, data)})

    def assert_nothing_written(self, before: int):
        self.assertEqual(Organization.objects.count(), before)

    def test_it_previews_then_applies_a_good_file(self):
        self.client.force_login(self.alice)
        before = Organization.objects.count()
        response = self.upload(xlsx(GOOD, title="DANH SÁCH ĐƠN VỊ"))
        self.assertContains(response, "3 đơn vị mới")
        self.assert_nothing_written(before)
        pending = PendingImport.objects.get()
        response = self.client.post(f"/orgs/import/{pending.pk}/apply/")
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Organization.objects.count(), before + 3)
        child = Organization.objects.get(code="A1c-1")
        self.assertEqual(child.kind.code, "chi_bo")
        self.assertTrue(child.path.startswith(Organization.objects.get(code="A1c").path))
        self.assertEqual(
            AuditEvent.objects.filter(action="create", object_type="orgs.organization").count(), before + 3
        )
        self.assertEqual(aggregates.rebuild(), 0)

    def test_it_updates_names_of_existing_units_and_counts_unchanged_ones(self):
        rows = [
            HEADERS,
            ["A1", "Huyện ủy A1 (đổi tên)", "Huyện ủy/Thị ủy/Thành ủy (trước 7/2025)", "A", ""],
            ["A2", "Huyện ủy A2", "huyen_uy", "A", ""],
        ]
        plan = plan_tree_import(xlsx(rows), user=self.alice)
        self.assertTrue(plan.ok, plan.errors)
        self.assertEqual((len(plan.creates), len(plan.updates), plan.unchanged), (0, 1, 1))
        do_import_tree(xlsx(rows), acting_user=self.alice)
        self.assertEqual(self.refresh(self.huyen_a1).name, "Huyện ủy A1 (đổi tên)")

    def test_it_exports_a_subtree_that_imports_back_unchanged(self):
        data = export_tree(self.tinh_a)
        rows = read_xlsx(data)
        self.assertEqual(rows[1], HEADERS)
        self.assertEqual(rows[2][:4], ["A", "Tỉnh ủy A", "Tỉnh ủy/Thành ủy", "TW"])
        plan = plan_tree_import(data, user=self.system)
        self.assertTrue(plan.ok, [str(e) for e in plan.errors])
        self.assertEqual(plan.unchanged, 6)

    def errors_for(self, rows, user=None) -> list[str]:
        plan = plan_tree_import(xlsx(rows), user=user or self.alice)
        self.assertFalse(plan.ok)
        return [str(e) for e in plan.errors]

    def test_it_names_row_and_column_of_a_duplicate_code(self):
        errors = self.errors_for([HEADERS, ["X1", "Một", "Chi bộ", "A1a"], ["x1", "Hai", "Chi bộ", "A1a"]])
        self.assertEqual(errors, ["Dòng 3, cột A (Mã đơn vị): Mã “x1” trùng với dòng 2."])

    def test_it_refuses_a_code_used_by_a_unit_outside_the_users_subtree(self):
        errors = self.errors_for([HEADERS, ["B1", "Trùng", "Chi bộ", "A1a"]])
        self.assertEqual(errors, ["Dòng 2, cột A (Mã đơn vị): Mã “B1” đã được dùng cho một đơn vị khác."])

    def test_it_names_an_unknown_parent(self):
        errors = self.errors_for([HEADERS, ["X1", "Một", "Chi bộ", "KHONG-CO"]])
        self.assertEqual(len(errors), 1)
        self.assertTrue(errors[0].startswith("Dòng 2, cột D (Mã đơn vị cấp trên): Không tìm thấy đơn vị cấp trên"))

    def test_it_treats_a_parent_outside_the_users_subtree_as_unknown(self):
        errors = self.errors_for([HEADERS, ["X1", "Một", "Chi bộ", "B1"]])
        self.assertIn("cột D", errors[0])

    def test_it_refuses_a_cycle(self):
        errors = self.errors_for([HEADERS, ["X1", "Một", "Chi bộ", "X2"], ["X2", "Hai", "Chi bộ", "X1"]])
        self.assertEqual(len(errors), 2)
        self.assertIn("Vòng lặp cấp trên: X1 → X2 → X1", errors[0])
        self.assertIn("Dòng 3, cột D", errors[1])

    def test_it_refuses_empty_names_long_names_and_unknown_kinds(self):
        errors = self.errors_for(
            [HEADERS, ["X1", "", "Chi bộ", "A1a"], ["X2", "x" * 300, "Chi bộ", "A1a"], ["X3", "Ba", "Tổ đảng", "A1"]]
        )
        self.assertEqual(
            errors,
            [
                "Dòng 2, cột B (Tên đơn vị): Tên đơn vị không được để trống.",
                "Dòng 3, cột B (Tên đơn vị): Tên đơn vị dài 300 ký tự; tối đa 255.",
                "Dòng 4, cột C (Loại đơn vị): Loại đơn vị “Tổ đảng” không có trong danh mục loại đơn vị.",
            ],
        )

    def test_it_refuses_missing_required_cells(self):
        errors = self.errors_for([HEADERS, ["", "Một", "", ""]])
        self.assertEqual(
            errors,
            [
                "Dòng 2, cột A (Mã đơn vị): Mã đơn vị không được để trống.",
                "Dòng 2, cột C (Loại đơn vị): Loại đơn vị không được để trống.",
                "Dòng 2, cột D (Mã đơn vị cấp trên): Phải ghi mã đơn vị cấp trên.",
            ],
        )

    def test_it_refuses_moving_units_through_a_file(self):
        errors = self.errors_for([HEADERS, ["A1a", "Đảng ủy xã Đông Phong", "Đảng ủy cơ sở", "A2"]])
        self.assertIn("hãy dùng chức năng Chuyển đơn vị", errors[0])

    def test_it_refuses_wrong_headers(self):
        with self.assertRaisesMessage(FileProblem, "Không tìm thấy dòng tiêu đề"):
            plan_tree_import(xlsx([["Mã", "Tên", "Loại", "Cấp trên"], ["X", "Y", "Chi bộ", "A1a"]]), user=self.alice)

    def test_it_refuses_a_file_that_is_not_xlsx_and_writes_nothing(self):
        self.client.force_login(self.alice)
        before = Organization.objects.count()
        response = self.upload(b"%PDF-1.4 not a spreadsheet", "cay.xlsx")
        self.assertContains(response, "Tệp không phải là tệp Excel .xlsx")
        response = self.upload(b"PK\x03\x04broken zip", "cay.xlsx")
        self.assertContains(response, "Tệp không phải là tệp Excel .xlsx")
        self.assert_nothing_written(before)
        self.assertFalse(PendingImport.objects.exists())

    def test_it_refuses_a_corrupt_xlsx(self):
        import io
        import zipfile

        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as archive:
            archive.writestr("hello.txt", "not a workbook")
        with self.assertRaisesMessage(FileProblem, "Không đọc được tệp Excel"):
            plan_tree_import(out.getvalue(), user=self.alice)

    @override_settings(UPLOAD_MAX_BYTES=2000)
    def test_it_refuses_a_file_over_the_size_limit(self):
        self.client.force_login(self.alice)
        before = Organization.objects.count()
        response = self.upload(xlsx(GOOD) + b"\0" * 3000)
        self.assertContains(response, "Tệp quá lớn")
        self.assert_nothing_written(before)

    def test_it_shows_every_error_in_the_preview_and_applies_nothing(self):
        self.client.force_login(self.alice)
        before = Organization.objects.count()
        response = self.upload(xlsx([*GOOD, ["A1c-3", "", "Chi bộ", "A1c"]]))
        self.assertContains(response, "Dòng 5, cột B (Tên đơn vị): Tên đơn vị không được để trống.")
        self.assertContains(response, "không có dữ liệu nào được ghi")
        self.assertNotContains(response, "/apply/")
        self.assert_nothing_written(before)

    def test_it_rechecks_at_apply_time_and_writes_nothing_if_the_tree_changed(self):
        self.client.force_login(self.alice)
        before = Organization.objects.count()
        self.upload(xlsx(GOOD))
        pending = PendingImport.objects.get()
        Organization.objects.filter(pk=self.huyen_a1.pk).update(is_active=False)
        response = self.client.post(f"/orgs/import/{pending.pk}/apply/")
        self.assertContains(response, "đã ngừng hoạt động")
        self.assert_nothing_written(before)

    def test_it_lets_only_unit_admins_import(self):
        self.client.force_login(self.bob)
        self.assertEqual(self.client.get("/orgs/import/").status_code, 403)

    def test_it_never_applies_another_users_preview_or_one_applied_already(self):
        self.client.force_login(self.alice)
        self.upload(xlsx(GOOD))
        pending = PendingImport.objects.get()
        self.client.force_login(self.oscar)
        # Sent back to the upload page with the answer an applied or expired preview gets.
        response = self.client.post(f"/orgs/import/{pending.pk}/apply/", follow=True)
        self.assertRedirects(response, "/orgs/import/")
        self.assertContains(response, "Bản xem trước này không còn")
        self.assertEqual(PendingImport.objects.get().status, "previewed")
        # Applied once, the same preview cannot be applied twice.
        self.client.force_login(self.alice)
        self.client.post(f"/orgs/import/{pending.pk}/apply/")
        response = self.client.post(f"/orgs/import/{pending.pk}/apply/", follow=True)
        self.assertContains(response, "Bản xem trước này không còn")

    def test_it_serves_a_template_and_an_export_download(self):
        self.client.force_login(self.alice)
        response = self.client.get("/orgs/import/template.xlsx")
        self.assertEqual(read_xlsx(response.content)[1], HEADERS)
        response = self.client.get(f"/orgs/{self.tinh_a.pk}/export.xlsx")
        self.assertEqual(response["Content-Type"], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        self.assertEqual(len(read_xlsx(response.content)), 2 + 6)


class KindRulesImportTestCase(BaseTestCase):
    def errors_for(self, rows) -> list[str]:
        return [str(e) for e in plan_tree_import(xlsx(rows), user=self.alice).errors]

    def test_it_refuses_a_kind_under_a_parent_the_rules_forbid(self):
        errors = self.errors_for([HEADERS, ["X1", "Tỉnh ủy giả", "Tỉnh ủy/Thành ủy", "A1a"]])
        self.assertEqual(len(errors), 1)
        self.assertIn("cột C (Loại đơn vị): “Tỉnh ủy/Thành ủy” không được đặt dưới “Đảng ủy cơ sở”", errors[0])
        self.assertIn("chỉ đặt được dưới: Trung ương", errors[0])

    def test_it_judges_a_district_level_unit_by_the_day_it_was_founded(self):
        row = ["A1d", "Đảng ủy xã Nam Sơn", "Đảng ủy cơ sở", "A1", ""]
        errors = self.errors_for([HEADERS, row])
        self.assertIn("đến 30/06/2025", errors[0])  # founded today: districts are gone
        self.assertEqual(self.errors_for([HEADERS, [*row, "01/02/2021"]]), [])
        errors = self.errors_for([HEADERS, [*row, "31/02/2021"]])
        self.assertIn("cột F (Ngày thành lập): Ngày “31/02/2021” không hợp lệ", errors[0])
