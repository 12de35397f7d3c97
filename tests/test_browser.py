"""End-to-end in Debian's Chromium, driven by Playwright (never a downloaded browser)."""

import os
import tempfile
from pathlib import Path

import pytest
from django.contrib.staticfiles.testing import StaticLiveServerTestCase
from playwright.sync_api import expect

from hienthuc.committees.actions import do_create_term
from hienthuc.documents.kinds import seed_document_kinds
from hienthuc.documents.models import DocumentKind
from hienthuc.orgs.actions import do_create_organization
from hienthuc.orgs.importing import HEADERS
from hienthuc.orgs.kinds import seed_kinds
from hienthuc.orgs.models import Organization, OrgKind, OrgLevel
from tests.base import PASSWORD, build_cast
from tests.helpers import xlsx

CHROMIUM = os.environ.get("CHROMIUM") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


class BrowserBase(StaticLiveServerTestCase):
    """Chromium on the live server, the cast built, the page watched for CSP violations. Other
    browser test modules build on it (it holds no tests itself)."""

    host = "127.0.0.1"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if not Path(CHROMIUM).exists():
            raise RuntimeError(f"Chromium not found at {CHROMIUM}; install Debian's chromium package")
        from playwright.sync_api import sync_playwright

        cls.playwright = sync_playwright().start()
        cls.browser = cls.playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)

    @classmethod
    def tearDownClass(cls):
        cls.browser.close()
        cls.playwright.stop()
        super().tearDownClass()

    def setUp(self):
        # The flush after each transactional test drops the kinds seeded by a data migration.
        seed_kinds(OrgLevel, OrgKind)
        seed_document_kinds(DocumentKind)
        build_cast(self)
        self.context = self.browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
        self.page = self.context.new_page()
        self.page.set_default_timeout(10_000)
        # Every page runs under the production Content-Security-Policy: a blocked inline script
        # or handler, or an uncaught script error, fails the test that met it.
        self.violations: list[str] = []
        self.page.on("console", self.on_console)
        self.page.on("pageerror", lambda error: self.violations.append(f"uncaught: {error}"))

    def on_console(self, message):
        if message.type == "error" and ("Content Security Policy" in message.text or "Refused to" in message.text):
            self.violations.append(message.text)

    def tearDown(self):
        # Requests the page still makes (htmx panels, the menu's count) finish first: a server
        # thread reading the shared in-memory database while the test's flush runs locks it.
        self.page.wait_for_load_state("networkidle")
        self.context.close()
        self.assertEqual(self.violations, [], "the page broke the Content-Security-Policy or raised a script error")

    def login(self, username: str):
        page = self.page
        page.goto(f"{self.live_server_url}/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{self.live_server_url}/orgs/")


@pytest.mark.browser
class BrowserTestCase(BrowserBase):
    def test_it_shows_an_editor_only_their_subtree_and_opens_units_and_people(self):
        do_create_organization(
            parent=self.xa_a1a,
            code="A1a-1",
            name="Chi bộ thôn Đông",
            kind=OrgKind.objects.get(code="chi_bo"),
            acting_user=self.system,
        )
        page = self.page
        self.login("bob")
        tree = page.locator(".tree")
        expect(tree.get_by_role("link", name="Huyện ủy A1")).to_be_visible()
        assert page.get_by_text("Tỉnh ủy B").count() == 0
        assert page.get_by_text("Tỉnh ủy A", exact=True).count() == 0
        # The user's unit comes opened one level; the next level opens in place (htmx).
        expect(tree.get_by_role("link", name="Chi bộ thôn Đông")).to_have_count(0)
        tree.get_by_role("button", name="Mở đơn vị trực thuộc").first.click()
        expect(tree.get_by_role("link", name="Chi bộ thôn Đông")).to_be_visible()
        tree.get_by_role("link", name="Đảng ủy xã Đông Phong").click()
        page.wait_for_url(f"**/orgs/{self.xa_a1a.pk}/")
        expect(page.get_by_role("heading", name="Đảng ủy xã Đông Phong")).to_be_visible()
        page.get_by_role("link", name="Nguyễn Văn Đông").click()
        page.wait_for_url(f"**/people/{self.person_a1.pk}/")
        expect(page.locator("main")).to_contain_text("Sinh năm 1975")

    def test_it_runs_under_a_strict_content_security_policy_and_notices_a_violation(self):
        self.login("alice")
        response = self.page.goto(f"{self.live_server_url}/orgs/")
        policy = response.headers["content-security-policy"]
        self.assertIn("script-src 'self'", policy)
        self.assertNotIn("unsafe-inline' 'self", policy.split("script-src")[1].split(";")[0])
        self.page.click("summary:has-text('Kế hoạch, nhiệm vụ')")  # app.js still works
        expect(self.page.locator(".nav-group details[open]")).to_have_count(1)
        self.page.click("h1")
        expect(self.page.locator(".nav-group details[open]")).to_have_count(0)
        # An inline handler slipped into a page is refused, and the test notices.
        self.page.evaluate("document.body.insertAdjacentHTML('beforeend', '<img src=\"/x\" onerror=\"1\">')")
        self.page.wait_for_timeout(300)
        self.assertTrue(any("Refused" in v or "Content Security Policy" in v for v in self.violations))
        self.violations.clear()

    def test_it_answers_a_vietnamese_404_for_a_unit_of_another_province(self):
        self.login("bob")
        response = self.page.goto(f"{self.live_server_url}/orgs/{self.huyen_b1.pk}/")
        assert response.status == 404
        expect(self.page.get_by_role("heading", name="Không tìm thấy trang")).to_be_visible()
        assert "Huyện ủy B1" not in self.page.content()

    def test_it_imports_a_tree_with_one_bad_row_and_names_that_row(self):
        page = self.page
        self.login("alice")
        before = Organization.objects.count()
        rows = [
            HEADERS,
            ["A2-1", "Đảng ủy xã Nam Hà", "Đảng ủy cơ sở", "A2"],
            ["A2-2", "Chi bộ thôn Bắc", "Tổ đảng", "A2-1"],
        ]
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "cay-don-vi.xlsx"
            path.write_bytes(xlsx(rows, title="DANH SÁCH ĐƠN VỊ"))
            page.goto(f"{self.live_server_url}/orgs/import/")
            page.set_input_files("input[type=file]", str(path))
            page.get_by_role("button", name="Kiểm tra và xem trước").click()
        errors = page.locator(".import-errors li")
        errors.first.wait_for()
        assert errors.all_inner_texts() == [
            "Dòng 4, cột C (Loại đơn vị): Loại đơn vị “Tổ đảng” không có trong danh mục loại đơn vị."
        ]
        assert page.get_by_role("button", name="Nhập 2 dòng").count() == 0
        assert Organization.objects.count() == before

    def test_it_registers_finds_and_links_a_document(self):
        from tests.base import make_user

        make_user("trunguong", self.centre, "admin")
        do_create_term(self.centre, number="XIII", start_year=2021, end_year=2026, acting_user=self.system)
        page = self.page
        self.login("trunguong")

        def register(kind: str, number: str, unit: str, date: str, summary: str):
            page.goto(f"{self.live_server_url}/documents/new/")
            page.select_option("#id_kind", label=kind)
            page.fill("#id_issuing_unit", unit)
            page.fill("#id_number_text", number)
            page.select_option("#id_issuing_body", label="Ban Chấp hành")
            page.fill("#id_issued_on", date)
            page.fill("#id_summary", summary)
            page.get_by_role("button", name="Lưu").click()
            page.wait_for_url("**/documents/*/")

        register("Kết luận", "so 21 - kl/tw", "TW", "25/10/2021", "về đẩy mạnh xây dựng, chỉnh đốn Đảng")
        expect(page.get_by_role("heading", level=1)).to_contain_text("Kết luận 21-KL/TW")
        conclusion_url = page.url

        page.goto(f"{self.live_server_url}/search/?q=ket+luan+21")
        page.locator("#search-documents").get_by_role("link", name="Kết luận 21-KL/TW").click()
        page.wait_for_url(conclusion_url)

        register("Kế hoạch", "01-KH/TU", "A", "01/11/2021",
                 "Kế hoạch quán triệt Kết luận số 21-KL/TW, ngày 25-10-2021 của Ban Chấp hành Trung ương")  # fmt: skip
        suggestions = page.locator("#link-suggestions")
        expect(suggestions).to_contain_text("21-KL/TW")
        suggestions.locator("select[name=kind]").select_option(label="Dẫn chiếu")
        suggestions.get_by_role("button", name="Liên kết").click()
        expect(page.locator("#links-out")).to_contain_text("Dẫn chiếu: Kết luận 21-KL/TW")

        page.goto(conclusion_url)
        expect(page.locator("#links-out")).to_contain_text("Được dẫn chiếu bởi: Kế hoạch 01-KH/TU")

    def test_the_office_receives_directs_and_answers_for_its_committee(self):
        from tests.base import make_user

        do_create_term(self.tinh_a, number="XX", start_year=2020, end_year=2030, acting_user=self.system)
        make_user("vanphong", self.office_a, "editor")
        page = self.page
        # The admin gives the office its mandate on the committee's page.
        self.login("alice")
        page.goto(f"{self.live_server_url}/orgs/{self.tinh_a.pk}/")
        page.get_by_role("link", name="Cơ quan làm thay").click()
        page.fill("#id_agent", "A-VP")
        page.select_option("#id_kind", label="Làm thay công việc văn bản, kế hoạch của cấp ủy")
        page.fill("#id_decision", "Quy chế làm việc khóa XX")
        page.get_by_role("button", name="Ủy nhiệm", exact=True).click()
        expect(page.locator("#mandates")).to_contain_text("Văn phòng Tỉnh ủy A")
        page.get_by_role("button", name="Đăng xuất").click()

        self.login("vanphong")
        page.goto(f"{self.live_server_url}/incoming/new/")
        page.fill("#id_unit", "A")
        page.fill("#id_received_on", "02/12/2026")
        page.fill("#id_sender", "Ban Bí thư Trung ương Đảng")
        page.fill("#id_number_text", "45-CT/TW")
        page.fill("#id_summary", "Chỉ thị về lãnh đạo đại hội đảng bộ các cấp")
        page.select_option("#id_urgency", label="Thượng khẩn")
        page.get_by_role("button", name="Lưu").click()
        page.wait_for_url("**/incoming/*/")
        expect(page.locator("#processing-due")).to_contain_text("02/12/2026")
        page.fill("#id_direction", "Giao Huyện ủy A1 xây dựng kế hoạch thực hiện")
        page.fill("#id_directed_by", "Bí thư Tỉnh ủy")
        page.fill("#id_directed_on", "02/12/2026")
        page.fill("#id_assigned_unit", "A1")
        page.fill("#id_deadline_text", "Quý I/2027")
        page.get_by_role("button", name="Ghi ý kiến chỉ đạo").click()
        expect(page.locator("#incoming-status")).to_have_text("Đã giao, đang thực hiện")
        page.locator("#direction").get_by_role("link", name="Quý I/2027").click()
        expect(page.locator("body")).to_contain_text("Giao Huyện ủy A1 xây dựng kế hoạch thực hiện")
        # The office reads the province's districts by its mandate; the register shows the receipt.
        page.goto(f"{self.live_server_url}/orgs/{self.huyen_a1.pk}/")
        expect(page.get_by_role("heading", level=1)).to_contain_text("Huyện ủy A1")
        page.goto(f"{self.live_server_url}/incoming/?status=assigned")
        expect(page.locator("#incoming")).to_contain_text("45-CT/TW")

    def test_an_inspection_runs_from_its_decision_to_a_follow_up_task(self):
        import datetime

        from hienthuc.documents.actions import do_create_document

        for kind, number, day in (("quyet_dinh", "120-QĐ/TU", datetime.date(2022, 8, 15)),
                                  ("thong_bao", "45-TB/TU", datetime.date(2022, 10, 20))):  # fmt: skip
            do_create_document(
                issuing_unit=self.tinh_a, kind=DocumentKind.objects.get(code=kind), number_text=number,
                issuing_body="btv", issued_on=day, summary="về kiểm tra Huyện ủy A1", acting_user=self.system,
            )  # fmt: skip
        page = self.page
        self.login("alice")
        page.goto(f"{self.live_server_url}/inspections/new/")
        page.fill("#id_unit", "A")
        page.select_option("#id_body", label="Ủy ban Kiểm tra")
        page.select_option("#id_form", label="Kiểm tra")
        page.fill("#id_subject_unit", "A2")
        page.fill("#id_content", "Việc lãnh đạo thực hiện Nghị quyết Đại hội")
        page.get_by_role("button", name="Lưu").click()
        page.wait_for_url("**/inspections/*/")
        expect(page.locator("#inspection-status")).to_have_text("Chưa tiến hành")
        page.fill("#start-form [name=decision]", "120-QĐ/TU")
        page.fill("#start-form [name=started_on]", "15/08/2022")
        page.locator("#start-form").get_by_role("button").click()
        expect(page.locator("#inspection-status")).to_have_text("Đang tiến hành")
        page.fill("#findings-form [name=findings]", "Chậm cụ thể hóa nghị quyết ở hai xã.")
        page.locator("#findings-form").get_by_role("button").click()
        expect(page.locator("#findings")).to_contain_text("Chậm cụ thể hóa")
        page.fill("#conclude-form [name=conclusion]", "45-TB/TU")
        page.locator("#conclude-form").get_by_role("button").click()
        expect(page.locator("#inspection-status")).to_have_text("Đã kết luận")
        page.fill("#recommendation-form [name=content]", "Bổ sung kế hoạch thực hiện ở hai xã")
        page.fill("#recommendation-form [name=deadline_text]", "Quý I/2023")
        page.locator("#recommendation-form").get_by_role("button").click()
        page.locator("#recommendations").get_by_role("link").first.click()
        page.wait_for_url("**/tasks/*/")
        expect(page.locator("body")).to_contain_text("Bổ sung kế hoạch thực hiện ở hai xã")
        expect(page.locator("body")).to_contain_text("Huyện ủy A2")

    def test_an_evaluation_proposal_is_confirmed_with_a_changed_band(self):
        page = self.page
        self.login("alice")
        page.goto(f"{self.live_server_url}/evaluations/")
        page.fill("#open-form [name=unit]", "A")
        page.fill("#open-form [name=year]", "2021")
        page.locator("#open-form").get_by_role("button").click()
        expect(page.locator("#evaluations")).to_contain_text("Huyện ủy A1")
        page.locator("#evaluations").get_by_role("link", name="Huyện ủy A1").click()
        page.wait_for_url("**/evaluations/*/")
        # No evidence for A1 in 2021: the committee rates it; a changed band needs its reason.
        page.select_option("#propose-form [name=propose-band]", label="Hoàn thành tốt nhiệm vụ")
        page.fill("#propose-form [name=propose-score]", "85")
        page.locator("#propose-form").get_by_role("button").click()
        expect(page.locator("#stages")).to_contain_text("Hoàn thành tốt nhiệm vụ (85,00)")
        page.select_option("#decide-form [name=decide-band]", label="Hoàn thành xuất sắc nhiệm vụ")
        page.locator("#decide-form").get_by_role("button").click()
        expect(page.locator("#decide-form")).to_contain_text("hãy ghi lý do thay đổi")
        page.fill("#decide-form [name=decide-reason]", "Dẫn đầu khối huyện về xây dựng Đảng")
        page.locator("#decide-form").get_by_role("button").click()
        expect(page.locator("#evaluation-stage")).to_have_text("Đã quyết định")
        expect(page.locator("#final")).to_contain_text("Hoàn thành xuất sắc nhiệm vụ")
        expect(page.locator("#final")).to_contain_text("Dẫn đầu khối huyện")

    def test_a_unit_is_asked_to_explain_sees_it_in_the_menu_and_the_late_list_urges_it(self):
        from hienthuc.indicators.actions import do_create_form, do_create_indicator, do_require_reports
        from hienthuc.plans.actions import do_request_explanation

        members = do_create_indicator(owner=self.tinh_a, code="DV", name="Số đảng viên", measure="người",
                                      acting_user=self.alice)  # fmt: skip
        form = do_create_form(owner=self.tinh_a, name="Báo cáo quý", period_kind="quarter", first_year=2024,
                              indicators=[members], acting_user=self.alice)  # fmt: skip
        do_require_reports(form, units=[self.huyen_a1], acting_user=self.alice)
        do_request_explanation(unit=self.huyen_a1, question="Vì sao chưa nộp báo cáo quý?", acting_user=self.alice)
        page = self.page
        self.login("bob")
        # The menu's count arrives after the page (htmx): one unread notice, one explanation waiting.
        expect(page.locator("#nav-notices .badge.text-bg-danger")).to_have_text("1")
        expect(page.locator("#nav-notices .badge.text-bg-warning")).to_have_text("1")
        page.locator("#nav-notices").click()
        expect(page.locator("#notices")).to_contain_text("Vì sao chưa nộp báo cáo quý?")
        page.locator("#notices-read").get_by_role("button").click()
        expect(page.locator("#nav-notices .badge.text-bg-warning")).to_have_text("1")
        expect(page.locator("#nav-notices .badge.text-bg-danger")).to_have_count(0)
        self.context.clear_cookies()
        self.login("alice")
        page.goto(f"{self.live_server_url}/urging/?unit={self.tinh_a.pk}")
        expect(page.locator("#late-units")).to_contain_text("Huyện ủy A1")
        expect(page.locator("#late-units")).to_contain_text("Báo cáo quý, Quý")
        page.fill("#urging-setting [name=repeat_every]", "-2")
        page.locator("#urging-setting").get_by_role("button").click()
        expect(page.locator("#urging-setting")).to_contain_text("Số ngày phải từ 1 đến 60")
        page.fill("#urging-setting [name=repeat_every]", "5")
        page.locator("#urging-setting").get_by_role("button").click()
        expect(page.locator(".alert-success, .alert")).to_contain_text("Đã lưu cài đặt đôn đốc")

    def test_two_operators_enter_a_ballot_the_committee_resolves_a_mismatch_and_closes_the_count(self):
        import datetime

        from django.utils import timezone

        from hienthuc.elections.actions import do_add_counter, do_create_election, do_open_counting
        from hienthuc.meetings.actions import do_create_meeting
        from tests.base import make_user

        congress = do_create_meeting(self.tinh_a, kind="congress", title="Đại hội đại biểu lần thứ XX",
                                     starts_at=timezone.make_aware(datetime.datetime(2025, 10, 14, 8)),
                                     acting_user=self.alice)  # fmt: skip
        election, _w = do_create_election(
            congress, title="Bầu Ban Chấp hành", seats=4, congress_kind="delegates", summoned=3,
            candidates=["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung", "Hoàng Văn Em"],
            acting_user=self.alice,
        )  # fmt: skip
        op1, op2 = make_user("op1", self.tinh_a, "editor"), make_user("op2", self.tinh_a, "editor")
        for user, role in ((op1, "operator"), (op2, "operator"), (self.alice, "committee")):
            do_add_counter(election, user=user, role=role, acting_user=self.alice)
        do_open_counting(election, present=3, ballots_issued=3, acting_user=self.alice)
        page, url = self.page, f"{self.live_server_url}/elections/{election.pk}/"
        for operator, papers in (("op1", ("1, 2", "1, 2, 3", "2")), ("op2", ("1,2", "1, 2, 4", "2"))):
            self.context.clear_cookies()
            self.login(operator)
            for number, kept in enumerate(papers, 1):
                page.goto(url)
                page.fill("#ballot [name=ballot-number]", str(number))
                page.fill("#ballot [name=ballot-kept]", kept)
                page.locator("#ballot").get_by_role("button").click()
                expect(page.locator(".alert-success")).to_contain_text(f"Đã nhập phiếu số {number}")
        self.context.clear_cookies()
        self.login("alice")
        page.goto(url)
        expect(page.locator("#mismatches")).to_contain_text("1, 2, 3")
        page.locator("#close").get_by_role("button").click()
        expect(page.locator(".alert-danger")).to_contain_text("không khớp")
        page.fill("#resolve [name=resolve-number]", "2")
        page.fill("#resolve [name=resolve-kept]", "1, 2, 3")
        page.locator("#resolve").get_by_role("button").click()
        page.locator("#close").get_by_role("button").click()
        expect(page.locator("#election-status")).to_have_text("Đã kết thúc kiểm phiếu")
        # Base 3: two votes elect. An: 2, Bình: 3 — elected; Cường: 1.
        expect(page.locator("#result tr.table-success")).to_have_count(2)
        expect(page.locator("#result")).to_contain_text("100,00%")

    def test_an_operator_checks_in_and_the_board_and_completion_rise(self):
        import datetime

        from django.utils import timezone

        from hienthuc.documents.actions import do_create_document
        from hienthuc.meetings.actions import do_add_bridge_point, do_create_meeting, do_invite_unit
        from hienthuc.meetings.views import checkin_code
        from hienthuc.people.actions import do_create_person, do_link_person
        from tests.base import make_user

        kl = do_create_document(
            issuing_unit=self.centre, kind=DocumentKind.objects.get(code="ket_luan"), number_text="21-KL/TW",
            issuing_body="bch", issued_on=datetime.date(2021, 10, 25), summary="về xây dựng Đảng",
            acting_user=self.system,
        )  # fmt: skip
        members = [
            do_create_person(full_name=name, home_unit=self.xa_a1a, acting_user=self.system)
            for name in ("Hoàng Văn Bắc", "Lý Thị Nam")
        ]
        meeting = do_create_meeting(
            self.tinh_a, kind="study", title="Hội nghị quán triệt Kết luận 21-KL/TW", documents=[kl],
            starts_at=timezone.now(), format="online", acting_user=self.system,
        )  # fmt: skip
        operator = make_user("diemcau", self.huyen_a1, "editor")
        point = do_add_bridge_point(meeting, unit=self.huyen_a1, operator=operator, acting_user=self.system)
        do_invite_unit(meeting, point=point, acting_user=self.system)
        member_account = make_user("dangvien", self.xa_a1a, "viewer")
        do_link_person(member_account, members[0], acting_user=self.system)

        # The board, open in another browser (the organizer's), follows the check-ins without a reload.
        watcher = self.browser.new_context(locale="vi-VN")
        board = watcher.new_page()
        board.goto(f"{self.live_server_url}/accounts/login/")
        board.fill("#id_username", "alice")
        board.fill("#id_password", PASSWORD)
        board.click("button[type=submit]")
        board.goto(f"{self.live_server_url}/meetings/{meeting.pk}/board/")
        expect(board.locator("#board-total")).to_contain_text("0/3 người có mặt")
        page = self.page
        self.login("diemcau")
        page.goto(f"{self.live_server_url}/points/{point.pk}/")
        page.fill("#id_q", "bac")
        page.locator("#found").get_by_role("button", name="Điểm danh").click()
        expect(page.locator("#recent")).to_contain_text("Hoàng Văn Bắc")
        page.fill("#qr-form input[name=code]", checkin_code(members[1]))
        page.locator("#qr-form").get_by_role("button", name="Điểm danh").click()
        expect(page.locator("#recent")).to_contain_text("Lý Thị Nam")
        expect(board.locator("#board-total")).to_contain_text("2/3 người có mặt (66,67%)", timeout=15_000)
        watcher.close()

        # A member who studied submits a reflection; completion counts them.
        page.get_by_role("button", name="Đăng xuất").click()
        self.login("dangvien")
        page.goto(f"{self.live_server_url}/documents/{kl.pk}/reflections/")
        page.fill("#id_text", "Nhận thức rõ hơn trách nhiệm nêu gương")
        page.get_by_role("button", name="Nộp", exact=True).click()
        expect(page.locator(".alert-success, .messages")).to_contain_text("Đã nộp bài thu hoạch")
        page.get_by_role("button", name="Đăng xuất").click()
        self.login("alice")
        page.goto(f"{self.live_server_url}/documents/{kl.pk}/study/?unit={self.huyen_a1.pk}")
        expect(page.locator("#completion-total")).to_contain_text("2/3 đảng viên (66,67%)")

    def test_it_runs_a_plan_from_import_to_completion_and_the_dashboard(self):
        do_create_term(self.tinh_a, number="XX", start_year=2020, end_year=2030, acting_user=self.system)
        page = self.page
        self.login("alice")
        page.goto(f"{self.live_server_url}/plans/new/")
        page.fill("#id_unit", "A")
        page.select_option("#id_kind", label="Chương trình hành động")
        page.fill("#id_title", "Chương trình hành động thực hiện Nghị quyết")
        page.get_by_role("button", name="Lưu dự thảo").click()
        page.wait_for_url("**/plans/*/")
        plan_url = page.url
        rows = [
            [
                "STT",
                "Nội dung nhiệm vụ",
                "Cơ quan chủ trì",
                "Cơ quan phối hợp",
                "Sản phẩm",
                "Thời gian hoàn thành",
                "Ghi chú",
            ],
            ["I.", "XÂY DỰNG ĐẢNG", "", "", "", "", ""],
            [1, "Quán triệt nghị quyết đến chi bộ", "Huyện ủy A1", "Văn phòng Tỉnh ủy A", "Báo cáo", "Năm 2099", ""],
            ["II.", "KINH TẾ", "", "", "", "", ""],
            [1, "Đề án giao thông nông thôn", "Huyện ủy A2", "", "Đề án", "Tháng 1/2021", ""],
        ]
        page.get_by_role("link", name="Nhập bảng nhiệm vụ từ Excel hoặc Word").click()
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "chuong-trinh.xlsx"
            path.write_bytes(xlsx(rows, title="PHỤ LỤC NHIỆM VỤ CỤ THỂ"))
            page.set_input_files("input[type=file]", str(path))
            page.get_by_role("button", name="Kiểm tra và xem trước").click()
        page.get_by_role("button", name="Nhập 2 nhiệm vụ").click()
        page.wait_for_url(plan_url)
        expect(page.locator("#tasks")).to_contain_text("I. XÂY DỰNG ĐẢNG")
        page.fill("#id_issue-number_text", "05-CTr/TU")
        page.fill("#id_issue-issued_on", "01/11/2021")
        page.get_by_role("button", name="Ban hành kế hoạch").click()
        page.select_option("#id_req-mode", value="children")
        page.fill("#id_req-due_on", "01/12/2099")
        page.get_by_role("button", name="Giao", exact=True).click()
        expect(page.locator("#coverage")).to_contain_text("Huyện ủy A1")

        # The district issues its plan and completes its task with the output.
        self.context.clear_cookies()
        self.login("bob")
        page.goto(plan_url)
        page.get_by_role("link", name="Lập kế hoạch thực hiện").click()
        page.get_by_role("button", name="Lưu dự thảo").click()
        page.wait_for_url("**/plans/*/")
        page.fill("#id_task-content", "Quán triệt đến các chi bộ")
        page.fill("#id_task-lead_unit", "A1a")
        page.fill("#id_task-deadline_text", "Quý IV/2099")
        page.get_by_role("button", name="Thêm", exact=True).click()
        page.fill("#id_issue-number_text", "01-KH/HU")
        page.fill("#id_issue-issued_on", "10/11/2021")
        page.get_by_role("button", name="Ban hành kế hoạch").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Đã ban hành")
        page.goto(plan_url)
        page.get_by_role("link", name="Quán triệt nghị quyết đến chi bộ").click()
        page.fill("#id_percent", "100")
        page.fill("#id_evidence_link", "https://intranet.a1.vn/bao-cao.pdf")
        page.check("#id_complete")
        page.get_by_role("button", name="Gửi báo cáo").click()
        expect(page.locator("#task-status")).to_contain_text("Hoàn thành đúng hạn")

        # The province sees it at once, and asks for an explanation of the overdue task.
        self.context.clear_cookies()
        self.login("alice")
        page.goto(f"{self.live_server_url}/orgs/{self.tinh_a.pk}/dashboard/")
        expect(page.locator("#dashboard-totals")).to_contain_text("Hoàn thành đúng hạn1")
        # The chart library is served by the app itself and draws the per-unit chart.
        assert page.evaluate("typeof window.Chart") == "function"
        assert page.evaluate("window.Chart.getChart('dashboard-chart') !== undefined")
        # The cascade's coverage: one district issued on time, the other not yet due; down to the district.
        page.locator(".coverage-documents").get_by_role("link", name="05-CTr/TU").click()
        expect(page.locator("#coverage-totals")).to_contain_text("Đã ban hành đúng hạn1")
        expect(page.locator("#coverage-totals")).to_contain_text("Chưa đến hạn1")
        expect(page.locator("#coverage-rows")).to_contain_text("01-KH/HU")
        page.goto(f"{self.live_server_url}/orgs/{self.tinh_a.pk}/dashboard/")
        # Every figure opens the task list behind it.
        page.locator("#dashboard-totals .status-done_on_time a").click()
        expect(page.locator("main table").first).to_contain_text("Quán triệt nghị quyết đến chi bộ")
        expect(page.locator("main")).to_contain_text("1 nhiệm vụ.")
        page.go_back()
        page.locator("#dashboard-overdue").get_by_role("link", name="Đề án giao thông nông thôn").click()
        page.fill("#id_question", "Đề nghị giải trình lý do chậm trình đề án")
        page.get_by_role("button", name="Yêu cầu giải trình").click()
        expect(page.locator("#explanations")).to_contain_text("Đề nghị giải trình lý do chậm trình đề án")

    def test_it_runs_a_quarterly_report_from_entry_to_review_and_the_yearly_report(self):
        from hienthuc.indicators.actions import (
            do_add_rule,
            do_create_form,
            do_create_indicator,
            do_require_reports,
            do_set_target,
        )

        members = do_create_indicator(owner=self.tinh_a, code="DV", name="Tổng số đảng viên", measure="người",
                                      time_aggregation="last", acting_user=self.alice)  # fmt: skip
        admitted = do_create_indicator(owner=self.tinh_a, code="DV_MOI", name="Đảng viên mới kết nạp", measure="người",
                                       acting_user=self.alice)  # fmt: skip
        form = do_create_form(owner=self.tinh_a, name="Báo cáo quý công tác đảng", period_kind="quarter",
                              first_year=2021, indicators=[members, admitted], sections="Kết quả nổi bật",
                              acting_user=self.alice)  # fmt: skip
        do_add_rule(form, left=admitted, comparison="<=", right=members, acting_user=self.alice)
        do_require_reports(form, units=[self.huyen_a1, self.huyen_a2], acting_user=self.alice)
        do_set_target(members, unit=self.tinh_a, year=2021, value="5000", acting_user=self.alice)
        page = self.page

        # The district fills its report; one value breaks a rule and is refused with its message.
        # It finds the form from the menu: report pages are grouped under one entry of the bar.
        self.login("bob")
        page.get_by_text("Chỉ tiêu, báo cáo").click()
        page.get_by_role("link", name="Mẫu báo cáo").click()
        expect(page.locator(".nav-group details[open]")).to_have_count(0)
        page.get_by_role("link", name="Báo cáo quý công tác đảng").click()
        expect(page).to_have_url(f"{self.live_server_url}/reports/{form.pk}/")
        page.select_option("#id_pick_period", label="Quý I/2021")
        page.get_by_role("button", name="Mở báo cáo").click()
        page.fill(f"#id_value_{members.pk}", "1.200")
        page.fill(f"#id_value_{admitted.pk}", "1500")
        page.fill("#id_section_0", "Kết nạp nhiều đảng viên trẻ")
        page.get_by_role("button", name="Gửi báo cáo").click()
        expect(page.locator("#report-form")).to_contain_text("phải ≤ “Tổng số đảng viên”")
        page.fill(f"#id_value_{admitted.pk}", "25")
        page.get_by_role("button", name="Gửi báo cáo").click()
        expect(page.locator("#submission-status")).to_have_text("Đã gửi")

        # The province returns it with a comment; the district sees the comment and sends it again.
        self.context.clear_cookies()
        self.login("alice")
        page.goto(f"{self.live_server_url}/reports/{form.pk}/completeness/?unit={self.tinh_a.pk}&period=2021-Q1")
        expect(page.locator("#completeness-totals")).to_contain_text("Chưa nộp1")
        page.locator("#completeness-rows").get_by_role("link", name="Huyện ủy A1").click()
        page.fill("#id_comment", "Đề nghị kiểm tra lại số đảng viên mới")
        page.get_by_role("button", name="Trả lại").click()
        expect(page.locator("#submission-status")).to_have_text("Bị trả lại")
        self.context.clear_cookies()
        self.login("bob")
        page.goto(f"{self.live_server_url}/reports/{form.pk}/fill/?unit={self.huyen_a1.pk}&period=2021-Q1")
        expect(page.locator("#review-comment")).to_contain_text("Đề nghị kiểm tra lại số đảng viên mới")
        page.fill(f"#id_value_{admitted.pk}", "24")
        page.get_by_role("button", name="Gửi báo cáo").click()
        expect(page.locator("#submission-status")).to_have_text("Đã gửi")

        # The province accepts it; the indicator page and its chart show the figure at once.
        self.context.clear_cookies()
        self.login("alice")
        page.goto(f"{self.live_server_url}/reports/{form.pk}/fill/?unit={self.huyen_a1.pk}&period=2021-Q1")
        page.get_by_role("button", name="Duyệt").click()
        expect(page.locator("#submission-status")).to_have_text("Đã duyệt")
        page.goto(f"{self.live_server_url}/indicators/{members.pk}/?unit={self.tinh_a.pk}&year=2021")
        expect(page.locator("#indicator-years")).to_contain_text("1.200")
        expect(page.locator("#indicator-children")).to_contain_text("Huyện ủy A1")
        assert page.evaluate("window.Chart.getChart('indicator-chart') !== undefined")
        assert page.evaluate("window.Chart.getChart('indicator-children-chart') !== undefined")
        # The yearly report downloads as a Word file.
        page.goto(f"{self.live_server_url}/orgs/{self.tinh_a.pk}/dashboard/")
        page.select_option("#id_report_year", "2021")
        with page.expect_download() as download:
            page.get_by_role("button", name="Tải báo cáo năm").click()
        assert download.value.suggested_filename.endswith(".docx")
        with open(download.value.path(), "rb") as report:
            assert report.read(2) == b"PK"

    def test_it_follows_a_reorganization_applied_in_the_background_and_shows_a_past_day(self):
        import datetime

        from django.test import override_settings

        from hienthuc.reorgs.actions import do_add_operation, do_create_reorganization
        from hienthuc.reorgs.background import run_reorganization

        reorg = do_create_reorganization(
            unit=self.tinh_a, title="Sắp xếp tổ chức đảng hai cấp", effective_on=datetime.date(2025, 7, 1),
            acting_user=self.alice,
        )  # fmt: skip
        do_add_operation(reorg, kind="dissolve", units=[self.huyen_a1], target=self.tinh_a, acting_user=self.alice)
        do_add_operation(
            reorg, kind="merge", units=[self.xa_a1a, self.xa_a1b], new_code="A-X1", new_name="Đảng ủy xã Đông Tây",
            new_kind=OrgKind.objects.get(code="dang_uy_xa"), new_parent=self.tinh_a, acting_user=self.alice,
        )  # fmt: skip
        page = self.page
        self.login("alice")
        # The worker is not there yet (DummyBackend keeps the task): the page says it runs.
        with override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}):
            page.goto(f"{self.live_server_url}/reorgs/{reorg.pk}/")
            page.once("dialog", lambda dialog: dialog.accept())
            page.get_by_role("button", name="Áp dụng").click()
            expect(page.locator("#reorg-progress")).to_contain_text("Đang áp dụng trong nền")
            self.assertEqual(run_reorganization.call(reorg.pk), "done")
            # The page polls and reloads itself once the run is over.
            expect(page.locator("h1 .badge")).to_have_text("Đã áp dụng")
            expect(page.locator("#reorg-progress")).to_have_count(0)
        page.goto(f"{self.live_server_url}/orgs/{self.tinh_a.pk}/dashboard/")
        expect(page.locator("#dashboard-children")).not_to_contain_text("Huyện ủy A1")
        page.fill("#dashboard-on", "2025-06-30")
        page.get_by_role("button", name="Xem", exact=True).click()
        expect(page.locator("#panel-tasks")).to_contain_text("tình hình ngày 30/06/2025")
        expect(page.locator("#dashboard-children")).to_contain_text("Huyện ủy A1")
