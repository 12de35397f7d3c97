import datetime
import io

import docx
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from hienthuc.audit.models import AuditEvent
from hienthuc.committees.actions import do_create_term
from hienthuc.documents.actions import (
    current_data,
    do_add_attachment,
    do_create_document,
    do_grant_document,
    do_link_documents,
    do_update_document,
    next_number,
    numbering_notices,
)
from hienthuc.documents.importing import HEADERS, plan_register_import
from hienthuc.documents.models import SECRET_LEVELS, Document, DocumentGrant, DocumentKind, Status, is_visible
from hienthuc.lib import docnumbers
from tests.base import BaseTestCase
from tests.helpers import read_xlsx, xlsx


def kind(code: str) -> DocumentKind:
    return DocumentKind.objects.get(code=code)


def docx_bytes(text: str) -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


class DocumentNumberTestCase(BaseTestCase):
    def test_it_parses_numbers_as_people_type_them(self):
        cases = {
            "so 21 - kl/tw": "21-KL/TW",
            "Số 01-NQ/TU": "01-NQ/TU",
            "37-QD/TW": "37-QĐ/TW",
            "09-KH/DU": "09-KH/ĐU",
            "Số\u0300 1-nq/tu": None,  # a stray combining mark is not a number
            "01-HĐ/TW": "01-HD/TW",
            "147-CTHĐ/TU": "147-CTHĐ/TU",
            "30/2020/nđ-cp": "30/2020/NĐ-CP",
            "123/QD-UBND": "123/QĐ-UBND",
            "123/QĐ-TTg": "123/QĐ-TTg",
        }
        for typed, expected in cases.items():
            if expected is None:
                with self.assertRaises(docnumbers.NumberError):
                    docnumbers.parse(typed)
            else:
                self.assertEqual(docnumbers.parse(typed).normalized, expected, typed)
        self.assertEqual(docnumbers.parse("S\u1ed1 37-Q\u0110/TW").normalized, "37-QĐ/TW")
        import unicodedata

        self.assertEqual(docnumbers.parse(unicodedata.normalize("NFD", "Số 37-QĐ/TW")).normalized, "37-QĐ/TW")
        self.assertFalse(docnumbers.parse("147-CTHĐ/TU").known_kind)

    def test_it_says_what_was_expected_for_an_unparseable_number(self):
        with self.assertRaises(docnumbers.NumberError) as ctx:
            docnumbers.parse("KL21/TW")
        self.assertIn("ví dụ 21-KL/TW", str(ctx.exception))

    def test_it_finds_numbers_and_dates_in_running_text(self):
        found = docnumbers.mentions("quán triệt Kết luận số 21-KL/TW, ngày 25-10-2021 và Nghị định 30/2020/NĐ-CP")
        self.assertEqual(
            [(m.number.normalized, m.date) for m in found], [("21-KL/TW", (2021, 10, 25)), ("30/2020/NĐ-CP", None)]
        )


class DocumentBase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.term_a = do_create_term(cls.tinh_a, number="XX", start_year=2020, end_year=2025, acting_user=cls.system)
        cls.nq = do_create_document(
            issuing_unit=cls.tinh_a, kind=kind("nghi_quyet"), number_text="Số 01-NQ/TU", issuing_body="bch",
            issued_on=datetime.date(2021, 10, 4), summary="về quán triệt xây dựng nông thôn mới", acting_user=cls.alice,
        )  # fmt: skip

    def create(self, user=None, **changes):
        data = {
            "issuing_unit": self.tinh_a, "kind": kind("ket_luan"), "number_text": "02-KL/TU", "issuing_body": "btv",
            "issued_on": datetime.date(2022, 1, 5), "summary": "Kết luận của Ban Thường vụ",
        }  # fmt: skip
        data.update(changes)
        return do_create_document(acting_user=user or self.alice, **data)


class DocumentTestCase(DocumentBase):
    def test_it_registers_a_document_with_its_parsed_number_term_and_audit(self):
        self.assertEqual(self.nq.number_normalized, "01-NQ/TU")
        self.assertEqual(self.nq.number_text, "Số 01-NQ/TU")
        self.assertEqual(self.nq.term, self.term_a)
        self.assertEqual(AuditEvent.objects.for_object(self.nq).get().action, "create")

    def test_it_refuses_a_duplicate_number_in_the_same_kind_issuer_and_term(self):
        with self.assertRaisesMessage(ValidationError, "01-NQ/TU đã được dùng trong nhiệm kỳ khóa XX"):
            self.create(kind=kind("nghi_quyet"), number_text="1-nq/tu")
        # The next term starts the series again; another unit has its own series.
        do_create_term(self.tinh_a, number="XXI", start_year=2026, end_year=2030, acting_user=self.system)
        self.create(kind=kind("nghi_quyet"), number_text="01-NQ/TU", issued_on=datetime.date(2026, 2, 1))
        self.create(issuing_unit=self.huyen_a1, kind=kind("nghi_quyet"), number_text="01-NQ/TU", user=self.bob)

    def test_it_files_a_document_of_a_congress_year_under_the_right_term(self):
        from hienthuc.committees.models import Term

        Term.objects.filter(pk=self.term_a.pk).update(began_on=datetime.date(2020, 10, 16))
        old = do_create_term(self.tinh_a, number="XIX", start_year=2015, end_year=2020, acting_user=self.system)
        before = self.create(number_text="01-KL/TU", issued_on=datetime.date(2020, 3, 1))
        after = self.create(number_text="01-KL/TU", issued_on=datetime.date(2020, 12, 1))
        self.assertEqual((before.term, after.term), (old, self.term_a))

    def test_it_suggests_the_next_free_number_of_the_term(self):
        self.assertEqual(next_number(self.tinh_a, kind("nghi_quyet"), term=self.term_a), "02-NQ/TU")
        self.assertEqual(next_number(self.tinh_a, kind("ke_hoach"), term=self.term_a), "01-KH/TU")

    def test_it_refuses_dates_before_1930_or_far_ahead(self):
        for day in (datetime.date(1925, 1, 1), datetime.date.today() + datetime.timedelta(days=800)):
            with self.assertRaisesMessage(ValidationError, "Ngày ban hành phải từ 03/02/1930"):
                self.create(issued_on=day)

    def test_it_refuses_unparseable_numbers_and_kind_mismatches(self):
        with self.assertRaisesMessage(ValidationError, "không đúng dạng"):
            self.create(number_text="KL 02")
        with self.assertRaisesMessage(ValidationError, "ký hiệu NQ (Nghị quyết) nhưng loại văn bản là Kết luận"):
            self.create(number_text="02-NQ/TU")
        with self.assertRaisesMessage(ValidationError, "dùng số hiệu nhà nước"):
            self.create(kind=kind("nghi_dinh"), number_text="02-KL/TU")
        with self.assertRaisesMessage(ValidationError, "phải có số hiệu"):
            self.create(number_text="")
        draft = self.create(number_text="", status=Status.DRAFT, issued_on=None)
        self.assertEqual(str(draft), "Kết luận (chưa có số)")

    def test_it_refuses_a_document_issued_by_a_unit_outside_the_users_subtree(self):
        with self.assertRaisesMessage(ValidationError, "không có quyền vào sổ, sửa văn bản"):
            self.create(issuing_unit=self.tinh_b, user=self.alice)
        with self.assertRaises(ValidationError):
            self.create(issuing_unit=self.tinh_a, user=self.bob)
        self.client.force_login(self.bob)
        response = self.client.post(
            "/documents/new/",
            {"kind": kind("ket_luan").pk, "number_text": "03-KL/TU", "issuing_unit": "B", "issuing_body": "bch",
             "issued_on": "05/01/2022", "summary": "x", "confidentiality": "thuong", "status": "issued"},
        )  # fmt: skip
        self.assertContains(response, "Không tìm thấy đơn vị “B” trong phạm vi của bạn")

    def test_it_warns_of_a_jump_in_numbering_and_of_a_number_outside_any_term(self):
        self.create()  # 02-KL/TU in term XX
        self.client.force_login(self.alice)
        form = {
            "kind": kind("ket_luan").pk, "number_text": "05-KL/TU", "issuing_unit": "A", "issuing_body": "btv",
            "issued_on": "05/02/2022", "summary": "Kết luận", "confidentiality": "thuong", "status": "issued",
        }  # fmt: skip
        page = self.client.post("/documents/new/", form, follow=True)
        self.assertContains(page, "Đã vào sổ")  # a warning, not a refusal
        self.assertContains(page, "Số 5 nhảy số: số lớn nhất đã vào sổ của loại này trong khóa là 2, các số 3–4")
        # Registering an older number late fills a gap: no warning.
        page = self.client.post("/documents/new/", {**form, "number_text": "03-KL/TU"}, follow=True)
        self.assertNotContains(page, "nhảy số")
        # Huyện ủy A1 has no term: its Party numbers fall outside any term, and the page says so.
        self.client.force_login(self.bob)
        page = self.client.post(
            "/documents/new/", {**form, "number_text": "01-KL/HU", "issuing_unit": "A1"}, follow=True
        )
        self.assertContains(page, "Chưa có nhiệm kỳ nào của Huyện ủy A1 bao trùm ngày ban hành")
        self.assertContains(page, f'href="/orgs/{self.huyen_a1.pk}/terms/new/"')
        self.assertEqual(len(numbering_notices(Document.objects.get(number_normalized="01-KL/HU"))), 1)

    def test_it_shows_documents_from_above_but_not_drafts_or_other_provinces(self):
        draft = self.create(number_text="", status=Status.DRAFT, issued_on=None)
        other = self.create(issuing_unit=self.tinh_b, user=self.oscar, number_text="01-KL/TU")
        visible = set(Document.objects.visible_to(self.bob).values_list("pk", flat=True))
        self.assertIn(self.nq.pk, visible)
        self.assertNotIn(draft.pk, visible)
        self.assertNotIn(other.pk, visible)
        self.client.force_login(self.bob)
        self.assertEqual(self.client.get(f"/documents/{self.nq.pk}/").status_code, 200)
        self.assertEqual(self.client.get(f"/documents/{draft.pk}/").status_code, 404)
        self.assertEqual(self.client.get(f"/documents/{other.pk}/").status_code, 404)
        self.assertEqual(self.client.get(f"/documents/{self.nq.pk}/edit/").status_code, 403)

    def test_it_hides_a_secret_document_everywhere_without_a_grant(self):
        secret = self.create(confidentiality="mat", summary="về nhân sự mật")
        for user in (self.bob, self.charlie):
            self.client.force_login(user)
            self.assertEqual(self.client.get(f"/documents/{secret.pk}/").status_code, 404)
            self.assertNotContains(self.client.get("/documents/"), "nhân sự mật")
            self.assertNotContains(self.client.get("/search/", {"q": "nhan su mat"}), "nhân sự mật")
        self.client.force_login(self.alice)  # the creator holds the grant
        self.assertContains(self.client.get(f"/documents/{secret.pk}/"), "nhân sự mật")
        do_grant_document(secret, self.charlie, acting_user=self.alice)
        self.client.force_login(self.charlie)
        self.assertContains(self.client.get(f"/documents/{secret.pk}/"), "nhân sự mật")
        with self.assertRaises(ValidationError):
            do_grant_document(secret, self.bob, acting_user=self.charlie)  # a viewer cannot pass it on

    def test_it_accepts_real_attachments_and_refuses_others(self):
        attachment = do_add_attachment(
            self.nq,
            data=docx_bytes("Toàn văn: quán triệt sâu sắc nghị quyết"),
            filename="nq.docx",
            acting_user=self.alice,
        )
        self.assertEqual(attachment.file_type, "docx")
        self.assertIn("quán triệt sâu sắc", self.refresh(self.nq).full_text)
        self.assertEqual(list(Document.objects.search("quan triet sau sac")), [self.nq])
        with self.assertRaisesMessage(ValidationError, "kiểm tra theo nội dung"):
            do_add_attachment(self.nq, data=b"just text", filename="gia.pdf", acting_user=self.alice)
        with self.assertRaisesMessage(ValidationError, "kiểm tra theo nội dung"):
            do_add_attachment(self.nq, data=xlsx([["a"]])[:200], filename="hong.xlsx", acting_user=self.alice)
        with override_settings(ATTACHMENT_MAX_BYTES=1000), self.assertRaisesMessage(ValidationError, "Tệp quá lớn"):
            do_add_attachment(self.nq, data=b"%PDF-1.4" + b"0" * 2000, filename="lon.pdf", acting_user=self.alice)
        self.assertEqual(self.nq.attachments.count(), 1)
        self.client.force_login(self.oscar)
        self.assertEqual(self.client.get(f"/attachments/{attachment.pk}/").status_code, 404)
        self.client.force_login(self.bob)
        response = self.client.get(f"/attachments/{attachment.pk}/")
        self.assertEqual(response.status_code, 200)
        self.assertTrue(b"".join(response.streaming_content).startswith(b"PK"))

    def test_it_uploads_through_the_page_with_a_vietnamese_refusal(self):
        self.client.force_login(self.alice)
        response = self.client.post(
            f"/documents/{self.nq.pk}/attachments/", {"file": SimpleUploadedFile("x.pdf", b"MZ not a pdf")}, follow=True
        )
        self.assertContains(response, "Chỉ nhận tệp PDF, Word (.docx) hoặc Excel (.xlsx)")
        self.assertEqual(self.nq.attachments.count(), 0)

    def test_it_links_documents_and_shows_the_cascade_and_missing_units(self):
        plan = self.create(issuing_unit=self.huyen_a1, user=self.bob, kind=kind("ke_hoach"), number_text="05-KH/HU",
                           summary="Kế hoạch thực hiện Nghị quyết số 01-NQ/TU, ngày 4-10-2021")  # fmt: skip
        self.client.force_login(self.bob)
        page = self.client.get(f"/documents/{plan.pk}/")
        self.assertContains(page, "Văn bản này nhắc tới")  # offered from the mention
        self.client.post(f"/documents/{plan.pk}/links/", {"target": f"[{self.nq.pk}]", "kind": "implements"})
        self.assertContains(self.client.get(f"/documents/{plan.pk}/"), "01-NQ/TU")
        self.client.force_login(self.alice)
        page = self.client.get(f"/documents/{self.nq.pk}/")
        self.assertContains(page, "Được thực hiện bởi")
        self.assertContains(page, "05-KH/HU")
        # No unit was asked to issue a plan for it: no list of units "missing" one.
        self.assertNotContains(page, "đơn vị được giao ban hành")
        with self.assertRaises(ValidationError):
            do_link_documents(plan, plan, kind="cites", acting_user=self.bob)
        with self.assertRaises(ValidationError):
            do_link_documents(plan, self.nq, kind="implements", acting_user=self.bob)

    def test_it_ends_a_document_replaced_or_annulled_and_refuses_a_cycle(self):
        from hienthuc.documents.actions import current_data, do_unlink_documents, do_update_document

        old = self.create(number_text="02-QĐ/TU", kind=kind("quyet_dinh"), summary="Quy chế làm việc khóa XIX")
        rules = self.create(number_text="03-QĐ/TU", kind=kind("quyet_dinh"), summary="Quy chế làm việc khóa XX")
        link = do_link_documents(rules, old, kind="replaces", acting_user=self.alice)
        self.assertEqual(self.refresh(old).status, Status.REPLACED)
        self.client.force_login(self.alice)
        page = self.client.get(f"/documents/{old.pk}/")
        self.assertContains(page, "Đã bị thay thế")
        self.assertContains(page, "Bị thay thế bởi")
        self.assertContains(page, f'href="/documents/{rules.pk}/"')
        # The other way round, directly or through a third document, is a cycle.
        with self.assertRaisesMessage(ValidationError, "không thể thay thế, bãi bỏ lẫn nhau"):
            do_link_documents(old, rules, kind="replaces", acting_user=self.alice)
        newest = self.create(number_text="04-QĐ/TU", kind=kind("quyet_dinh"), summary="Quy chế sửa đổi")
        do_link_documents(newest, rules, kind="replaces", acting_user=self.alice)
        with self.assertRaisesMessage(ValidationError, "không thể thay thế, bãi bỏ lẫn nhau"):
            do_link_documents(old, newest, kind="annuls", acting_user=self.alice)
        self.assertFalse(old.links_out.exists())
        # Undoing the link puts the old one back in force; an annulment ends it as expired.
        do_unlink_documents(link, acting_user=self.alice)
        self.assertEqual(self.refresh(old).status, Status.ISSUED)
        do_link_documents(newest, old, kind="annuls", acting_user=self.alice)
        self.assertEqual(self.refresh(old).status, Status.EXPIRED)
        self.assertContains(self.client.get(f"/documents/{old.pk}/"), "Bị bãi bỏ bởi")
        # A draft replaces nothing until it is issued.
        draft = self.create(number_text="", kind=kind("quyet_dinh"), summary="Dự thảo thay thế", status="draft",
                            issued_on=None)  # fmt: skip
        target = self.create(number_text="05-QĐ/TU", kind=kind("quyet_dinh"), summary="Quy định cũ")
        do_link_documents(draft, target, kind="replaces", acting_user=self.alice)
        self.assertEqual(self.refresh(target).status, Status.ISSUED)
        data = {**current_data(draft), "status": "issued", "number_text": "06-QĐ/TU",
                "issued_on": datetime.date(2022, 2, 1)}  # fmt: skip
        do_update_document(draft, acting_user=self.alice, **data)
        self.assertEqual(self.refresh(target).status, Status.REPLACED)
        event = AuditEvent.objects.filter(object_id=str(target.pk), action="update").latest("id")
        self.assertEqual(event.after, {"status": "replaced", "by": draft.pk})

    def test_it_searches_without_diacritics_and_by_any_written_number(self):
        self.client.force_login(self.bob)
        for query in ("quan triet", "nghi quyet 01", "so 1 - nq/tu", "01-NQ/TU", "Nông thôn"):
            response = self.client.get("/search/", {"q": query})
            self.assertContains(response, f"/documents/{self.nq.pk}/", msg_prefix=query)
        response = self.client.get("/search/", {"q": "dong phong"})
        self.assertContains(response, "Đảng ủy xã Đông Phong")
        self.assertContains(self.client.get("/search/", {"q": "nguyen van dong"}), "Nguyễn Văn Đông")

    def test_it_filters_and_pins_the_query_count_of_the_register(self):
        for i in range(2, 12):
            self.create(number_text=f"{i:02d}-KL/TU", summary=f"Kết luận số {i}")
        self.client.force_login(self.alice)
        with CaptureQueriesContext(connection) as ctx:
            response = self.client.get("/documents/", {"kind": kind("ket_luan").pk, "year": "2022", "term": "XX"})
        self.assertContains(response, "11-KL/TU")
        self.assertNotContains(response, "01-NQ/TU")
        self.assertLessEqual(len(ctx.captured_queries), 8)
        response = self.client.get("/documents/", {"unit": "A1", "subtree": "on"})
        self.assertContains(response, "Không có văn bản nào")

    def test_it_exports_and_imports_a_register_all_or_nothing(self):
        self.client.force_login(self.alice)
        exported = read_xlsx(self.client.get("/documents/export.xlsx").content)
        self.assertEqual(exported[1], HEADERS)
        self.assertEqual(exported[2][:3], ["Số 01-NQ/TU", "Nghị quyết", "A"])
        good = [
            HEADERS,
            ["03-KL/TU", "Kết luận", "A", "Ban Thường vụ", "05/01/2022", "về công tác cán bộ"],
            ["Số 01-NQ/TU", "Nghị quyết", "A", "Ban Chấp hành", datetime.datetime(2021, 10, 4), "trùng, bỏ qua"],
        ]
        plan = plan_register_import(xlsx(good), user=self.alice)
        self.assertEqual((len(plan.creates), plan.skipped, plan.errors), (1, 1, []))
        bad = [
            *good,
            ["04-KL/TU", "Kết luận", "A", "", "31/02/2022", "ngày sai"],
            ["KL", "Kết luận", "A", "", "05/01/2022", "số sai"],
            ["05-KL/TU", "Công điện", "B", "", "05/01/2022", ""],
        ]
        before = Document.objects.count()
        response = self.client.post("/documents/import/", {"file": SimpleUploadedFile("so.xlsx", xlsx(bad))})
        self.assertContains(response, "Dòng 4, cột E (Ngày ban hành): Ngày “31/02/2022” không hợp lệ")
        self.assertContains(response, "Dòng 5, cột A (Số hiệu): Số hiệu “KL” không đúng dạng")
        self.assertContains(response, "Dòng 6, cột B (Loại văn bản): Loại văn bản “Công điện” không có trong danh mục.")
        self.assertContains(response, "Dòng 6, cột C (Mã đơn vị ban hành)")
        self.assertEqual(Document.objects.count(), before)
        response = self.client.post("/documents/import/", {"file": SimpleUploadedFile("so.xlsx", b"not excel")})
        self.assertContains(response, "Tệp không phải là tệp Excel .xlsx")
        self.client.post("/documents/import/", {"file": SimpleUploadedFile("so.xlsx", xlsx(good))})
        from hienthuc.imports.models import PendingImport

        pending = PendingImport.objects.get(kind="register")  # only a clean file is kept for applying
        self.client.post(f"/documents/import/{pending.pk}/apply/")
        self.assertEqual(Document.objects.count(), before + 1)
        self.assertTrue(Document.objects.filter(number_normalized="03-KL/TU").exists())


class DocumentApiTestCase(DocumentBase):
    def token(self, user) -> dict:
        from hienthuc.accounts.actions import do_create_api_token

        _token, raw = do_create_api_token(user, name="t", acting_user=user)
        return {"Authorization": f"Bearer {raw}"}

    def test_it_creates_reads_updates_and_searches_through_the_api(self):
        headers = self.token(self.alice)
        payload = {"kind": "ket_luan", "number_text": "so 21 - kl/tu", "issuing_unit_id": self.tinh_a.pk,
                   "issued_on": "2022-02-01", "summary": "Kết luận về quán triệt"}  # fmt: skip
        response = self.client.post("/api/documents", payload, content_type="application/json", headers=headers)
        self.assertEqual(response.status_code, 201, response.content)
        created = response.json()
        self.assertEqual(created["number"], "21-KL/TU")
        response = self.client.post("/api/documents", payload, content_type="application/json", headers=headers)
        self.assertEqual(response.status_code, 400)
        self.assertIn("number_text", response.json()["errors"])
        response = self.client.patch(
            f"/api/documents/{created['id']}", {"summary": "Kết luận đã sửa"}, content_type="application/json",
            headers=headers,
        )  # fmt: skip
        self.assertEqual(response.json()["summary"], "Kết luận đã sửa")
        found = self.client.get("/api/search", {"q": "ket luan 21"}, headers=headers).json()
        self.assertEqual([d["number"] for d in found["documents"]], ["21-KL/TU"])
        listed = self.client.get("/api/documents", {"q": "quan triet"}, headers=headers).json()
        self.assertEqual(listed["count"], 1)

    def test_it_scopes_the_api_like_the_pages(self):
        secret = self.create(confidentiality="mat", number_text="09-KL/TU")
        headers = self.token(self.bob)
        self.assertEqual(self.client.get(f"/api/documents/{secret.pk}", headers=headers).status_code, 404)
        self.assertEqual(self.client.get(f"/api/documents/{self.nq.pk}", headers=headers).status_code, 200)
        response = self.client.post(
            "/api/documents",
            {"kind": "ket_luan", "number_text": "01-KL/TU", "issuing_unit_id": self.tinh_b.pk, "summary": "x",
             "issued_on": "2022-01-01"},
            content_type="application/json", headers=headers,
        )  # fmt: skip
        self.assertEqual(response.status_code, 404)
        response = self.client.patch(
            f"/api/documents/{self.nq.pk}", {"summary": "y"}, content_type="application/json", headers=headers
        )
        # Seen (issued above bob's district) but not his to change: 403, as on the pages.
        self.assertEqual(response.status_code, 403)


class SecrecyLevelTestCase(DocumentBase):
    def secret(self, level: str, **changes):
        return self.create(confidentiality=level, summary="về công tác bảo vệ chính trị nội bộ", **changes)

    def test_it_keeps_a_raised_document_from_lower_grants(self):
        document = self.secret("mat")
        do_grant_document(document, self.charlie, acting_user=self.alice)
        self.client.force_login(self.charlie)
        self.assertContains(self.client.get(f"/documents/{document.pk}/"), "bảo vệ chính trị nội bộ")
        do_update_document(document, acting_user=self.alice, **{**current_data(document), "confidentiality": "toi_mat"})
        # The Mật grant no longer opens it: page, list, search and the API all lose it.
        self.assertEqual(self.client.get(f"/documents/{document.pk}/").status_code, 404)
        self.assertNotContains(self.client.get("/documents/"), "bảo vệ chính trị nội bộ")
        self.assertNotContains(self.client.get("/search/", {"q": "bao ve chinh tri noi bo"}), "bảo vệ chính trị")
        self.assertFalse(is_visible(self.charlie, Document.objects.select_related("issuing_unit").get(pk=document.pk)))
        self.client.force_login(self.alice)  # who raised it holds it at its new level
        page = self.client.get(f"/documents/{document.pk}/")
        self.assertContains(page, "Tối mật")
        self.assertContains(page, "được cấp ở độ Mật, không còn mở được văn bản này")
        do_grant_document(document, self.charlie, acting_user=self.alice)
        self.assertEqual(DocumentGrant.objects.get(document=document, user=self.charlie).level, "toi_mat")
        self.client.force_login(self.charlie)
        self.assertContains(self.client.get(f"/documents/{document.pk}/"), "bảo vệ chính trị nội bộ")

    def test_it_refuses_a_grant_from_someone_without_the_level(self):
        document = self.secret(
            "mat", user=self.bob, issuing_unit=self.huyen_a1, number_text="03-KL/HU", issuing_body="btv"
        )
        # alice edits A1 (admin above it) but holds no grant of this document.
        with self.assertRaisesMessage(ValidationError, "chưa được cấp quyền đọc văn bản này ở độ Mật"):
            do_grant_document(document, self.charlie, acting_user=self.alice)
        do_grant_document(document, self.alice, acting_user=self.bob)
        do_update_document(document, acting_user=self.bob, **{**current_data(document), "confidentiality": "tuyet_mat"})
        events = AuditEvent.objects.count()
        with self.assertRaisesMessage(ValidationError, "ở độ Tuyệt mật"):
            do_grant_document(document, self.charlie, acting_user=self.alice)  # her Mật grant opens no higher
        self.assertFalse(DocumentGrant.objects.filter(document=document, user=self.charlie).exists())
        self.assertEqual(AuditEvent.objects.count(), events)
        with self.assertRaisesMessage(ValidationError, "Văn bản thường"):
            do_grant_document(self.nq, self.charlie, acting_user=self.alice)

    def test_it_agrees_with_visible_to_on_every_level(self):
        documents = [self.secret(level, number_text=f"0{n}-KL/TU") for n, level in enumerate(SECRET_LEVELS, start=2)]
        do_grant_document(documents[0], self.charlie, acting_user=self.alice)
        do_grant_document(documents[2], self.bob, acting_user=self.alice)
        for user in (self.alice, self.bob, self.charlie, self.oscar):
            visible = set(Document.objects.visible_to(user).values_list("pk", flat=True))
            for document in Document.objects.select_related("issuing_unit"):
                with self.subTest(user=user.username, level=document.confidentiality):
                    self.assertEqual(is_visible(user, document), document.pk in visible)

    def test_it_shows_and_imports_urgency(self):
        self.create(urgency="hoa_toc", summary="về phòng chống bão khẩn cấp")
        self.client.force_login(self.alice)
        self.assertContains(self.client.get("/documents/"), "Hỏa tốc")
        with self.assertRaisesMessage(ValidationError, "Độ khẩn"):
            self.create(urgency="rat_khan", number_text="09-KL/TU")
        rows = [["10-KL/TU", "Kết luận", "A", "Ban Thường vụ", "05/03/2022", "về mùa mưa bão", "", "", "", "", "Gấp"]]
        plan = plan_register_import(xlsx([HEADERS, *rows]), user=self.alice)
        self.assertEqual([(e.row, e.column) for e in plan.errors], [(2, 11)])
        self.assertIn("Khẩn, Thượng khẩn, Hỏa tốc", plan.errors[0].message)
        rows[0][10] = "Thượng khẩn"
        plan = plan_register_import(xlsx([HEADERS, *rows]), user=self.alice)
        self.assertEqual(plan.creates[0][1]["urgency"], "thuong_khan")


class KindsAndSeriesTestCase(DocumentBase):
    def test_it_has_every_kind_of_399_with_its_own_abbreviation(self):
        party = DocumentKind.objects.filter(system="party")
        names = set(party.values_list("name", flat=True))
        for name in ("Tuyên bố", "Lời kêu gọi", "Quy hoạch", "Phương án", "Dự án", "Cương lĩnh", "Chiến lược"):
            self.assertIn(name, names)
        self.assertEqual(party.exclude(code="so_theo_doi").count(), 25)
        by_abbreviation: dict[str, list[str]] = {}
        for k in party.exclude(abbreviation=""):
            by_abbreviation.setdefault(k.abbreviation, []).append(k.code)
        shared = {a: codes for a, codes in by_abbreviation.items() if len(codes) > 1}
        self.assertEqual(shared, {"QĐ": ["quyet_dinh", "quy_dinh"]})  # one series at the Centre (REFERENCE §2)
        quy_dinh = self.create(kind=kind("quy_dinh"), number_text="08-QĐi/TU", summary="về trách nhiệm nêu gương")
        self.assertEqual(quy_dinh.number_normalized, "08-QĐi/TU")
        with self.assertRaisesMessage(ValidationError, "Quy chế"):
            self.create(kind=kind("quy_che"), number_text="09-QĐi/TU")
        self.assertEqual(next_number(self.tinh_a, kind("tuyen_bo"), term=self.term_a), "")

    def test_it_numbers_by_the_units_own_issuer_code(self):
        self.assertEqual(next_number(self.huyen_a1, kind("ke_hoach"), term=None), "01-KH/HU")  # the kind's
        self.client.force_login(self.alice)
        data = {"code": "A1", "name": "Huyện ủy A1", "short_name": "", "kind": self.huyen_a1.kind_id}
        response = self.client.post(f"/orgs/{self.huyen_a1.pk}/edit/", {**data, "issuer_code": "T U/1"})
        self.assertContains(response, "chỉ gồm chữ cái viết liền")
        self.assertEqual(self.refresh(self.huyen_a1).issuer_code, "")
        self.client.post(f"/orgs/{self.huyen_a1.pk}/edit/", {**data, "issuer_code": "tu"})
        self.assertEqual(self.refresh(self.huyen_a1).issuer_code, "TU")
        self.assertEqual(next_number(self.refresh(self.huyen_a1), kind("ke_hoach"), term=None), "01-KH/TU")
        event = AuditEvent.objects.filter(object_id=str(self.huyen_a1.pk), action="update").latest("id")
        self.assertEqual(event.after.get("issuer_code"), "TU")

    def test_it_numbers_a_congress_in_one_series_of_its_own(self):
        nq = self.create(
            kind=kind("nghi_quyet"), number_text="01-NQ/ĐH", issuing_body="dh", summary="Nghị quyết Đại hội"
        )
        self.assertEqual(numbering_notices(nq), [])
        with self.assertRaisesMessage(ValidationError, "dãy số chung của Đại hội"):
            self.create(kind=kind("bao_cao"), number_text="01-BC/ĐH", issuing_body="dcd", summary="Báo cáo thẩm tra")
        self.create(kind=kind("bao_cao"), number_text="02-BC/ĐH", issuing_body="dcd", summary="Báo cáo thẩm tra")
        self.assertEqual(next_number(self.tinh_a, kind("ke_hoach"), term=self.term_a, body="dh"), "03-KH/ĐH")
        # The committee's own series is untouched by the congress's.
        self.assertEqual(next_number(self.tinh_a, kind("nghi_quyet"), term=self.term_a, body="bch"), "02-NQ/TU")
        wrong = self.create(kind=kind("nghi_quyet"), number_text="05-NQ/ĐH", issuing_body="bch", summary="Nghị quyết")
        self.assertTrue(any("mang ký hiệu ĐH" in n for n in numbering_notices(wrong)))
        self.client.force_login(self.alice)
        response = self.client.get(
            "/documents/next-number/",
            {"issuing_unit": "A", "kind": kind("thong_bao").pk, "issuing_body": "dh", "issued_on": "05/03/2022"},
        )
        self.assertContains(response, "03-TB/ĐH")


class ConcurrentDocumentEditTestCase(DocumentBase):
    """Two clerks open the same register entry; the second to save is told, and the first's
    change stays (through the page and through the API)."""

    def test_the_second_save_on_the_page_is_refused_and_the_first_kept(self):
        self.client.force_login(self.alice)
        url = f"/documents/{self.nq.pk}/edit/"
        form = self.client.get(url).context["form"]
        data = {k: v for k, v in form.initial.items() if v is not None}
        data.update(kind=self.nq.kind_id, issued_on="04/10/2021")
        self.assertEqual(data["version"], 1)
        first = self.client.post(url, {**data, "summary": "Bản của người thứ nhất"})
        self.assertEqual(first.status_code, 302, first.context and first.context["form"].errors)
        second = self.client.post(url, {**data, "summary": "Bản của người thứ hai"})
        self.assertContains(second, "vừa được người khác sửa")
        self.assertEqual(self.refresh(self.nq).summary, "Bản của người thứ nhất")

    def test_the_api_refuses_a_patch_from_an_old_version(self):
        from hienthuc.accounts.actions import do_create_api_token

        _token, raw = do_create_api_token(self.alice, name="t", acting_user=self.alice)
        headers = {"Authorization": f"Bearer {raw}"}
        url = f"/api/documents/{self.nq.pk}"
        version = self.client.get(url, headers=headers).json()["version"]
        patch = {"summary": "Sửa qua API", "version": version}
        self.assertEqual(
            self.client.patch(url, patch, content_type="application/json", headers=headers).status_code, 200
        )
        again = self.client.patch(url, {**patch, "summary": "Ghi đè"}, content_type="application/json", headers=headers)
        self.assertEqual(again.status_code, 400)
        self.assertIn("vừa được người khác sửa", again.json()["detail"])
        self.assertEqual(self.refresh(self.nq).summary, "Sửa qua API")
