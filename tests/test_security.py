"""Production behaviour that protects the site: caching, the API's answers to bad clients,
HTTPS settings and the start-up refusal of a bad configuration."""

import subprocess
import sys

from django.core.cache import cache
from django.test import override_settings

from hienthuc.accounts.actions import do_create_api_token
from hienthuc.accounts.models import ApiToken
from tests.base import PASSWORD, BaseTestCase


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    base = {"PATH": "/usr/bin:/bin", "SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": "hienthuc.example", "DEBUG": "0"}
    base.update(env)
    base = {k: v for k, v in base.items() if v is not None}
    return subprocess.run([sys.executable, "manage.py", *args], env=base, capture_output=True, text=True, timeout=120)


class CacheControlTestCase(BaseTestCase):
    def test_it_keeps_pages_and_exports_out_of_shared_caches(self):
        self.client.force_login(self.alice)
        for url in ("/orgs/", f"/orgs/{self.tinh_a.pk}/export.xlsx", "/documents/export.xlsx", "/api/units"):
            with self.subTest(url=url):
                control = self.client.get(url)["Cache-Control"]
                self.assertIn("private", control)
                self.assertIn("no-store", control)


class ApiAnswersTestCase(BaseTestCase):
    def setUp(self):
        cache.clear()

    def test_it_answers_a_write_with_a_bad_token_with_401_not_a_csrf_refusal(self):
        response = self.client.post(
            "/api/tasks/1/progress", {"percent": 5, "version": 1}, content_type="application/json",
            HTTP_AUTHORIZATION="Bearer ht_wrong",
        )  # fmt: skip
        self.assertEqual(response.status_code, 401)
        self.assertEqual(self.client.post("/api/documents", {}, content_type="application/json").status_code, 401)

    def test_it_refuses_a_session_write_without_csrf_in_vietnamese(self):
        from django.test import Client

        client = Client(enforce_csrf_checks=True)
        client.force_login(self.alice)
        response = client.post("/api/documents", {}, content_type="application/json")
        self.assertEqual(response.status_code, 403)
        self.assertIn("Kiểm tra CSRF không đạt", response.json()["detail"])

    @override_settings(API_RATE_PER_MINUTE=5)
    def test_it_limits_the_request_rate_with_a_json_429(self):
        _token, raw = do_create_api_token(self.alice, name="t", acting_user=self.alice)
        codes = [self.client.get("/api/units", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code for _ in range(7)]
        self.assertEqual(codes[:5], [200] * 5)
        response = self.client.get("/api/units", HTTP_AUTHORIZATION=f"Bearer {raw}")
        self.assertEqual(response.status_code, 429)
        self.assertIn("Retry-After", response)
        self.assertIn("yêu cầu mỗi phút", response.json()["detail"])

    @override_settings(API_AUTH_FAILURE_LIMIT=3)
    def test_it_stops_a_run_of_wrong_tokens(self):
        codes = [self.client.get("/api/units", HTTP_AUTHORIZATION=f"Bearer ht_guess{i}").status_code for i in range(5)]
        self.assertEqual(codes, [401, 401, 401, 429, 429])
        _token, raw = do_create_api_token(self.alice, name="t", acting_user=self.alice)
        self.assertEqual(self.client.get("/api/units", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code, 429)

    @override_settings(AXES_FAILURE_LIMIT=2)
    def test_a_locked_login_answers_the_api_in_json(self):
        for _ in range(3):
            response = self.client.post(
                "/api/auth/token", {"username": "bob", "password": "sai"}, content_type="application/json"
            )
        self.assertEqual(response.status_code, 429)
        self.assertEqual(response["Content-Type"], "application/json")
        self.assertIn("tạm khóa", response.json()["detail"])

    def test_tokens_expire_and_do_not_pile_up(self):
        import datetime

        from django.utils import timezone

        token, raw = do_create_api_token(self.alice, name="t", acting_user=self.alice)
        self.assertGreater(token.expires_at, timezone.now() + datetime.timedelta(days=30))
        ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
        self.assertEqual(self.client.get("/api/units", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code, 401)
        with self.settings(API_TOKENS_PER_USER=3):
            for _ in range(5):
                self.client.post(
                    "/api/auth/token", {"username": "alice", "password": PASSWORD}, content_type="application/json"
                )
        self.assertEqual(ApiToken.objects.active().filter(user=self.alice).count(), 3)


class DeploymentSettingsTestCase(BaseTestCase):
    def test_check_deploy_has_https_and_hsts_on_by_default(self):
        done = run_manage("check", "--deploy", SECURE_SSL_REDIRECT=None, SECURE_COOKIES=None)
        self.assertNotIn("W004", done.stderr + done.stdout)
        self.assertNotIn("W008", done.stderr + done.stdout)

    def test_a_missing_secret_key_is_one_line_saying_what_to_set(self):
        done = run_manage("check", SECRET_KEY=None)
        self.assertNotEqual(done.returncode, 0)
        self.assertNotIn("Traceback", done.stderr)
        self.assertIn("SECRET_KEY", done.stderr)
        self.assertEqual(len(done.stderr.strip().splitlines()), 1)


class ApiWriteAccessTestCase(BaseTestCase):
    def test_a_viewers_edit_is_403_and_another_subtrees_object_404(self):
        import datetime

        from hienthuc.documents.actions import do_create_document
        from hienthuc.documents.models import DocumentKind

        document = do_create_document(
            issuing_unit=self.tinh_a, kind=DocumentKind.objects.get(code="ket_luan"), number_text="05-KL/TU",
            issuing_body="btv", issued_on=datetime.date(2022, 1, 5), summary="Kết luận", acting_user=self.alice,
        )  # fmt: skip
        for user, status in ((self.charlie, 403), (self.oscar, 404)):
            self.client.force_login(user)
            response = self.client.patch(
                f"/api/documents/{document.pk}", {"summary": "Sửa"}, content_type="application/json"
            )
            with self.subTest(user=user.username):
                self.assertEqual(response.status_code, status)
                self.assertTrue(response.json()["detail"])
        self.client.force_login(self.charlie)
        response = self.client.post(
            "/api/documents",
            {"kind": "ket_luan", "issuing_unit_id": self.tinh_a.pk, "summary": "Mới"},
            content_type="application/json",
        )
        self.assertEqual(response.status_code, 403)


class SmallThingsTestCase(BaseTestCase):
    def test_favicon_is_found_without_a_login(self):
        response = self.client.get("/favicon.ico")
        self.assertEqual(response.status_code, 301)
        self.assertTrue(response["Location"].endswith(".svg"))

    def test_downloads_are_named_by_what_they_are_not_by_id(self):
        self.client.force_login(self.alice)
        response = self.client.get(f"/orgs/{self.huyen_a1.pk}/export.xlsx")
        self.assertIn('filename="danh-sach-don-vi-huyen-uy-a1.xlsx"', response["Content-Disposition"])
        response = self.client.get(f"/orgs/{self.tinh_a.pk}/yearly-report/?year=2021")
        self.assertIn('filename="bao-cao-nam-2021-tinh-uy-a.docx"', response["Content-Disposition"])
