"""Inspection and supervision: the program's items, an inspection from its decision to the
follow-up tasks of its recommendations, discipline, who reads the findings, and bad input."""

import datetime

from django.core.exceptions import ValidationError

from hienthuc.audit.models import AuditEvent
from hienthuc.documents.actions import do_create_document
from hienthuc.documents.models import DocumentKind
from hienthuc.inspections import figures
from hienthuc.inspections.actions import (
    do_add_program_item,
    do_add_recommendation,
    do_add_team_member,
    do_conclude_inspection,
    do_create_inspection,
    do_record_discipline,
    do_record_findings,
    do_start_inspection,
)
from hienthuc.inspections.models import Discipline, Inspection, Status, TeamMember
from hienthuc.lib import deadlines
from hienthuc.plans.actions import do_create_plan, do_issue_plan
from hienthuc.plans.models import PlanKind, Task
from tests.base import BaseTestCase
from tests.helpers import api_call

DAY = datetime.date(2022, 8, 15)


def document(unit, kind, number, issued_on, summary, user):
    return do_create_document(
        issuing_unit=unit, kind=DocumentKind.objects.get(code=kind), number_text=number, issuing_body="btv",
        issued_on=issued_on, summary=summary, acting_user=user,
    )  # fmt: skip


class InspectionBase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.decision = document(cls.tinh_a, "quyet_dinh", "120-QĐ/TU", DAY, "về kiểm tra Huyện ủy A1", cls.alice)
        cls.notice = document(
            cls.tinh_a, "thong_bao", "45-TB/TU", datetime.date(2022, 10, 20), "kết luận kiểm tra Huyện ủy A1",
            cls.alice,
        )  # fmt: skip
        cls.penalty_decision = document(
            cls.tinh_a, "quyet_dinh", "131-QĐ/TU", datetime.date(2022, 11, 2), "thi hành kỷ luật", cls.alice
        )

    def inspection(self, **kw):
        data = {"body": "ubkt", "form": "inspection", "content": "Việc lãnh đạo thực hiện Nghị quyết 01-NQ/TU",
                "subject_unit": self.huyen_a1, "acting_user": self.alice}  # fmt: skip
        data.update(kw)
        return do_create_inspection(self.tinh_a, **data)

    def concluded(self):
        inspection = self.inspection()
        do_start_inspection(inspection, decision=self.decision, started_on=DAY, acting_user=self.alice)
        do_record_findings(inspection, findings="Chậm triển khai ở 3 xã.", confidential=True, acting_user=self.alice)
        return do_conclude_inspection(inspection, conclusion=self.notice, acting_user=self.alice)


class InspectionFlowTestCase(InspectionBase):
    def test_it_takes_an_inspection_from_its_decision_to_follow_up_tasks(self):
        inspection = self.concluded()
        self.assertEqual(inspection.status, Status.CONCLUDED)
        self.assertEqual(inspection.concluded_on, datetime.date(2022, 10, 20))
        recommendation = do_add_recommendation(
            inspection, content="Rà soát, bổ sung kế hoạch", deadline_text="31/12/2022", acting_user=self.alice
        )
        task = recommendation.task
        self.assertEqual(task.lead_unit, self.huyen_a1)
        self.assertEqual(task.plan.kind, PlanKind.DIRECTIONS)
        self.assertEqual(task.deadline_last_day, datetime.date(2022, 12, 31))
        # The subject's editor sees the task they must carry out, like any task.
        self.assertTrue(Task.objects.visible_to(self.bob).filter(pk=task.pk).exists())
        counts = figures.recommendation_counts(self.tinh_a, datetime.date(2023, 1, 5))
        self.assertEqual((counts["total"], counts["overdue"]), (1, 1))

    def test_it_completes_the_program_item_with_the_conclusion(self):
        plan = do_create_plan(
            unit=self.tinh_a, kind=PlanKind.INSPECTION_PROGRAM, title="Chương trình kiểm tra, giám sát năm 2022",
            acting_user=self.alice,
        )  # fmt: skip
        item = do_add_program_item(
            plan, body="ubkt", form="inspection", content="Lãnh đạo thực hiện Nghị quyết 01-NQ/TU",
            period_text="Quý III/2022", subject_unit=self.huyen_a1, acting_user=self.alice,
        )  # fmt: skip
        do_add_program_item(
            plan, body="btv", form="thematic", content="Công tác cán bộ", period_text="Quý IV/2022",
            subject_person=self.person_a1, acting_user=self.alice,
        )  # fmt: skip
        do_issue_plan(plan, number_text="05-CTr/TU", issued_on=datetime.date(2022, 1, 10), acting_user=self.alice)
        self.assertEqual(item.status, Status.PLANNED)
        self.assertEqual(item.task.deadline_last_day, datetime.date(2022, 9, 30))
        do_start_inspection(item, decision=self.decision, started_on=DAY, acting_user=self.alice)
        do_record_findings(item, findings="Đạt yêu cầu.", confidential=False, acting_user=self.alice)
        do_conclude_inspection(item, conclusion=self.notice, acting_user=self.alice)
        task = Task.objects.get(pk=item.task_id)
        self.assertEqual(task.completed_on, datetime.date(2022, 10, 20))
        self.assertEqual(task.output_document, self.notice)
        counts = figures.program_counts(self.tinh_a, datetime.date(2023, 1, 5))
        # Concluded after its quarter: done late; the person's supervision: not done, late.
        self.assertEqual((counts["total"], counts["done"], counts["done_late"], counts["late"]), (2, 1, 1, 1))
        self.assertEqual(Task.objects.filter(pk=task.pk).status_counts()[deadlines.DONE_LATE], 1)

    def test_it_shows_the_findings_only_to_the_conducting_side_and_the_team(self):
        inspection = self.concluded()
        self.assertTrue(inspection.findings_readable(self.alice))
        self.assertTrue(inspection.findings_readable(self.ivan))  # the inspector role reads its subtree
        self.assertFalse(inspection.findings_readable(self.bob))  # the subject's editor sees it, not its findings
        self.assertTrue(Inspection.objects.visible_to(self.bob).filter(pk=inspection.pk).exists())
        self.assertFalse(Inspection.objects.visible_to(self.oscar).filter(pk=inspection.pk).exists())
        self.client.force_login(self.bob)
        page = self.client.get(f"/inspections/{inspection.pk}/")
        self.assertContains(page, "chỉ lưu hành nội bộ")
        self.assertNotContains(page, "Chậm triển khai ở 3 xã")
        self.client.force_login(self.ivan)
        self.assertContains(self.client.get(f"/inspections/{inspection.pk}/"), "Chậm triển khai ở 3 xã")
        self.client.force_login(self.oscar)
        self.assertEqual(self.client.get(f"/inspections/{inspection.pk}/").status_code, 404)
        # The audit trail says the findings changed, not what they say.
        events = AuditEvent.objects.filter(object_type="inspections.inspection", object_id=str(inspection.pk))
        self.assertFalse(any("Chậm triển khai" in str(e.after) for e in events))

    def test_it_lists_a_subjects_inspections_on_its_page(self):
        inspection = self.concluded()
        do_record_discipline(
            self.tinh_a, penalty="reprimand", decision=self.penalty_decision, reason="Buông lỏng lãnh đạo",
            subject_unit=self.huyen_a1, inspection=inspection, acting_user=self.alice,
        )  # fmt: skip
        self.client.force_login(self.bob)
        page = self.client.get(f"/orgs/{self.huyen_a1.pk}/inspections/")
        self.assertContains(page, "Việc lãnh đạo thực hiện")
        self.assertContains(page, "Khiển trách")
        self.client.force_login(self.oscar)
        self.assertEqual(self.client.get(f"/orgs/{self.huyen_a1.pk}/inspections/").status_code, 404)

    def test_it_runs_the_stages_through_the_page(self):
        inspection = self.inspection()
        self.client.force_login(self.alice)
        url = f"/inspections/{inspection.pk}/"
        response = self.client.post(url, {"form": "start", "decision": "120-QĐ/TU", "started_on": "15/08/2022"})
        self.assertEqual(response.status_code, 302)
        self.client.post(url, {"form": "team", "person": "Nguyễn Văn Đông — Đảng ủy xã Đông Phong", "role": "head"})
        self.assertEqual(TeamMember.objects.filter(inspection=inspection).count(), 1)
        self.client.post(url, {"form": "findings", "findings": "Có thiếu sót.", "confidential": "on"})
        response = self.client.post(url, {"form": "conclude", "conclusion": "45-TB/TU"})
        self.assertEqual(response.status_code, 302)
        response = self.client.post(
            url, {"form": "recommendation", "content": "Khắc phục thiếu sót", "deadline_text": "Quý I/2023"}
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.refresh(inspection).recommendations.count(), 1)
        # A viewer of the province may read but not write.
        self.client.force_login(self.charlie)
        self.assertEqual(self.client.post(url, {"form": "findings", "findings": "x"}).status_code, 403)


class InspectionBadInputTestCase(InspectionBase):
    def assertRefused(self, message: str, action, *args, **kwargs):
        events = AuditEvent.objects.count()
        inspections, disciplines = Inspection.objects.count(), Discipline.objects.count()
        with self.assertRaises(ValidationError) as caught:
            action(*args, **kwargs)
        self.assertIn(message, " ".join(caught.exception.messages))
        self.assertEqual(AuditEvent.objects.count(), events)
        self.assertEqual((Inspection.objects.count(), Discipline.objects.count()), (inspections, disciplines))

    def test_it_refuses_a_subject_outside_the_conducting_bodys_reach(self):
        self.assertRefused("không thuộc phạm vi của Tỉnh ủy A", self.inspection, subject_unit=self.huyen_b1)
        self.assertRefused(
            "không thuộc phạm vi của Tỉnh ủy A", self.inspection, subject_unit=None, subject_person=self.person_b1
        )
        self.assertRefused(
            "không thuộc phạm vi của Huyện ủy A1",
            do_create_inspection, self.huyen_a1, body="btv", form="regular", content="x", subject_unit=self.huyen_a2,
            acting_user=self.alice,
        )  # fmt: skip
        self.assertRefused("Hãy chọn một đối tượng", self.inspection, subject_person=self.person_a1)

    def test_it_refuses_a_writer_who_is_not_the_conducting_side(self):
        self.assertRefused("mới ghi được việc kiểm tra", self.inspection, acting_user=self.ivan)
        self.assertRefused("mới ghi được việc kiểm tra", self.inspection, acting_user=self.bob)

    def test_it_refuses_discipline_without_a_decision(self):
        self.assertRefused(
            "Kỷ luật phải có quyết định",
            do_record_discipline, self.tinh_a, penalty="warning", decision=None, reason="Vi phạm",
            subject_person=self.person_a1, acting_user=self.alice,
        )  # fmt: skip
        self.assertRefused(
            "không áp dụng cho tổ chức đảng",
            do_record_discipline, self.tinh_a, penalty="expulsion", decision=self.penalty_decision, reason="Vi phạm",
            subject_unit=self.huyen_a1, acting_user=self.alice,
        )  # fmt: skip

    def test_it_refuses_a_conclusion_before_the_start_or_without_findings(self):
        inspection = self.inspection()
        self.assertRefused("chưa bắt đầu", do_conclude_inspection, inspection, conclusion=self.notice,
                           acting_user=self.alice)  # fmt: skip
        do_start_inspection(inspection, decision=self.decision, started_on=DAY, acting_user=self.alice)
        self.assertRefused("Hãy ghi kết quả", do_conclude_inspection, inspection, conclusion=self.notice,
                           acting_user=self.alice)  # fmt: skip
        self.assertRefused("Kiến nghị được ghi sau", do_add_recommendation, inspection, content="x",
                           deadline_text="2023", acting_user=self.alice)  # fmt: skip

    def test_it_refuses_a_second_head_of_the_team(self):
        inspection = self.inspection()
        do_add_team_member(inspection, person=self.person_a1, role="head", acting_user=self.alice)
        other = self.person_a1.__class__.objects.create(full_name="Lê Văn Nam", home_unit=self.tinh_a)
        with self.assertRaises(ValidationError):
            do_add_team_member(inspection, person=other, role="head", acting_user=self.alice)

    def test_the_form_shows_the_message_and_writes_nothing(self):
        self.client.force_login(self.alice)
        before = Inspection.objects.count()
        response = self.client.post(
            "/inspections/new/",
            {"unit": "A", "body": "ubkt", "form": "inspection", "subject_unit": "B1", "content": "Nội dung"},
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(Inspection.objects.count(), before)
        # The outsider's unit is out of alice's reach: the form says it cannot find it.
        self.assertContains(response, "Không tìm thấy đơn vị")


class InspectionApiTestCase(InspectionBase):
    def call(self, user, method, url, payload=None):
        return api_call(self.client, user, method, url, payload)

    def test_it_runs_an_inspection_through_the_api_with_the_pages_rules(self):
        created = self.call(self.alice, "post", "/api/inspections", {
            "unit_id": self.tinh_a.pk, "body": "ubkt", "form": "inspection", "content": "Công tác cán bộ",
            "subject_unit_id": self.huyen_a1.pk, "decision_id": self.decision.pk,
        })  # fmt: skip
        self.assertEqual(created.status_code, 201, created.content)
        pk = created.json()["id"]
        url = f"/api/inspections/{pk}"
        self.assertEqual(self.call(self.alice, "post", f"{url}/start", {"started_on": "2022-08-15"}).status_code, 200)
        self.call(self.alice, "post", f"{url}/findings", {"findings": "Thiếu sót nhỏ", "confidential": True})
        done = self.call(self.alice, "post", f"{url}/conclusion", {"conclusion_id": self.notice.pk})
        self.assertEqual(done.json()["status"], "concluded")
        follow = self.call(self.alice, "post", f"{url}/recommendations",
                           {"content": "Bổ sung quy chế", "deadline_text": "Quý I/2023"})  # fmt: skip
        self.assertEqual(len(follow.json()["recommendation_task_ids"]), 1)
        self.assertIsNone(self.call(self.bob, "get", url).json()["findings"])  # the subject sees it, not its findings
        self.assertEqual(self.call(self.ivan, "get", url).json()["findings"], "Thiếu sót nhỏ")
        self.assertEqual(self.call(self.oscar, "get", url).status_code, 404)
        listed = self.call(self.bob, "get", f"/api/inspections?unit={self.huyen_a1.pk}").json()["items"]
        self.assertEqual([(i["id"], i["findings"]) for i in listed], [(pk, None)])
        refused = self.call(self.alice, "post", f"{url}/disciplines", {"penalty": "warning", "reason": "Vi phạm",
                                                                      "subject_unit_id": self.huyen_a1.pk})  # fmt: skip
        self.assertEqual(refused.status_code, 400)
        self.assertIn("Kỷ luật phải có quyết định", refused.json()["detail"])


class ProgramImportTestCase(InspectionBase):
    def program(self):
        return do_create_plan(unit=self.tinh_a, kind=PlanKind.INSPECTION_PROGRAM, title="Chương trình toàn khóa",
                              acting_user=self.alice)  # fmt: skip

    def test_it_imports_a_programs_items_all_or_nothing_naming_row_and_column(self):
        from hienthuc.imports.importers import ImportRejected
        from hienthuc.inspections.importing import HEADERS, do_import_program, plan_program_import
        from tests.helpers import xlsx

        plan = self.program()
        good = xlsx([HEADERS,
                     ["A1", "", "", "Thực hiện Nghị quyết Đại hội", "Kiểm tra", "Quý III/2022", "Ủy ban Kiểm tra"],
                     ["", "Nguyễn Văn Đông", "1975", "Tu dưỡng", "giam sat chuyen de", "Quý IV/2022", ""]])  # fmt: skip
        bad = xlsx([HEADERS,
                    ["B1", "", "", "Nội dung", "Kiểm tra", "Quý III/2022", ""],
                    ["A2", "", "", "", "Thanh tra", "Khi có điều kiện", "Hội đồng"]])  # fmt: skip
        checked = plan_program_import(bad, plan=plan)
        self.assertEqual([(e.row, e.column) for e in checked.errors], [(2, 1), (3, 4), (3, 5), (3, 6), (3, 7)])
        self.assertIn("Không có đơn vị mã “B1” thuộc Tỉnh ủy A", checked.errors[0].message)
        with self.assertRaises(ImportRejected):
            do_import_program(bad, acting_user=self.alice, plan=plan)
        self.assertEqual(Inspection.objects.count(), 0)
        do_import_program(good, acting_user=self.alice, plan=plan)
        items = list(Inspection.objects.order_by("pk"))
        self.assertEqual([(i.subject_label, i.form, i.body) for i in items],
                         [("Huyện ủy A1", "inspection", "ubkt"), ("Nguyễn Văn Đông", "thematic", "ubkt")])  # fmt: skip
        self.assertEqual(plan.tasks.count(), 2)

    def test_the_upload_page_answers_only_a_draft_program_of_its_unit(self):
        plan = self.program()
        self.client.force_login(self.alice)
        self.assertEqual(self.client.get(f"/plans/{plan.pk}/inspection-items/import/").status_code, 200)
        self.client.force_login(self.bob)
        self.assertIn(self.client.get(f"/plans/{plan.pk}/inspection-items/import/").status_code, (403, 404))
