"""Evaluation by results: the evidence, the score and band by the rule, the three stages with
their reasons, the share rated good or better, commendations, reviews and bad input."""

import datetime
import io
from decimal import Decimal

from django.core.exceptions import ValidationError
from docx import Document as Docx

from hienthuc.audit.models import AuditEvent
from hienthuc.evaluations import evidence, figures
from hienthuc.evaluations.actions import (
    active_rule,
    do_commend,
    do_decide_evaluation,
    do_open_evaluations,
    do_propose_evaluation,
    do_self_assess,
    do_update_rule,
)
from hienthuc.evaluations.models import Band, Commendation, Evaluation, Stage
from hienthuc.plans.actions import do_add_task, do_create_plan, do_issue_plan, do_record_progress
from hienthuc.plans.models import PlanKind
from hienthuc.reviews.actions import do_create_review
from tests.base import BaseTestCase
from tests.helpers import api_call
from tests.test_inspections import document

YEAR = 2021


class EvaluationBase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        plan = do_create_plan(unit=cls.tinh_a, kind=PlanKind.ACTION_PROGRAM, title="Chương trình 2021",
                              acting_user=cls.alice)  # fmt: skip
        cls.tasks = [
            do_add_task(
                plan,
                content=f"Nhiệm vụ {n}",
                lead_unit=cls.huyen_a1,
                deadline_text=f"Quý {q}/2021",
                acting_user=cls.alice,
            )  # fmt: skip
            for n, q in enumerate(["I", "II", "III", "IV"], start=1)
        ]
        do_issue_plan(plan, number_text="01-CTr/TU", issued_on=datetime.date(2021, 1, 5), acting_user=cls.alice)
        output = document(cls.huyen_a1, "bao_cao", "10-BC/HU", datetime.date(2021, 3, 20), "kết quả", cls.bob)
        for task, day in zip(cls.tasks[:3], [datetime.date(2021, 3, 20), datetime.date(2021, 6, 1),
                                             datetime.date(2021, 10, 10)], strict=False):  # fmt: skip
            task.refresh_from_db()
            do_record_progress(task, percent=100, version=task.version, complete=True, completed_on=day,
                               evidence_document=output, acting_user=cls.bob)  # fmt: skip
        cls.decision = document(
            cls.tinh_a, "quyet_dinh", "200-QĐ/TU", datetime.date(2022, 1, 20), "xếp loại", cls.alice
        )


class ScoreTestCase(EvaluationBase):
    def test_it_scores_tasks_with_the_late_penalty_and_bands_by_the_rule(self):
        rule = active_rule()
        found = evidence.units_evidence([self.huyen_a1], range(YEAR, YEAR + 1), datetime.date(2022, 1, 10))[
            self.huyen_a1.pk
        ]
        self.assertEqual(found["tasks"], {"on_time": 2, "late": 1, "overdue": 1, "pending": 0, "outputs": 3})
        total, band, parts = evidence.score(found, rule)
        # (2 on time + 1 late × 0.75 + 0) / 4 due = 68.75; overdue work fails the band.
        self.assertEqual(parts["tasks"], Decimal("68.75"))
        self.assertEqual(total, Decimal("68.75"))
        self.assertEqual(band, Band.FAILED)

    def test_the_two_top_bands_need_every_task_on_time(self):
        rule = active_rule()
        on_time = {"tasks": {"on_time": 10, "late": 0, "overdue": 0, "pending": 0, "outputs": 10}}
        self.assertEqual(evidence.score(on_time, rule)[:2], (Decimal("100.00"), Band.EXCELLENT))
        one_late = {"tasks": {"on_time": 9, "late": 1, "overdue": 0, "pending": 0, "outputs": 10}}
        self.assertEqual(evidence.score(one_late, rule)[:2], (Decimal("97.50"), Band.COMPLETE))
        many_late = {"tasks": {"on_time": 7, "late": 3, "overdue": 0, "pending": 0, "outputs": 10}}
        self.assertEqual(evidence.score(many_late, rule)[1], Band.FAILED)  # 30% late is over the 20% of "complete"
        self.assertEqual(evidence.score({"tasks": evidence.EMPTY_TASKS}, rule), (None, "", {
            "tasks": None, "reports": None, "indicators": None, "study": None}))  # fmt: skip

    def test_the_penalty_is_configurable(self):
        root = self.alice.__class__.objects.create_superuser("root", password="x")
        do_update_rule(active_rule(), late_penalty=50, acting_user=root)
        one_late = {"tasks": {"on_time": 1, "late": 1, "overdue": 0, "pending": 0, "outputs": 2}}
        self.assertEqual(evidence.score(one_late, active_rule())[0], Decimal("75.00"))
        with self.assertRaises(ValidationError):
            do_update_rule(active_rule(), late_penalty=10, acting_user=self.alice)


class StagesTestCase(EvaluationBase):
    def open(self):
        self.assertEqual(
            do_open_evaluations(self.tinh_a, year=YEAR, acting_user=self.alice), 2
        )  # A1, A2 (not the office)
        return Evaluation.objects.get(subject_unit=self.huyen_a1, year=YEAR)

    def test_it_takes_an_evaluation_through_its_stages(self):
        evaluation = self.open()
        self.assertEqual(evaluation.computed_band, Band.FAILED)
        do_self_assess(evaluation, score=Decimal("80"), band=Band.COMPLETE, reason="Nhiệm vụ quý IV chuyển sang 2022",
                       acting_user=self.bob)  # fmt: skip
        do_propose_evaluation(evaluation, score=None, band=Band.FAILED, acting_user=self.alice)
        evaluation = do_decide_evaluation(evaluation, band=Band.COMPLETE, reason="Đã khắc phục trong tháng 1",
                                          decision=self.decision, acting_user=self.alice)  # fmt: skip
        self.assertEqual((evaluation.stage, evaluation.final_band), (Stage.DECIDED, Band.COMPLETE))
        self.assertEqual(AuditEvent.objects.filter(object_type="evaluations.evaluation", action="decide").count(), 1)
        with self.assertRaises(ValidationError):
            do_propose_evaluation(evaluation, score=None, band=Band.GOOD, reason="x", acting_user=self.alice)
        counts = figures.band_counts(self.tinh_a, YEAR)
        self.assertEqual((counts["units"]["rated"], counts["units"]["good"]), (1, 0))
        self.assertFalse(counts["units"]["meets"])

    def test_it_refuses_a_band_change_without_reason_and_a_score_out_of_range(self):
        evaluation = self.open()
        events = AuditEvent.objects.count()
        with self.assertRaises(ValidationError) as caught:
            do_propose_evaluation(evaluation, score=None, band=Band.GOOD, acting_user=self.alice)
        self.assertIn("hãy ghi lý do", " ".join(caught.exception.messages))
        with self.assertRaises(ValidationError) as caught:
            do_propose_evaluation(evaluation, score=Decimal("120"), band=Band.FAILED, acting_user=self.alice)
        self.assertIn("Điểm phải từ 0 đến 100", " ".join(caught.exception.messages))
        with self.assertRaises(ValidationError):
            do_self_assess(evaluation, score=None, band=Band.FAILED, acting_user=self.charlie)
        self.assertEqual(AuditEvent.objects.count(), events)
        self.assertEqual(self.refresh(evaluation).stage, Stage.COMPUTED)

    def test_the_page_shows_the_message_and_writes_nothing(self):
        evaluation = self.open()
        self.client.force_login(self.alice)
        response = self.client.post(
            f"/evaluations/{evaluation.pk}/", {"form": "propose", "propose-band": "good", "propose-score": "-3"}
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.refresh(evaluation).stage, Stage.COMPUTED)
        response = self.client.post(f"/evaluations/{evaluation.pk}/", {"form": "propose", "propose-band": "good"})
        self.assertContains(response, "hãy ghi lý do thay đổi", status_code=400)
        response = self.client.post(
            f"/evaluations/{evaluation.pk}/",
            {"form": "propose", "propose-band": "good", "propose-reason": "Nhiệm vụ quý IV do tỉnh lùi hạn"},
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.refresh(evaluation).proposed_band, Band.GOOD)
        self.client.force_login(self.oscar)
        self.assertEqual(self.client.get(f"/evaluations/{evaluation.pk}/").status_code, 404)

    def test_it_commends_the_excellent_by_one_decision(self):
        do_open_evaluations(self.tinh_a, year=YEAR, acting_user=self.alice)
        a2 = Evaluation.objects.get(subject_unit=self.huyen_a2)
        do_decide_evaluation(a2, band=Band.EXCELLENT, reason="Dẫn đầu phong trào", acting_user=self.alice)
        proposals = list(figures.commendation_proposals(self.tinh_a, YEAR, self.alice))
        self.assertEqual(proposals, [a2])
        award = document(self.tinh_a, "quyet_dinh", "210-QĐ/TU", datetime.date(2022, 1, 25), "khen thưởng", self.alice)
        self.client.force_login(self.alice)
        response = self.client.post(
            f"/orgs/{self.tinh_a.pk}/commendations/new/?year={YEAR}",
            {
                "evaluation": [a2.pk],
                f"reason-{a2.pk}": "Hoàn thành xuất sắc",
                "decision": "210-QĐ/TU",
                "kind": "bang_khen",
            },
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Commendation.objects.get().evaluation, a2)
        rows = figures.decision_counts(Commendation.objects.all())
        self.assertEqual((rows[0]["collectives"], rows[0]["individuals"]), (1, 0))
        with self.assertRaises(ValidationError) as caught:
            do_commend(self.tinh_a, decision=award, kind="bang_khen", year=YEAR,
                       entries=[{"subject_unit": self.huyen_a2, "reason": "x"}], acting_user=self.alice)  # fmt: skip
        self.assertIn("đã có trong quyết định này", " ".join(caught.exception.messages))
        with self.assertRaises(ValidationError) as caught:
            do_commend(self.tinh_a, decision=None, kind="bang_khen", year=YEAR,
                       entries=[{"subject_unit": self.huyen_a1, "reason": "x"}], acting_user=self.alice)  # fmt: skip
        self.assertIn("phải có quyết định", " ".join(caught.exception.messages))
        with self.assertRaises(ValidationError) as caught:
            do_commend(self.tinh_a, decision=award, kind="bang_khen", year=YEAR,
                       entries=[{"subject_unit": self.huyen_b1, "reason": "x"}], acting_user=self.alice)  # fmt: skip
        self.assertIn("không thuộc Tỉnh ủy A", " ".join(caught.exception.messages))


class ReviewTestCase(EvaluationBase):
    def test_it_writes_a_review_and_its_docx(self):
        review = do_create_review(
            self.tinh_a, kind="year", title="Tổng kết công tác xây dựng Đảng năm 2021", year=YEAR,
            results="Hoàn thành 3/4 nhiệm vụ.", lessons="Phát huy vai trò người đứng đầu.", acting_user=self.alice,
        )  # fmt: skip
        self.client.force_login(self.charlie)
        response = self.client.get(f"/reviews/{review.pk}/report.docx")
        self.assertEqual(response.status_code, 200)
        text = "\n".join(p.text for p in Docx(io.BytesIO(response.content)).paragraphs)
        self.assertIn("IV. BÀI HỌC KINH NGHIỆM", text)
        self.assertIn("Phát huy vai trò người đứng đầu.", text)
        # A real office suite opens it, and the lessons are on the page it prints.
        import pypdf

        from tests.helpers import converted_to_pdf

        pdf = pypdf.PdfReader(io.BytesIO(converted_to_pdf(response.content, "tong-ket.docx")))
        printed = " ".join(page.extract_text() for page in pdf.pages)
        # (pypdf splits some stacked diacritics from their letters: check the words it keeps.)
        self.assertIn("III. NGUYÊN NHÂN", printed)
        self.assertIn("BÁO CÁO", printed)
        self.assertIn("T/M BAN TH", printed)
        self.client.force_login(self.oscar)
        self.assertEqual(self.client.get(f"/reviews/{review.pk}/").status_code, 404)

    def test_it_refuses_a_review_of_nothing_or_of_another_unit(self):
        with self.assertRaises(ValidationError) as caught:
            do_create_review(self.tinh_a, kind="plan", title="Sơ kết", acting_user=self.alice)
        self.assertIn("Hãy chọn kế hoạch", " ".join(caught.exception.messages))
        with self.assertRaises(ValidationError):
            do_create_review(self.tinh_b, kind="year", title="Tổng kết", year=YEAR, acting_user=self.alice)


class EvaluationApiTestCase(EvaluationBase):
    def call(self, user, method, url, payload=None):
        return api_call(self.client, user, method, url, payload)

    def test_it_opens_proposes_and_decides_through_the_api(self):
        opened = self.call(self.alice, "post", "/api/evaluations", {"unit_id": self.tinh_a.pk, "year": YEAR})
        self.assertEqual(opened.json(), {"opened": 2})
        evaluation = Evaluation.objects.get(subject_unit=self.huyen_a1)
        url = f"/api/evaluations/{evaluation.pk}"
        refused = self.call(self.alice, "post", f"{url}/proposal", {"band": "good"})
        self.assertEqual(refused.status_code, 400)
        self.assertIn("hãy ghi lý do", refused.json()["detail"])
        out_of_range = self.call(self.alice, "post", f"{url}/proposal", {"band": "failed", "score": "101"})
        self.assertEqual(out_of_range.status_code, 400)
        decided = self.call(self.alice, "post", f"{url}/decision", {"band": "complete", "reason": "Đã khắc phục"})
        self.assertEqual(decided.json()["final_band"], "complete")
        self.assertEqual(self.call(self.oscar, "get", url).status_code, 404)
        self.assertEqual(len(self.call(self.bob, "get", "/api/evaluations").json()["items"]), 1)


class TermEvaluationTestCase(EvaluationBase):
    def test_it_evaluates_a_whole_term_over_its_years(self):
        from hienthuc.committees.actions import do_create_term

        term = do_create_term(self.tinh_a, number="XX", start_year=2020, end_year=2025, acting_user=self.alice)
        self.assertEqual(do_open_evaluations(self.tinh_a, term=term, acting_user=self.alice), 2)
        # A year's evaluations are apart from the term's.
        self.assertEqual(do_open_evaluations(self.tinh_a, year=YEAR, acting_user=self.alice), 2)
        evaluation = Evaluation.objects.get(subject_unit=self.huyen_a1, term=term)
        self.assertEqual(evaluation.year, 2025)
        self.assertEqual(evaluation.evidence["tasks"]["late"], 1)  # the 2021 tasks are in the term's years
        self.assertIn("nhiệm kỳ 2020 - 2025", str(evaluation))
        other = do_create_term(self.tinh_b, number="XX", start_year=2020, end_year=2025, acting_user=self.oscar)
        with self.assertRaises(ValidationError):
            do_open_evaluations(self.tinh_a, term=other, acting_user=self.alice)
