"""Party-format files that need no retouching (36-HD/VPTW, REFERENCE §3): what the .docx says
and where, every export that has an import reading back, and the layout LibreOffice renders."""

import datetime
import io

import docx
import pytest
from docx.enum.section import WD_ORIENT

from hienthuc.dashboard import yearly
from hienthuc.documents.importing import plan_register_import
from hienthuc.orgs.importing import plan_tree_import
from hienthuc.plans.actions import do_add_task, do_create_plan, do_issue_plan, do_require_plans
from hienthuc.plans.importing import do_import_tasks, export_tasks
from hienthuc.plans.wordexport import export_plan
from tests.test_plans import PlanBase


def body_order(document) -> list[str]:
    """The body's blocks in order: "p" for a paragraph, "t" for a table."""
    return ["t" if child.tag.endswith("}tbl") else "p" for child in document.element.body.iterchildren()]


class PartyFormatTestCase(PlanBase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        do_add_task(
            cls.plan, content="Tổng kết mô hình", lead_unit=cls.huyen_a2, output="Báo cáo", deadline_text="Năm 2025",
            notes="Phối hợp Hội Nông dân tỉnh", section="II. Văn hóa", acting_user=cls.alice,
        )  # fmt: skip

    def word(self, plan=None) -> docx.Document:
        return docx.Document(io.BytesIO(export_plan(plan or self.plan, self.alice)))

    def issue(self):
        self.plan = super().issue()
        return self.plan

    def test_it_writes_the_plan_in_the_party_order_with_the_appendix_after_the_signature(self):
        self.issue()
        document = self.word()
        header, closing, appendix = document.tables
        # Body, then the signature block, then the appendix on a landscape page of its own.
        order = body_order(document)
        self.assertLess(order.index("t", 1), len(order) - 1 - order[::-1].index("t"))
        self.assertIn("T/M BAN THƯỜNG VỤ", closing.rows[0].cells[1].text)
        self.assertEqual([c.text for c in appendix.rows[0].cells][-1], "Ghi chú")
        self.assertIn("Phối hợp Hội Nông dân tỉnh", [c.text for r in appendix.rows for c in r.cells])
        last = document.sections[-1]
        self.assertEqual((len(document.sections), last.orientation), (2, WD_ORIENT.LANDSCAPE))
        self.assertGreater(last.page_width, last.page_height)
        texts = [p.text for p in document.paragraphs]
        self.assertIn("(Kèm theo Chương trình số 05-CTr/TU, ngày 01-11-2021 của Ban Thường vụ Tỉnh ủy A)", texts)
        self.assertLess(texts.index("III. TỔ CHỨC THỰC HIỆN"), texts.index("PHỤ LỤC"))
        # Dates in the text: "ngày 04-10-2021".
        body = "\n".join(texts)
        self.assertIn("ngày 04-10-2021", body)
        self.assertNotIn("04/10/2021", body)
        # Recipients: the level above "(b/c)", never the plan's own standing committee.
        recipients = closing.rows[0].cells[0]
        lines = [p.text for p in recipients.paragraphs]
        self.assertEqual(lines[0], "Nơi nhận:")
        self.assertEqual(lines[1], "- Ban Bí thư Trung ương Đảng (b/c);")
        self.assertEqual(lines[-1], "- Lưu Văn phòng Tỉnh ủy A.")
        self.assertFalse(any("Ban Thường vụ Tỉnh ủy A" in line for line in lines))
        label = recipients.paragraphs[0].runs[0]
        self.assertEqual((label.bold, label.italic, label.underline), (False, False, True))

    def test_a_district_plan_reports_to_the_provinces_standing_committee(self):
        self.issue()
        do_require_plans(self.plan, units=[self.huyen_a1], due_on=datetime.date(2021, 12, 1), acting_user=self.alice)
        district = do_create_plan(
            unit=self.huyen_a1, kind="implementation_plan", title="Kế hoạch thực hiện", parent_plan=self.plan,
            acting_user=self.bob,
        )  # fmt: skip
        do_add_task(
            district, content="Triển khai", lead_unit=self.xa_a1a, deadline_text="Năm 2022", acting_user=self.bob
        )
        do_issue_plan(district, number_text="03-KH/HU", issued_on=datetime.date(2021, 11, 20), acting_user=self.bob)
        lines = [p.text for p in self.word(district).tables[1].rows[0].cells[0].paragraphs]
        self.assertEqual(lines[1], "- Ban Thường vụ Tỉnh ủy A (b/c);")
        self.assertIn("ĐẢNG BỘ TỈNH A", self.word(district).tables[0].rows[0].cells[0].text.upper())

    def test_the_yearly_report_names_its_recipients_once(self):
        report = yearly.build(self.tinh_a, 2021, self.alice)
        document = docx.Document(io.BytesIO(yearly.to_docx(report)))
        closing = next(t for t in document.tables if t.rows[0].cells[0].text.startswith("Nơi nhận"))
        lines = [p.text for p in closing.rows[0].cells[0].paragraphs]
        self.assertIn("- Ban Bí thư Trung ương Đảng (b/c);", lines)
        self.assertFalse(any("Ban Chấp hành Ban Chấp hành" in line for line in lines))

    def test_every_export_that_has_an_import_reads_back(self):
        self.issue()
        expected = sorted(self.plan.tasks.values_list("content", "lead_unit", "deadline_text", "output", "notes"))
        for name, data in (
            ("word", export_plan(self.plan, self.alice)),
            ("excel", export_tasks(self.plan, self.alice)),
        ):
            with self.subTest(export=name):
                copy = do_create_plan(
                    unit=self.tinh_a, kind="action_program", title=f"Bản {name}", acting_user=self.alice
                )
                do_import_tasks(data, acting_user=self.alice, plan=copy)
                got = sorted(copy.tasks.values_list("content", "lead_unit", "deadline_text", "output", "notes"))
                self.assertEqual(got, expected)
                self.assertEqual(
                    sorted(copy.tasks.values_list("section", flat=True)),
                    sorted(self.plan.tasks.values_list("section", flat=True)),
                )
        self.client.force_login(self.alice)
        register = plan_register_import(self.client.get("/documents/export.xlsx").content, user=self.alice)
        self.assertEqual((register.errors, register.creates), ([], []))
        self.assertGreater(register.skipped, 0)  # each one recognised as already in the register
        tree = plan_tree_import(self.client.get(f"/orgs/{self.tinh_a.pk}/export.xlsx").content, user=self.alice)
        self.assertEqual((tree.errors, tree.creates, tree.updates), ([], [], []))
        self.assertGreater(tree.unchanged, 0)


def pdf_lines(data: bytes) -> list[list[tuple[str, float, float]]]:
    """Per page, each text run LibreOffice drew with its position (x from the left, y from the top)."""
    from pypdf import PdfReader

    pages = []
    for page in PdfReader(io.BytesIO(data)).pages:
        height = float(page.mediabox.height)
        found: list[tuple[str, float, float]] = []

        def visit(text, cm, tm, font, size, found=found, height=height):
            if text.strip():
                found.append((text.strip(), tm[4] * cm[0] + cm[4], height - (tm[5] * cm[3] + cm[5])))

        page.extract_text(visitor_text=visit)
        pages.append(found)
    return pages


def skeleton(text: str) -> str:
    """The ASCII letters and digits of a text: LibreOffice's PDF draws a Vietnamese letter with
    its marks as glyphs of their own, which pypdf returns as separate runs."""
    return "".join(c for c in text if c.isascii() and c.isalnum())


def where(page, text: str) -> tuple[float, float]:
    wanted = skeleton(text)
    for found, x, y in page:
        if wanted and wanted in skeleton(found):
            return x, y
    raise AssertionError(f"“{text}” is not on the page: {[t for t, _x, _y in page][:40]}")


@pytest.mark.office
class LibreOfficeLayoutTestCase(PlanBase):
    def test_the_plan_renders_with_the_party_layout(self):
        from pypdf import PdfReader

        from tests.helpers import converted_to_pdf

        pdf = converted_to_pdf(export_plan(self.issue(), self.alice), "chuong-trinh.docx")
        pages = pdf_lines(pdf)
        reader = PdfReader(io.BytesIO(pdf))
        first, width = pages[0], float(reader.pages[0].mediabox.width)
        # Header blocks: the issuer and its number on the left, the Party's name on the right, level.
        issuer_x, issuer_y = where(first, "TỈNH ỦY A")
        party_x, party_y = where(first, "ĐẢNG CỘNG SẢN VIỆT NAM")
        number_x, number_y = where(first, "Số 05-CTr/TU")
        self.assertLess(issuer_x, width / 2)
        self.assertGreater(party_x, width / 2 - 40)
        self.assertLess(abs(issuer_y - party_y), 30)
        self.assertLess(number_x, width / 2)
        self.assertGreater(number_y, issuer_y)
        kind_x, kind_y = where(first, "CHƯƠNG TRÌNH")
        self.assertGreater(kind_y, number_y)
        # The signature block right of the recipients, both before the appendix's page.
        signature_page = next(
            i for i, page in enumerate(pages) if any(skeleton("T/M BAN THƯỜNG VỤ") in skeleton(t) for t, *_ in page)
        )
        sign_x, sign_y = where(pages[signature_page], "T/M BAN THƯỜNG VỤ")
        to_x, to_y = where(pages[signature_page], "Nơi nhận")
        self.assertGreater(sign_x, to_x + 100)
        self.assertLess(abs(sign_y - to_y), 30)
        appendix_page = next(i for i, page in enumerate(pages) if any(skeleton(t).startswith("PHLC") for t, *_ in page))
        self.assertGreater(appendix_page, signature_page)
        box = reader.pages[appendix_page].mediabox
        self.assertGreater(float(box.width), float(box.height))  # landscape
        where(pages[appendix_page], "Ghi chú")
        self.assertEqual(float(reader.pages[0].mediabox.width), pytest.approx(595, abs=2))  # A4 portrait

    def test_the_yearly_report_and_the_workbooks_render(self):
        from tests.helpers import converted_to_pdf

        report = yearly.build(self.tinh_a, 2021, self.alice)
        pages = pdf_lines(converted_to_pdf(yearly.to_docx(report), "bao-cao.docx"))
        where(pages[0], "ĐẢNG CỘNG SẢN VIỆT NAM")
        where(pages[0], "BÁO CÁO")
        self.assertTrue(any(skeleton("Nơi nhận") in skeleton(t) for page in pages for t, *_ in page))
        sheet = pdf_lines(converted_to_pdf(export_tasks(self.plan, self.alice), "nhiem-vu.xlsx"))
        where(sheet[0], "Nội dung nhiệm vụ")
        where(sheet[0], "Xây dựng đề án nông thôn mới kiểu mẫu")
