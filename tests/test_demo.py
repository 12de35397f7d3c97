import datetime

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import TestCase, override_settings
from django.utils import timezone

from hienthuc.committees.models import CommitteeSeat, Term
from hienthuc.demo.data import DEMO_LOGINS, DEMO_PASSWORD, load_demo
from hienthuc.orgs import aggregates
from hienthuc.orgs.models import Organization
from hienthuc.people.models import Person


# The demo runs as make run serves it: in development mode, the only mode that lets its
# published accounts in (DemoGuardTestCase below shows the refusal).
@override_settings(DEBUG=True)
class DemoTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        load_demo()

    def test_it_builds_thai_binh_with_its_213_bridge_point_units(self):
        tb = Organization.objects.get(code="TB")
        below = Organization.objects.filter(path__startswith=tb.path, depth__gt=tb.depth)
        self.assertEqual(below.filter(kind__is_body=False).count(), 213)
        self.assertEqual(below.filter(depth=tb.depth + 1, kind__is_body=False).count(), 13)
        self.assertTrue(below.filter(kind__is_body=True, name="Văn phòng Tỉnh ủy").exists())

    def test_it_seats_a_51_member_executive_committee_for_term_xx(self):
        term = Term.objects.get(unit__code="TB", number=20)
        self.assertEqual((term.start_year, term.end_year), (2020, 2025))
        seats = CommitteeSeat.objects.filter(term=term)
        self.assertEqual(seats.filter(body="bch").count(), 51)
        self.assertEqual(seats.filter(body="btv").count(), 15)
        self.assertEqual(seats.filter(body="tt").count(), 3)
        self.assertEqual(seats.filter(body="bch", role="bi_thu").count(), 1)

    def test_it_builds_quang_ninh_with_13_district_committees(self):
        qn = Organization.objects.get(code="QN")
        children = Organization.objects.filter(path__startswith=qn.path, depth=qn.depth + 1, kind__code="huyen_uy")
        self.assertEqual(children.count(), 13)
        self.assertTrue(children.filter(name="Thành ủy Móng Cái").exists())
        self.assertTrue(Term.objects.filter(unit__code="QN-MC", number=24).exists())

    def test_it_has_the_demo_tier_size_and_consistent_counts(self):
        self.assertGreater(Organization.objects.count(), 230)
        self.assertGreater(Person.objects.count(), 500)
        self.assertEqual(aggregates.rebuild(), 0)

    def test_it_registers_the_seed_documents_linked_as_they_relate(self):
        from hienthuc.documents.models import Document

        conclusion = Document.objects.get(number_normalized="21-KL/TW")
        # The study plan 25-KH/TU, the action program 10-CTr/TU and Đông Hưng's 05-KH/HU.
        self.assertEqual(conclusion.links_in.filter(kind="implements").count(), 3)
        resolution = Document.objects.get(issuing_unit__code="TB", number_normalized="01-NQ/ĐH")
        self.assertIn("đến năm 2045 là tỉnh phát triển", resolution.summary)
        self.assertEqual(resolution.term.roman, "XX")
        guide = Document.objects.get(number_normalized="01-HD/TW")
        self.assertEqual(guide.number_text, "01-HĐ/TW")  # kept as written in seed 002
        self.assertTrue(Document.objects.filter(issuing_unit__code="QN-MC", kind__code="nghi_quyet").exists())

    def test_it_cascades_the_provinces_action_program_to_the_districts(self):
        from hienthuc.lib import deadlines
        from hienthuc.plans import tallies
        from hienthuc.plans.coverage import coverage_rows
        from hienthuc.plans.models import ExplanationRequest, Plan, Task

        program = Plan.objects.get(unit__code="TB", document__number_normalized="04-CTr/TU")
        self.assertEqual(program.tasks.count(), 40)
        states = [r["state"] for r in coverage_rows(program, datetime.date(2021, 6, 1))]
        self.assertEqual((states.count("on_time"), states.count("late"), states.count("overdue")), (4, 2, 7))
        # Tasks in every status, each overdue one asked about at least once in the program.
        counts = program.tasks.status_counts()
        self.assertTrue(all(counts.values()), counts)
        self.assertEqual(ExplanationRequest.objects.filter(task__plan=program).count(), 3)
        self.assertEqual(ExplanationRequest.objects.exclude(answer="").count(), 1)
        # The study conference of seed 002 and the plans it asked of each district.
        study = Plan.objects.get(kind="study_plan", unit__code="TB")
        self.assertEqual(study.document.number_normalized, "25-KH/TU")
        self.assertEqual(study.tasks.filter(completed_on=datetime.date(2021, 11, 3)).count(), 5)
        states = [r["state"] for r in coverage_rows(study, datetime.date(2022, 1, 1))]
        self.assertEqual((states.count("on_time"), states.count("late"), states.count("overdue")), (8, 2, 3))
        # The tallies the dashboards read agree with a recount.
        self.assertEqual(tallies.stored(), tallies.expected())
        # Open tasks went to the new province on 1 July 2025; the old one keeps what was done.
        for unit in (Organization.objects.get(code="TB"), Organization.objects.current().get(code="HY")):
            totals, _ = tallies.task_rollup(unit, timezone.localdate())
            self.assertEqual(totals, Task.objects.filter(plan__status="issued").led_in_subtree(unit).status_counts())
        self.assertGreater(totals[deadlines.OPEN_OVERDUE], 0)
        # The province login belongs to the secretary, who leads tasks in person.
        tinhuy = get_user_model().objects.get(username="tinhuy")
        self.assertTrue(Task.objects.filter(leader=tinhuy.person).exists())

    def test_it_loads_the_resolutions_indicators_and_the_districts_quarterly_reports(self):
        from decimal import Decimal

        from hienthuc.indicators import tallies
        from hienthuc.indicators.models import Indicator, ReportForm, Submission, Target, Value

        self.assertEqual(Indicator.objects.count(), 21)  # the resolution's 20 and the XIV study drive's
        tb = Organization.objects.get(code="TB")
        grdp = Indicator.objects.get(code="TB_GRDP")
        self.assertEqual(Value.objects.get(indicator=grdp, unit=tb, period="2020").value, Decimal("3.23"))
        self.assertTrue(Target.objects.filter(indicator=grdp, kind="term", year=2025).exists())
        quarterly = ReportForm.objects.get(period_kind="quarter")
        # Counted from the tree, never typed: a district's party organizations are its communes (≤ 21).
        held = Value.objects.filter(indicator__code="TB_TCCS", unit__depth=tb.depth + 1).values_list("value", flat=True)
        self.assertTrue(held)
        self.assertLessEqual(max(held), 21)
        # The year not over yet is shown by its estimate; the district's words reach the province.
        from hienthuc.dashboard import narrative
        from hienthuc.indicators.figures import indicator_panel

        self.assertIn("estimate", {row["how"] for row in indicator_panel(tb, timezone.localdate().year)})
        composed = narrative.compose(tb, 2025)
        self.assertEqual(len(composed.fields), 3)
        self.assertGreater(len(composed.proposals[0].proposers), 1)
        q1 = Submission.objects.filter(form=quarterly, period="2021-Q1")
        # The 13 district-level committees owe it up to 30 June 2025; their successors from 1 July.
        self.assertEqual(quarterly.required.filter(valid_from__isnull=True).count(), 13)
        self.assertTrue(Submission.objects.filter(form=quarterly, status="returned").exists())
        totals, _ = tallies.completeness(tb, quarterly, "2021-Q1")
        # A returned report counts as not sent until it is sent again.
        self.assertEqual(totals["on_time"] + totals["late"], q1.filter(status__in=["submitted", "accepted"]).count())
        self.assertGreater(totals["late"], 0)
        self.assertGreater(
            sum(tallies.completeness(tb, quarterly, key)[0]["missing"] for key in ("2021-Q2", "2021-Q3")), 0
        )
        figures = tallies.unit_figures(tb, [Indicator.objects.get(code="TB_DV")], ["2021-Q4"])
        self.assertGreater(figures[(Indicator.objects.get(code="TB_DV").pk, "2021-Q4")], 50000)
        self.assertEqual(tallies.stored(), tallies.expected())

    def test_it_counts_a_communes_congress_and_prepares_the_provinces_list(self):
        from hienthuc.elections.actions import count
        from hienthuc.elections.models import Election

        counted = Election.objects.get(status="closed")
        result = count(counted)
        self.assertEqual((result.ballots, result.invalid), (118, {"Phiếu không có dấu của Ban kiểm phiếu": 1}))
        self.assertTrue(result.elected)
        province = Election.objects.get(seats=51)
        self.assertEqual((province.status, province.candidates.count(), province.base), ("preparing", 56, 350))

    def test_it_creates_the_demo_logins(self):
        for username, _label, code, role in DEMO_LOGINS:
            user = get_user_model().objects.get(username=username)
            self.assertTrue(user.check_password(DEMO_PASSWORD))
            self.assertEqual(list(user.roles.values_list("organization__code", "kind")), [(code, role)])

    def test_it_lets_huyen_see_only_its_district(self):
        self.client.force_login(get_user_model().objects.get(username="huyen"))
        response = self.client.get("/orgs/")
        self.assertContains(response, "Huyện ủy Đông Hưng")
        self.assertEqual(self.client.get(f"/orgs/{Organization.objects.get(code='QN-MC').pk}/").status_code, 404)

    def test_it_lists_huyens_own_tasks_and_reminds_them_of_the_overdue_ones(self):
        from django.utils import timezone

        from hienthuc.plans.reminders import send_due_reminders

        huyen = get_user_model().objects.get(username="huyen")
        self.client.force_login(huyen)
        mine = self.client.get("/tasks/?scope=mine")
        self.assertContains(mine, "Tổ chức học tập, quán triệt đến 100% chi bộ, đảng viên")
        # The district's open tasks went to the new province on 1 July 2025: its login is reminded.
        self.assertGreater(send_due_reminders(timezone.localdate()), 0)
        self.client.force_login(get_user_model().objects.get(username="hungyen"))
        reminders = self.client.get("/reminders/")
        self.assertContains(reminders, "Kiểm điểm tự phê bình và phê bình theo Kết luận 21-KL/TW")
        self.assertContains(reminders, "Đã quá hạn")
        self.assertEqual(send_due_reminders(timezone.localdate()), 0)  # each once

    def test_it_refuses_to_load_the_demo_outside_the_embedded_debug_setup(self):
        from django.core.management.base import CommandError

        with self.assertRaisesMessage(CommandError, "DEMO=1"):
            call_command("load_demo")

    @override_settings(DEMO=True, DATABASE_URL="")
    def test_it_loads_the_demo_once_only(self):
        before = Organization.objects.count()
        call_command("load_demo", stdout=open("/dev/null", "w"))
        self.assertEqual(Organization.objects.count(), before)


class DemoGuardTestCase(TestCase):
    """The demo's accounts never work where DEBUG is off, whatever database holds them."""

    @classmethod
    def setUpTestData(cls):
        load_demo()

    def test_it_refuses_demo_logins_with_a_clear_message(self):
        response = self.client.post("/accounts/login/", {"username": "tinhuy", "password": DEMO_PASSWORD})
        self.assertContains(response, "Tài khoản mẫu chỉ dùng được khi chạy thử")
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_it_refuses_demo_api_tokens_old_and_new(self):
        from hienthuc.accounts.actions import do_create_api_token

        user = get_user_model().objects.get(username="tinhuy")
        _token, raw = do_create_api_token(user, name="cũ", acting_user=user)
        answer = self.client.post(
            "/api/auth/token", {"username": "tinhuy", "password": DEMO_PASSWORD}, content_type="application/json"
        )
        self.assertEqual(answer.status_code, 401)
        self.assertEqual(self.client.get("/api/units", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code, 401)
        with override_settings(DEBUG=True):
            self.assertEqual(self.client.get("/api/units", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code, 200)

    def test_settings_refuse_demo_mode_without_debug(self):
        import subprocess
        import sys

        env = {"DEBUG": "0", "DEMO": "1", "SECRET_KEY": "x", "ALLOWED_HOSTS": "x", "PATH": "/usr/bin:/bin"}
        done = subprocess.run([sys.executable, "manage.py", "check"], env=env, capture_output=True, text=True)
        self.assertNotEqual(done.returncode, 0)
        self.assertIn("DEMO=1", done.stderr)
        self.assertNotIn("Traceback", done.stderr)


@override_settings(DEBUG=True)
class DemoCountsTestCase(TestCase):
    """Every kind of count kept per unit, registered with the tree (orgs/counts.py), follows a
    district moved under another province: stored equals recounted, for each kind."""

    @classmethod
    def setUpTestData(cls):
        load_demo()

    def test_check_tallies_finds_nothing_on_the_demo_and_after_moving_a_district(self):
        from io import StringIO

        from hienthuc.accounts.system import system_user
        from hienthuc.indicators.models import FormUnit, Value
        from hienthuc.orgs import counts
        from hienthuc.orgs.actions import do_move_organization
        from hienthuc.plans.models import PlanRequirement, Task

        out = StringIO()
        call_command("check_tallies", stdout=out)
        self.assertIn("Khớp", out.getvalue())
        self.assertGreaterEqual(len(counts.registered()), 2)
        tb = Organization.objects.get(code="TB")
        district = next(
            d
            for d in Organization.objects.children_of(tb).filter(kind__code="huyen_uy")
            if Value.objects.filter(unit__path__startswith=d.path).exists()
            and Task.objects.filter(lead_path__startswith=d.path, plan__status="issued").exists()
            and PlanRequirement.objects.filter(unit__path__startswith=d.path).exists()
            and FormUnit.objects.filter(unit__path__startswith=d.path).exists()
        )
        do_move_organization(district, Organization.objects.get(code="QN"), acting_user=system_user())
        self.assertEqual(counts.differences(), {})
        out = StringIO()
        call_command("check_tallies", stdout=out)
        self.assertIn("Khớp", out.getvalue())

    def test_check_tallies_names_a_difference_and_fails(self):
        from io import StringIO

        from django.core.management.base import CommandError

        from hienthuc.indicators.models import ValueTally

        tally = ValueTally.objects.first()
        ValueTally.objects.filter(pk=tally.pk).update(n=tally.n + 5)
        out = StringIO()
        with self.assertRaises(CommandError):
            call_command("check_tallies", stdout=out)
        self.assertIn("chỉ tiêu và báo cáo định kỳ: 1 chỗ khác", out.getvalue())
        call_command("rebuild_aggregates", stdout=StringIO())
        call_command("check_tallies", stdout=StringIO())

    def test_the_dashboard_and_each_registered_panel_keep_their_query_counts(self):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext
        from django.urls import reverse

        from hienthuc.orgs import panels

        self.client.force_login(get_user_model().objects.get(username="tinhuy"))
        tb = Organization.objects.get(code="TB")
        # Each panel's own fragment (htmx), and the page that draws the eager ones inline.
        pins = {"tasks": 12, "indicators": 16, "incoming": 9, "meetings": 32, "inspections": 12, "evaluations": 10}
        registered = panels.registered()
        self.assertEqual({p.key for p in registered}, set(pins), "pin the query count of every registered panel")
        counts = {}
        for panel in registered:
            with CaptureQueriesContext(connection) as ctx:
                response = self.client.get(reverse(panel.url_name, args=[tb.pk]), headers={"HX-Request": "true"})
            self.assertEqual(response.status_code, 200)
            self.assertNotContains(response, "<html")
            counts[panel.key] = len(ctx.captured_queries)
        with CaptureQueriesContext(connection) as ctx:
            self.assertEqual(self.client.get(f"/orgs/{tb.pk}/dashboard/").status_code, 200)
        counts["page"] = len(ctx.captured_queries)
        print(f"\nqueries: {counts}")
        for key, pin in {**pins, "page": pins["tasks"] + 6}.items():
            self.assertLessEqual(counts[key], pin, key)

    def test_the_inspection_evaluation_and_review_lists_keep_their_query_counts(self):
        """The lists grow with the rows they show, never their query counts (no N+1)."""
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from hienthuc.evaluations.models import Evaluation
        from hienthuc.inspections.models import Inspection

        # The superuser sees every row: Hưng Yên's 57 commendations and review too.
        self.client.force_login(get_user_model().objects.create_superuser("root", password="x"))
        evaluation = Evaluation.objects.filter(unit__code="TB").first()
        inspection = Inspection.objects.filter(unit__code="TB", status="concluded").first()
        pins = {"/inspections/": 5, "/evaluations/?year=2021": 5, "/commendations/": 7, "/reviews/": 5,
                f"/evaluations/{evaluation.pk}/": 5, f"/inspections/{inspection.pk}/": 10}  # fmt: skip
        counts = {}
        for url in pins:
            with CaptureQueriesContext(connection) as ctx:
                self.assertEqual(self.client.get(url).status_code, 200, url)
            counts[url] = len(ctx.captured_queries)
        print(f"\nqueries: {counts}")
        for url, pin in pins.items():
            self.assertLessEqual(counts[url], pin, url)


@override_settings(DEBUG=True)  # the demo's accounts log in only in development mode
class DemoReorganizationTestCase(TestCase):
    """The demo's 1 July 2025 merger of Thái Bình and Hưng Yên into the new Tỉnh ủy Hưng Yên."""

    @classmethod
    def setUpTestData(cls):
        load_demo()

    def test_it_merged_thai_binh_and_hung_yen_keeping_the_old_tree_for_history(self):
        from hienthuc.orgs import counts
        from hienthuc.reorgs.models import Reorganization

        self.assertEqual(Reorganization.objects.get().status, "applied")
        self.assertEqual(counts.differences(), {})
        new = Organization.objects.current().get(code="HY")
        old = Organization.objects.get(code="TB")
        self.assertEqual((old.valid_to, new.valid_from), (datetime.date(2025, 6, 30), datetime.date(2025, 7, 1)))
        children = Organization.objects.children_of(new)
        self.assertTrue(children.filter(code="TB-KCQ").exists())  # continued under the new province
        self.assertEqual(children.filter(kind__code="dang_uy_xa").count(), 62)  # 186 communes, three into one
        self.client.force_login(get_user_model().objects.get(username="hungyen"))
        for url in (f"/orgs/{new.pk}/", f"/orgs/{new.pk}/dashboard/", f"/orgs/{new.pk}/dashboard/indicators/?year=2024",
                    f"/orgs/{new.pk}/yearly-report/?year=2025", "/orgs/", "/reorgs/"):  # fmt: skip
            self.assertEqual(self.client.get(url).status_code, 200, url)
        self.assertContains(self.client.get(f"/orgs/{new.pk}/dashboard/indicators/?year=2024"), "(*)")
        # A district dissolved into the old province went on to the new one: the decision says so.
        self.client.force_login(get_user_model().objects.get(username="trunguong"))
        decision = self.client.get(f"/reorgs/{Reorganization.objects.get().pk}/")
        self.assertContains(decision, "(nay: Tỉnh ủy Hưng Yên)")
        # The old province's login still reads its history: its tree as it stood on its last day.
        self.client.force_login(get_user_model().objects.get(username="tinhuy"))
        tree = self.client.get("/orgs/")
        self.assertContains(tree, "Huyện ủy Đông Hưng")
        self.assertContains(self.client.get(f"/orgs/{old.pk}/"), "Đơn vị kế tục:")
