"""Urging (đôn đốc) that reaches the late (issue #17 §2): reminders before and after the deadline
of reports and plans, repeated, escalated to the unit's head and the office above, notices of
explanations, the menu's count, the list of late units and the urging letter."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from hienthuc.audit.models import AuditEvent
from hienthuc.documents.actions import do_create_document
from hienthuc.documents.models import DocumentKind
from hienthuc.indicators.actions import do_create_form, do_create_indicator, do_require_reports, do_save_submission
from hienthuc.plans.actions import (
    do_add_task,
    do_answer_explanation,
    do_create_plan,
    do_issue_plan,
    do_request_explanation,
    do_require_plans,
)
from hienthuc.urging import dues
from hienthuc.urging.actions import DEFAULT, do_set_urging, send_urgings, todays_kind
from hienthuc.urging.channels import MemoryChannel
from hienthuc.urging.models import Notice, UrgingSetting
from tests.base import BaseTestCase, make_user

MEMORY = override_settings(URGING_CHANNELS=["hienthuc.urging.channels.MemoryChannel"])
# Q1 2024 of a quarterly form due 15 days after the quarter: 15/04/2024.
DUE = datetime.date(2024, 4, 15)


@pytest.mark.parametrize(
    ("days_late", "kind"),
    [
        (-3, "before"),
        (-2, None),
        (0, None),
        (1, "overdue"),
        (2, None),
        (8, "overdue"),
        (15, "escalated"),
        (22, "escalated"),
        (91, None),
    ],  # fmt: skip
)
def test_it_knows_what_each_day_brings(days_late, kind):
    assert todays_kind(days_late, DEFAULT) == kind


@MEMORY
class UrgingTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.office_clerk = make_user("olga", cls.office_a, "editor")
        cls.admin_a1 = make_user("adam", cls.huyen_a1, "admin")
        members = do_create_indicator(
            owner=cls.tinh_a, code="DV", name="Số đảng viên", measure="người", acting_user=cls.alice
        )
        cls.form = do_create_form(
            owner=cls.tinh_a, name="Báo cáo quý", period_kind="quarter", first_year=2024, indicators=[members],
            acting_user=cls.alice,
        )  # fmt: skip
        do_require_reports(cls.form, units=[cls.huyen_a1], acting_user=cls.alice)
        cls.members = members

    def setUp(self):
        MemoryChannel.outbox.clear()

    def run_on(self, day):
        with self.captureOnCommitCallbacks(execute=True):
            return send_urgings(day)

    def test_it_reminds_before_repeats_while_overdue_and_escalates_to_the_head_and_the_office_above(self):
        self.assertEqual(self.run_on(DUE - datetime.timedelta(days=3)), 2)  # bob and adam keep A1's register
        self.assertEqual(self.run_on(DUE - datetime.timedelta(days=3)), 0)  # once a day
        before = Notice.objects.get(user=self.bob)
        self.assertEqual(before.kind, "before")
        self.assertIn("Báo cáo quý, Quý I/2024", before.subject)
        self.assertIn("còn 3 ngày", before.body)
        self.assertEqual(self.run_on(DUE + datetime.timedelta(days=1)), 2)
        self.assertEqual(self.run_on(DUE + datetime.timedelta(days=2)), 0)
        self.assertEqual(self.run_on(DUE + datetime.timedelta(days=8)), 2)
        escalated = self.run_on(DUE + datetime.timedelta(days=15))
        told = set(Notice.objects.filter(kind="escalated").values_list("user__username", flat=True))
        self.assertEqual((escalated, told), (3, {"bob", "adam", "olga"}))
        # Every message went out by the channel and is logged with it.
        self.assertEqual(len(MemoryChannel.outbox), Notice.objects.count())
        self.assertEqual(set(Notice.objects.values_list("channels", flat=True)), {"memory"})
        # A report sent stops the urging.
        do_save_submission(
            self.form, unit=self.huyen_a1, period="2024-Q1", values={self.members.pk: "10"}, submit=True,
            acting_user=self.bob,
        )  # fmt: skip
        self.assertEqual(self.run_on(DUE + datetime.timedelta(days=22)), 0)

    def test_a_unit_setting_applies_below_and_a_bad_one_is_refused_and_writes_nothing(self):
        for values, message in (
            ({"repeat_every": -1}, "Số ngày phải từ 1 đến 60"),
            ({"days_before": -5}, "Số ngày phải từ 0 đến 60"),
        ):
            with self.assertRaisesMessage(ValidationError, message):
                do_set_urging(self.tinh_a, acting_user=self.alice, **values)
        self.assertFalse(UrgingSetting.objects.exists())
        with self.assertRaisesMessage(ValidationError, "không có quyền"):
            do_set_urging(self.tinh_a, days_before=5, acting_user=self.bob)
        do_set_urging(self.tinh_a, days_before=5, repeat_every=2, escalate_after=30, stop_after=60,
                      acting_user=self.alice)  # fmt: skip
        self.assertTrue(AuditEvent.objects.filter(object_type="urging.urgingsetting").exists())
        self.assertEqual(self.run_on(DUE - datetime.timedelta(days=3)), 0)
        self.assertEqual(self.run_on(DUE - datetime.timedelta(days=5)), 2)
        self.assertEqual(self.run_on(DUE + datetime.timedelta(days=3)), 2)  # every second day

    def test_it_urges_a_plan_required_and_not_issued(self):
        resolution = do_create_document(
            issuing_unit=self.tinh_a, kind=DocumentKind.objects.get(code="nghi_quyet"), number_text="01-NQ/TU",
            issuing_body="bch", issued_on=datetime.date(2024, 1, 4), summary="về chuyển đổi số", acting_user=self.alice,
        )  # fmt: skip
        plan = do_create_plan(unit=self.tinh_a, kind="action_program", title="Chương trình hành động",
                              source_document=resolution, acting_user=self.alice)  # fmt: skip
        do_add_task(plan, content="Triển khai", lead_unit=self.huyen_a2, deadline_text="Quý IV/2024",
                    acting_user=self.alice)  # fmt: skip
        do_issue_plan(plan, number_text="05-CTr/TU", issued_on=datetime.date(2024, 2, 1), acting_user=self.alice)
        do_require_plans(plan, units=[self.huyen_a2], due_on=datetime.date(2024, 3, 1), acting_user=self.alice)
        bert = make_user("bert", self.huyen_a2, "editor")
        self.run_on(datetime.date(2024, 3, 2))
        notice = Notice.objects.get(user=bert)
        self.assertIn("Kế hoạch thực hiện Nghị quyết 01-NQ/TU", notice.subject)

    def test_explanations_asked_and_answered_are_told_at_once(self):
        with self.captureOnCommitCallbacks(execute=True):
            asked = do_request_explanation(unit=self.huyen_a1, question="Vì sao chậm?", acting_user=self.alice)
        self.assertEqual(Notice.objects.get(user=self.bob).kind, "asked")
        self.client.force_login(self.bob)
        count = self.client.get("/notices/count/")
        self.assertContains(count, 'class="badge text-bg-danger"')
        self.assertContains(count, 'class="badge text-bg-warning"')  # one explanation waits for A1
        with self.captureOnCommitCallbacks(execute=True):
            do_answer_explanation(asked, answer="Do thiếu cán bộ.", acting_user=self.bob)
        answered = Notice.objects.get(user=self.alice)
        self.assertEqual((answered.kind, answered.body), ("answered", "Do thiếu cán bộ."))
        self.assertContains(self.client.get("/notices/"), "Vì sao chậm?")
        self.client.post("/notices/read/")
        self.assertNotContains(self.client.get("/notices/count/"), "badge")


class LateUnitsTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        members = do_create_indicator(
            owner=cls.tinh_a, code="DV", name="Số đảng viên", measure="người", acting_user=cls.alice
        )
        cls.form = do_create_form(
            owner=cls.tinh_a, name="Báo cáo quý", period_kind="quarter", first_year=2020, indicators=[members],
            acting_user=cls.alice,
        )  # fmt: skip
        do_require_reports(cls.form, units=[cls.huyen_a1, cls.huyen_a2], acting_user=cls.alice)

    def test_it_lists_the_late_units_and_writes_the_list_and_the_urging_letter(self):
        from tests.helpers import docx_text, read_xlsx

        self.client.force_login(self.alice)
        page = self.client.get(f"/urging/?unit={self.tinh_a.pk}")
        self.assertContains(page, "Huyện ủy A1")
        self.assertContains(page, "Huyện ủy A2")
        rows = read_xlsx(self.client.get(f"/urging/?unit={self.tinh_a.pk}&format=xlsx").content)
        self.assertIn("Huyện ủy A1", [row[1] for row in rows])
        letter = docx_text(self.client.get(f"/urging/?unit={self.tinh_a.pk}&format=docx").content)
        self.assertIn("V/v đôn đốc thực hiện báo cáo, kế hoạch", letter)
        self.assertIn("Kính gửi: Huyện ủy A1; Huyện ủy A2.", letter)
        # Another province's list is not this user's.
        self.assertEqual(self.client.get(f"/urging/?unit={self.tinh_b.pk}").status_code, 404)

    def test_it_saves_the_setting_through_the_page_with_a_vietnamese_message(self):
        self.client.force_login(self.alice)
        data = {"days_before": "3", "repeat_every": "-7", "escalate_after": "15", "stop_after": "90"}
        page = self.client.post(f"/urging/?unit={self.tinh_a.pk}", data)
        self.assertContains(page, "Số ngày phải từ 1 đến 60", status_code=400)
        self.assertFalse(UrgingSetting.objects.exists())
        self.client.post(f"/urging/?unit={self.tinh_a.pk}", {**data, "repeat_every": "5"})
        self.assertEqual(UrgingSetting.objects.get(unit=self.tinh_a).repeat_every, 5)
        self.client.force_login(self.charlie)
        self.assertEqual(self.client.post(f"/urging/?unit={self.tinh_a.pk}", data).status_code, 403)

    def test_the_owed_list_reads_in_a_few_queries(self):
        from django.utils import timezone

        today = timezone.localdate()
        with self.assertNumQueries(4):
            items = dues.owed(self.tinh_a, today - datetime.timedelta(days=365), today, self.alice)
        self.assertTrue(items)

    @pytest.mark.office
    def test_libreoffice_opens_the_letter_and_the_list(self):
        from tests.helpers import converted_to_pdf

        self.client.force_login(self.alice)
        for export in ("docx", "xlsx"):
            data = self.client.get(f"/urging/?unit={self.tinh_a.pk}&format={export}").content
            self.assertTrue(converted_to_pdf(data, f"don-doc.{export}").startswith(b"%PDF"))


@MEMORY
class UrgingApiTestCase(LateUnitsTestCase):
    def test_the_api_lists_the_late_units_and_the_users_notices(self):
        from tests.helpers import api_call

        answer = api_call(self.client, self.alice, "get", f"/api/units/{self.tinh_a.pk}/late")
        self.assertIn("Huyện ủy A1", {row["unit"] for row in answer.json()})
        self.assertEqual(api_call(self.client, self.alice, "get", f"/api/units/{self.tinh_b.pk}/late").status_code, 404)
        with self.captureOnCommitCallbacks(execute=True):
            do_request_explanation(unit=self.huyen_a1, question="Vì sao chậm?", acting_user=self.alice)
        notices = api_call(self.client, self.bob, "get", "/api/notices?unread=true").json()
        self.assertEqual([(n["kind"], n["read"]) for n in notices], [("asked", False)])
        self.assertEqual(
            api_call(self.client, self.bob, "post", "/api/notices/read", {"ids": None}).json(), {"read": 1}
        )
        self.assertEqual(api_call(self.client, self.alice, "get", "/api/notices").json(), [])


class UrgingLetterTestCase(LateUnitsTestCase):
    def test_the_letter_registers_as_a_draft_letter_of_the_unit(self):
        self.client.force_login(self.alice)
        page = self.client.post(f"/urging/?unit={self.tinh_a.pk}", {"draft": "1"}, follow=True)
        self.assertContains(page, "Đã vào sổ dự thảo công văn đôn đốc")
        from hienthuc.documents.models import Document

        letter = Document.objects.get(kind__code="cong_van", issuing_unit=self.tinh_a)
        self.assertEqual((letter.status, letter.attachments.count()), ("draft", 1))
        self.client.force_login(self.charlie)
        page = self.client.get(f"/urging/?unit={self.tinh_a.pk}")
        self.assertNotContains(page, "Lập dự thảo công văn đôn đốc")
