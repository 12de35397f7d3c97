import dataclasses
import datetime
import json
import threading
from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from hienthuc.imports import importers
from hienthuc.indicators import tallies
from hienthuc.indicators.actions import (
    do_add_rule,
    do_create_form,
    do_create_indicator,
    do_require_reports,
    do_review_submission,
    do_save_submission,
    do_set_target,
    history_warnings,
)
from hienthuc.indicators.importing import HEADERS, do_import_values, plan_value_import
from hienthuc.indicators.models import Submission, Target, Value
from hienthuc.lib.partydoc import DOCX_CONTENT_TYPE
from tests.base import BaseTestCase

Q1 = "2021-Q1"


class IndicatorBase(BaseTestCase):
    maxDiff = None

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        make = lambda code, name, measure, **kw: do_create_indicator(  # noqa: E731
            owner=cls.tinh_a, code=code, name=name, measure=measure, acting_user=cls.alice, **kw
        )
        cls.members = make("DV", "Tổng số đảng viên", "người", min_value=0)
        cls.admitted = make("DV_MOI", "Đảng viên mới kết nạp", "người", min_value=0)
        cls.growth = make("GRDP", "Tốc độ tăng GRDP", "%", decimals=2, aggregation="avg", time_aggregation="last")
        cls.good = make(
            "TCCS_TOT", "Tỷ lệ tổ chức cơ sở đảng tốt", "%", decimals=1, min_value=0, max_value=100,
            aggregation="weighted", weight=cls.members, time_aggregation="last",
        )  # fmt: skip
        cls.form = do_create_form(
            owner=cls.tinh_a, name="Báo cáo quý về công tác đảng", period_kind="quarter", first_year=2021,
            indicators=[cls.members, cls.admitted, cls.growth, cls.good], sections="Tình hình\nKhó khăn",
            acting_user=cls.alice,
        )  # fmt: skip
        do_add_rule(cls.form, left=cls.admitted, comparison="<=", right=cls.members, acting_user=cls.alice)
        do_require_reports(cls.form, units=[cls.huyen_a1, cls.huyen_a2, cls.xa_a1a], acting_user=cls.alice)

    def report(self, unit, user, values, *, period=Q1, submit=False, **kw):
        by_id = {getattr(self, name).pk: v for name, v in values.items()}
        return do_save_submission(
            self.form, unit=unit, period=period, values=by_id, submit=submit, acting_user=user, **kw
        )

    def assert_tallies_match_the_rows(self):
        for stored, expected in zip(tallies.stored(), tallies.expected(), strict=True):
            differing = {
                k: (stored.get(k), expected.get(k))
                for k in stored.keys() | expected.keys()
                if stored.get(k) != expected.get(k)
            }
            self.assertEqual(differing, {})


class SubmissionTestCase(IndicatorBase):
    def test_it_saves_a_draft_then_submits_and_the_province_accepts_or_returns(self):
        draft = self.report(self.huyen_a1, self.bob, {"members": "1.234", "admitted": "25"})
        self.assertEqual(draft.status, "draft")
        self.assertEqual(Value.objects.get(indicator=self.members, unit=self.huyen_a1).value, 1234)
        with self.assertRaises(ValidationError) as error:
            self.report(self.huyen_a1, self.bob, {"members": "1234", "admitted": "25"}, submit=True)
        self.assertIn("Chưa nhập “Tốc độ tăng GRDP”.", str(error.exception))
        sent = self.report(
            self.huyen_a1,
            self.bob,
            {"members": "1234", "admitted": "25", "growth": "3,23", "good": "92,5"},
            submit=True,
        )
        self.assertEqual(sent.status, "submitted")
        with self.assertRaisesMessage(ValidationError, "đã gửi lên cấp trên"):
            self.report(self.huyen_a1, self.bob, {"members": "1300"})
        with self.assertRaisesMessage(ValidationError, "cần ghi rõ lý do"):
            do_review_submission(sent, accept=False, acting_user=self.alice)
        with self.assertRaisesMessage(ValidationError, "Chỉ đơn vị cấp trên"):
            do_review_submission(sent, accept=True, acting_user=self.bob)
        returned = do_review_submission(sent, accept=False, comment="Kiểm tra lại số đảng viên", acting_user=self.alice)
        self.assertEqual(returned.status, "returned")
        fixed = self.report(
            self.huyen_a1, self.bob, {"members": "1240", "admitted": "25", "growth": "3,23", "good": "92,5"},
            submit=True, version=returned.version,
        )  # fmt: skip
        accepted = do_review_submission(fixed, accept=True, acting_user=self.alice)
        with self.assertRaisesMessage(ValidationError, "đã được duyệt"):
            self.report(self.huyen_a1, self.bob, {"members": "1300"})
        self.assertEqual(accepted.status, "accepted")
        self.assert_tallies_match_the_rows()

    def test_it_refuses_bad_values_and_writes_nothing(self):
        cases = [
            ({"members": "nhiều"}, "không phải một số"),
            ({"good": "120"}, "phải từ 0,0 đến 100,0 %"),
            ({"members": "12,5"}, "ghi số nguyên"),
            ({"growth": "3,234"}, "tối đa 2 chữ số thập phân"),
            ({"members": "100", "admitted": "150"}, "phải ≤ “Tổng số đảng viên”"),
        ]
        for values, message in cases:
            with self.subTest(values=values), self.assertRaisesMessage(ValidationError, message):
                self.report(self.huyen_a1, self.bob, values)
        self.assertFalse(Value.objects.exists())
        self.assertFalse(Submission.objects.exists())

    def test_it_refuses_periods_units_and_stale_saves_that_do_not_belong(self):
        with self.assertRaisesMessage(ValidationError, "không thuộc mẫu này"):
            self.report(self.huyen_a1, self.bob, {"members": "1"}, period="2021-T03")
        with self.assertRaisesMessage(ValidationError, "áp dụng từ năm 2021"):
            self.report(self.huyen_a1, self.bob, {"members": "1"}, period="2020-Q4")
        with self.assertRaisesMessage(ValidationError, "chưa bắt đầu"):
            self.report(self.huyen_a1, self.bob, {"members": "1"}, period=f"{timezone.localdate().year + 1}-Q1")
        with self.assertRaisesMessage(ValidationError, "Không hiểu kỳ báo cáo"):
            self.report(self.huyen_a1, self.bob, {"members": "1"}, period="quý 9")
        with self.assertRaisesMessage(ValidationError, "không thuộc các đơn vị phải nộp"):
            self.report(self.xa_a1b, self.bob, {"members": "1"})
        with self.assertRaisesMessage(ValidationError, "không có quyền"):
            self.report(self.huyen_a2, self.bob, {"members": "1"})
        first = self.report(self.huyen_a1, self.bob, {"members": "1"})
        self.report(self.huyen_a1, self.bob, {"members": "2"}, version=first.version)
        with self.assertRaisesMessage(ValidationError, "vừa được người khác lưu"):
            self.report(self.huyen_a1, self.bob, {"members": "3"}, version=first.version)
        self.assertEqual(Value.objects.get().value, 2)

    def test_it_warns_of_values_far_from_the_units_history(self):
        for quarter, n in ((1, "1000"), (2, "1010"), (3, "990")):
            self.report(self.huyen_a1, self.bob, {"members": n}, period=f"2021-Q{quarter}")
        warnings = history_warnings(self.huyen_a1, "2021-Q4", {self.members.pk: Decimal(10000)}, [self.members])
        self.assertIn("Khác xa các kỳ trước", warnings[self.members.pk])
        self.assertEqual(
            history_warnings(self.huyen_a1, "2021-Q4", {self.members.pk: Decimal(1005)}, [self.members]), {}
        )


class RollupTestCase(IndicatorBase):
    def test_it_rolls_values_up_by_each_indicators_rule_and_keeps_tallies_exact(self):
        self.report(self.huyen_a1, self.bob, {"members": "1000", "growth": "3,5", "good": "90"})
        self.report(self.huyen_a2, self.alice, {"members": "3000", "growth": "2,5", "good": "80"})
        self.report(self.xa_a1a, self.bob, {"members": "200", "good": "50"})
        indicators = [self.members, self.growth, self.good, self.admitted]
        figures = tallies.unit_figures(self.tinh_a, indicators, [Q1])
        # The district's own figure counts, not its commune's on top of it.
        self.assertEqual(figures[(self.members.pk, Q1)], 4000)
        self.assertEqual(figures[(self.growth.pk, Q1)], 3)
        self.assertEqual(figures[(self.good.pk, Q1)], Decimal("82.5"))  # (90×1000 + 80×3000) / 4000
        self.assertIsNone(figures[(self.admitted.pk, Q1)])
        # A weight arriving after the value, or changing, moves the weighted average.
        self.report(self.huyen_a2, self.alice, {"members": "1000", "growth": "2,5", "good": "80"})
        figures = tallies.unit_figures(self.tinh_a, indicators, [Q1])
        self.assertEqual(figures[(self.good.pk, Q1)], 85)
        self.assert_tallies_match_the_rows()
        # The Centre adds up its provinces.
        self.assertEqual(tallies.unit_figures(self.centre, [self.members], [Q1])[(self.members.pk, Q1)], 2000)
        # A year from its quarters, as each indicator adds up over time.
        self.report(self.huyen_a1, self.bob, {"members": "1100", "growth": "4"}, period="2021-Q2")
        keys = tallies.year_keys([2021])
        figures = tallies.unit_figures(self.huyen_a1, indicators, keys)
        self.assertEqual(tallies.year_value(self.members, figures, 2021), 2100)
        self.assertEqual(tallies.year_value(self.growth, figures, 2021), 4)

    def test_it_counts_who_submitted_on_time_late_or_not_at_all(self):
        values = {"members": "10", "admitted": "1", "growth": "1", "good": "50"}
        self.report(self.huyen_a1, self.bob, values, submit=True)
        sent = timezone.make_aware(datetime.datetime(2021, 4, 10))
        Submission.objects.filter(unit=self.huyen_a1).update(first_submitted_at=sent, submitted_at=sent)
        tallies.rebuild()
        totals, per_child = tallies.completeness(self.tinh_a, self.form, Q1)
        self.assertEqual(totals, {"on_time": 1, "late": 0, "missing": 2})
        self.assertEqual(per_child[self.huyen_a1.pk], {"on_time": 1, "late": 0, "missing": 1})
        self.report(self.xa_a1a, self.bob, values, submit=True)  # today: long after 15 April 2021
        totals, _ = tallies.completeness(self.tinh_a, self.form, Q1)
        self.assertEqual(totals, {"on_time": 1, "late": 1, "missing": 1})
        self.assert_tallies_match_the_rows()

    def test_a_returned_report_counts_as_not_sent_until_sent_again_and_then_by_that_day(self):
        from hienthuc.indicators.actions import do_review_submission

        values = {"members": "10", "admitted": "1", "growth": "1", "good": "50"}
        submission = self.report(self.huyen_a1, self.bob, values, submit=True)
        sent = timezone.make_aware(datetime.datetime(2021, 4, 10))  # on time
        Submission.objects.filter(pk=submission.pk).update(first_submitted_at=sent, submitted_at=sent)
        tallies.rebuild()
        self.assertEqual(tallies.completeness(self.tinh_a, self.form, Q1)[0]["on_time"], 1)
        do_review_submission(submission, accept=False, comment="Thiếu số liệu đảng viên mới", acting_user=self.alice)
        totals = tallies.completeness(self.tinh_a, self.form, Q1)[0]
        self.assertEqual((totals["on_time"], totals["late"]), (0, 0))
        self.assert_tallies_match_the_rows()
        # Sent again today, long after the deadline: late, whatever the first sending was.
        self.report(self.huyen_a1, self.bob, values, submit=True)
        totals = tallies.completeness(self.tinh_a, self.form, Q1)[0]
        self.assertEqual((totals["on_time"], totals["late"]), (0, 1))
        self.assert_tallies_match_the_rows()
        submission.refresh_from_db()
        do_review_submission(submission, accept=True, acting_user=self.alice)
        self.assertEqual(tallies.completeness(self.tinh_a, self.form, Q1)[0]["late"], 1)
        self.assert_tallies_match_the_rows()


class FormEditTestCase(IndicatorBase):
    def test_it_corrects_a_form_and_counts_sent_reports_again_by_the_new_deadline(self):
        from hienthuc.audit.models import AuditEvent
        from hienthuc.indicators.actions import do_update_form

        values = {"members": "10", "admitted": "1", "growth": "1", "good": "50"}
        self.report(self.huyen_a1, self.bob, values, submit=True)
        sent = timezone.make_aware(datetime.datetime(2021, 4, 20))  # 20 days after the quarter
        Submission.objects.filter(unit=self.huyen_a1).update(first_submitted_at=sent, submitted_at=sent)
        tallies.rebuild()
        self.assertEqual(tallies.completeness(self.tinh_a, self.form, Q1)[0]["late"], 1)
        do_update_form(
            self.form, name="  Báo cáo quý  ", deadline_days=30, indicators=[self.growth, self.members],
            sections="Tình hình", acting_user=self.alice,
        )  # fmt: skip
        self.form.refresh_from_db()
        self.assertEqual(
            (self.form.name, self.form.deadline_days, self.form.sections), ("Báo cáo quý", 30, "Tình hình")
        )
        self.assertEqual([i.indicator for i in self.form.items.order_by("order")], [self.growth, self.members])
        self.assertFalse(self.form.rules.exists())  # its rule compared an indicator taken out
        self.assertEqual(tallies.completeness(self.tinh_a, self.form, Q1)[0]["on_time"], 1)
        self.assert_tallies_match_the_rows()
        self.assertTrue(Value.objects.filter(indicator=self.admitted, unit=self.huyen_a1).exists())
        event = AuditEvent.objects.filter(action="update", object_type="indicators.reportform").get()
        self.assertEqual(event.after["removed_rules"], ["DV_MOI <= DV"])

    def test_a_stopped_form_takes_no_new_reports(self):
        from hienthuc.indicators.actions import do_update_form

        do_update_form(
            self.form, name=self.form.name, deadline_days=15, indicators=[self.members], is_active=False,
            acting_user=self.alice,
        )  # fmt: skip
        self.form.refresh_from_db()
        with self.assertRaisesMessage(ValidationError, "đã ngừng sử dụng"):
            self.report(self.huyen_a1, self.bob, {"members": "10"})
        self.assertFalse(Submission.objects.exists())

    def test_it_edits_through_the_page_with_vietnamese_errors_for_editors_only(self):
        url = f"/reports/{self.form.pk}/edit/"
        self.client.force_login(self.charlie)  # a viewer of the province
        self.assertEqual(self.client.get(url).status_code, 403)
        self.client.force_login(self.oscar)  # another province
        self.assertEqual(self.client.get(url).status_code, 404)
        self.client.force_login(self.alice)
        page = self.client.get(url)
        self.assertContains(page, 'value="DV, DV_MOI, GRDP, TCCS_TOT"')
        for data, message in (
            ({"name": "", "deadline_days": "15", "indicators": "DV"}, "Trường này là bắt buộc."),
            ({"name": "Mẫu", "deadline_days": "200", "indicators": "DV"}, "Hạn nộp từ -89 đến 120 ngày"),
            ({"name": "Mẫu", "deadline_days": "x", "indicators": "DV"}, "Số ngày là một số."),
            ({"name": "Mẫu", "deadline_days": "15", "indicators": "KHONG"}, "Không có chỉ tiêu “KHONG”"),
        ):
            with self.subTest(data=data):
                self.assertContains(self.client.post(url, {**data, "is_active": "on"}), message)
        self.form.refresh_from_db()
        self.assertEqual((self.form.name, self.form.deadline_days), ("Báo cáo quý về công tác đảng", 15))
        page = self.client.post(url, {"name": "Mẫu mới", "deadline_days": "10", "indicators": "DV, GRDP"}, follow=True)
        self.assertContains(page, "Đã lưu mẫu báo cáo.")
        self.assertContains(page, "Đã ngừng sử dụng")  # the box left unticked


class TargetTestCase(IndicatorBase):
    def test_it_sets_yearly_and_term_targets_within_the_owners_subtree(self):
        do_set_target(self.growth, unit=self.tinh_a, year=2021, value="6,5", acting_user=self.alice)
        target = do_set_target(self.growth, unit=self.tinh_a, year=2025, value="7", kind="term", acting_user=self.alice)
        self.assertEqual(target.value, 7)
        do_set_target(self.growth, unit=self.tinh_a, year=2021, value="6,8", acting_user=self.alice)
        self.assertEqual(self.growth.targets.get(kind="year").value, Decimal("6.8"))
        with self.assertRaisesMessage(ValidationError, "tối đa 2 chữ số"):
            do_set_target(self.growth, unit=self.huyen_a1, year=2021, value="6,555", acting_user=self.alice)
        with self.assertRaisesMessage(ValidationError, "Chỉ đặt chỉ tiêu"):
            do_set_target(self.growth, unit=self.tinh_b, year=2021, value="5", acting_user=self.oscar)


class ReportPagesTestCase(IndicatorBase):
    def test_a_district_fills_a_report_with_one_bad_value_then_submits_and_the_province_reviews(self):
        self.client.force_login(self.bob)
        url = f"/reports/{self.form.pk}/fill/?unit={self.huyen_a1.pk}&period={Q1}"
        page = self.client.get(url)
        self.assertContains(page, "Quý I/2021")
        data = {
            f"value_{self.members.pk}": "1.200",
            f"value_{self.admitted.pk}": "1.500",
            f"value_{self.growth.pk}": "3,23",
            f"value_{self.good.pk}": "91",
            "section_0": "Ổn định",
            "version": "1",
            "submit": "1",
        }
        refused = self.client.post(url, data)
        self.assertEqual(refused.status_code, 400)
        self.assertContains(refused, "phải ≤ “Tổng số đảng viên”", status_code=400)
        self.assertFalse(Value.objects.exists())
        sent = self.client.post(url, {**data, f"value_{self.admitted.pk}": "25"})
        self.assertEqual(sent.status_code, 302)
        self.assertEqual(Submission.objects.get().status, "submitted")
        self.client.force_login(self.alice)
        submission = Submission.objects.get()
        self.assertContains(self.client.get(url), "Duyệt")
        self.client.post(f"/submissions/{submission.pk}/review/", {"return": "1", "comment": "Xem lại tỷ lệ"})
        self.assertEqual(Submission.objects.get().status, "returned")
        self.client.force_login(self.bob)
        self.assertContains(self.client.get(url), "Xem lại tỷ lệ")
        self.client.post(url, {**data, f"value_{self.admitted.pk}": "25", "version": Submission.objects.get().version})
        self.client.force_login(self.alice)
        self.client.post(f"/submissions/{submission.pk}/review/", {"accept": "1"})
        self.assertEqual(Submission.objects.get().status, "accepted")
        # Completeness and the indicator page change at once.
        page = self.client.get(f"/reports/{self.form.pk}/completeness/?unit={self.tinh_a.pk}&period={Q1}")
        self.assertEqual(page.context["totals"]["missing"], 2)
        page = self.client.get(f"/indicators/{self.members.pk}/?unit={self.tinh_a.pk}&year=2021")
        self.assertEqual(next(r for r in page.context["history"] if r["year"] == 2021)["actual"], 1200)
        self.assertContains(page, "Huyện ủy A1")
        # Another province sees none of it.
        self.client.force_login(self.oscar)
        self.assertEqual(self.client.get(f"/submissions/{submission.pk}/").status_code, 404)
        self.assertEqual(self.client.get(f"/indicators/{self.members.pk}/").status_code, 404)

    def test_it_shows_values_entered_elsewhere_as_filled_and_counts_them(self):
        other = do_create_form(
            owner=self.tinh_a, name="Báo cáo nhanh", period_kind="quarter", first_year=2021,
            indicators=[self.members], acting_user=self.alice,
        )  # fmt: skip
        do_require_reports(other, units=[self.huyen_a1], acting_user=self.alice)
        do_save_submission(other, unit=self.huyen_a1, period=Q1, values={self.members.pk: "1000"}, acting_user=self.bob)
        self.client.force_login(self.bob)
        page = self.client.get(f"/reports/{self.form.pk}/fill/?unit={self.huyen_a1.pk}&period={Q1}")
        self.assertEqual(page.context["filled"], 1)
        self.assertContains(page, "1.000")

    def test_it_creates_indicators_and_forms_through_the_pages_with_vietnamese_errors(self):
        self.client.force_login(self.alice)
        page = self.client.post(
            "/indicators/",
            {
                "owner": "A",
                "code": "GRDP",
                "name": "x",
                "measure": "%",
                "aggregation": "sum",
                "time_aggregation": "sum",
                "decimals": "2",
            },
        )
        self.assertContains(page, "Đã có chỉ tiêu mã GRDP.")
        page = self.client.post(
            "/indicators/",
            {"owner": "A", "code": "THU_NS", "name": "Thu ngân sách", "measure": "tỷ đồng", "aggregation": "sum",
             "time_aggregation": "sum", "decimals": "1"},
        )  # fmt: skip
        self.assertEqual(page.status_code, 302)
        page = self.client.post(
            "/reports/",
            {"owner": "A", "name": "Báo cáo năm", "period_kind": "year", "first_year": "2021", "deadline_days": "30",
             "indicators": "THU_NS, KHONG_CO"},
        )  # fmt: skip
        self.assertContains(page, "Không có chỉ tiêu “KHONG_CO”")
        page = self.client.post(
            "/reports/",
            {"owner": "A", "name": "Báo cáo năm", "period_kind": "year", "first_year": "2021", "deadline_days": "30",
             "indicators": "THU_NS"},
        )  # fmt: skip
        self.assertEqual(page.status_code, 302)
        form = self.form.__class__.objects.get(name="Báo cáo năm")
        page = self.client.post(f"/reports/{form.pk}/", {"req-mode": "children"})
        self.assertEqual(form.required.count(), 2)  # the two districts (the office is a body)
        page = self.client.get(f"/reports/{form.pk}/fill/?unit={self.huyen_a1.pk}&period=2021-Q1", follow=True)
        self.assertContains(page, "không thuộc mẫu này")

    def test_it_pins_the_query_count_of_the_report_pages(self):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        self.client.force_login(self.alice)
        urls = [
            f"/reports/{self.form.pk}/",
            f"/reports/{self.form.pk}/completeness/?unit={self.tinh_a.pk}&period={Q1}",
            f"/indicators/{self.good.pk}/?unit={self.tinh_a.pk}",
            f"/reports/{self.form.pk}/fill/?unit={self.huyen_a1.pk}&period={Q1}",
        ]
        counts = []
        for values in ({"members": "10"}, {"members": "10", "admitted": "1", "growth": "2", "good": "50"}):
            self.report(self.huyen_a1, self.bob, values)
            self.report(self.huyen_a2, self.alice, values)
            for url in urls:
                with CaptureQueriesContext(connection) as ctx:
                    self.assertEqual(self.client.get(url).status_code, 200, url)
                counts.append(len(ctx.captured_queries))
        self.assertEqual(counts[:4], counts[4:])
        # The indicator page reads the year's periods and the estimates too.
        self.assertLessEqual(max(counts), 27)


class DashboardPanelTestCase(IndicatorBase):
    def test_the_unit_dashboard_shows_indicators_against_targets_and_report_completeness(self):
        from hienthuc.lib import periods

        today = timezone.localdate()
        current = periods.closed_periods("quarter", 2021, today)[0]
        do_set_target(self.members, unit=self.tinh_a, year=today.year, value="5000", acting_user=self.alice)
        do_set_target(self.growth, unit=self.tinh_a, year=today.year, value="7", acting_user=self.alice)
        values = {"members": "2000", "admitted": "10", "growth": "7,5", "good": "80"}
        self.report(self.huyen_a1, self.bob, values, period=current.key, submit=True)
        self.client.force_login(self.alice)
        self.assertContains(
            self.client.get(f"/orgs/{self.tinh_a.pk}/dashboard/"),
            f'hx-get="/orgs/{self.tinh_a.pk}/dashboard/indicators/"',
        )
        fragment = self.client.get(f"/orgs/{self.tinh_a.pk}/dashboard/indicators/", headers={"HX-Request": "true"})
        self.assertNotContains(fragment, "<html")
        self.assertContains(fragment, "Nguy cơ không đạt")
        page = self.client.get(f"/orgs/{self.tinh_a.pk}/dashboard/indicators/")
        rows = {r["indicator"].code: r for r in page.context["indicators"]}
        self.assertEqual(rows["DV"]["actual"], 2000)
        self.assertEqual(rows["DV"]["light"], "red")  # 40% of the target
        self.assertEqual(rows["GRDP"]["light"], "green")
        self.assertEqual(page.context["indicators"][0]["indicator"].code, "DV")  # red first
        [report] = page.context["reports"]
        self.assertEqual(report["totals"]["missing"], 2)
        self.assertEqual(report["totals"]["on_time"] + report["totals"]["late"], 1)
        self.assertContains(page, "Báo cáo định kỳ của các đơn vị trực thuộc")
        # A district without targets of its own sees the figures it reported, unjudged.
        self.client.force_login(self.bob)
        page = self.client.get(f"/orgs/{self.huyen_a1.pk}/dashboard/indicators/")
        rows = {r["indicator"].code: r for r in page.context["indicators"]}
        self.assertEqual((rows["DV"]["actual"], rows["DV"]["target"], rows["DV"]["light"]), (2000, None, "grey"))


class IndicatorApiTestCase(IndicatorBase):
    def headers(self, user) -> dict:
        from hienthuc.accounts.actions import do_create_api_token

        _token, raw = do_create_api_token(user, name="t", acting_user=user)
        return {"Authorization": f"Bearer {raw}"}

    def test_it_serves_indicators_forms_submissions_and_completeness_with_the_same_rules(self):
        bob, alice, oscar = self.headers(self.bob), self.headers(self.alice), self.headers(self.oscar)
        codes = [i["code"] for i in self.client.get("/api/indicators", headers=bob).json()["items"]]
        self.assertEqual(codes, ["DV", "DV_MOI", "GRDP", "TCCS_TOT"])
        self.assertEqual(self.client.get("/api/indicators", headers=oscar).json()["items"], [])
        self.assertIs(self.client.get(f"/api/report-forms/{self.form.pk}", headers=bob).json()["is_active"], True)
        url = f"/api/report-forms/{self.form.pk}/submissions"
        body = {"unit_id": self.huyen_a1.pk, "period": "Quý I/2021", "values": {"DV": "100", "DV_MOI": "150"}}
        refused = self.client.post(url, body, content_type="application/json", headers=bob)
        self.assertEqual(refused.status_code, 400)
        self.assertIn("phải ≤ “Tổng số đảng viên”", refused.json()["detail"])
        unknown = self.client.post(url, {**body, "values": {"XYZ": 1}}, content_type="application/json", headers=bob)
        self.assertIn("không có chỉ tiêu mã: XYZ", unknown.json()["detail"])
        full = {"DV": "100", "DV_MOI": 5, "GRDP": "3,5", "TCCS_TOT": 90.5}
        sent = self.client.post(
            url, {**body, "values": full, "submit": True}, content_type="application/json", headers=bob
        )
        self.assertEqual(sent.status_code, 200, sent.content)
        self.assertEqual((sent.json()["status"], sent.json()["period"]), ("submitted", Q1))
        self.assertEqual(Decimal(sent.json()["values"]["GRDP"]), Decimal("3.5"))
        review = f"/api/submissions/{sent.json()['id']}/review"
        self.assertEqual(
            self.client.post(review, {"accept": False}, content_type="application/json", headers=alice).status_code, 400
        )
        accepted = self.client.post(review, {"accept": True}, content_type="application/json", headers=alice)
        self.assertEqual(accepted.json()["status"], "accepted")
        completeness = self.client.get(
            f"/api/report-forms/{self.form.pk}/completeness?unit={self.tinh_a.pk}&period=2021-Q1", headers=alice
        ).json()
        self.assertEqual(completeness["totals"]["missing"], 2)
        # Scoping: another province sees neither the submission nor can report for these units.
        self.assertEqual(self.client.get(f"/api/submissions/{sent.json()['id']}", headers=oscar).status_code, 404)
        self.assertEqual(self.client.post(url, body, content_type="application/json", headers=oscar).status_code, 404)
        target = self.client.post(
            f"/api/indicators/{self.growth.pk}/targets",
            {"unit_id": self.tinh_a.pk, "year": 2021, "value": "6,5"},
            content_type="application/json",
            headers=alice,
        )
        self.assertEqual(Decimal(target.json()["value"]), Decimal("6.5"))
        # Two clients change the target from the same reading: the second is told, the first kept.
        seen = target.json()["version"]
        for value, status in (("7", 200), ("8", 400)):
            again = self.client.post(
                f"/api/indicators/{self.growth.pk}/targets",
                {"unit_id": self.tinh_a.pk, "year": 2021, "value": value, "version": seen},
                content_type="application/json", headers=alice,
            )  # fmt: skip
            self.assertEqual(again.status_code, status, again.content)
        self.assertIn("vừa được người khác đặt lại", again.json()["detail"])
        self.assertEqual(Target.objects.get(indicator=self.growth, unit=self.tinh_a, year=2021).text, "")
        self.assertEqual(Target.objects.get(indicator=self.growth, unit=self.tinh_a, year=2021).value, Decimal("7"))
        panel = self.client.get(f"/api/units/{self.tinh_a.pk}/indicators?year=2021", headers=alice).json()
        self.assertEqual(panel[0]["indicator_id"], self.growth.pk)


class ValueImportTestCase(IndicatorBase):
    def csv(self, rows, header="Mã đơn vị,Mã chỉ tiêu,Kỳ,Giá trị") -> bytes:
        return ("\n".join([header, *(",".join(f'"{c}"' for c in r) for r in rows)]) + "\n").encode()

    def test_it_previews_then_imports_values_from_csv_xlsx_and_json_and_rolls_them_up(self):
        from django.core.files.uploadedfile import SimpleUploadedFile

        from hienthuc.lib.sheets import write_table

        self.client.force_login(self.alice)
        self.report(self.huyen_a1, self.bob, {"members": "1000"})
        data = self.csv(
            [["A1", "DV", "2021-Q1", "1000"], ["A2", "DV", "Quý I/2021", "1.500"], ["A1", "GRDP", Q1, "3,25"]]
        )
        page = self.client.post("/indicators/import/", {"file": SimpleUploadedFile("so-lieu.csv", data)})
        self.assertContains(page, "Sẽ tạo mới 2 giá trị, cập nhật 0 giá trị, giữ nguyên 1 giá trị.")
        # The button names what apply will take: the preview's own counts, not "0".
        self.assertContains(page, "Ghi 2 giá trị (2 mới, 0 cập nhật)")
        self.assertEqual(Value.objects.count(), 1)  # the dry run wrote nothing
        from hienthuc.imports.models import PendingImport

        pending = PendingImport.objects.get()
        self.assertEqual(pending.rows, 3)
        page = self.client.post(f"/indicators/import/{pending.pk}/apply/", follow=True)
        self.assertContains(page, "Đã nhập: 2 giá trị mới, 0 giá trị cập nhật, 1 giá trị không đổi.")
        figures = tallies.unit_figures(self.tinh_a, [self.members], [Q1])
        self.assertEqual(figures[(self.members.pk, Q1)], 2500)
        self.assert_tallies_match_the_rows()
        xlsx = write_table("Số liệu", HEADERS, [["A2", "DV", "2021-Q1", 1600], ["A1a", "DV_MOI", "2021-Q2", 3]])
        self.assertEqual(plan_value_import(xlsx, user=self.alice).updated, 1)
        do_import_values(xlsx, acting_user=self.alice)
        as_json = json.dumps([{"unit": "A2", "indicator": "TCCS_TOT", "period": "2021-Q1", "value": 90.5}]).encode()
        self.assertEqual(do_import_values(as_json, acting_user=self.alice).created, 1)
        self.assertEqual(tallies.unit_figures(self.tinh_a, [self.members], [Q1])[(self.members.pk, Q1)], 2600)
        self.assert_tallies_match_the_rows()

    def test_it_names_the_row_and_column_of_every_bad_value_and_writes_nothing(self):
        do_create_indicator(owner=self.tinh_b, code="B_X", name="Chỉ tiêu B", measure="người", acting_user=self.oscar)
        rows = [
            ["A1", "DV", "2021-Q1", "nhiều"],  # 2: not a number
            ["A1", "TCCS_TOT", "2021-Q1", "120"],  # 3: out of range
            ["KHONG", "DV", "2021-Q1", "1"],  # 4: unknown unit
            ["A1", "KHONG", "2021-Q1", "1"],  # 5: unknown indicator
            ["B1", "DV", "2021-Q1", "1"],  # 6: a unit outside the user's subtree
            ["A1", "DV", "Quý V/2021", "1"],  # 7: a period that does not exist
            ["A2", "DV", "2021-Q1", "5"],  # 8
            ["A2", "DV", "Quý I/2021", "6"],  # 9: the same row again
            ["A1", "B_X", "2021-Q1", "1"],  # 10: an indicator of another province
            ["A1", "DV", "2021-Q1", "1,5"],  # 11: decimals
            ["A1", "DV", str(timezone.localdate().year + 1), "1"],  # 12: a period not over (an estimate)
            ["A1", "SYS", "2021-Q1", "7"],  # 13: a figure the system counts
        ]
        do_create_indicator(owner=self.tinh_a, code="SYS", name="Số tổ chức đảng trực thuộc", measure="tổ chức",
                            source="party_orgs", acting_user=self.alice)  # fmt: skip
        plan = plan_value_import(self.csv(rows), user=self.alice)
        messages = {e.row: str(e) for e in plan.errors}
        self.assertIn("Dòng 2, cột D (Giá trị): “nhiều” không phải một số", messages[2])
        self.assertIn("nằm ngoài khoảng cho phép", messages[3])
        self.assertIn("cột A (Mã đơn vị): Không có đơn vị mã “KHONG”", messages[4])
        self.assertIn("cột B (Mã chỉ tiêu): Không có chỉ tiêu mã “KHONG”", messages[5])
        self.assertIn("Không có đơn vị mã “B1” trong phạm vi", messages[6])
        self.assertIn("cột C (Kỳ): Không hiểu kỳ báo cáo", messages[7])
        self.assertIn("Trùng với dòng 8", messages[9])
        self.assertIn("Không có chỉ tiêu mã “B_X”", messages[10])
        self.assertIn("tối đa 0 chữ số thập phân", messages[11])
        self.assertIn("cột C (Kỳ): Kỳ Năm", messages[12])
        self.assertIn("chưa kết thúc: số liệu lúc này là số ước", messages[12])
        self.assertIn("được tính từ hệ thống, không nhập", messages[13])
        with self.assertRaises(ValidationError):
            do_import_values(self.csv(rows), acting_user=self.alice)
        self.assertFalse(Value.objects.exists())
        self.assertFalse(tallies.stored()[0])

    def test_it_writes_a_file_chunk_by_chunk_all_or_nothing(self):
        from django.db.models import ProtectedError

        from hienthuc.audit.models import AuditEvent

        self.report(self.huyen_a1, self.bob, {"members": "1000"})
        good = [
            ["A1", "DV", "2021-Q1", "1100"],  # an update
            ["A2", "DV", "2021-Q1", "500"],
            ["A1", "DV", "2021-Q2", "1200"],
            ["A2", "DV", "2021-Q2", "600"],
            ["A1", "DV_MOI", "2021-Q1", "7"],
        ]
        bad = [*good, ["A1", "DV_MOI", "2021-Q2", "mười"], ["A2", "DV", "Quý II/2021", "650"]]
        # Two rows per chunk: the problems are in the last chunks, after the first were written.
        with mock.patch("hienthuc.indicators.importing.CHUNK_ROWS", 2):
            with self.assertRaises(ValidationError) as refused:
                do_import_values(self.csv(bad), acting_user=self.alice)
            self.assertIn("Dòng 7, cột D (Giá trị): “mười” không phải một số", refused.exception.messages[0])
            self.assertIn("Dòng 8, cột B (Mã chỉ tiêu): Trùng với dòng 5", refused.exception.messages[1])
            self.assertEqual(list(Value.objects.values_list("value", flat=True)), [1000])
            self.assert_tallies_match_the_rows()
            result = do_import_values(self.csv(good), acting_user=self.alice)
        self.assertEqual((result.created, result.updated, result.unchanged), (4, 1, 0))
        self.assertEqual(tallies.unit_figures(self.tinh_a, [self.members], [Q1])[(self.members.pk, Q1)], 1600)
        self.assert_tallies_match_the_rows()
        # New and changed values in one chunk, of an indicator no weighted average depends on.
        again = [["A1", "DV_MOI", "2021-Q1", "8"], ["A2", "DV_MOI", "2021-Q1", "9"], ["A2", "DV_MOI", "2021-Q2", "1"]]
        with mock.patch("hienthuc.indicators.importing.CHUNK_ROWS", 2):
            result = do_import_values(self.csv(again), acting_user=self.alice)
        self.assertEqual((result.created, result.updated, result.unchanged), (2, 1, 0))
        self.assertEqual(tallies.unit_figures(self.tinh_a, [self.admitted], [Q1])[(self.admitted.pk, Q1)], 17)
        self.assert_tallies_match_the_rows()
        event = AuditEvent.objects.filter(action="import").order_by("id").first()
        self.assertEqual(event.after["indicators"], ["DV", "DV_MOI"])
        # Values keep no database-level key check (see the model); the ORM still protects.
        with self.assertRaises(ProtectedError):
            self.members.delete()

    def test_it_knows_new_figures_from_the_tallies_and_searches_only_the_others(self):
        self.report(self.huyen_a1, self.bob, {"members": "1000"})
        rows = [
            ["A", "DV_MOI", "2021-Q1", "40"],  # the province's own figure: in no tally, searched
            ["A1", "DV_MOI", "2021-Q1", "5"],  # no value yet for DV_MOI, 2021-Q1 in the province
            ["A2", "DV_MOI", "2021-Q1", "6"],
            ["A1a", "DV_MOI", "2021-Q1", "1"],
            ["A1", "DV", "2021-Q1", "1000"],  # DV, 2021-Q1 holds a value: searched, unchanged
            ["A2", "DV", "2021-Q1", "900"],  # searched, new
            ["A1a", "DV_MOI", "2021-Q2", "2"],
        ]
        with mock.patch("hienthuc.indicators.importing.CHUNK_ROWS", 3):
            result = do_import_values(self.csv(rows), acting_user=self.alice)
            self.assertEqual((result.created, result.updated, result.unchanged), (6, 0, 1))
            self.assert_tallies_match_the_rows()
            again = [["A1", "DV_MOI", "2021-Q1", "7"], ["A1a", "DV_MOI", "2021-Q3", "3"], ["A", "DV_MOI", Q1, "40"]]
            result = do_import_values(self.csv(again), acting_user=self.alice)
        self.assertEqual((result.created, result.updated, result.unchanged), (1, 1, 1))
        self.assertEqual(Value.objects.get(unit=self.huyen_a1, indicator=self.admitted, period=Q1).value, 7)
        self.assertEqual(tallies.unit_figures(self.tinh_a, [self.admitted], [Q1])[(self.admitted.pk, Q1)], 40)
        self.assert_tallies_match_the_rows()

    def test_an_accepted_report_locks_the_imported_figures_it_shows(self):
        do_import_values(self.csv([["A1", "DV_MOI", "2021-Q1", "1"]]), acting_user=self.alice)
        values = {"members": "10", "admitted": "1", "growth": "1", "good": "50"}  # DV_MOI as imported
        sent = self.report(self.huyen_a1, self.bob, values, submit=True)
        self.assertIsNone(Value.objects.get(indicator=self.admitted, unit=self.huyen_a1).submission)
        do_review_submission(sent, accept=True, acting_user=self.alice)
        self.assertEqual(Value.objects.get(indicator=self.admitted, unit=self.huyen_a1).submission, sent)
        with self.assertRaisesMessage(ValidationError, "thuộc báo cáo đã được duyệt"):
            do_import_values(self.csv([["A1", "DV_MOI", "2021-Q1", "2"]]), acting_user=self.alice)

    def test_it_refuses_cleanly_when_a_value_was_stored_behind_the_tallies_back(self):
        # Written without the actions (as a raw edit would): the tallies do not know it.
        Value.objects.create(indicator=self.admitted, unit=self.huyen_a2, period=Q1, value=3)
        rows = [["A1", "DV_MOI", "2021-Q1", "5"], ["A2", "DV_MOI", "2021-Q1", "6"]]
        with self.assertRaisesMessage(ValidationError, "chưa giá trị nào được nhập"):
            do_import_values(self.csv(rows), acting_user=self.alice)
        self.assertEqual(Value.objects.count(), 1)
        # The checking thread ended with the import, not left running.
        self.assertNotIn("value-import-check", [thread.name for thread in threading.enumerate()])

    def test_it_refuses_malformed_files_and_values_locked_in_an_accepted_report(self):
        from hienthuc.lib.sheets import FileProblem

        for data, message in (
            (b"", "Tệp rỗng."),
            (b"\xff\xfe\x00garbage", "không phải .xlsx, .csv"),
            (b"[{", "JSON không hợp lệ"),
            (b'{"values": 3}', "JSON phải là danh sách"),
            (b"a,b,c\n1,2,3\n", "Dòng đầu của tệp CSV phải là tiêu đề"),
            (b"PK\x03\x04 not really a zip", "không phải là tệp Excel"),
        ):
            with self.subTest(data=data), self.assertRaisesMessage(FileProblem, message):
                plan_value_import(data, user=self.alice)
        odd = json.dumps([{"unit": ["A1"], "indicator": {"x": 1}, "period": ["2021"], "value": "1"}]).encode()
        self.assertEqual([e.column for e in plan_value_import(odd, user=self.alice).errors], [1, 2, 3])
        sent = self.report(
            self.huyen_a1, self.bob, {"members": "10", "admitted": "1", "growth": "1", "good": "50"}, submit=True
        )
        do_review_submission(sent, accept=True, acting_user=self.alice)
        plan = plan_value_import(
            self.csv([["A1", "DV", "2021-Q1", "11"], ["A1", "DV_MOI", "2021-Q1", "1"]]), user=self.alice
        )
        self.assertEqual([e.row for e in plan.errors], [2])
        self.assertIn("thuộc báo cáo đã được duyệt", str(plan.errors[0]))
        # The same figures again are no change: the values stay tied to the accepted report.
        same = self.csv([["A1", "DV", "2021-Q1", "10"], ["A1", "DV_MOI", "2021-Q1", "1"]])
        self.assertEqual(do_import_values(same, acting_user=self.alice).unchanged, 2)
        self.assertEqual(Value.objects.get(indicator=self.members, unit=self.huyen_a1).submission, sent)
        changed = self.csv([["A1", "DV", "2021-Q1", "11"]])
        self.assertIn("thuộc báo cáo đã được duyệt", str(plan_value_import(changed, user=self.alice).errors[0]))
        # Writing chunk by chunk, a new value is stored before the locked one is found: the
        # refusal rolls it back.
        changed = self.csv([["A2", "DV_MOI", "2021-Q1", "4"], ["A1", "DV_MOI", "2021-Q1", "2"]])
        with mock.patch("hienthuc.indicators.importing.CHUNK_ROWS", 1):
            with self.assertRaisesMessage(ValidationError, "Dòng 3, cột D (Giá trị): Số liệu này thuộc báo cáo"):
                do_import_values(changed, acting_user=self.alice)
        self.assertFalse(Value.objects.filter(unit=self.huyen_a2).exists())
        self.assert_tallies_match_the_rows()

    def test_an_upload_clears_files_previewed_long_ago_and_never_applied(self):
        from django.core.files.uploadedfile import SimpleUploadedFile

        from hienthuc.imports.models import PendingImport

        def pending(status, days):
            item = PendingImport.objects.create(kind="values", created_by=self.alice, filename="f.csv", payload=b"x")
            PendingImport.objects.filter(pk=item.pk).update(
                status=status, created_at=timezone.now() - datetime.timedelta(days=days)
            )
            return item.pk

        forgotten, failed_long_ago = pending("previewed", 2), pending("failed", 8)
        kept = [pending("previewed", 0), pending("failed", 3), pending("running", 9), pending("done", 30)]
        self.client.force_login(self.alice)
        data = self.csv([["A1", "DV", "2021-Q1", "1000"]])
        self.client.post("/indicators/import/", {"file": SimpleUploadedFile("so-lieu.csv", data)})
        remaining = set(PendingImport.objects.values_list("pk", flat=True))
        self.assertFalse({forgotten, failed_long_ago} & remaining)
        self.assertLessEqual(set(kept), remaining)
        self.assertEqual(len(remaining), len(kept) + 1)
        page = self.client.post(f"/indicators/import/{forgotten}/apply/", follow=True)
        self.assertRedirects(page, "/indicators/import/")
        self.assertContains(page, "quá một ngày chưa nhập. Hãy tải tệp lên lại.")

    def test_a_large_file_runs_in_the_background_with_its_progress_shown(self):
        from django.core.files.uploadedfile import SimpleUploadedFile

        from hienthuc.imports.models import PendingImport

        self.client.force_login(self.alice)
        rows = [["A1", "DV", f"2021-T{m:02d}", str(100 + m)] for m in range(1, 13)]
        self.client.post("/indicators/import/", {"file": SimpleUploadedFile("lon.csv", self.csv(rows))})
        pending = PendingImport.objects.get()
        small = dataclasses.replace(importers.get("values"), background_rows=5)
        with mock.patch.dict(importers._IMPORTERS, {"values": small}):
            page = self.client.post(f"/indicators/import/{pending.pk}/apply/", follow=True)
        # The test settings run tasks at once: the page shows the finished import.
        self.assertContains(page, "Đã nhập: 12 giá trị mới")
        pending.refresh_from_db()
        self.assertEqual((pending.status, pending.percent), ("done", 100))
        self.assertEqual(Value.objects.count(), 12)
        self.assertEqual(self.client.get(f"/imports/{pending.pk}/", headers={"HX-Request": "true"}).status_code, 200)

    def test_it_imports_values_through_the_api_with_a_dry_run(self):
        from hienthuc.accounts.actions import do_create_api_token

        _token, raw = do_create_api_token(self.alice, name="t", acting_user=self.alice)
        headers = {"Authorization": f"Bearer {raw}"}
        rows = [{"unit": "A1", "indicator": "DV", "period": "2021-Q1", "value": 100}]
        dry = self.client.post(
            "/api/values/import", {"values": rows, "dry_run": True}, content_type="application/json", headers=headers
        )
        self.assertEqual((dry.status_code, dry.json()["created"], dry.json()["written"]), (200, 1, False))
        self.assertFalse(Value.objects.exists())
        done = self.client.post(
            "/api/values/import", {"values": rows}, content_type="application/json", headers=headers
        )
        self.assertEqual((done.json()["created"], done.json()["written"]), (1, True))
        bad = self.client.post(
            "/api/values/import",
            {"values": [{"unit": "B1", "indicator": "DV", "period": "2021-Q1", "value": "x"}]},
            content_type="application/json",
            headers=headers,
        )
        self.assertEqual(bad.status_code, 400)
        self.assertIn("Mục 1, cột A (Mã đơn vị): Không có đơn vị mã “B1”", bad.json()["errors"][0])


class YearlyReportTestCase(IndicatorBase):
    def setUp(self):
        do_set_target(self.members, unit=self.tinh_a, year=2021, value="5000", acting_user=self.alice)
        do_set_target(self.growth, unit=self.tinh_a, year=2021, value="6,5", acting_user=self.alice)
        do_set_target(self.growth, unit=self.tinh_a, year=2022, value="7", acting_user=self.alice)
        values = {"members": "4000", "admitted": "10", "growth": "7,25", "good": "80"}
        for quarter in range(1, 5):
            self.report(self.huyen_a1, self.bob, values, period=f"2021-Q{quarter}", submit=True)

    def test_it_writes_the_yearly_report_as_a_party_document_and_a_workbook(self):
        import io

        import docx
        import openpyxl

        self.client.force_login(self.alice)
        response = self.client.get(f"/orgs/{self.tinh_a.pk}/yearly-report/?year=2021")
        self.assertEqual(response["Content-Type"], DOCX_CONTENT_TYPE)
        document = docx.Document(io.BytesIO(response.content))
        text = "\n".join(p.text for p in document.paragraphs)
        self.assertIn("kết quả lãnh đạo thực hiện nhiệm vụ chính trị năm 2021, phương hướng, nhiệm vụ năm 2022", text)
        self.assertIn(
            "ĐẢNG CỘNG SẢN VIỆT NAM", "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
        )
        cells = [[c.text for c in r.cells] for t in document.tables for r in t.rows]
        # The members' count adds up over the year in this cast (four quarters of 4.000).
        self.assertIn(["1", "Tổng số đảng viên", "người", "5.000", "16.000", "320,0%", "—", "—"], cells)
        # Units that reported late (every quarter, since the reports were sent today) and not at all.
        self.assertTrue(any(row[-1].startswith("Nộp muộn") and row[2] == "Huyện ủy A1" for row in cells))
        self.assertTrue(any(row[-1] == "Chưa nộp" and row[2] == "Huyện ủy A2" for row in cells))
        self.assertIn("[Cơ quan soạn thảo viết phần này.]", text)
        workbook = self.client.get(f"/orgs/{self.tinh_a.pk}/yearly-report/?year=2021&format=xlsx")
        book = openpyxl.load_workbook(io.BytesIO(workbook.content))
        sheets = book.sheetnames
        self.assertEqual(sheets[:2], ["Chỉ tiêu", "Nhiệm vụ"])
        # Figures are numbers with Vietnamese number formats, not text.
        members = next(row for row in book["Chỉ tiêu"].iter_rows() if row[1].value == "Tổng số đảng viên")
        self.assertEqual([c.value for c in members[3:6]], [5000, 16000, 3.2])
        self.assertEqual([c.number_format for c in members[3:6]], ["[$-42A]#,##0", "[$-42A]#,##0", "[$-42A]0.0%"])
        self.assertEqual(members[6].value, None)  # no figure for the year before: an empty cell, not "—"
        self.assertIn("Chỉ tiêu 2022", sheets)
        # Another province's unit is a 404; a year in the future is refused.
        self.assertEqual(self.client.get(f"/orgs/{self.tinh_b.pk}/yearly-report/?year=2021").status_code, 404)
        self.assertEqual(self.client.get(f"/orgs/{self.tinh_a.pk}/yearly-report/?year=2999").status_code, 404)

    @pytest.mark.office
    def test_libreoffice_opens_the_yearly_report(self):
        from hienthuc.dashboard import yearly
        from tests.helpers import converted, converted_to_pdf

        report = yearly.build(self.tinh_a, 2021, self.alice)
        self.assertTrue(converted_to_pdf(yearly.to_docx(report), "bao-cao.docx").startswith(b"%PDF"))
        self.assertTrue(converted_to_pdf(yearly.to_xlsx(report), "bao-cao.xlsx").startswith(b"%PDF"))
        # Calc shows the figures in Vietnamese notation, from numbers (not text) in the cells.
        shown = converted(yearly.to_xlsx(report), "bao-cao.xlsx", "csv").decode()
        self.assertIn('Tổng số đảng viên,người,5.000,16.000,"320,0%"', shown)


class SystemFigureTestCase(IndicatorBase):
    def test_a_form_cell_counted_from_the_tasks_is_filled_not_asked(self):
        from hienthuc.documents.actions import do_create_document
        from hienthuc.documents.models import DocumentKind
        from hienthuc.plans.actions import do_add_task, do_create_plan, do_issue_plan, do_record_progress

        resolution = do_create_document(
            issuing_unit=self.tinh_a, kind=DocumentKind.objects.get(code="nghi_quyet"), number_text="01-NQ/TU",
            issuing_body="bch", issued_on=datetime.date(2021, 1, 4), summary="về nông thôn mới", acting_user=self.alice,
        )  # fmt: skip
        plan = do_create_plan(unit=self.tinh_a, kind="action_program", title="Chương trình", source_document=resolution,
                              acting_user=self.alice)  # fmt: skip
        done = do_add_task(
            plan, content="Việc 1", lead_unit=self.huyen_a1, deadline_text="Năm 2021", acting_user=self.alice
        )
        do_add_task(plan, content="Việc 2", lead_unit=self.xa_a1a, deadline_text="Năm 2021", acting_user=self.alice)
        do_issue_plan(plan, number_text="02-CTr/TU", issued_on=datetime.date(2021, 2, 1), acting_user=self.alice)
        done.refresh_from_db()
        do_record_progress(done, percent=100, version=done.version, complete=True, evidence_link="https://x.vn",
                           acting_user=self.bob)  # fmt: skip
        counted = do_create_indicator(owner=self.tinh_a, code="NV_XONG", name="Số nhiệm vụ đã hoàn thành",
                                      measure="nhiệm vụ", source="tasks_done", acting_user=self.alice)  # fmt: skip
        overdue = do_create_indicator(owner=self.tinh_a, code="NV_QUA_HAN", name="Số nhiệm vụ quá hạn",
                                      measure="nhiệm vụ", source="tasks_overdue", acting_user=self.alice)  # fmt: skip
        form = do_create_form(owner=self.tinh_a, name="Báo cáo nhiệm vụ", period_kind="year", first_year=2021,
                              indicators=[counted, overdue, self.members], acting_user=self.alice)  # fmt: skip
        do_require_reports(form, units=[self.huyen_a1], acting_user=self.alice)
        self.client.force_login(self.bob)
        url = f"/reports/{form.pk}/fill/?unit={self.huyen_a1.pk}&period=2021"
        page = self.client.get(url)
        self.assertEqual(page.context["filled"], 2)
        self.assertEqual([r["value"] for r in page.context["rows"][:2]], ["1", "1"])  # the commune's task is overdue
        # Whatever is typed for a counted cell, the count is stored.
        self.client.post(
            url, {f"value_{counted.pk}": "99", f"value_{self.members.pk}": "500", "version": "1", "submit": "1"}
        )
        self.assertEqual(Value.objects.get(indicator=counted).value, 1)
        self.assertEqual(Value.objects.get(indicator=overdue).value, 1)
        self.assertEqual(Submission.objects.get(form=form).status, "submitted")
        self.assert_tallies_match_the_rows()
