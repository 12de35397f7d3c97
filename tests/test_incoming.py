"""The register of incoming documents: receipt numbers, processing deadlines by urgency, the
direction that becomes a tracked task, answers, the dashboard panel and the API."""

import datetime

from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from hienthuc.audit.models import AuditEvent
from hienthuc.committees.actions import do_create_term
from hienthuc.documents.actions import do_create_document
from hienthuc.documents.models import DocumentKind
from hienthuc.incoming.actions import do_answer_incoming, do_direct_incoming, do_receive_document
from hienthuc.incoming.models import IncomingDocument, next_working_day, processing_due
from hienthuc.plans.models import Task
from tests.base import BaseTestCase, make_user
from tests.helpers import read_xlsx

TODAY = timezone.localdate()
LAST_WEEK = TODAY - datetime.timedelta(days=8)


def kind(code: str) -> DocumentKind:
    return DocumentKind.objects.get(code=code)


class IncomingTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        do_create_term(cls.tinh_a, number="XX", start_year=2020, end_year=2030, acting_user=cls.system)
        cls.kl = do_create_document(
            issuing_unit=cls.centre, kind=kind("ket_luan"), number_text="21-KL/TW", issuing_body="bch",
            issued_on=datetime.date(2021, 10, 25), summary="về đẩy mạnh xây dựng, chỉnh đốn Đảng",
            acting_user=cls.system,
        )  # fmt: skip
        cls.a1_editor = make_user("a1editor", cls.huyen_a1, "editor")

    def receive(self, user=None, unit=None, **changes):
        data = {
            "received_on": LAST_WEEK, "sender": "Ban Chấp hành Trung ương Đảng", "number_text": "21-KL/TW",
            "original_date": datetime.date(2021, 10, 25), "summary": "Kết luận về xây dựng, chỉnh đốn Đảng",
        }  # fmt: skip
        data.update(changes)
        return do_receive_document(unit or self.tinh_a, acting_user=user or self.alice, **data)

    def test_it_numbers_receipts_per_year_and_links_the_original(self):
        first = self.receive()
        second = self.receive(number_text="", urgency="hoa_toc")
        self.assertEqual((first.receipt_number, second.receipt_number), (1, 2))
        self.assertEqual(first.document, self.kl)  # the register holds 21-KL/TW
        self.assertIsNone(second.document)
        old = self.receive(received_on=datetime.date(2021, 10, 27))
        self.assertEqual((old.year, old.receipt_number), (2021, 1))
        event = AuditEvent.objects.filter(object_type="incoming.incomingdocument", object_id=str(first.pk)).get()
        self.assertEqual(event.action, "create")

    def test_it_refuses_a_receipt_number_already_used_this_year(self):
        self.receive(receipt_number=15)
        with self.assertRaisesMessage(ValidationError, "Số đến 15 năm"):
            self.receive(receipt_number=15)
        self.assertEqual(IncomingDocument.objects.count(), 1)
        self.client.force_login(self.alice)
        response = self.client.post(
            "/incoming/new/",
            {
                "unit": "A", "receipt_number": "15", "received_on": LAST_WEEK.strftime("%d/%m/%Y"),
                "sender": "Ban Bí thư", "summary": "Chỉ thị", "confidentiality": "thuong",
            },
        )  # fmt: skip
        self.assertContains(response, "đã dùng cho", status_code=200)
        self.assertContains(response, "số tiếp theo còn trống là 16")
        self.assertEqual(IncomingDocument.objects.count(), 1)

    def test_it_sets_the_processing_day_by_urgency(self):
        friday = datetime.date(2026, 11, 27)
        self.assertEqual(processing_due(friday, "khan"), friday)  # urgent: the same day
        self.assertEqual(processing_due(friday, ""), datetime.date(2026, 11, 30))  # ordinary: the next working day
        self.assertEqual(next_working_day(datetime.date(2026, 4, 29)), datetime.date(2026, 5, 4))  # 30/4, 1/5
        late = self.receive(number_text="", urgency="thuong_khan")
        self.client.force_login(self.alice)
        self.assertContains(self.client.get(f"/incoming/{late.pk}/"), "quá hạn xử lý")
        self.assertEqual(list(IncomingDocument.objects.overdue(TODAY)), [late])
        listed = self.client.get("/incoming/", {"status": "overdue"})
        self.assertContains(listed, "Thượng khẩn")

    def test_it_turns_a_direction_into_a_task_and_an_answer_completes_it(self):
        incoming = self.receive()
        deadline = (TODAY - datetime.timedelta(days=1)).strftime("%d/%m/%Y")
        self.client.force_login(self.alice)
        response = self.client.post(
            f"/incoming/{incoming.pk}/direct/",
            {
                "direction": "Giao Huyện ủy A1 xây dựng kế hoạch thực hiện", "directed_by": "Bí thư Tỉnh ủy",
                "directed_on": LAST_WEEK.strftime("%d/%m/%Y"), "assigned_unit": "A1", "deadline_text": deadline,
            },
        )  # fmt: skip
        self.assertRedirects(response, f"/incoming/{incoming.pk}/")
        incoming.refresh_from_db()
        task = Task.objects.select_related("plan").get(pk=incoming.task_id)
        self.assertEqual((task.lead_unit, task.plan.unit, task.plan.kind), (self.huyen_a1, self.tinh_a, "directions"))
        self.assertIn("21-KL/TW", task.content)
        # Tracked like any task: the assigned body sees it late, and so do the panel and the list.
        self.client.force_login(self.bob)
        self.assertContains(self.client.get("/tasks/", {"scope": "unit"}), "xây dựng kế hoạch thực hiện")
        self.assertContains(self.client.get(f"/incoming/{incoming.pk}/"), "quá hạn")
        self.client.force_login(self.alice)
        panel = self.client.get(f"/orgs/{self.tinh_a.pk}/dashboard/incoming/", headers={"HX-Request": "true"})
        self.assertContains(panel, "Huyện ủy A1")
        plan = do_create_document(
            issuing_unit=self.huyen_a1, kind=kind("ke_hoach"), number_text="07-KH/HU", issuing_body="btv",
            issued_on=TODAY, summary="Kế hoạch thực hiện Kết luận 21-KL/TW", acting_user=self.bob,
        )  # fmt: skip
        do_answer_incoming(incoming, plan, acting_user=self.bob)
        task.refresh_from_db()
        self.assertEqual((task.completed_on, task.output_document_id), (TODAY, plan.pk))
        self.assertEqual(self.refresh(incoming).status, "answered")
        self.assertContains(self.client.get(f"/incoming/{incoming.pk}/"), "07-KH/HU")

    def test_it_refuses_a_direction_outside_the_leaders_reach(self):
        incoming = self.receive()
        with self.assertRaisesMessage(ValidationError, "“Huyện ủy B1” không thuộc Tỉnh ủy A"):
            do_direct_incoming(
                incoming, direction="Giao", directed_by="Bí thư", directed_on=LAST_WEEK, assigned_unit=self.huyen_b1,
                deadline_text="Quý I/2027", acting_user=self.system,
            )  # fmt: skip
        with self.assertRaisesMessage(ValidationError, "Hãy ghi thời hạn"):
            do_direct_incoming(
                incoming, direction="Giao", directed_by="Bí thư", directed_on=LAST_WEEK, assigned_unit=self.huyen_a1,
                deadline_text="", acting_user=self.alice,
            )  # fmt: skip
        with self.assertRaisesMessage(ValidationError, "không có quyền ghi ý kiến chỉ đạo"):
            do_direct_incoming(
                incoming, direction="Giao", directed_by="Bí thư", directed_on=LAST_WEEK, assigned_unit=self.huyen_a1,
                deadline_text="Quý I/2027", acting_user=self.bob,
            )  # fmt: skip
        self.assertEqual(self.refresh(incoming).status, "unprocessed")
        self.assertFalse(Task.objects.exists())
        filed = do_direct_incoming(
            incoming, direction="Lưu, nghiên cứu", directed_by="Bí thư", directed_on=LAST_WEEK, acting_user=self.alice
        )
        self.assertEqual((filed.status, filed.task), ("filed", None))

    def test_it_refuses_bad_receipts(self):
        with self.assertRaisesMessage(ValidationError, "Ngày đến không thể sau hôm nay"):
            self.receive(received_on=timezone.localdate() + datetime.timedelta(days=1))
        with self.assertRaisesMessage(ValidationError, "Ngày văn bản không thể sau ngày đến"):
            self.receive(original_date=TODAY)
        with self.assertRaisesMessage(ValidationError, "văn bản đến của Tỉnh ủy B"):
            self.receive(unit=self.tinh_b)
        with self.assertRaisesMessage(ValidationError, "ví dụ 21-KL/TW"):
            self.receive(number_text="KL21")
        self.assertFalse(IncomingDocument.objects.exists())

    def test_it_keeps_secret_receipts_to_the_register_keepers(self):
        secret = self.receive(number_text="", confidentiality="mat", summary="về công tác nhân sự")
        self.client.force_login(self.charlie)  # a viewer of the province
        self.assertEqual(self.client.get(f"/incoming/{secret.pk}/").status_code, 404)
        self.assertNotContains(self.client.get("/incoming/"), "công tác nhân sự")
        self.client.force_login(self.oscar)
        self.assertEqual(self.client.get(f"/incoming/{secret.pk}/").status_code, 404)
        self.client.force_login(self.alice)
        self.assertContains(self.client.get(f"/incoming/{secret.pk}/"), "công tác nhân sự")

    def test_it_exports_the_register_and_pins_the_list_queries(self):
        for _n in range(3):
            incoming = self.receive(number_text="")
            do_direct_incoming(
                incoming, direction="Giao", directed_by="Bí thư", directed_on=LAST_WEEK, assigned_unit=self.huyen_a1,
                deadline_text="Quý I/2027", acting_user=self.alice,
            )  # fmt: skip
        self.client.force_login(self.alice)
        with CaptureQueriesContext(connection) as queries:
            self.client.get("/incoming/")
        self.assertLessEqual(len(queries), 12)
        with CaptureQueriesContext(connection) as queries:
            self.client.get(f"/orgs/{self.tinh_a.pk}/dashboard/incoming/", headers={"HX-Request": "true"})
        self.assertLessEqual(len(queries), 10)
        rows = read_xlsx(self.client.get("/incoming/export.xlsx").content)
        self.assertIn("Số đến", rows[1])
        self.assertEqual(len(rows), 2 + 3)
        self.assertEqual(rows[2][11], "Huyện ủy A1")

    def test_it_serves_the_register_on_the_api(self):
        self.client.force_login(self.alice)
        response = self.client.post(
            "/api/incoming",
            {"unit_id": self.tinh_a.pk, "received_on": LAST_WEEK.isoformat(), "sender": "Ban Bí thư",
             "summary": "Chỉ thị về công tác tuyển sinh", "urgency": "khan", "kind": "chi_thi"},
            content_type="application/json",
        )  # fmt: skip
        self.assertEqual(response.status_code, 201, response.content)
        pk = response.json()["id"]
        response = self.client.post(
            f"/api/incoming/{pk}/direction",
            {"direction": "Giao", "directed_by": "Bí thư", "assigned_unit_id": self.huyen_a1.pk,
             "deadline_text": "Quý I/2027"},
            content_type="application/json",
        )  # fmt: skip
        self.assertEqual(response.json()["status"], "assigned")
        again = self.client.post(
            f"/api/incoming/{pk}/direction", {"direction": "x", "directed_by": "y"}, content_type="application/json"
        )
        self.assertEqual(again.status_code, 400)
        self.assertIn("đã có ý kiến chỉ đạo", again.json()["detail"])
        self.client.force_login(self.oscar)
        self.assertEqual(self.client.get(f"/api/incoming/{pk}").status_code, 404)


class ProcessingReminderTestCase(IncomingTestCase):
    def test_it_reminds_the_register_keepers_on_the_processing_day_once(self):
        from django.core import mail

        from hienthuc.incoming.models import ProcessingReminder
        from hienthuc.orgs.actions import do_give_mandate
        from hienthuc.plans.reminders import send_all_due

        clerk = make_user("clerk", self.office_a, "editor")
        clerk.email = "clerk@tinhuy-a.vn"
        clerk.save()
        do_give_mandate(self.tinh_a, agent=self.office_a, kind="office", started_on=LAST_WEEK, acting_user=self.alice)
        urgent = self.receive(number_text="", received_on=TODAY, urgency="hoa_toc", summary="Công điện phòng chống bão")
        ordinary = self.receive(number_text="", received_on=TODAY, summary="Công văn thường")
        with self.captureOnCommitCallbacks(execute=True):
            sent = send_all_due(TODAY)
        reminded = set(ProcessingReminder.objects.values_list("user__username", "incoming_id"))
        # The urgent one today, to the province's admin and to the office acting for it; the ordinary one not yet.
        self.assertEqual(reminded, {("alice", urgent.pk), ("clerk", urgent.pk)})
        self.assertEqual(sent, 2)
        self.assertEqual([m.to for m in mail.outbox], [["clerk@tinhuy-a.vn"]])
        self.assertIn("Hỏa tốc", mail.outbox[0].body)
        self.assertEqual(send_all_due(TODAY), 0)  # once
        self.client.force_login(self.alice)
        self.assertContains(self.client.get("/incoming/"), "1 văn bản đến đã đến hạn xử lý")
        later = next_working_day(TODAY)
        do_direct_incoming(
            urgent, direction="Giao", directed_by="Bí thư", directed_on=TODAY, assigned_unit=self.huyen_a1,
            deadline_text="Quý I/2027", acting_user=self.alice,
        )  # fmt: skip
        self.assertEqual(send_all_due(later), 2)  # the ordinary one on its day; the urgent one is directed
        self.assertEqual(ProcessingReminder.objects.filter(incoming=ordinary).count(), 2)
