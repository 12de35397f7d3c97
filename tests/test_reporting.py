"""Reporting as offices really report (issue #17 §1): estimates and official figures, deadlines
before the period ends, one-off periods, periods composed from shorter ones, targets as written
(ranges, bounds, averages, assigned and own), counts taken from the tree and the register, and
narratives per field."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from hienthuc.audit.models import AuditEvent
from hienthuc.indicators import tallies
from hienthuc.indicators.actions import (
    do_add_one_off_period,
    do_create_form,
    do_create_indicator,
    do_require_reports,
    do_review_submission,
    do_save_submission,
    do_set_estimate,
    do_set_target,
    do_set_value,
)
from hienthuc.indicators.figures import indicator_panel, period_rows, year_rows
from hienthuc.indicators.models import Estimate, OneOffPeriod, Source, Target, Value
from hienthuc.lib import periods, targets
from hienthuc.people.actions import do_create_person
from tests.base import BaseTestCase

TODAY = timezone.localdate()
THIS_YEAR = TODAY.year


class ReportingBase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.revenue = do_create_indicator(
            owner=cls.tinh_a, code="THU", name="Thu ngân sách", measure="tỷ đồng", min_value=0, acting_user=cls.alice
        )
        cls.growth = do_create_indicator(
            owner=cls.tinh_a, code="GRDP", name="Tăng trưởng GRDP", measure="%", decimals=2,
            aggregation="none", time_aggregation="last", acting_user=cls.alice,
        )  # fmt: skip
        cls.poverty = do_create_indicator(
            owner=cls.tinh_a, code="NGHEO", name="Tỷ lệ hộ nghèo", measure="%", decimals=2, aggregation="none",
            time_aggregation="last", higher_is_better=False, acting_user=cls.alice,
        )  # fmt: skip


# ---- targets as written --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "low", "high", "basis"),
    [
        ("10", "10", "10", "level"),
        ("8,5–9 %", "8.5", "9", "level"),
        ("8,5 - 9", "8.5", "9", "level"),
        ("từ 8,5 đến 9%", "8.5", "9", "level"),
        ("≥ 90 %", "90", None, "level"),
        ("trên 90%", "90", None, "level"),
        ("95% trở lên", "95", None, "level"),
        ("dưới 1 %", None, "1", "level"),
        ("không quá 1%", None, "1", "level"),
        ("tăng bình quân 7 %/năm", "7", "7", "average"),
        ("cộng dồn cả nhiệm kỳ 60.000 tỷ đồng", "60000", "60000", "total"),
        ("vốn đầu tư 60.000", "60000", "60000", "level"),
    ],
)
def test_it_reads_targets_as_resolutions_write_them(text, low, high, basis):
    written = targets.parse(text)
    as_decimal = lambda v: Decimal(v) if v is not None else None  # noqa: E731
    assert (written.low, written.high, written.basis) == (as_decimal(low), as_decimal(high), basis)


@pytest.mark.parametrize("text", ["", "khoảng chín", "8 hoặc 9 hoặc 10"])
def test_it_refuses_a_target_it_cannot_read_and_lists_the_accepted_forms(text):
    with pytest.raises(targets.TargetError):
        targets.parse(text)


class TargetAsWrittenTestCase(ReportingBase):
    def test_it_keeps_a_range_and_judges_by_the_bound_that_matters(self):
        target = do_set_target(self.growth, unit=self.tinh_a, year=2024, value="8,5–9", acting_user=self.alice)
        self.assertEqual(
            (target.low, target.high, target.value, target.text), (Decimal("8.5"), 9, Decimal("8.5"), "8,5–9")
        )
        ceiling = do_set_target(self.poverty, unit=self.tinh_a, year=2024, value="dưới 1 %", acting_user=self.alice)
        # Lower is better: the figure is judged against the ceiling.
        self.assertEqual((ceiling.low, ceiling.high, ceiling.value), (None, 1, 1))

    def test_it_refuses_a_range_with_its_bounds_reversed_and_writes_nothing(self):
        with self.assertRaisesMessage(ValidationError, "cận dưới lớn hơn cận trên"):
            do_set_target(self.growth, unit=self.tinh_a, year=2024, value="9–8,5", acting_user=self.alice)
        with self.assertRaisesMessage(ValidationError, "chỉ tiêu nhiệm kỳ"):
            do_set_target(self.growth, unit=self.tinh_a, year=2024, value="bình quân 7 %/năm", acting_user=self.alice)
        self.assertFalse(Target.objects.exists())

    def test_it_keeps_the_assigned_and_the_own_target_and_lights_judge_the_assigned(self):
        do_set_target(self.revenue, unit=self.huyen_a1, year=2024, value="1000", acting_user=self.alice)
        do_set_target(self.revenue, unit=self.huyen_a1, year=2024, value="≥ 1.200", origin="own", acting_user=self.bob)
        do_set_value(self.revenue, unit=self.huyen_a1, period="2024", value="1100", acting_user=self.bob)
        [row] = indicator_panel(self.huyen_a1, 2024)
        self.assertEqual((row["target"], row["own_target"], row["light"]), (1000, "≥ 1.200", "green"))
        self.assertEqual(Target.objects.filter(unit=self.huyen_a1).count(), 2)

    def test_it_keeps_a_term_average_as_written(self):
        target = do_set_target(
            self.growth, unit=self.tinh_a, year=2025, kind="term", value="bình quân 7 %/năm", acting_user=self.alice
        )
        self.assertEqual((target.basis, target.value, target.text), ("average", 7, "bình quân 7 %/năm"))
        self.client.force_login(self.alice)
        page = self.client.get(f"/indicators/{self.growth.pk}/?unit={self.tinh_a.pk}")
        self.assertContains(page, "bình quân 7 %/năm")
        self.assertContains(page, "bình quân mỗi năm của nhiệm kỳ")

    def test_a_term_average_is_judged_by_the_average_of_the_terms_years(self):
        from hienthuc.indicators.figures import term_actual

        target = do_set_target(
            self.growth, unit=self.tinh_a, year=2025, kind="term", value="bình quân 7 %/năm", acting_user=self.alice
        )
        for year, value in ((2021, "6"), (2022, "7"), (2023, "8")):
            do_set_value(self.growth, unit=self.tinh_a, period=str(year), value=value, acting_user=self.alice)
        history = {r["year"]: r["actual"] for r in year_rows(self.growth, self.tinh_a, list(range(2021, 2026)))}
        self.assertEqual(term_actual(self.growth, target, history), 7)
        self.client.force_login(self.alice)
        page = self.client.get(f"/indicators/{self.growth.pk}/?unit={self.tinh_a.pk}")
        self.assertContains(page, "thực hiện 7,00")

    def test_it_sets_a_target_as_written_through_the_page(self):
        self.client.force_login(self.alice)
        url = f"/indicators/{self.growth.pk}/?unit={self.tinh_a.pk}&year=2024"
        data = {"unit": "Tỉnh ủy A (A)", "kind": "year", "year": "2024", "origin": "assigned", "value": "9–8,5"}
        self.assertContains(self.client.post(url, data), "cận dưới lớn hơn cận trên")
        self.client.post(url, {**data, "value": "8,5–9 %"})
        self.assertContains(self.client.get(url), "8,5–9 %")


# ---- estimates and official figures ---------------------------------------------------------


class EstimateTestCase(ReportingBase):
    def test_a_report_for_a_period_not_over_holds_estimates_and_the_official_figure_replaces_them(self):
        form = do_create_form(
            owner=self.tinh_a, name="Báo cáo năm", period_kind="year", first_year=THIS_YEAR - 1,
            deadline_days=-16, indicators=[self.revenue], acting_user=self.alice,
        )  # fmt: skip
        do_require_reports(form, units=[self.huyen_a1], acting_user=self.alice)
        do_save_submission(
            form, unit=self.huyen_a1, period=str(THIS_YEAR), values={self.revenue.pk: "950"}, acting_user=self.bob
        )
        self.assertEqual(Estimate.objects.get(unit=self.huyen_a1).value, 950)
        self.assertFalse(Value.objects.filter(unit=self.huyen_a1).exists())
        shown = tallies.period_figure(
            self.revenue, {}, periods.Period(THIS_YEAR, periods.YEAR, 1), {(self.revenue.pk, str(THIS_YEAR)): 950}
        )
        self.assertEqual((shown.value, shown.how), (950, "estimate"))
        # The official figure of a year not over yet is refused: it is an estimate still.
        with self.assertRaisesMessage(ValidationError, "chưa kết thúc"):
            do_set_value(self.revenue, unit=self.huyen_a1, period=str(THIS_YEAR), value="960", acting_user=self.bob)

    def test_the_yearly_figure_uses_the_estimate_until_the_official_one_exists(self):
        last = str(THIS_YEAR - 1)
        Estimate.objects.create(indicator=self.revenue, unit=self.huyen_a1, period=last, value=900)
        do_set_target(self.revenue, unit=self.huyen_a1, year=THIS_YEAR - 1, value="1000", acting_user=self.alice)
        [row] = year_rows(self.revenue, self.huyen_a1, [THIS_YEAR - 1])
        self.assertEqual((row["actual"], row["how"]), (900, "estimate"))
        do_set_value(self.revenue, unit=self.huyen_a1, period=last, value="1010", acting_user=self.bob)
        [row] = year_rows(self.revenue, self.huyen_a1, [THIS_YEAR - 1])
        self.assertEqual((row["actual"], row["how"], row["estimate"]), (1010, "", 900))
        # Both are kept.
        self.assertEqual(Estimate.objects.get(unit=self.huyen_a1, period=last).value, 900)

    def test_an_estimate_for_a_period_over_is_only_a_recorded_correction(self):
        last = str(THIS_YEAR - 1)
        with self.assertRaisesMessage(ValidationError, "đã kết thúc"):
            do_set_estimate(self.revenue, unit=self.huyen_a1, period=last, value="900", acting_user=self.bob)
        with self.assertRaisesMessage(ValidationError, "chưa có số ước nào để đính chính"):
            do_set_estimate(
                self.revenue, unit=self.huyen_a1, period=last, value="900", correction=True, acting_user=self.bob
            )
        self.assertFalse(Estimate.objects.exists())
        Estimate.objects.create(indicator=self.revenue, unit=self.huyen_a1, period=last, value=900)
        do_set_estimate(
            self.revenue, unit=self.huyen_a1, period=last, value="920", correction=True, acting_user=self.bob
        )
        self.assertEqual(Estimate.objects.get().value, 920)
        event = AuditEvent.objects.filter(action="correct").get()
        self.assertEqual((event.before, event.after["value"]), ({"value": "900.000000"}, "920"))

    def test_an_official_figure_locked_by_an_accepted_report_is_refused(self):
        form = do_create_form(
            owner=self.tinh_a, name="Báo cáo quý", period_kind="quarter", first_year=2024,
            indicators=[self.revenue], acting_user=self.alice,
        )  # fmt: skip
        do_require_reports(form, units=[self.huyen_a1], acting_user=self.alice)
        sent = do_save_submission(
            form, unit=self.huyen_a1, period="2024-Q1", values={self.revenue.pk: "300"}, submit=True,
            acting_user=self.bob,
        )  # fmt: skip
        do_review_submission(sent, accept=True, acting_user=self.alice)
        with self.assertRaisesMessage(ValidationError, "báo cáo được duyệt"):
            do_set_value(self.revenue, unit=self.huyen_a1, period="2024-Q1", value="310", acting_user=self.bob)
        self.assertEqual(Value.objects.get(unit=self.huyen_a1).value, 300)

    def test_it_enters_figures_and_estimates_through_the_indicator_page(self):
        self.client.force_login(self.bob)
        url = f"/indicators/{self.revenue.pk}/?unit={self.huyen_a1.pk}&year=2024"
        data = {"figure-unit": "Huyện ủy A1 (A1)", "figure-period": "Quý I/2024", "figure-value": "12,5"}
        self.assertContains(self.client.post(url, data), "số nguyên")
        self.client.post(url, {**data, "figure-value": "125"})
        self.assertEqual(Value.objects.get(unit=self.huyen_a1, period="2024-Q1").value, 125)
        page = self.client.post(url, {**data, "figure-estimate": "on"})
        self.assertContains(page, "đã kết thúc")


# ---- composed periods -----------------------------------------------------------------------


class ComposedPeriodTestCase(ReportingBase):
    def test_it_composes_halves_nine_months_and_years_and_flags_a_reported_figure_far_from_them(self):
        for quarter, value in (("2024-Q1", "100"), ("2024-Q2", "110"), ("2024-Q3", "120")):
            do_set_value(self.revenue, unit=self.huyen_a1, period=quarter, value=value, acting_user=self.bob)
        do_set_value(self.revenue, unit=self.huyen_a1, period="2024-H1", value="260", acting_user=self.bob)
        rows = {r["period"].key: r for r in period_rows(self.revenue, self.huyen_a1, 2024)}
        self.assertEqual((rows["2024-9T"]["value"], rows["2024-9T"]["how"]), (330, "composed"))
        # Reported directly, the half wins; 260 against 210 composed is flagged.
        self.assertEqual((rows["2024-H1"]["value"], rows["2024-H1"]["differs"]), (260, 210))
        # Three quarters of four: the year is what they add up to so far.
        self.assertEqual((rows["2024"]["value"], rows["2024"]["how"]), (330, "partial"))
        growth = {"2024-Q1": "6", "2024-Q2": "6,5", "2024-Q3": "7", "2024-Q4": "7,2"}
        for quarter, value in growth.items():
            do_set_value(self.growth, unit=self.huyen_a1, period=quarter, value=value, acting_user=self.bob)
        rows = {r["period"].key: r for r in period_rows(self.growth, self.huyen_a1, 2024)}
        # A rate's year is its last quarter ("last" over time).
        self.assertEqual((rows["2024"]["value"], rows["2024"]["how"]), (Decimal("7.2"), "composed"))
        self.client.force_login(self.bob)
        page = self.client.get(f"/indicators/{self.revenue.pk}/?unit={self.huyen_a1.pk}&year=2024")
        self.assertContains(page, "tổng hợp các kỳ: 210")


# ---- deadlines, one-off periods, first year ---------------------------------------------------


class ReportPeriodTestCase(ReportingBase):
    def test_a_deadline_may_fall_before_the_period_ends_but_not_before_it_begins(self):
        form = do_create_form(
            owner=self.tinh_a, name="Báo cáo quý", period_kind="quarter", first_year=2024, deadline_days=-16,
            indicators=[self.revenue], acting_user=self.alice,
        )  # fmt: skip
        self.assertEqual(periods.parse("2024-Q1").due(form.deadline_days), datetime.date(2024, 3, 15))
        self.assertIn("2024-Q1", [p.key for p in form.periods_due(datetime.date(2024, 3, 16))])
        with self.assertRaisesMessage(ValidationError, "Hạn nộp từ -27 đến 120 ngày"):
            do_create_form(
                owner=self.tinh_a, name="Báo cáo tháng", period_kind="month", first_year=2024, deadline_days=-40,
                indicators=[self.revenue], acting_user=self.alice,
            )  # fmt: skip

    def test_a_one_off_form_reports_on_its_own_periods_that_never_overlap(self):
        form = do_create_form(
            owner=self.tinh_a, name="Báo cáo đợt học tập Nghị quyết", period_kind="one_off", first_year=2024,
            deadline_days=5, indicators=[self.revenue], acting_user=self.alice,
        )  # fmt: skip
        do_require_reports(form, units=[self.huyen_a1], acting_user=self.alice)
        drive = do_add_one_off_period(
            form, name="Đợt 1", first_day=datetime.date(2024, 3, 1), last_day=datetime.date(2024, 4, 30),
            acting_user=self.alice,
        )  # fmt: skip
        self.assertEqual(drive.period.key, "20240301-20240430")
        self.assertEqual(periods.parse(drive.period.key), drive.period)
        for first, last, message in (
            ((2024, 4, 15), (2024, 5, 30), "trùng thời gian với đợt “Đợt 1”"),
            ((2024, 6, 30), (2024, 6, 1), "không trước ngày bắt đầu"),
        ):
            with self.assertRaisesMessage(ValidationError, message):
                do_add_one_off_period(
                    form, name="Đợt 2", first_day=datetime.date(*first), last_day=datetime.date(*last),
                    acting_user=self.alice,
                )  # fmt: skip
        self.assertEqual(OneOffPeriod.objects.count(), 1)
        sent = do_save_submission(
            form, unit=self.huyen_a1, period=drive.period.key, values={self.revenue.pk: "5"}, submit=True,
            submitted_at=timezone.make_aware(datetime.datetime(2024, 5, 3)), acting_user=self.bob,
        )  # fmt: skip
        self.assertEqual(tallies.submission_state(sent), tallies.ON_TIME)
        with self.assertRaisesMessage(ValidationError, "không có đợt"):
            do_save_submission(form, unit=self.huyen_a1, period="20240501-20240510", values={}, acting_user=self.bob)
        self.client.force_login(self.alice)
        page = self.client.get(f"/reports/{form.pk}/")
        self.assertContains(page, "Đợt 1: 01/03/2024 – 30/04/2024")
        page = self.client.post(
            f"/reports/{form.pk}/",
            {"period-name": "Đợt 2", "period-first_day": "20/04/2024", "period-last_day": "10/05/2024"},
        )
        self.assertContains(page, "trùng thời gian")

    def test_the_yearly_report_does_not_list_periods_before_the_form_began_as_missing(self):
        from hienthuc.dashboard import yearly

        form = do_create_form(
            owner=self.tinh_a, name="Báo cáo quý mới", period_kind="quarter", first_year=THIS_YEAR,
            indicators=[self.revenue], acting_user=self.alice,
        )  # fmt: skip
        do_require_reports(form, units=[self.huyen_a1], acting_user=self.alice)
        self.assertEqual(yearly.build(self.tinh_a, THIS_YEAR - 1, self.alice).late_reports, [])


# ---- counts from the tree and the register ------------------------------------------------------


class CountedFigureTestCase(ReportingBase):
    def test_counts_of_organizations_and_members_come_from_the_tree_and_the_register(self):
        orgs = do_create_indicator(
            owner=self.tinh_a, code="TCD", name="Số tổ chức đảng trực thuộc", measure="tổ chức",
            source=Source.PARTY_ORGS, acting_user=self.alice,
        )  # fmt: skip
        members = do_create_indicator(
            owner=self.tinh_a, code="SDV", name="Số đảng viên", measure="người", source=Source.PARTY_MEMBERS,
            acting_user=self.alice,
        )  # fmt: skip
        for name in ("Nguyễn Văn Một", "Trần Thị Hai"):
            do_create_person(
                full_name=name, home_unit=self.xa_a1a, party_joined_on=datetime.date(2000, 1, 1),
                acting_user=self.alice,
            )  # fmt: skip
        form = do_create_form(
            owner=self.tinh_a, name="Báo cáo quý", period_kind="quarter", first_year=2024,
            indicators=[orgs, members], acting_user=self.alice,
        )  # fmt: skip
        do_require_reports(form, units=[self.huyen_a1], acting_user=self.alice)
        # What the unit types for them is ignored: the tree holds two communes.
        do_save_submission(
            form, unit=self.huyen_a1, period="2024-Q1", values={orgs.pk: "42", members.pk: "900"},
            acting_user=self.bob,
        )  # fmt: skip
        held = dict(Value.objects.filter(unit=self.huyen_a1).values_list("indicator__code", "value"))
        self.assertEqual(held["TCD"], 2)
        self.assertGreaterEqual(held["SDV"], 2)


# ---- narratives per field -------------------------------------------------------------------------


class NarrativeTestCase(ReportingBase):
    def test_a_form_asks_each_field_for_its_sections_and_refuses_an_overlong_text(self):
        form = do_create_form(
            owner=self.tinh_a, name="Báo cáo năm", period_kind="year", first_year=2024,
            indicators=[self.revenue], sections="Kết quả\nHạn chế\nKiến nghị, đề xuất",
            fields="Xây dựng Đảng\nPhát triển kinh tế - xã hội", acting_user=self.alice,
        )  # fmt: skip
        do_require_reports(form, units=[self.huyen_a1], acting_user=self.alice)
        self.assertEqual(len(form.narrative_parts), 6)
        key = "Xây dựng Đảng — Kết quả"
        with self.assertRaisesMessage(ValidationError, "quá giới hạn 20.000 ký tự"):
            do_save_submission(
                form, unit=self.huyen_a1, period="2024", values={self.revenue.pk: "1"},
                narrative={key: "x" * 20_001}, acting_user=self.bob,
            )  # fmt: skip
        self.assertFalse(Value.objects.exists())
        html = "<script>alert(1)</script> Kết nạp 120 đảng viên"
        saved = do_save_submission(
            form, unit=self.huyen_a1, period="2024", values={self.revenue.pk: "1"}, narrative={key: html},
            acting_user=self.bob,
        )  # fmt: skip
        self.assertEqual(saved.narrative[key], html)
        self.client.force_login(self.bob)
        page = self.client.get(f"/reports/{form.pk}/fill/?unit={self.huyen_a1.pk}&period=2024")
        self.assertContains(page, "&lt;script&gt;alert(1)&lt;/script&gt;")
        self.assertNotContains(page, "<script>alert(1)")
        self.assertContains(page, "Phát triển kinh tế - xã hội")


class YearlyNarrativeTestCase(ReportingBase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.form = do_create_form(
            owner=cls.tinh_a, name="Báo cáo năm", period_kind="year", first_year=2024,
            indicators=[cls.revenue], sections="Kết quả\nKiến nghị, đề xuất",
            fields="Xây dựng Đảng\nPhát triển kinh tế - xã hội", acting_user=cls.alice,
        )  # fmt: skip
        do_require_reports(cls.form, units=[cls.tinh_a, cls.huyen_a1, cls.huyen_a2], acting_user=cls.alice)

    def write(self, unit, user, texts, *, submit=True):
        return do_save_submission(
            self.form, unit=unit, period="2024", values={self.revenue.pk: "1"}, narrative=texts, submit=submit,
            acting_user=user,
        )  # fmt: skip

    def test_the_yearly_report_composes_each_field_from_the_units_words_and_groups_their_proposals(self):
        from hienthuc.dashboard import narrative, yearly
        from tests.helpers import docx_text

        party, economy = "Xây dựng Đảng", "Phát triển kinh tế - xã hội"
        self.write(self.tinh_a, self.alice, {f"{party} — Kết quả": "Toàn tỉnh kết nạp 2.100 đảng viên."}, submit=False)
        self.write(self.huyen_a1, self.bob, {
            f"{party} — Kết quả": "Kết nạp 120 đảng viên.",
            f"{economy} — Kiến nghị, đề xuất": "- Hỗ trợ vốn làm đường giao thông nông thôn;\n- Bổ sung biên chế",
        })  # fmt: skip
        self.write(
            self.huyen_a2,
            self.alice,
            {f"{economy} — Kiến nghị, đề xuất": "1. Hỗ trợ vốn làm đường giao thông nông thôn"},
        )
        composed = narrative.compose(self.tinh_a, 2024)
        [party_field, economy_field] = composed.fields
        self.assertEqual(party_field.sections[0].own, ["Toàn tỉnh kết nạp 2.100 đảng viên."])
        self.assertEqual(party_field.sections[0].units, [("Huyện ủy A1", "Kết nạp 120 đảng viên.")])
        first = composed.proposals[0]
        self.assertEqual(
            (first.field, first.text, first.proposers),
            (economy, "Hỗ trợ vốn làm đường giao thông nông thôn", ["Huyện ủy A1", "Huyện ủy A2"]),
        )
        self.assertEqual(len(composed.proposals), 2)
        text = docx_text(yearly.to_docx(yearly.build(self.tinh_a, 2024, self.alice)))
        self.assertIn("- Huyện ủy A1: Kết nạp 120 đảng viên.", text)
        self.assertIn("Huyện ủy A1; Huyện ủy A2", text)
        page = self.client.get(f"/orgs/{self.tinh_a.pk}/yearly-narrative/?year=2024")
        self.assertEqual(page.status_code, 302)  # logged out
        self.client.force_login(self.charlie)
        page = self.client.get(f"/orgs/{self.tinh_a.pk}/yearly-narrative/?year=2024")
        self.assertContains(page, "Bổ sung biên chế")
        self.assertNotContains(page, "Lập dự thảo báo cáo năm")

    def test_a_draft_of_a_unit_below_is_not_its_report_yet(self):
        from hienthuc.dashboard import narrative

        self.write(self.huyen_a1, self.bob, {"Xây dựng Đảng — Kết quả": "Bản nháp"}, submit=False)
        self.assertEqual(narrative.compose(self.tinh_a, 2024).fields, [])

    def test_the_draft_is_registered_numbered_when_issued_and_then_printed_with_its_number(self):
        from hienthuc.dashboard import yearly
        from hienthuc.dashboard.actions import do_draft_yearly_report
        from hienthuc.documents.actions import current_data, do_update_document
        from tests.helpers import docx_text

        self.client.force_login(self.alice)
        page = self.client.post(f"/orgs/{self.tinh_a.pk}/yearly-narrative/", {"year": "2024"}, follow=True)
        self.assertContains(page, "Đã vào sổ dự thảo báo cáo năm")
        draft = yearly.registered_draft(self.tinh_a, 2024)
        self.assertEqual((draft.document.status, draft.document.attachments.count()), ("draft", 1))
        do_draft_yearly_report(self.tinh_a, 2024, acting_user=self.alice)
        self.assertEqual(draft.document.attachments.count(), 2)
        data = {**current_data(draft.document), "number_text": "25-BC/TU", "issued_on": datetime.date(2024, 12, 20),
                "status": "issued"}  # fmt: skip
        do_update_document(draft.document, acting_user=self.alice, **data)
        text = docx_text(yearly.to_docx(yearly.build(self.tinh_a, 2024, self.alice)))
        self.assertIn("25-BC/TU", text)
        with self.assertRaisesMessage(ValidationError, "đã ban hành (số 25-BC/TU)"):
            do_draft_yearly_report(self.tinh_a, 2024, acting_user=self.alice)


class ReportingApiTestCase(ReportingBase):
    def test_the_api_sets_targets_as_written_and_figures_with_the_pages_rules(self):
        from tests.helpers import api_call

        url = f"/api/indicators/{self.growth.pk}/targets"
        answer = api_call(self.client, self.alice, "post", url, {"unit_id": self.tinh_a.pk, "year": 2024,
                                                                  "value": "9–8,5"})  # fmt: skip
        self.assertEqual(answer.status_code, 400)
        self.assertIn("cận dưới lớn hơn cận trên", answer.json()["detail"])
        answer = api_call(self.client, self.alice, "post", url, {"unit_id": self.tinh_a.pk, "year": 2024,
                                                                  "value": "8,5–9 %", "origin": "own"})  # fmt: skip
        self.assertEqual(
            (answer.json()["text"], answer.json()["origin"], answer.json()["low"]), ("8,5–9 %", "own", "8.5")
        )
        url = f"/api/indicators/{self.revenue.pk}/figures"
        answer = api_call(self.client, self.bob, "post", url, {"unit_id": self.huyen_a1.pk, "period": "2024",
                                                                "value": "12", "estimate": True})  # fmt: skip
        self.assertEqual(answer.status_code, 400)
        self.assertIn("đã kết thúc", answer.json()["detail"])
        answer = api_call(self.client, self.bob, "post", url, {"unit_id": self.huyen_a1.pk, "period": "2024",
                                                                "value": "12"})  # fmt: skip
        self.assertEqual((answer.status_code, answer.json()["estimate"]), (200, False))
        answer = api_call(self.client, self.bob, "post", url, {"unit_id": self.huyen_b1.pk, "period": "2024",
                                                                "value": "12"})  # fmt: skip
        self.assertEqual(answer.status_code, 404)
