"""A task table as a provincial office really writes it, in Excel and in Word: merged title
rows, a caption, the header on row 5 with its columns in another order and a row numbering
them, nested sections, a group of lead bodies, two leads in one cell, bodies outside the Party
tree, fuzzy deadlines and a signature block. It imports whole, and its export imports again
unchanged."""

import io

import docx
import openpyxl

from hienthuc.plans.actions import do_create_plan
from hienthuc.plans.importing import do_import_tasks, export_tasks, plan_task_import
from hienthuc.plans.models import Task
from tests.base import BaseTestCase

CAPTION = "(Kèm theo Chương trình hành động số 01-CTr/TU, ngày 10/11/2021 của Tỉnh ủy A)"
HEADER = ["TT", "Nội dung", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành", "Sản phẩm", "Ghi chú"]
BODY = [
    ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)"],
    ["I", "CÔNG TÁC XÂY DỰNG ĐẢNG VÀ HỆ THỐNG CHÍNH TRỊ", "", "", "", "", ""],
    ["1", "Công tác chính trị, tư tưởng", "", "", "", "", ""],
    [
        "1.1",
        "Tổ chức học tập, quán triệt nghị quyết",
        "Các huyện ủy, thành ủy, đảng ủy trực thuộc Tỉnh ủy",
        "Văn phòng Tỉnh ủy A",
        "Quý I/2022",
        "Báo cáo kết quả",
        "",
    ],
    [
        "1.2",
        "Xây dựng kế hoạch thực hiện",
        "Huyện ủy A1; Huyện ủy A2",
        "",
        "Năm 2022 và những năm tiếp theo",
        "Kế hoạch",
        "",
    ],
    ["2", "Công tác tổ chức, cán bộ", "", "", "", "", ""],
    [
        "2.1",
        "Sắp xếp tổ chức bộ máy",
        "Ban cán sự đảng UBND tỉnh",
        "Sở Kế hoạch và Đầu tư; Các cơ quan, đơn vị liên quan",
        "Thường xuyên",
        "Đề án",
        "Trình Ban Thường vụ",
    ],
    ["II", "PHÁT TRIỂN KINH TẾ - XÃ HỘI", "", "", "", "", ""],
    ["1", "Tăng trưởng kinh tế", "Sở Kế hoạch và Đầu tư", "các huyện ủy, thành ủy", "Quý I và Quý II/2022", "", ""],
]
SIGNATURE = [
    ["", "", "", "", "T/M BAN THƯỜNG VỤ", "", ""],
    ["Nơi nhận:", "", "", "", "BÍ THƯ", "", ""],
    ["- Như trên;", "", "", "", "", "", ""],
    ["", "", "", "", "Nguyễn Văn A", "", ""],
]


def office_xlsx() -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["TỈNH ỦY A", None, None, None, "ĐẢNG CỘNG SẢN VIỆT NAM"])
    sheet.merge_cells("A1:C1")
    sheet.merge_cells("E1:G1")
    sheet.append(["PHỤ LỤC"])
    sheet.merge_cells("A2:G2")
    sheet.append([CAPTION])
    sheet.merge_cells("A3:G3")
    sheet.append([])
    sheet.append(HEADER)
    for row in BODY:
        sheet.append(row)
        if not row[2] and row[0] != "(1)":
            sheet.merge_cells(start_row=sheet.max_row, start_column=2, end_row=sheet.max_row, end_column=7)
    sheet.append([])
    for row in SIGNATURE:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def office_docx() -> bytes:
    document = docx.Document()
    document.add_paragraph("PHỤ LỤC")
    document.add_paragraph(CAPTION)
    table = document.add_table(rows=0, cols=7)
    for row in [HEADER, *BODY]:
        cells = table.add_row().cells
        if not row[2] and row[0] != "(1)":
            merged = cells[0].merge(cells[6])
            merged.text = f"{row[0]}. {row[1]}"
            continue
        for cell, text in zip(cells, row, strict=True):
            cell.text = text
    document.add_paragraph("T/M BAN THƯỜNG VỤ")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


KEY = ("section", "number_text", "content", "lead_unit_id", "lead_text", "lead_outside", "cooperating_text",
       "output", "deadline_text", "notes")  # fmt: skip


class OfficeFileTestCase(BaseTestCase):
    def plan(self, title="Chương trình hành động"):
        return do_create_plan(unit=self.tinh_a, kind="action_program", title=title, acting_user=self.alice)

    def test_it_imports_a_real_office_table_whole(self):
        plan = self.plan()
        result = do_import_tasks(office_xlsx(), acting_user=self.alice, plan=plan)
        self.assertEqual((result.rows, len(result.tasks), result.sections), (4, 6, 4))
        self.assertIn(CAPTION, plan.__class__.objects.get(pk=plan.pk).appendix_title)
        tasks = list(Task.objects.filter(plan=plan).order_by("order", "id"))
        # A group of lead bodies: one task for each district, the cell kept as written.
        first = [t for t in tasks if t.number_text == "1.1"]
        self.assertEqual({t.lead_unit for t in first}, {self.huyen_a1, self.huyen_a2})
        self.assertEqual({t.lead_text for t in first}, {"Các huyện ủy, thành ủy, đảng ủy trực thuộc Tỉnh ủy"})
        self.assertEqual(
            first[0].section, "I CÔNG TÁC XÂY DỰNG ĐẢNG VÀ HỆ THỐNG CHÍNH TRỊ › 1 Công tác chính trị, tư tưởng"
        )
        self.assertEqual(list(first[0].cooperating_units.all()), [self.office_a])
        # Two leads in one cell, and an ongoing deadline written as a phrase.
        second = [t for t in tasks if t.number_text == "1.2"]
        self.assertEqual({t.lead_unit for t in second}, {self.huyen_a1, self.huyen_a2})
        self.assertEqual({t.deadline_kind for t in second}, {"ongoing"})
        # Bodies outside the tree are kept by name; the province follows them up.
        outside = next(t for t in tasks if t.number_text == "2.1")
        self.assertTrue(outside.lead_outside)
        self.assertEqual((outside.lead_unit, outside.lead_text), (self.tinh_a, "Ban cán sự đảng UBND tỉnh"))
        self.assertEqual(outside.cooperating_text, "Sở Kế hoạch và Đầu tư; Các cơ quan, đơn vị liên quan")
        self.assertEqual(outside.section, "I CÔNG TÁC XÂY DỰNG ĐẢNG VÀ HỆ THỐNG CHÍNH TRỊ › 2 Công tác tổ chức, cán bộ")
        last = next(t for t in tasks if t.section.startswith("II"))
        self.assertEqual(last.lead_text, "Sở Kế hoạch và Đầu tư")
        self.assertEqual(set(last.cooperating_units.all()), {self.huyen_a1, self.huyen_a2})
        self.assertEqual(str(last.deadline_last_day), "2022-06-30")
        # Nothing of the signature block became a task.
        self.assertFalse(Task.objects.filter(content__icontains="Nguyễn Văn A").exists())
        self.assertFalse(Task.objects.filter(content__icontains="Như trên").exists())

    def test_the_preview_says_what_each_unusual_row_becomes(self):
        result = plan_task_import(office_xlsx(), user=self.alice, plan=self.plan())
        notes = "\n".join(result.notes)
        self.assertIn("giao cho 2 đơn vị", notes)
        self.assertIn("“Ban cán sự đảng UBND tỉnh” chưa có trong cây đơn vị", notes)
        self.assertIn("2 cơ quan cùng chủ trì", notes)
        self.client.force_login(self.alice)
        plan = self.plan("Bản xem trước")
        response = self.client.post(f"/plans/{plan.pk}/import/", {"file": _upload(office_xlsx(), "ctr.xlsx")})
        self.assertContains(response, "6 nhiệm vụ từ 4 dòng")
        self.assertContains(response, "Nhập 6 nhiệm vụ")
        self.assertContains(response, "giữ theo tên")

    def test_the_export_imports_again_unchanged(self):
        plan = self.plan()
        do_import_tasks(office_xlsx(), acting_user=self.alice, plan=plan)
        exported = export_tasks(plan, self.alice)
        sheet = openpyxl.load_workbook(io.BytesIO(exported)).active
        texts = [c for row in sheet.iter_rows(values_only=True) for c in row if c]
        self.assertIn(CAPTION, texts)
        self.assertIn("1.1", texts)  # STT as written, not renumbered
        self.assertEqual(texts.count("Các huyện ủy, thành ủy, đảng ủy trực thuộc Tỉnh ủy"), 1)  # one row again
        again = self.plan("Bản sao")
        do_import_tasks(exported, acting_user=self.alice, plan=again)
        rows = lambda p: sorted(Task.objects.filter(plan=p).values_list(*KEY))  # noqa: E731
        self.assertEqual(rows(again), rows(plan))
        self.assertEqual(
            again.__class__.objects.get(pk=again.pk).appendix_title,
            plan.__class__.objects.get(pk=plan.pk).appendix_title,
        )

    def test_it_imports_the_same_table_from_word(self):
        plan = self.plan()
        result = do_import_tasks(office_docx(), acting_user=self.alice, plan=plan)
        self.assertEqual((result.rows, len(result.tasks)), (4, 6))
        task = Task.objects.filter(plan=plan, number_text="2.1").get()
        self.assertEqual(task.section, "I. CÔNG TÁC XÂY DỰNG ĐẢNG VÀ HỆ THỐNG CHÍNH TRỊ › 2. Công tác tổ chức, cán bộ")
        self.assertIn(CAPTION, plan.__class__.objects.get(pk=plan.pk).appendix_title)

    def test_a_header_without_the_required_columns_says_which_are_needed(self):
        from hienthuc.lib.sheets import FileProblem
        from tests.helpers import xlsx

        with self.assertRaisesMessage(FileProblem, "Cơ quan chủ trì"):
            plan_task_import(xlsx([["STT", "Nội dung"], [1, "Việc"]]), user=self.alice, plan=self.plan())


def _upload(data: bytes, name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


class OfficeFileLayoutTestCase(BaseTestCase):
    def plan(self):
        return do_create_plan(unit=self.tinh_a, kind="action_program", title="CT", acting_user=self.alice)

    def test_the_table_may_be_on_a_later_sheet(self):
        workbook = openpyxl.Workbook()
        workbook.active.title = "Chương trình"
        workbook.active.append(["CHƯƠNG TRÌNH HÀNH ĐỘNG (toàn văn ở tệp Word)"])
        sheet = workbook.create_sheet("Phụ lục")
        sheet.append(["Số TT", "Nhiệm vụ, giải pháp", "Đơn vị chủ trì", "Thời điểm hoàn thành"])
        sheet.append(["1", "Việc trên trang tính thứ hai", "Huyện ủy A1", "Năm 2022"])
        out = io.BytesIO()
        workbook.save(out)
        result = do_import_tasks(out.getvalue(), acting_user=self.alice, plan=self.plan())
        self.assertEqual([values["content"] for _row, values in result.tasks], ["Việc trên trang tính thứ hai"])

    def test_a_word_appendix_split_into_tables_per_part_reads_as_one(self):
        document = docx.Document()
        for part, task in (("I. XÂY DỰNG ĐẢNG", "Việc phần một"), ("II. KINH TẾ", "Việc phần hai")):
            document.add_paragraph(part)
            table = document.add_table(rows=0, cols=4)
            for row in (["TT", "Nội dung", "Cơ quan chủ trì", "Thời hạn"], ["1", task, "Huyện ủy A2", "Quý IV/2022"]):
                for cell, text in zip(table.add_row().cells, row, strict=True):
                    cell.text = text
        out = io.BytesIO()
        document.save(out)
        result = do_import_tasks(out.getvalue(), acting_user=self.alice, plan=self.plan())
        self.assertEqual([v["content"] for _r, v in result.tasks], ["Việc phần một", "Việc phần hai"])
        self.assertEqual([v["section"] for _r, v in result.tasks], ["I. XÂY DỰNG ĐẢNG", "II. KINH TẾ"])
