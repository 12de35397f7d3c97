import datetime

from django.test import SimpleTestCase

from hienthuc.lib import deadlines
from hienthuc.lib.deadlines import DeadlineError, parse, status

D = datetime.date


class DeadlineTestCase(SimpleTestCase):
    def test_it_parses_deadlines_as_offices_write_them(self):
        cases = {
            "Thường xuyên": (deadlines.ONGOING, None),
            "thuong xuyen": (deadlines.ONGOING, None),
            "Hằng năm": (deadlines.ONGOING, None),
            "Tháng 6/2026": (deadlines.MONTH, D(2026, 6, 30)),
            "tháng 02/2028": (deadlines.MONTH, D(2028, 2, 29)),
            "Tháng 6 năm 2026": (deadlines.MONTH, D(2026, 6, 30)),
            "T12/2025": (deadlines.MONTH, D(2025, 12, 31)),
            "6/2026": (deadlines.MONTH, D(2026, 6, 30)),
            "Quý III/2027": (deadlines.QUARTER, D(2027, 9, 30)),
            "quý 1/2026": (deadlines.QUARTER, D(2026, 3, 31)),
            "Quý IV năm 2026": (deadlines.QUARTER, D(2026, 12, 31)),
            "6 tháng đầu năm 2026": (deadlines.HALF, D(2026, 6, 30)),
            "6 tháng cuối năm 2026": (deadlines.HALF, D(2026, 12, 31)),
            "9 tháng đầu năm 2026": (deadlines.NINE_MONTHS, D(2026, 9, 30)),
            "Năm 2030": (deadlines.YEAR, D(2030, 12, 31)),
            "2030": (deadlines.YEAR, D(2030, 12, 31)),
            "2026–2027": (deadlines.YEARS, D(2027, 12, 31)),
            "2026 - 2027": (deadlines.YEARS, D(2027, 12, 31)),
            "Giai đoạn 2021-2025": (deadlines.YEARS, D(2025, 12, 31)),
            "30/6/2026": (deadlines.DATE, D(2026, 6, 30)),
            "Trước ngày 15/3/2026": (deadlines.DATE, D(2026, 3, 15)),
            "15-03-2026": (deadlines.DATE, D(2026, 3, 15)),
        }
        for text, (kind, last_day) in cases.items():
            deadline = parse(text)
            self.assertEqual((deadline.kind, deadline.last_day), (kind, last_day), text)
            self.assertEqual(deadline.text, text)

    def test_it_lists_the_accepted_forms_for_what_it_cannot_read(self):
        for text in ("sớm", "Quý V/2026", "Tháng 13/2026", "31/2/2026", "2027-2026", "Năm 1800", ""):
            with self.assertRaises(DeadlineError, msg=text) as ctx:
                parse(text)
            self.assertIn("hời hạn", str(ctx.exception), text)  # names the deadline in Vietnamese
        with self.assertRaises(DeadlineError) as ctx:
            parse("đầu năm sau")
        self.assertIn("Các cách ghi được chấp nhận: Thường xuyên; Tháng 6/2026; Quý III/2027", str(ctx.exception))

    def test_it_computes_the_four_statuses_from_the_last_day(self):
        last = D(2026, 6, 30)
        self.assertEqual(status(last, D(2026, 6, 30), D(2026, 7, 5)), deadlines.DONE_ON_TIME)
        self.assertEqual(status(last, D(2026, 7, 1), D(2026, 7, 5)), deadlines.DONE_LATE)
        self.assertEqual(status(last, None, D(2026, 6, 30)), deadlines.OPEN_IN_TIME)
        self.assertEqual(status(last, None, D(2026, 7, 1)), deadlines.OPEN_OVERDUE)
        self.assertEqual(status(None, None, D(2026, 7, 1)), deadlines.STATUS_ONGOING)
