"""Messages raised in Python reach people in the language they chose, and Party documents and
import files stay Vietnamese whatever that language is."""

import io

import openpyxl
from django.core.exceptions import ValidationError
from django.utils import translation

from hienthuc.lib import deadlines, periods
from hienthuc.plans.actions import do_create_plan
from tests.base import BaseTestCase


class LanguageTestCase(BaseTestCase):
    def tearDown(self):
        translation.deactivate()  # a request in English leaves English active in this thread

    def test_it_raises_an_actions_message_in_english_for_an_english_reader(self):
        with translation.override("en"), self.assertRaisesMessage(ValidationError, "title must not be empty"):
            do_create_plan(unit=self.tinh_a, kind="implementation_plan", title=" ", acting_user=self.alice)
        with translation.override("vi"), self.assertRaisesMessage(ValidationError, "Tên kế hoạch không được để trống"):
            do_create_plan(unit=self.tinh_a, kind="implementation_plan", title=" ", acting_user=self.alice)

    def test_it_explains_a_bad_period_in_english_but_lists_the_notation_as_written(self):
        with translation.override("en"), self.assertRaises(periods.PeriodError) as caught:
            periods.parse("quý năm")
        self.assertIn("Cannot read the reporting period “quý năm”", str(caught.exception))
        self.assertIn("Quý I/2021", str(caught.exception))  # the notation people type stays Vietnamese
        with translation.override("en"):
            self.assertEqual(periods.parse("2025-Q3").label, "Quý III/2025")
            self.assertEqual(deadlines.STATUS_LABELS[deadlines.OPEN_OVERDUE], "Not completed (overdue)")

    def test_it_answers_a_form_error_in_the_language_of_the_session(self):
        self.client.force_login(self.alice)
        self.client.cookies.load({"django_language": "en"})
        data = {"code": "A1", "name": "Tỉnh ủy A", "short_name": "", "kind": self.tinh_a.kind_id}
        response = self.client.post(f"/orgs/{self.tinh_a.pk}/edit/", data)
        self.assertContains(response, "Unit code “A1” is already used.")

    def test_it_keeps_import_templates_in_vietnamese_for_an_english_reader(self):
        self.client.force_login(self.alice)
        self.client.cookies.load({"django_language": "en"})
        response = self.client.get("/orgs/import/template.xlsx")
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        headers = [cell.value for row in sheet.iter_rows(max_row=3) for cell in row]
        self.assertIn("Mã đơn vị", headers)
        self.assertIn("Mã đơn vị cấp trên", headers)
