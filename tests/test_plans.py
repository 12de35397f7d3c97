import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils import timezone

from hienthuc.committees.actions import do_create_term
from hienthuc.documents.actions import do_create_document
from hienthuc.documents.models import DocumentKind
from hienthuc.lib import deadlines
from hienthuc.plans.actions import (
    do_add_task,
    do_create_plan,
    do_issue_plan,
    do_record_progress,
    do_require_plans,
    do_update_task,
)
from hienthuc.plans.models import Plan, Task
from tests.base import BaseTestCase

TODAY = timezone.localdate()


class PlanBase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        do_create_term(cls.tinh_a, number="XX", start_year=2020, end_year=2030, acting_user=cls.system)
        cls.resolution = do_create_document(
            issuing_unit=cls.tinh_a, kind=DocumentKind.objects.get(code="nghi_quyet"), number_text="01-NQ/TU",
            issuing_body="bch", issued_on=datetime.date(2021, 10, 4), summary="về nông thôn mới", acting_user=cls.alice,
        )  # fmt: skip
        cls.plan = do_create_plan(
            unit=cls.tinh_a, kind="action_program", title="Chương trình hành động thực hiện Nghị quyết 01-NQ/TU",
            source_document=cls.resolution, acting_user=cls.alice,
        )  # fmt: skip
        cls.task = do_add_task(
            cls.plan, content="Xây dựng đề án nông thôn mới kiểu mẫu", lead_unit=cls.huyen_a1,
            cooperating=[cls.office_a], output="Đề án", deadline_text="Quý IV/2021", section="I. Nông nghiệp",
            acting_user=cls.alice,
        )  # fmt: skip

    def issue(self):
        return do_issue_plan(
            self.plan, number_text="05-CTr/TU", issued_on=datetime.date(2021, 11, 1), acting_user=self.alice
        )


class PlanTestCase(PlanBase):
    def test_it_creates_a_draft_plan_as_a_draft_document(self):
        self.assertEqual(self.plan.status, "draft")
        self.assertEqual(self.plan.document.status, "draft")
        self.assertEqual(self.task.deadline_last_day, datetime.date(2021, 12, 31))
        self.assertEqual(list(self.task.cooperating_units.all()), [self.office_a])

    def test_it_issues_the_plan_with_its_number_and_links_it_to_the_source(self):
        plan = self.issue()
        self.assertEqual(plan.document.number_normalized, "05-CTr/TU")
        self.assertTrue(plan.document.links_out.filter(target=self.resolution, kind="implements").exists())

    def test_it_refuses_unparseable_deadlines_listing_the_accepted_forms(self):
        with self.assertRaises(ValidationError) as ctx:
            do_add_task(
                self.plan, content="X", lead_unit=self.huyen_a1, deadline_text="sớm nhất có thể", acting_user=self.alice
            )
        self.assertIn("Các cách ghi được chấp nhận: Thường xuyên; Tháng 6/2026", str(ctx.exception))

    def test_it_refuses_a_lead_unit_outside_the_issuers_subtree_and_empty_content(self):
        with self.assertRaisesMessage(ValidationError, "Cơ quan chủ trì phải thuộc Tỉnh ủy A"):
            do_add_task(self.plan, content="X", lead_unit=self.huyen_b1, deadline_text="2026", acting_user=self.alice)
        with self.assertRaisesMessage(ValidationError, "Nội dung nhiệm vụ không được để trống"):
            do_add_task(self.plan, content="  ", lead_unit=self.huyen_a1, deadline_text="2026", acting_user=self.alice)
        self.assertEqual(self.plan.tasks.count(), 1)

    def test_it_changes_an_issued_plan_only_by_a_recorded_amendment(self):
        self.issue()
        with self.assertRaisesMessage(ValidationError, "chỉ thay đổi được bằng một lần sửa đổi"):
            do_add_task(self.plan, content="Mới", lead_unit=self.huyen_a2, deadline_text="2026", acting_user=self.alice)
        do_add_task(
            self.plan,
            content="Mới",
            lead_unit=self.huyen_a2,
            deadline_text="2026",
            amendment_reason="Bổ sung theo Kết luận",
            acting_user=self.alice,
        )
        self.assertEqual(Plan.objects.get(pk=self.plan.pk).amendment, 1)

    def test_it_refuses_a_stale_concurrent_edit_and_keeps_the_first(self):
        first = Task.objects.get(pk=self.task.pk)
        second = Task.objects.get(pk=self.task.pk)
        do_update_task(first, version=first.version, content="Bản của người thứ nhất", acting_user=self.alice)
        with self.assertRaisesMessage(ValidationError, "vừa được người khác sửa"):
            do_update_task(second, version=second.version, content="Bản của người thứ hai", acting_user=self.alice)
        self.assertEqual(Task.objects.get(pk=self.task.pk).content, "Bản của người thứ nhất")

    def test_it_records_progress_and_completes_only_with_an_output(self):
        self.issue()
        task = Task.objects.get(pk=self.task.pk)
        with self.assertRaisesMessage(ValidationError, "từ 0 đến 100"):
            do_record_progress(task, percent=120, version=task.version, acting_user=self.bob)
        do_record_progress(task, percent=60, version=task.version, text="Đã lấy ý kiến", acting_user=self.bob)
        task.refresh_from_db()
        self.assertEqual(task.progress, 60)
        with self.assertRaisesMessage(ValidationError, "Chỉ ghi hoàn thành khi có sản phẩm"):
            do_record_progress(task, percent=100, version=task.version, complete=True, acting_user=self.bob)
        do_record_progress(
            task, percent=100, version=task.version, complete=True, evidence_link="https://intranet/de-an.pdf",
            completed_on=datetime.date(2022, 1, 10), acting_user=self.bob,
        )  # fmt: skip
        task = Task.objects.with_status().get(pk=task.pk)
        self.assertEqual(task.status_code, deadlines.DONE_LATE)
        with self.assertRaises(ValidationError):
            do_record_progress(task, percent=50, version=task.version, acting_user=self.charlie)  # a viewer

    def test_it_derives_the_four_statuses_in_the_database(self):
        self.issue()
        specs = {"Tháng 1/2021": None, "Năm 2099": None, "Thường xuyên": None}
        made = {
            text: do_add_task(self.plan, content=text, lead_unit=self.huyen_a2, deadline_text=text,
                              amendment_reason="bổ sung", acting_user=self.alice)
            for text in specs
        }  # fmt: skip
        statuses = dict(Task.objects.with_status().filter(plan=self.plan).values_list("content", "status_code"))
        self.assertEqual(statuses[made["Tháng 1/2021"].content], deadlines.OPEN_OVERDUE)
        self.assertEqual(statuses[made["Năm 2099"].content], deadlines.OPEN_IN_TIME)
        self.assertEqual(statuses[made["Thường xuyên"].content], deadlines.STATUS_ONGOING)
        self.assertIn(made["Tháng 1/2021"].pk, set(Task.objects.overdue().values_list("pk", flat=True)))
        for task in Task.objects.with_status().filter(plan=self.plan):
            self.assertEqual(task.status_code, deadlines.status(task.deadline_last_day, task.completed_on, TODAY))

    def test_it_shows_tasks_to_lead_and_cooperating_units_only_once_issued(self):
        self.assertFalse(Task.objects.visible_to(self.bob).exists())  # a draft stays at the province
        self.issue()
        self.assertEqual(list(Task.objects.visible_to(self.bob)), [self.task])
        self.assertEqual(list(Plan.objects.visible_to(self.bob)), [self.plan])
        self.assertFalse(Task.objects.visible_to(self.oscar).exists())

    def test_it_cascades_plan_requirements_to_units_below_only(self):
        self.issue()
        self.assertEqual(
            do_require_plans(
                self.plan,
                units=[self.huyen_a1, self.huyen_a2],
                due_on=datetime.date(2021, 12, 1),
                acting_user=self.alice,
            ),
            2,
        )
        with self.assertRaisesMessage(ValidationError, "không phải đơn vị trực thuộc"):
            do_require_plans(
                self.plan, units=[self.huyen_b1], due_on=datetime.date(2021, 12, 1), acting_user=self.alice
            )


class PlanViewsTestCase(PlanBase):
    def test_it_shows_the_plan_table_with_sections_and_statuses(self):
        self.client.force_login(self.alice)
        response = self.client.get(f"/plans/{self.plan.pk}/")
        self.assertContains(response, "I. Nông nghiệp")
        self.assertContains(response, "Xây dựng đề án nông thôn mới kiểu mẫu")
        self.assertContains(response, "Chưa hoàn thành (quá hạn): <strong>1</strong>", html=False)

    def test_it_adds_tasks_and_issues_through_the_page_with_vietnamese_errors(self):
        self.client.force_login(self.alice)
        url = f"/plans/{self.plan.pk}/"
        response = self.client.post(url, {"task-content": "Mới", "task-lead_unit": "A2", "task-deadline_text": "sớm"})
        self.assertContains(response, "Các cách ghi được chấp nhận")
        response = self.client.post(
            url,
            {
                "task-content": "Mới",
                "task-lead_unit": "A2",
                "task-cooperating": "A1, KHONG",
                "task-deadline_text": "2026",
            },
        )
        self.assertContains(response, "Không tìm thấy đơn vị “KHONG”")
        response = self.client.post(
            url,
            {
                "task-content": "Mới",
                "task-lead_unit": "A2",
                "task-cooperating": "A1",
                "task-deadline_text": "Quý II/2026",
            },
        )
        self.assertEqual(response.status_code, 302)
        response = self.client.post(url, {"issue-number_text": "05-CTr/TU", "issue-issued_on": "01/11/2021"})
        self.assertEqual(response.status_code, 302)
        self.assertTrue(Plan.objects.get(pk=self.plan.pk).is_issued)

    def test_it_lets_the_lead_unit_report_progress_and_refuses_stale_reports(self):
        self.issue()
        self.client.force_login(self.bob)
        url = f"/tasks/{self.task.pk}/progress/"
        response = self.client.post(url, {"version": self.task.version, "percent": "150"})
        self.assertContains(response, "từ 0 đến 100", status_code=400)
        self.client.post(url, {"version": self.task.version, "percent": "40", "text": "Đang làm"})
        response = self.client.post(url, {"version": self.task.version, "percent": "50"})
        self.assertContains(response, "vừa được người khác cập nhật", status_code=400)
        self.assertEqual(Task.objects.get(pk=self.task.pk).progress, 40)

    def test_it_lists_overdue_tasks_and_hides_other_provinces(self):
        self.issue()
        self.client.force_login(self.bob)
        self.assertContains(self.client.get("/tasks/", {"state": "overdue"}), "Xây dựng đề án")
        self.client.force_login(self.oscar)
        self.assertNotContains(self.client.get("/tasks/"), "Xây dựng đề án")
        self.assertEqual(self.client.get(f"/tasks/{self.task.pk}/").status_code, 404)
        self.assertEqual(self.client.get(f"/plans/{self.plan.pk}/").status_code, 404)

    def test_it_pins_the_query_count_of_the_plan_and_task_pages(self):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        for i in range(10):
            do_add_task(
                self.plan, content=f"Nhiệm vụ {i}", lead_unit=self.huyen_a2, cooperating=[self.huyen_a1],
                deadline_text="2026", acting_user=self.alice,
            )  # fmt: skip
        self.client.force_login(self.alice)
        with CaptureQueriesContext(connection) as ctx:
            self.client.get(f"/plans/{self.plan.pk}/")
        self.assertLessEqual(len(ctx.captured_queries), 12)
        with CaptureQueriesContext(connection) as ctx:
            self.client.get("/tasks/")
        self.assertLessEqual(len(ctx.captured_queries), 8)


class TaskImportTestCase(PlanBase):
    ROWS = [
        [
            "STT",
            "Nội dung nhiệm vụ",
            "Cơ quan chủ trì",
            "Cơ quan phối hợp",
            "Sản phẩm",
            "Thời gian hoàn thành",
            "Ghi chú",
        ],
        ["I.", "XÂY DỰNG ĐẢNG", "", "", "", "", ""],
        [1, "Quán triệt Nghị quyết", "Huyện ủy A1", "Văn phòng Tỉnh ủy A; huyen uy a2", "Báo cáo", "Quý I/2026", ""],
        [2, "Kiểm tra việc thực hiện", "a2", "", "Thông báo kết luận", "Thường xuyên", "hằng năm"],
        ["II.", "PHÁT TRIỂN KINH TẾ", "", "", "", "", ""],
        [1, "Đề án chuyển đổi số", "Đảng ủy xã Đông Phong", "", "Đề án", "2026 - 2027", ""],
    ]

    def setUp(self):
        self.draft = do_create_plan(
            unit=self.tinh_a, kind="implementation_plan", title="Kế hoạch mới", acting_user=self.alice
        )

    def test_it_imports_sections_and_tasks_with_merged_title_rows_and_round_trips(self):
        from hienthuc.plans.importing import do_import_tasks, export_tasks
        from tests.helpers import read_xlsx, xlsx

        result = do_import_tasks(xlsx(self.ROWS, title="PHỤ LỤC NHIỆM VỤ"), acting_user=self.alice, plan=self.draft)
        self.assertEqual((len(result.tasks), result.sections), (3, 2))
        tasks = list(self.draft.tasks.order_by("order"))
        self.assertEqual(tasks[0].section, "I. XÂY DỰNG ĐẢNG")
        self.assertEqual(set(tasks[0].cooperating_units.all()), {self.office_a, self.huyen_a2})
        self.assertEqual(tasks[1].deadline_kind, "ongoing")
        self.assertEqual(tasks[2].section, "II. PHÁT TRIỂN KINH TẾ")
        exported = export_tasks(self.draft, self.alice)
        again = do_create_plan(unit=self.tinh_a, kind="implementation_plan", title="Bản sao", acting_user=self.alice)
        do_import_tasks(exported, acting_user=self.alice, plan=again)
        key = ("section", "content", "lead_unit_id", "output", "deadline_text", "notes")
        self.assertEqual(
            list(again.tasks.order_by("order").values_list(*key)),
            list(self.draft.tasks.order_by("order").values_list(*key)),
        )
        self.assertEqual(read_xlsx(exported)[1], self.ROWS[0])

    def test_it_imports_the_same_table_from_a_word_appendix(self):
        import io

        import docx

        from hienthuc.plans.importing import do_import_tasks

        document = docx.Document()
        document.add_paragraph("PHỤ LỤC: NHIỆM VỤ CỤ THỂ")
        table = document.add_table(rows=0, cols=7)
        for row in self.ROWS:
            cells = table.add_row().cells
            for cell, value in zip(cells, row, strict=True):
                cell.text = str(value)
        out = io.BytesIO()
        document.save(out)
        result = do_import_tasks(out.getvalue(), acting_user=self.alice, plan=self.draft)
        self.assertEqual(len(result.tasks), 3)

    def test_it_names_row_and_column_of_unknown_units_bad_deadlines_and_empty_content(self):
        from hienthuc.plans.importing import plan_task_import
        from tests.helpers import xlsx

        rows = [
            self.ROWS[0],
            [1, "Việc A", "Huyện ủy A9", "", "", "2026", ""],
            [2, "", "Huyện ủy A1", "Huyen uy B1", "", "sớm", ""],
        ]
        result = plan_task_import(xlsx(rows), user=self.alice, plan=self.draft)
        messages = [str(e) for e in result.errors]
        self.assertTrue(
            messages[0].startswith("Dòng 2, cột C (Cơ quan chủ trì): Không tìm thấy “Huyện ủy A9” trong Tỉnh ủy A.")
        )
        self.assertIn("Có phải: Huyện ủy A2; Huyện ủy A1", messages[0])
        self.assertEqual(messages[1], "Dòng 3, cột B (Nội dung nhiệm vụ): Nội dung nhiệm vụ không được để trống.")
        self.assertTrue(messages[2].startswith("Dòng 3, cột D (Cơ quan phối hợp): Không tìm thấy “Huyen uy B1”"))
        self.assertIn("Dòng 3, cột F (Thời gian hoàn thành)", messages[3])
        self.assertFalse(self.draft.tasks.exists())

    def test_it_refuses_files_without_a_header_row_through_the_page(self):
        from django.core.files.uploadedfile import SimpleUploadedFile

        from tests.helpers import xlsx

        self.client.force_login(self.alice)
        url = f"/plans/{self.draft.pk}/import/"
        response = self.client.post(url, {"file": SimpleUploadedFile("nv.xlsx", xlsx([["a", "b"], ["c", "d"]]))})
        self.assertContains(response, "Không tìm thấy dòng tiêu đề")
        response = self.client.post(url, {"file": SimpleUploadedFile("nv.xlsx", xlsx(self.ROWS))})
        self.assertContains(response, "Nhập 3 nhiệm vụ")
        from hienthuc.imports.models import PendingImport

        pending = PendingImport.objects.get()
        response = self.client.post(f"/plans/{self.draft.pk}/import/{pending.pk}/apply/")
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.draft.tasks.count(), 3)


class DashboardTestCase(PlanBase):
    maxDiff = None

    def assert_tallies_match_the_rows(self):
        from hienthuc.plans import tallies

        # Each task carries its lead unit's path.
        self.assertFalse(Task.objects.exclude(lead_path=F("lead_unit__path")).exists())
        stored, expected = tallies.stored(), tallies.expected()
        for s, e in zip(stored, expected, strict=True):
            self.assertEqual(dict(sorted(s.items())), dict(sorted(e.items())))

    def test_it_counts_tasks_by_status_per_child_and_changes_at_once(self):
        from hienthuc.plans import tallies

        self.issue()
        for text, unit in (("Năm 2099", self.huyen_a2), ("Tháng 1/2021", self.xa_a1a), ("Thường xuyên", self.huyen_a1)):
            do_add_task(
                self.plan,
                content=text,
                lead_unit=unit,
                deadline_text=text,
                amendment_reason="bổ sung",
                acting_user=self.alice,
            )
        totals, rollup = tallies.task_rollup(self.tinh_a, TODAY)
        self.assertEqual(rollup[self.huyen_a1.pk][deadlines.OPEN_OVERDUE], 2)  # its own task and its commune's
        self.assertEqual(rollup[self.huyen_a1.pk][deadlines.STATUS_ONGOING], 1)
        self.assertEqual(rollup[self.huyen_a2.pk][deadlines.OPEN_IN_TIME], 1)
        # The tallies agree with statuses computed one task at a time.
        for unit in (self.huyen_a1, self.huyen_a2):
            expected = dict.fromkeys(deadlines.STATUS_LABELS, 0)
            for task in Task.objects.filter(lead_unit__path__startswith=unit.path):
                expected[task.current_status()] += 1
            self.assertEqual(rollup[unit.pk], expected)
        self.assertEqual(totals, Task.objects.led_in_subtree(self.tinh_a).status_counts())
        # The Centre (no stored row of its own) adds up its provinces.
        self.assertEqual(tallies.task_rollup(self.centre, TODAY)[0], totals)
        self.client.force_login(self.alice)
        url = f"/orgs/{self.tinh_a.pk}/dashboard/"
        self.assertContains(self.client.get(url), "Chưa hoàn thành (quá hạn)")
        task = Task.objects.get(content="Tháng 1/2021")
        do_record_progress(
            task,
            percent=100,
            version=task.version,
            complete=True,
            evidence_link="https://x.vn/a",
            acting_user=self.alice,
        )
        response = self.client.get(url)
        self.assertEqual(response.context["totals"][1], ("Hoàn thành quá hạn", deadlines.DONE_LATE, 1))
        # Each figure links to the task list behind it, which shows as many tasks.
        listed = self.client.get(f"/tasks/?under=A&status={deadlines.DONE_LATE}&issued=on")
        self.assertEqual([t.content for t in listed.context["page"]], ["Tháng 1/2021"])
        self.assert_tallies_match_the_rows()
        self.client.force_login(self.oscar)
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_it_keeps_the_tallies_equal_to_a_recount_through_every_kind_of_write(self):
        from hienthuc.orgs.actions import do_move_organization
        from hienthuc.plans import tallies

        # Drafts are not counted.
        self.assert_tallies_match_the_rows()
        self.assertEqual(tallies.task_rollup(self.tinh_a, TODAY)[0][deadlines.OPEN_OVERDUE], 0)
        self.issue()
        self.assert_tallies_match_the_rows()
        do_update_task(
            self.task,
            version=self.task.version,
            lead_unit=self.xa_a1b,
            deadline_text="Năm 2099",
            amendment_reason="giao lại",
            acting_user=self.alice,
        )
        self.assert_tallies_match_the_rows()
        do_require_plans(
            self.plan, units=[self.huyen_a1, self.xa_a1a], due_on=datetime.date(2021, 12, 1), acting_user=self.alice
        )
        self.assert_tallies_match_the_rows()
        child = do_create_plan(
            unit=self.huyen_a1, kind="implementation_plan", title="KH A1", parent_plan=self.plan, acting_user=self.bob
        )
        do_add_task(child, content="Việc", lead_unit=self.xa_a1a, deadline_text="Tháng 1/2021", acting_user=self.bob)
        do_issue_plan(child, number_text="02-KH/HU", issued_on=datetime.date(2021, 12, 5), acting_user=self.bob)
        self.assert_tallies_match_the_rows()
        # Correcting the district plan's issue date turns its answer from late to on time.
        from hienthuc.documents.actions import current_data, do_update_document

        child.refresh_from_db()
        data = {**current_data(child.document), "issued_on": datetime.date(2021, 11, 30)}
        do_update_document(child.document, acting_user=self.bob, **data)
        self.assert_tallies_match_the_rows()
        on_time = tallies.coverage_rollup(self.tinh_a, TODAY)[self.resolution.pk][self.huyen_a1.pk]["on_time"]
        self.assertEqual(on_time, 1)
        # Moving a district with its communes carries its figures to the new province.
        do_move_organization(self.huyen_a1, self.tinh_b, acting_user=self.superuser())
        self.assert_tallies_match_the_rows()
        self.assertEqual(tallies.task_rollup(self.tinh_a, TODAY)[0][deadlines.OPEN_OVERDUE], 0)
        self.assertEqual(tallies.task_rollup(self.tinh_b, TODAY)[0][deadlines.OPEN_OVERDUE], 1)
        # A rebuild from scratch writes the same figures.
        before = tallies.stored()
        tallies.rebuild()
        self.assertEqual(tallies.stored(), before)

    def test_the_document_page_shows_the_coverage_pages_figures_and_its_cascade_as_a_tree(self):
        self.issue()
        do_require_plans(
            self.plan, units=[self.huyen_a1, self.huyen_a2], due_on=datetime.date(2021, 12, 1), acting_user=self.alice
        )
        child = do_create_plan(
            unit=self.huyen_a1, kind="implementation_plan", title="KH A1", parent_plan=self.plan, acting_user=self.bob
        )
        do_add_task(child, content="Việc", lead_unit=self.xa_a1a, deadline_text="Tháng 1/2022", acting_user=self.bob)
        do_issue_plan(child, number_text="02-KH/HU", issued_on=datetime.date(2021, 11, 20), acting_user=self.bob)
        self.client.force_login(self.alice)
        page = " ".join(self.client.get(f"/documents/{self.resolution.pk}/").content.decode().split())
        self.assertIn("Tỉnh ủy A: 2 đơn vị được giao ban hành kế hoạch thực hiện", page)
        self.assertIn("Đã ban hành đúng hạn: <strong>1</strong>", page)
        self.assertIn("Quá hạn, chưa ban hành: <strong>1</strong>", page)
        self.assertIn("Quá hạn, chưa ban hành: <a", page)
        self.assertIn("Huyện ủy A2</a>", page)
        coverage = self.client.get(f"/orgs/{self.tinh_a.pk}/coverage/?document={self.resolution.pk}")
        self.assertEqual(coverage.context["summary"]["overdue"], 1)
        # The cascade reads as a tree: the district plan under the province's program.
        cascade = page.split('id="cascade"')[1].split("</ul>")[0]
        self.assertLess(cascade.index("05-CTr/TU"), cascade.index("02-KH/HU"))
        self.assertIn('padding-left: 1rem">↳ <a', cascade)
        # A unit none was asked of sees no coverage list at all (the A1 district's own view).
        self.client.force_login(self.bob)
        self.assertNotContains(self.client.get(f"/documents/{self.resolution.pk}/"), "đơn vị được giao ban hành")

    def test_the_overdue_list_is_the_most_overdue_tasks_of_the_subtree(self):
        from hienthuc.plans import tallies

        self.issue()
        units = [self.tinh_a, self.huyen_a1, self.xa_a1a, self.xa_a1b, self.huyen_a2, self.office_a]
        for i in range(30):
            do_add_task(
                self.plan,
                content=f"Việc {i}",
                lead_unit=units[i % len(units)],
                deadline_text=f"Tháng {1 + i % 12}/{2020 + i % 3}",
                amendment_reason="bổ sung",
                acting_user=self.alice,
            )
        done = Task.objects.get(content="Việc 0")
        do_record_progress(
            done, percent=100, version=done.version, complete=True, evidence_link="https://x.vn", acting_user=self.alice
        )
        for org in (self.centre, self.tinh_a, self.huyen_a1, self.xa_a1b, self.tinh_b):
            expected = list(
                Task.objects.filter(plan__status="issued", lead_unit__path__startswith=org.path)
                .overdue(TODAY)
                .order_by("deadline_last_day", "id")[:7]
            )
            self.assertEqual(tallies.overdue_list(org, TODAY, limit=7), expected, org.code)

    def superuser(self):
        from tests.base import make_user

        user = make_user("root")
        user.is_superuser = True
        user.save()
        return user

    def test_it_shows_which_units_issued_their_plan_on_time_late_or_not_at_all(self):
        self.issue()
        do_require_plans(
            self.plan, units=[self.huyen_a1, self.huyen_a2], due_on=datetime.date(2021, 12, 1), acting_user=self.alice
        )
        child = do_create_plan(
            unit=self.huyen_a1,
            kind="implementation_plan",
            title="Kế hoạch của A1",
            parent_plan=self.plan,
            acting_user=self.bob,
        )
        do_add_task(child, content="Việc", lead_unit=self.xa_a1a, deadline_text="2026", acting_user=self.bob)
        do_issue_plan(child, number_text="01-KH/HU", issued_on=datetime.date(2021, 11, 20), acting_user=self.bob)
        # The district passes the cascade on to its communes; one issues late, one not yet.
        do_require_plans(
            child, units=[self.xa_a1a, self.xa_a1b], due_on=datetime.date(2022, 1, 1), acting_user=self.bob
        )
        commune = do_create_plan(
            unit=self.xa_a1a, kind="implementation_plan", title="KH xã", parent_plan=child, acting_user=self.bob
        )
        do_add_task(commune, content="Việc xã", lead_unit=self.xa_a1a, deadline_text="2026", acting_user=self.bob)
        do_issue_plan(commune, number_text="03-KH/ĐU", issued_on=datetime.date(2022, 2, 1), acting_user=self.bob)
        from hienthuc.plans.coverage import coverage_rows

        states = {r["unit"].code: r["state"] for r in coverage_rows(self.plan, datetime.date(2022, 1, 1))}
        self.assertEqual(states, {"A1": "on_time", "A2": "overdue"})
        self.client.force_login(self.alice)
        response = self.client.get(f"/orgs/{self.tinh_a.pk}/dashboard/")
        [row] = response.context["coverage"]
        self.assertEqual(row["document"], self.resolution)
        self.assertEqual(row["summary"], {"on_time": 1, "late": 1, "overdue": 2, "pending": 0})
        # The coverage page for the province, per district, then drilled down to the district.
        response = self.client.get(f"/orgs/{self.tinh_a.pk}/coverage/?document={self.resolution.pk}")
        per_child = {c["unit"]["code"]: c["counts"] for c in response.context["children"]}
        self.assertEqual(per_child["A1"], {"on_time": 1, "late": 1, "overdue": 1, "pending": 0})
        self.assertEqual(per_child["A2"], {"on_time": 0, "late": 0, "overdue": 1, "pending": 0})
        self.assertEqual({r["unit"].code for r in response.context["rows"]}, {"A1", "A2"})
        response = self.client.get(f"/orgs/{self.huyen_a1.pk}/coverage/?document={self.resolution.pk}")
        self.assertEqual(
            {r["unit"].code: r["state"] for r in response.context["rows"]},
            {"A1": "on_time", "A1a": "late", "A1b": "overdue"},
        )
        self.assertContains(response, "Đã ban hành muộn")
        # Without a document: every cascade that reached the subtree.
        response = self.client.get(f"/orgs/{self.tinh_a.pk}/coverage/")
        self.assertContains(response, "01-NQ/TU")
        # Another province's unit, or a document the user cannot see, is a 404.
        self.assertEqual(self.client.get(f"/orgs/{self.tinh_b.pk}/coverage/").status_code, 404)
        self.client.force_login(self.oscar)
        response = self.client.get(f"/orgs/{self.tinh_b.pk}/coverage/?document={self.resolution.pk}")
        self.assertEqual(response.status_code, 404)

    def test_it_pins_the_query_count_of_the_dashboard_and_coverage(self):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        self.issue()
        do_require_plans(
            self.plan, units=[self.huyen_a1, self.huyen_a2], due_on=datetime.date(2021, 12, 1), acting_user=self.alice
        )
        self.client.force_login(self.alice)
        counts = []
        for n in (1, 10):
            for i in range(n):
                do_add_task(
                    self.plan,
                    content=f"V{n}-{i}",
                    lead_unit=self.xa_a1b,
                    deadline_text="2020",
                    amendment_reason="x",
                    acting_user=self.alice,
                )
            for url in (
                f"/orgs/{self.tinh_a.pk}/dashboard/",
                f"/orgs/{self.tinh_a.pk}/coverage/?document={self.resolution.pk}",
                "/tasks/?scope=subtree&status=open_overdue",
                f"/orgs/{self.tinh_a.pk}/dashboard/?on=2022-01-15",  # a past day, read from the rows
            ):
                with CaptureQueriesContext(connection) as ctx:
                    self.assertEqual(self.client.get(url).status_code, 200)
                counts.append(len(ctx.captured_queries))
        # The same number of queries with 1 or 11 more tasks: no query per row.
        self.assertEqual(counts[:4], counts[4:])
        self.assertLessEqual(max(counts), 18)


class TaskListTestCase(PlanBase):
    def setUp(self):
        self.issue()
        self.later = do_add_task(
            self.plan,
            content="Tổng kết",
            lead_unit=self.huyen_a2,
            deadline_text="Năm 2099",
            amendment_reason="bổ sung",
            acting_user=self.alice,
        )

    def test_it_filters_by_subtree_status_source_document_and_mine(self):
        from hienthuc.people.actions import do_link_person

        self.client.force_login(self.alice)

        def listed(query):
            response = self.client.get(f"/tasks/?{query}")
            self.assertEqual(response.status_code, 200)
            return {t.content for t in response.context["page"]}

        self.assertEqual(listed("under=A1"), {self.task.content})
        self.assertEqual(listed("status=open_in_time"), {"Tổng kết"})
        self.assertEqual(listed(f"document={self.resolution.pk}"), {self.task.content, "Tổng kết"})
        self.assertEqual(listed("scope=mine"), set())
        do_update_task(self.later, version=self.later.version, amendment_reason="x", acting_user=self.alice)
        Task.objects.filter(pk=self.later.pk).update(leader=self.person_a1)
        do_link_person(self.alice, self.person_a1, acting_user=self.alice)
        self.assertEqual(listed("scope=mine"), {"Tổng kết"})
        # A unit outside the user's scope is refused with a message, not silently ignored.
        response = self.client.get("/tasks/?under=B")
        self.assertContains(response, "Không tìm thấy đơn vị “B” trong phạm vi của bạn")

    def test_it_links_an_account_to_a_person_within_the_admins_scope(self):
        from hienthuc.people.actions import do_link_person

        self.client.force_login(self.alice)
        response = self.client.post(
            f"/accounts/users/{self.bob.pk}/",
            {"action": "link-person", "link-person": f"{self.person_a1.full_name} [{self.person_a1.pk}]"},
        )
        self.assertEqual(response.status_code, 302)
        self.person_a1.refresh_from_db()
        self.assertEqual(self.person_a1.user, self.bob)
        with self.assertRaisesMessage(ValidationError, "đã gắn với một tài khoản khác"):
            do_link_person(self.alice, self.person_a1, acting_user=self.alice)
        with self.assertRaisesMessage(ValidationError, "Bạn không quản trị"):
            do_link_person(self.oscar, self.person_a1, acting_user=self.oscar)

    def test_it_changes_deadlines_in_bulk_all_or_nothing(self):
        self.client.force_login(self.alice)
        picked = [f"{self.task.pk}:{self.task.version}", f"{self.later.pk}:{self.later.version}"]
        data = {"action": "deadline", "tasks": picked, "deadline_text": "Quý II/2027", "next": "/tasks/"}
        # Without the amendment reason an issued plan refuses, and neither task changes.
        response = self.client.post("/tasks/bulk/", data, follow=True)
        self.assertContains(response, "Chưa thay đổi nhiệm vụ nào.")
        self.assertEqual(Task.objects.filter(deadline_text="Quý II/2027").count(), 0)
        # A stale version on one row refuses the whole batch.
        stale = {
            **data,
            "amendment_reason": "lùi hạn",
            "tasks": [picked[0], f"{self.later.pk}:{self.later.version - 1}"],
        }
        response = self.client.post("/tasks/bulk/", stale, follow=True)
        self.assertContains(response, "vừa được người khác sửa")
        self.assertEqual(Task.objects.filter(deadline_text="Quý II/2027").count(), 0)
        response = self.client.post("/tasks/bulk/", {**data, "amendment_reason": "lùi hạn"}, follow=True)
        self.assertContains(response, "2 nhiệm vụ đã đổi thời hạn.")
        self.assertEqual(Task.objects.filter(deadline_text="Quý II/2027").count(), 2)
        # Nothing picked, or a bad deadline: a message, nothing written.
        response = self.client.post("/tasks/bulk/", {"action": "deadline", "deadline_text": "x"}, follow=True)
        self.assertContains(response, "Hãy chọn ít nhất một nhiệm vụ.")
        self.task.refresh_from_db()
        bad = {
            **data,
            "tasks": [f"{self.task.pk}:{self.task.version}"],
            "deadline_text": "sớm",
            "amendment_reason": "x",
        }
        self.assertContains(self.client.post("/tasks/bulk/", bad, follow=True), "Thường xuyên")

    def test_ids_in_links_and_checkboxes_are_never_written_with_thousands_separators(self):
        # Vietnamese number formatting writes 12345 as "12.345": ids in URLs and form values must not.
        Task.objects.filter(pk=self.later.pk).update(id=12345)
        self.client.force_login(self.alice)
        page = self.client.get("/tasks/")
        self.assertContains(page, 'value="12345:1"')
        self.assertNotContains(page, "12.345")

    def test_it_requests_explanations_in_bulk_only_for_overdue_tasks(self):
        from hienthuc.plans.models import ExplanationRequest

        self.client.force_login(self.alice)
        data = {"action": "explain", "question": "Vì sao chậm?", "next": "/tasks/?state=overdue"}
        response = self.client.post(
            "/tasks/bulk/", {**data, "tasks": [f"{self.task.pk}:1", f"{self.later.pk}:1"]}, follow=True
        )
        self.assertContains(response, "Chỉ yêu cầu giải trình nhiệm vụ đang quá hạn.")
        self.assertEqual(ExplanationRequest.objects.count(), 0)
        response = self.client.post("/tasks/bulk/", {**data, "tasks": [f"{self.task.pk}:1"]}, follow=True)
        self.assertContains(response, "1 nhiệm vụ đã yêu cầu giải trình.")
        self.assertEqual(ExplanationRequest.objects.get().unit, self.huyen_a1)
        # Another province's task is not found, whatever its id.
        self.client.force_login(self.oscar)
        response = self.client.post("/tasks/bulk/", {**data, "tasks": [f"{self.task.pk}:1"]}, follow=True)
        self.assertContains(response, "Không tìm thấy nhiệm vụ")

    def test_it_adds_a_task_with_its_leader_parent_and_the_task_above(self):
        self.client.force_login(self.bob)
        child = do_create_plan(
            unit=self.huyen_a1, kind="implementation_plan", title="KH A1", parent_plan=self.plan, acting_user=self.bob
        )
        response = self.client.post(
            f"/plans/{child.pk}/",
            {
                "task-content": "Xây dựng đề án cấp huyện",
                "task-lead_unit": "A1",
                "task-deadline_text": "Quý III/2021",
                "task-leader": f"{self.person_a1.full_name} [{self.person_a1.pk}]",
                "task-from_task": self.task.pk,
            },
        )
        self.assertEqual(response.status_code, 302)
        task = child.tasks.get()
        self.assertEqual((task.leader, task.from_task), (self.person_a1, self.task))
        response = self.client.get(f"/tasks/{self.task.pk}/")
        self.assertContains(response, "Các đơn vị cấp dưới thực hiện")
        # A task of an unrelated plan cannot be named as the task above.
        with self.assertRaisesMessage(ValidationError, "kế hoạch cấp trên"):
            do_add_task(
                self.plan, content="x", lead_unit=self.huyen_a1, deadline_text="2030", from_task=task,
                amendment_reason="x", acting_user=self.alice,
            )  # fmt: skip


class WordExportTestCase(PlanBase):
    def test_it_exports_a_plan_as_a_party_document(self):
        import io

        import docx

        self.issue()
        self.client.force_login(self.bob)  # a district sees the province's plan it has tasks in
        response = self.client.get(f"/plans/{self.plan.pk}/export.docx")
        self.assertEqual(response.status_code, 200)
        document = docx.Document(io.BytesIO(response.content))
        header = document.tables[0].rows[0].cells
        self.assertIn("TỈNH ỦY A", header[0].text)
        self.assertIn("Số 05-CTr/TU", header[0].text)
        self.assertIn("ĐẢNG CỘNG SẢN VIỆT NAM", header[1].text)
        self.assertIn("ngày 01 tháng 11 năm 2021", header[1].text)
        texts = [p.text for p in document.paragraphs]
        self.assertIn("CHƯƠNG TRÌNH", texts)
        self.assertIn("III. TỔ CHỨC THỰC HIỆN", texts)
        task_table = document.tables[-1]  # the appendix, after the signature
        self.assertEqual(task_table.rows[1].cells[0].text, "I. Nông nghiệp")
        self.assertEqual(task_table.rows[2].cells[1].text, "Xây dựng đề án nông thôn mới kiểu mẫu")
        fonts = {r.font.name for p in document.paragraphs for r in p.runs if r.text.strip()}
        self.assertEqual(fonts, {"Times New Roman"})
        self.client.force_login(self.oscar)
        self.assertEqual(self.client.get(f"/plans/{self.plan.pk}/export.docx").status_code, 404)

    @pytest.mark.office
    def test_it_opens_in_libreoffice(self):
        from hienthuc.plans.wordexport import export_plan
        from tests.helpers import converted_to_pdf

        self.issue()
        self.assertTrue(converted_to_pdf(export_plan(self.plan, self.alice), "ke-hoach.docx").startswith(b"%PDF"))


class ExplanationTestCase(PlanBase):
    def test_a_leader_asks_for_an_explanation_of_an_overdue_task_and_the_unit_answers(self):
        from hienthuc.audit.models import AuditEvent
        from hienthuc.plans.actions import do_answer_explanation, do_request_explanation
        from hienthuc.plans.models import ExplanationRequest

        self.issue()
        self.client.force_login(self.alice)
        page = self.client.get(f"/tasks/{self.task.pk}/")
        self.assertContains(page, "Yêu cầu cơ quan chủ trì giải trình")
        self.client.post(f"/tasks/{self.task.pk}/explanations/", {"question": "Vì sao chưa trình đề án?"})
        request = ExplanationRequest.objects.get()
        self.assertEqual(request.unit, self.huyen_a1)
        with self.assertRaisesMessage(ValidationError, "Chỉ lãnh đạo đơn vị cấp trên"):
            do_request_explanation(unit=self.huyen_a1, task=self.task, question="?", acting_user=self.bob)
        with self.assertRaisesMessage(ValidationError, "Chỉ đơn vị được yêu cầu"):
            do_answer_explanation(request, answer="x", acting_user=self.charlie)
        self.client.force_login(self.bob)
        self.assertContains(self.client.get("/explanations/"), "Vì sao chưa trình đề án?")
        self.client.post(f"/explanations/{request.pk}/answer/", {"answer": "Đang chờ ý kiến các sở"})
        request.refresh_from_db()
        self.assertEqual(request.answer, "Đang chờ ý kiến các sở")
        self.assertEqual(AuditEvent.objects.filter(action__in=["request", "answer"]).count(), 2)
        # Who asked and who answered are named, on the list and on the task.
        self.assertContains(self.client.get("/explanations/"), "(bob, ")
        task_page = self.client.get(f"/tasks/{self.task.pk}/")
        self.assertContains(task_page, "(alice, ")
        self.assertContains(task_page, "</strong> (bob):", html=False)
        self.client.force_login(self.oscar)
        self.assertNotContains(self.client.get("/explanations/"), "Vì sao")

    def test_a_leader_above_asks_a_unit_to_explain_its_results_from_its_dashboard(self):
        from hienthuc.plans.models import ExplanationRequest

        self.client.force_login(self.alice)
        url = f"/orgs/{self.huyen_a1.pk}/dashboard/"
        self.assertContains(self.client.get(url), "giải trình kết quả thực hiện")
        response = self.client.post(f"/orgs/{self.huyen_a1.pk}/explanations/", {"question": ""}, follow=True)
        self.assertContains(response, "Hãy ghi nội dung cần giải trình.")
        self.client.post(f"/orgs/{self.huyen_a1.pk}/explanations/", {"question": "Vì sao tỷ lệ hoàn thành thấp?"})
        request = ExplanationRequest.objects.get()
        self.assertEqual((request.unit, request.task), (self.huyen_a1, None))
        # The district answers; it cannot ask itself, and another province's unit is a 404.
        self.client.force_login(self.bob)
        self.assertNotContains(self.client.get(url), "giải trình kết quả thực hiện")
        self.client.post(f"/explanations/{request.pk}/answer/", {"answer": "Do thiếu kinh phí."})
        request.refresh_from_db()
        self.assertEqual(request.answer, "Do thiếu kinh phí.")
        self.client.force_login(self.oscar)
        self.assertEqual(
            self.client.post(f"/orgs/{self.huyen_a1.pk}/explanations/", {"question": "x"}).status_code, 404
        )

    def test_it_refuses_explanations_for_tasks_that_are_not_overdue(self):
        from hienthuc.plans.actions import do_request_explanation

        self.issue()
        future = do_add_task(
            self.plan,
            content="Sau",
            lead_unit=self.huyen_a2,
            deadline_text="Năm 2099",
            amendment_reason="x",
            acting_user=self.alice,
        )
        with self.assertRaisesMessage(ValidationError, "Chỉ yêu cầu giải trình nhiệm vụ đang quá hạn"):
            do_request_explanation(unit=self.huyen_a2, task=future, question="?", acting_user=self.alice)


class GoalTestCase(PlanBase):
    def test_a_resolution_holds_its_goals_staged_goals_and_key_tasks(self):
        from hienthuc.plans.actions import do_add_goal

        do_add_goal(
            self.resolution, kind="general", text="Phấn đấu trở thành tỉnh phát triển khá", acting_user=self.alice
        )
        do_add_goal(self.resolution, kind="staged", year=2030, text="Theo kịp nhóm dẫn đầu", acting_user=self.alice)
        with self.assertRaisesMessage(ValidationError, "cần ghi năm"):
            do_add_goal(self.resolution, kind="staged", text="Không năm", acting_user=self.alice)
        with self.assertRaises(ValidationError):
            do_add_goal(self.resolution, kind="key_task", text="x", acting_user=self.bob)
        self.client.force_login(self.alice)
        response = self.client.post(
            f"/documents/{self.resolution.pk}/goals/",
            {"kind": "breakthrough", "year": "abc", "text": "Chuyển đổi số"},
            follow=True,
        )
        self.assertContains(response, "Năm phải là một số")
        self.client.post(f"/documents/{self.resolution.pk}/goals/", {"kind": "breakthrough", "text": "Chuyển đổi số"})
        page = self.client.get(f"/documents/{self.resolution.pk}/")
        self.assertContains(page, "Mục tiêu theo giai đoạn (đến năm 2030)")
        self.assertContains(page, "Khâu đột phá:</strong> Chuyển đổi số", html=False)


class CascadeViewsTestCase(PlanBase):
    def test_a_province_cascades_and_a_district_issues_its_plan_for_it(self):
        self.issue()
        self.client.force_login(self.alice)
        url = f"/plans/{self.plan.pk}/"
        response = self.client.post(url, {"req-mode": "codes", "req-codes": "A1, B1", "req-due_on": "01/12/2021"})
        self.assertContains(response, "Không tìm thấy đơn vị “B1”")
        self.client.post(url, {"req-mode": "children", "req-due_on": "01/12/2021"})
        self.assertEqual(set(self.plan.requirements.values_list("unit__code", flat=True)), {"A1", "A2"})
        self.client.force_login(self.bob)
        page = self.client.get(url)
        self.assertContains(page, "Đơn vị của bạn phải ban hành kế hoạch thực hiện")
        response = self.client.post(
            "/plans/new/",
            {"unit": "A1", "kind": "implementation_plan", "title": "Kế hoạch của A1", "parent": self.plan.pk},
        )
        child = Plan.objects.get(title="Kế hoạch của A1")
        self.assertRedirects(response, f"/plans/{child.pk}/")
        self.assertEqual((child.parent_plan, child.source_document), (self.plan, self.resolution))
        do_add_task(child, content="Việc", lead_unit=self.xa_a1a, deadline_text="2026", acting_user=self.bob)
        do_issue_plan(child, number_text="02-KH/HU", issued_on=datetime.date(2021, 11, 25), acting_user=self.bob)
        self.client.force_login(self.alice)
        self.assertContains(self.client.get(url), "Đã ban hành đúng hạn")


class PlanApiTestCase(PlanBase):
    def headers(self, user) -> dict:
        from hienthuc.accounts.actions import do_create_api_token

        _token, raw = do_create_api_token(user, name="t", acting_user=user)
        return {"Authorization": f"Bearer {raw}"}

    def test_it_serves_plans_tasks_progress_coverage_and_dashboard_with_scoping(self):
        self.issue()
        do_require_plans(self.plan, units=[self.huyen_a1], due_on=datetime.date(2021, 12, 1), acting_user=self.alice)
        bob = self.headers(self.bob)
        plans = self.client.get("/api/plans", headers=bob).json()
        self.assertEqual([p["number"] for p in plans["items"]], ["05-CTr/TU"])
        task = self.client.get(f"/api/tasks/{self.task.pk}", headers=bob).json()
        self.assertEqual((task["status"], task["cooperating_unit_ids"]), ("open_overdue", [self.office_a.pk]))
        response = self.client.post(
            f"/api/tasks/{self.task.pk}/progress",
            {"percent": 30, "version": task["version"]},
            content_type="application/json",
            headers=bob,
        )
        self.assertEqual(response.json()["progress"], 30)
        stale = self.client.post(
            f"/api/tasks/{self.task.pk}/progress",
            {"percent": 40, "version": task["version"]},
            content_type="application/json",
            headers=bob,
        )
        self.assertEqual(stale.status_code, 400)
        bad = self.client.post(
            f"/api/tasks/{self.task.pk}/progress",
            {"percent": 140, "version": 1},
            content_type="application/json",
            headers=bob,
        )
        self.assertEqual(bad.status_code, 422)
        coverage = self.client.get(f"/api/plans/{self.plan.pk}/coverage", headers=bob).json()
        self.assertEqual([c["state"] for c in coverage], ["overdue"])
        alice = self.headers(self.alice)
        dashboard = self.client.get(f"/api/units/{self.tinh_a.pk}/dashboard", headers=alice).json()
        self.assertEqual(dashboard["totals"]["open_overdue"], 1)
        self.assertEqual(dashboard["children"], [{"unit_id": self.huyen_a1.pk, "counts": dashboard["totals"]}])
        [cascade] = self.client.get(f"/api/units/{self.tinh_a.pk}/coverage", headers=alice).json()
        self.assertEqual(cascade["document_id"], self.resolution.pk)
        self.assertEqual(cascade["totals"], {"on_time": 0, "late": 0, "overdue": 1, "pending": 0})
        self.assertEqual(cascade["children"][0]["unit_id"], self.huyen_a1.pk)
        oscar = self.headers(self.oscar)
        self.assertEqual(self.client.get(f"/api/units/{self.tinh_a.pk}/coverage", headers=oscar).status_code, 404)
        url = f"/api/units/{self.tinh_b.pk}/coverage?document={self.plan.document_id}"
        self.assertEqual(self.client.get(url, headers=oscar).status_code, 404)  # another province's document
        self.assertEqual(self.client.get(f"/api/tasks/{self.task.pk}", headers=oscar).status_code, 404)
        self.assertEqual(self.client.get(f"/api/plans/{self.plan.pk}", headers=oscar).status_code, 404)


class ReminderTestCase(PlanBase):
    def test_it_reminds_the_lead_unit_7_3_1_days_before_and_the_day_after_once(self):
        from django.core import mail

        from hienthuc.plans.models import Reminder
        from hienthuc.plans.reminders import send_due_reminders

        self.bob.email = "bob@a1.vn"
        self.bob.save()
        self.issue()
        last = self.task.deadline_last_day  # 31/12/2021
        for offset, kind in ((-7, "before_7"), (-3, "before_3"), (-1, "before_1"), (1, "after_1")):
            # Mail leaves when the reminders are committed.
            with self.captureOnCommitCallbacks(execute=True):
                self.assertEqual(send_due_reminders(last + datetime.timedelta(days=offset)), 1, kind)
            self.assertTrue(Reminder.objects.filter(user=self.bob, task=self.task, kind=kind, emailed=True).exists())
        self.assertEqual(send_due_reminders(last + datetime.timedelta(days=1)), 0)  # once only
        self.assertEqual(send_due_reminders(last - datetime.timedelta(days=5)), 0)  # no reminder that day
        self.assertEqual(len(mail.outbox), 4)
        self.assertIn("Còn 7 ngày đến hạn", mail.outbox[0].subject)
        self.assertFalse(Reminder.objects.filter(user=self.charlie).exists())  # a viewer is not reminded

    def test_a_rolled_back_run_sends_no_mail(self):
        from django.core import mail
        from django.db import transaction

        from hienthuc.plans.reminders import send_due_reminders

        self.bob.email = "bob@a1.vn"
        self.bob.save()
        self.issue()
        with self.captureOnCommitCallbacks(execute=True):
            try:
                with transaction.atomic():
                    send_due_reminders(self.task.deadline_last_day - datetime.timedelta(days=7))
                    raise RuntimeError("the run fails after writing its reminders")
            except RuntimeError:
                pass
        self.assertEqual(len(mail.outbox), 0)

    def test_a_user_sees_and_mutes_reminders(self):
        from hienthuc.plans.models import Reminder
        from hienthuc.plans.reminders import send_due_reminders

        self.issue()
        send_due_reminders(self.task.deadline_last_day - datetime.timedelta(days=7))
        self.client.force_login(self.bob)
        self.assertContains(self.client.get("/reminders/"), "Còn 7 ngày đến hạn")
        # Looking changes nothing; the button marks what was shown read.
        self.assertTrue(Reminder.objects.filter(user=self.bob, read_at__isnull=True).exists())
        shown = list(Reminder.objects.filter(user=self.bob).values_list("pk", flat=True))
        self.client.post("/reminders/read/", {"reminder": shown})
        self.assertFalse(Reminder.objects.filter(user=self.bob, read_at__isnull=True).exists())
        self.client.post("/reminders/mute/", {"task": self.task.pk})
        send_due_reminders(self.task.deadline_last_day - datetime.timedelta(days=3))
        self.assertFalse(Reminder.objects.filter(kind="before_3").exists())
        self.client.post("/reminders/mute/", {"task": self.task.pk})  # unmute
        send_due_reminders(self.task.deadline_last_day - datetime.timedelta(days=1))
        self.assertTrue(Reminder.objects.filter(kind="before_1").exists())
        self.client.force_login(self.oscar)
        self.assertEqual(self.client.post("/reminders/mute/", {"task": self.task.pk}).status_code, 404)

    def test_the_daily_run_is_scheduled_next_morning(self):
        from hienthuc.plans.reminders import next_run

        now = timezone.make_aware(datetime.datetime(2026, 11, 23, 9, 30))
        self.assertEqual(timezone.localtime(next_run(now)).replace(tzinfo=None), datetime.datetime(2026, 11, 24, 7, 0))
        early = timezone.make_aware(datetime.datetime(2026, 11, 23, 6, 0))
        self.assertEqual(
            timezone.localtime(next_run(early)).replace(tzinfo=None), datetime.datetime(2026, 11, 23, 7, 0)
        )


class ReviewRegressionTestCase(PlanBase):
    def test_issuing_a_plan_keeps_what_its_document_already_says(self):
        from hienthuc.documents.actions import current_data, do_update_document

        document = self.plan.document
        data = current_data(document)
        data.update(signer="Nguyễn Văn Bí Thư", place="Thành phố A", full_text="Toàn văn dự thảo")
        do_update_document(document, acting_user=self.alice, **data)
        self.issue()
        document.refresh_from_db()
        self.assertEqual(
            (document.signer, document.place, document.full_text),
            ("Nguyễn Văn Bí Thư", "Thành phố A", "Toàn văn dự thảo"),
        )

    def test_an_implementing_plan_must_answer_an_issued_plan_from_above(self):
        with self.assertRaisesMessage(ValidationError, "chưa ban hành"):
            do_create_plan(
                unit=self.huyen_a1, kind="implementation_plan", title="X", parent_plan=self.plan, acting_user=self.bob
            )
        self.issue()
        other = do_create_plan(unit=self.tinh_b, kind="action_program", title="B", acting_user=self.oscar)
        other.status = "issued"
        other.save()
        with self.assertRaisesMessage(ValidationError, "cấp trên"):
            do_create_plan(
                unit=self.huyen_a1, kind="implementation_plan", title="X", parent_plan=other, acting_user=self.bob
            )

    def test_a_sub_task_belongs_to_the_same_plan(self):
        other = do_create_plan(unit=self.tinh_a, kind="study_plan", title="Khác", acting_user=self.alice)
        with self.assertRaisesMessage(ValidationError, "cùng kế hoạch"):
            do_add_task(
                other,
                content="Con",
                lead_unit=self.huyen_a1,
                deadline_text="2026",
                parent=self.task,
                acting_user=self.alice,
            )

    def test_the_report_form_after_an_error_still_offers_what_the_page_offers(self):
        self.issue()
        self.client.force_login(self.alice)
        response = self.client.post(
            f"/tasks/{self.task.pk}/progress/", {"version": self.task.version, "percent": "500"}
        )
        self.assertContains(response, "Yêu cầu cơ quan chủ trì giải trình", status_code=400)


class PagedListsTestCase(BaseTestCase):
    def test_every_paged_list_links_its_pages_and_keeps_its_filters(self):
        from hienthuc.plans.actions import do_create_plan

        for n in range(51):
            do_create_plan(unit=self.tinh_a, kind="implementation_plan", title=f"Kế hoạch {n}", acting_user=self.alice)
        self.client.force_login(self.alice)
        page = self.client.get("/plans/")
        self.assertContains(page, 'href="?page=2"')
        self.assertContains(page, "1–50 trong 51")
        second = self.client.get("/plans/?page=2")
        self.assertContains(second, 'aria-current="page">2<', html=False)
        self.assertContains(second, 'href="?page=1"')
        # A filtered list keeps its filter in every page link.
        documents = self.client.get("/documents/?q=ke+hoach")
        self.assertContains(documents, 'href="?q=ke+hoach&amp;page=2"')
