"""End-to-end in Debian's Chromium, driven by Playwright (never a downloaded browser)."""

import os
import tempfile
from pathlib import Path

import pytest
from django.contrib.staticfiles.testing import StaticLiveServerTestCase
from playwright.sync_api import expect

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


@pytest.mark.browser
class BrowserTestCase(StaticLiveServerTestCase):
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
        build_cast(self)
        self.context = self.browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
        self.page = self.context.new_page()
        self.page.set_default_timeout(10_000)

    def tearDown(self):
        self.context.close()

    def login(self, username: str):
        page = self.page
        page.goto(f"{self.live_server_url}/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{self.live_server_url}/orgs/")

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
