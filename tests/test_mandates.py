"""A body working on behalf of the unit it serves: the committee's office and an advisory board."""

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from hienthuc.audit.models import AuditEvent
from hienthuc.committees.actions import do_create_term
from hienthuc.documents.actions import current_data, do_create_document, do_update_document
from hienthuc.documents.models import Document, DocumentKind
from hienthuc.orgs.actions import do_create_organization, do_end_mandate, do_give_mandate
from hienthuc.orgs.models import Mandate
from hienthuc.plans.actions import do_create_plan
from tests.base import BEFORE_2025, BaseTestCase, kind, make_user

DAY = datetime.date(2021, 3, 1)


class MandateTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.board_a = do_create_organization(
            parent=cls.tinh_a, code="A-BTG", name="Ban Tuyên giáo Tỉnh ủy A", kind=kind("ban_tuyen_giao"),
            placed_on=BEFORE_2025, acting_user=cls.system,
        )  # fmt: skip
        cls.clerk = make_user("clerk", cls.office_a, "editor")
        cls.drafter = make_user("drafter", cls.board_a, "editor")
        do_create_term(cls.tinh_a, number="XX", start_year=2020, end_year=2025, acting_user=cls.system)

    def document(self, user, unit=None, **changes):
        data = {
            "kind": DocumentKind.objects.get(code="ket_luan"), "number_text": "03-KL/TU", "issuing_body": "btv",
            "issued_on": DAY, "summary": "Kết luận về công tác chuyển đổi số",
        }  # fmt: skip
        data.update(changes)
        return do_create_document(issuing_unit=unit or self.tinh_a, acting_user=user, **data)

    def give(self, agent, mandate_kind="office"):
        return do_give_mandate(self.tinh_a, agent=agent, kind=mandate_kind, started_on=DAY, acting_user=self.alice)

    def test_it_lets_the_office_number_and_issue_for_the_committee(self):
        with self.assertRaisesMessage(ValidationError, "Bạn không có quyền vào sổ, sửa văn bản của Tỉnh ủy A"):
            self.document(self.clerk)
        self.client.force_login(self.clerk)
        self.assertEqual(self.client.get(f"/orgs/{self.huyen_a1.pk}/").status_code, 404)
        self.client.force_login(self.alice)
        response = self.client.post(
            f"/orgs/{self.tinh_a.pk}/mandates/",
            {"agent": "A-VP", "kind": "office", "started_on": "01/03/2021", "decision": "Quy chế làm việc khóa XX"},
        )
        self.assertRedirects(response, f"/orgs/{self.tinh_a.pk}/mandates/")
        self.client.force_login(self.clerk)
        # It follows the committee's cascades across the province …
        self.assertEqual(self.client.get(f"/orgs/{self.huyen_a1.pk}/").status_code, 200)
        hint = self.client.get(
            "/documents/next-number/",
            {"issuing_unit": "A", "kind": DocumentKind.objects.get(code="ket_luan").pk, "issued_on": "01/03/2021"},
        )
        self.assertContains(hint, "01-KL/TU")
        # … registers and numbers the committee's documents, and drafts its plans, each "for" it.
        response = self.client.post(
            "/documents/new/",
            {
                "kind": DocumentKind.objects.get(code="ket_luan").pk, "number_text": "01-KL/TU", "issuing_unit": "A",
                "issuing_body": "btv", "issued_on": "01/03/2021", "summary": "Kết luận về cải cách hành chính",
                "confidentiality": "thuong", "status": "issued",
            },
        )  # fmt: skip
        document = Document.objects.get(number_normalized="01-KL/TU")
        self.assertRedirects(response, f"/documents/{document.pk}/")
        event = AuditEvent.objects.filter(object_type="documents.document", object_id=str(document.pk)).get()
        self.assertEqual((event.actor, event.on_behalf), (self.clerk, "Văn phòng Tỉnh ủy A thay mặt Tỉnh ủy A"))
        self.assertContains(
            self.client.get(f"/orgs/{self.tinh_a.pk}/history/"), "Văn phòng Tỉnh ủy A thay mặt Tỉnh ủy A"
        )
        # A request reads the user's roles and mandates afresh; this test's user object cached them.
        clerk = get_user_model().objects.get(pk=self.clerk.pk)
        plan = do_create_plan(
            unit=self.tinh_a, kind="action_program", title="Chương trình hành động", acting_user=clerk
        )
        self.assertEqual(plan.unit, self.tinh_a)
        # Only for the committee itself: not its districts, not the unit's own records.
        with self.assertRaisesMessage(ValidationError, "chỉ làm thay cho Tỉnh ủy A; Huyện ủy A1 chưa ủy nhiệm"):
            self.document(clerk, unit=self.huyen_a1, number_text="04-KL/HU")
        self.assertEqual(self.client.get(f"/orgs/{self.tinh_a.pk}/edit/").status_code, 403)
        own = AuditEvent.objects.filter(actor=self.alice).latest("id")
        self.assertEqual(own.on_behalf, "")  # the admin acted by her own role

    def test_it_lets_a_board_register_only_drafts(self):
        self.give(self.board_a, "drafting")
        draft = self.document(self.drafter, number_text="", status="draft", summary="Dự thảo kế hoạch tuyên truyền")
        self.assertEqual(
            AuditEvent.objects.filter(object_type="documents.document", object_id=str(draft.pk)).get().on_behalf[:24],
            "Ban Tuyên giáo Tỉnh ủy A",
        )
        do_update_document(draft, acting_user=self.drafter, **{**current_data(draft), "summary": "Dự thảo lần 2"})
        with self.assertRaisesMessage(ValidationError, "chỉ được vào sổ và sửa dự thảo"):
            do_update_document(
                draft,
                acting_user=self.drafter,
                **{**current_data(draft), "number_text": "05-KL/TU", "status": "issued"},
            )
        with self.assertRaisesMessage(ValidationError, "chỉ được vào sổ và sửa dự thảo"):
            self.document(self.drafter)
        with self.assertRaisesMessage(ValidationError, "không có quyền lập kế hoạch"):
            do_create_plan(unit=self.tinh_a, kind="action_program", title="Chương trình", acting_user=self.drafter)
        self.client.force_login(self.drafter)
        self.assertEqual(self.client.get(f"/documents/{draft.pk}/edit/").status_code, 200)

    def test_it_refuses_a_mandate_not_given_by_the_committees_admin_or_to_another_unit(self):
        events = AuditEvent.objects.count()
        with self.assertRaisesMessage(ValidationError, "Chỉ người quản trị của Tỉnh ủy A"):
            do_give_mandate(self.tinh_a, agent=self.office_a, kind="office", acting_user=self.bob)
        with self.assertRaisesMessage(ValidationError, "“Huyện ủy A1” không phải"):
            self.give(self.huyen_a1)
        with self.assertRaisesMessage(ValidationError, "không phải"):
            do_give_mandate(self.tinh_b, agent=self.office_a, kind="office", acting_user=self.oscar)
        self.give(self.office_a)
        with self.assertRaisesMessage(ValidationError, "đang được ủy nhiệm việc này"):
            self.give(self.office_a)
        self.assertEqual(Mandate.objects.count(), 1)
        self.assertEqual(AuditEvent.objects.count(), events + 1)
        self.client.force_login(self.alice)
        response = self.client.post(f"/orgs/{self.tinh_a.pk}/mandates/", {"agent": "A1", "kind": "office"})
        self.assertContains(response, "không phải")
        self.client.force_login(self.bob)  # sees the unit, may not give
        self.assertEqual(self.client.post(f"/orgs/{self.huyen_a1.pk}/mandates/", {"agent": "A1"}).status_code, 403)

    def test_it_ends_a_mandate_and_with_it_the_reach(self):
        mandate = self.give(self.office_a)
        self.client.force_login(self.clerk)
        self.assertEqual(self.client.get(f"/orgs/{self.huyen_a1.pk}/").status_code, 200)
        with self.assertRaisesMessage(ValidationError, "phải sau ngày bắt đầu"):
            do_end_mandate(mandate, ended_on=DAY, acting_user=self.alice)
        self.client.force_login(self.alice)
        self.client.post(f"/mandates/{mandate.pk}/end/")
        self.assertIsNotNone(self.refresh(mandate).ended_on)
        self.client.force_login(self.clerk)
        self.assertEqual(self.client.get(f"/orgs/{self.huyen_a1.pk}/").status_code, 404)
        with self.assertRaises(ValidationError):
            self.document(get_user_model().objects.get(pk=self.clerk.pk))
        self.client.force_login(self.alice)
        self.assertContains(self.client.get(f"/orgs/{self.tinh_a.pk}/mandates/"), "Văn phòng Tỉnh ủy A")
