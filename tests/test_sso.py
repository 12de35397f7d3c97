"""One login for all systems: OpenID Connect against a real provider (django-oidc-provider in a
process of its own, tests/oidc_provider), in Chromium — log in, roles from the provider, log out
(the provider's session ends too), a refused account — and the account mapping rules."""

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import RequestFactory, override_settings
from playwright.sync_api import expect

from hienthuc.accounts.models import ExternalIdentity, Role
from hienthuc.accounts.oidc import ProviderBackend, parse_roles
from hienthuc.audit.models import AuditEvent
from tests.base import BaseTestCase, make_user
from tests.test_browser import BrowserBase

PROVIDER_PASSWORD = "mat-khau-cong"
ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def oidc_settings(base: str, **extra) -> dict:
    return {
        "OIDC_RP_CLIENT_ID": "hienthuc",
        "OIDC_RP_CLIENT_SECRET": "bi-mat-thu-nghiem",
        "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{base}/openid/authorize",
        "OIDC_OP_TOKEN_ENDPOINT": f"{base}/openid/token",
        "OIDC_OP_USER_ENDPOINT": f"{base}/openid/userinfo",
        "OIDC_OP_JWKS_ENDPOINT": f"{base}/openid/jwks",
        "OIDC_OP_LOGOUT_ENDPOINT": f"{base}/openid/end-session",
        "OIDC_RP_SCOPES": "openid email profile hienthuc",
        "OIDC_PROVIDER_NAME": "Cổng định danh tỉnh",
        **extra,
    }


@pytest.mark.browser
class SingleSignOnBrowserTestCase(BrowserBase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        port = free_port()
        cls.provider_url = f"http://127.0.0.1:{port}"
        folder = tempfile.mkdtemp(prefix="hienthuc-oidc-")
        cls.provider = subprocess.Popen(
            [
                sys.executable, "-m", "tests.oidc_provider.serve", str(port),
                f"{cls.live_server_url}/accounts/sso/callback/", f"{cls.live_server_url}/accounts/login/",
            ],
            cwd=ROOT, env={**os.environ, "OIDC_TEST_DB": f"{folder}/provider.sqlite3"},
            stdout=subprocess.DEVNULL, stderr=open(f"{folder}/provider.log", "w"),
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{cls.provider_url}/openid/jwks", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline or cls.provider.poll() is not None:
                    cls.provider.kill()
                    raise RuntimeError(
                        "the test OpenID provider did not start: " + open(f"{folder}/provider.log").read()
                    ) from None
                time.sleep(0.3)
        from django.conf import settings

        policy = {**settings.CONTENT_SECURITY_POLICY}
        policy["DIRECTIVES"] = {**policy["DIRECTIVES"], "form-action": ["'self'", cls.provider_url]}
        cls.sso_settings = override_settings(**oidc_settings(cls.provider_url), CONTENT_SECURITY_POLICY=policy)
        cls.sso_settings.enable()

    @classmethod
    def tearDownClass(cls):
        cls.sso_settings.disable()
        cls.provider.terminate()
        cls.provider.wait(10)
        super().tearDownClass()

    def sso_login(self, username: str):
        page = self.page
        page.goto(f"{self.live_server_url}/accounts/login/")
        page.click("#sso-login")
        page.wait_for_url(f"{self.provider_url}/accounts/login/**")
        page.fill("#id_username", username)
        page.fill("#id_password", PROVIDER_PASSWORD)
        page.click("button[type=submit]")

    def test_it_logs_in_through_the_provider_with_its_roles_and_logs_out_there_too(self):
        page = self.page
        self.sso_login("nguyenvana")
        page.wait_for_url(f"{self.live_server_url}/orgs/")
        expect(page.locator("#nav-notices")).to_contain_text("Văn A")
        # The provider said "editor:A1": he sees his district and its communes, nothing above.
        expect(page.locator(".tree").get_by_role("link", name="Huyện ủy A1")).to_be_visible()
        assert page.get_by_text("Tỉnh ủy B").count() == 0
        user = get_user_model().objects.get(email="nguyenvana@tinhuy.example")
        self.assertFalse(user.has_usable_password())
        role = Role.objects.get(user=user)
        self.assertEqual((role.kind, role.organization, role.from_provider), ("editor", self.huyen_a1, True))
        # Logging out ends the provider's session too: the next login asks for the password again.
        page.click("text=Đăng xuất")
        page.wait_for_url(f"{self.live_server_url}/accounts/login/**")
        page.click("#sso-login")
        page.wait_for_url(f"{self.provider_url}/accounts/login/**")
        expect(page.locator("#id_password")).to_be_visible()

    def test_it_links_an_existing_account_and_keeps_the_roles_an_admin_gave(self):
        existing = make_user("tranthib", self.huyen_a2, "viewer")
        self.sso_login("tranthib")
        self.page.wait_for_url(f"{self.live_server_url}/orgs/")
        self.assertEqual(ExternalIdentity.objects.get(user=existing).user, existing)
        roles = sorted(Role.objects.filter(user=existing).values_list("kind", "organization__code", "from_provider"))
        self.assertEqual(roles, [("admin", "A", True), ("viewer", "A2", False), ("viewer", "B", True)])

    def test_it_refuses_an_account_switched_off_here(self):
        account = make_user("lethic", self.huyen_a2, "viewer")
        account.is_active = False
        account.save()
        self.sso_login("lethic")
        self.page.wait_for_url(f"{self.live_server_url}/accounts/login/?sso=refused")
        expect(self.page.locator("#sso-refused")).to_contain_text("đang bị khóa")
        self.assertEqual(self.page.locator("#nav-notices").count(), 0)


class AccountMappingTestCase(BaseTestCase):
    def backend(self):
        request = RequestFactory().get("/accounts/sso/callback/")
        request.session = self.client.session
        backend = ProviderBackend()
        backend.request = request
        return backend, request

    def test_it_reads_roles_as_kind_and_unit_code(self):
        self.assertEqual(
            parse_roles(["editor:A1", " admin : TB ", "chief:A1", "viewer:", 3]), [("editor", "A1"), ("admin", "TB")]
        )
        self.assertEqual(parse_roles("editor:A1"), [])

    @override_settings(**oidc_settings("http://provider.invalid"))
    def test_it_follows_the_provider_roles_and_leaves_admin_given_ones(self):
        backend, _request = self.backend()
        user = backend.create_user({"sub": "42", "preferred_username": "Đỗ.Văn-Hùng", "email": "hung@x.vn",
                                    "hienthuc_roles": ["editor:A1", "viewer:NOPE"]})  # fmt: skip
        self.assertEqual(user.username, "do.van-hung")
        Role.objects.create(user=user, organization=self.huyen_a2, kind="viewer")  # an admin's grant
        backend.update_user(user, {"sub": "42", "hienthuc_roles": ["admin:A"]})
        roles = sorted(Role.objects.filter(user=user).values_list("kind", "organization__code"))
        self.assertEqual(roles, [("admin", "A"), ("viewer", "A2")])
        # No claim at all: the provider says nothing about roles, so nothing changes.
        backend.update_user(user, {"sub": "42"})
        self.assertEqual(Role.objects.filter(user=user).count(), 2)
        self.assertEqual(backend.filter_users_by_claims({"sub": "42"}), [user])

    @override_settings(**oidc_settings("http://provider.invalid"), OIDC_CREATE_USERS=False)
    def test_it_refuses_unknown_people_when_accounts_are_not_created(self):
        backend, request = self.backend()
        self.assertEqual(backend.filter_users_by_claims({"sub": "7", "preferred_username": "ai.do"}), [])
        self.assertEqual(request.session["oidc_refused"], "unknown")
        self.assertIsNone(backend.create_user({"sub": "7"}))

    @override_settings(**oidc_settings("http://provider.invalid"))
    def test_it_refuses_service_accounts_and_never_matches_by_an_unverified_email(self):
        import datetime

        from hienthuc.accounts.actions import do_create_service_account

        account, _raw = do_create_service_account(
            unit=self.tinh_a, name="Cổng", scope="read", expires_on=datetime.date.today(), acting_user=self.alice
        )
        backend, request = self.backend()
        self.assertEqual(backend.filter_users_by_claims({"sub": "9", "preferred_username": account.user.username}), [])
        self.assertEqual(request.session["oidc_refused"], "service")
        self.alice.email = "alice@x.vn"
        self.alice.save()
        claims = {"sub": "10", "preferred_username": "khac", "email": "alice@x.vn", "email_verified": False}
        self.assertEqual(backend.filter_users_by_claims(claims), [])
        self.assertEqual(backend.filter_users_by_claims({**claims, "email_verified": True}), [self.alice])

    @override_settings(PASSWORD_LOGIN=False, **oidc_settings("http://provider.invalid"))
    def test_local_passwords_can_be_switched_off(self):
        page = self.client.get("/accounts/login/")
        self.assertContains(page, "Đăng nhập qua Cổng định danh tỉnh")
        self.assertNotContains(page, 'name="password"')
        self.client.post("/accounts/login/", {"username": "alice", "password": "mat-khau-thu-nghiem-2026"})
        self.assertNotIn("_auth_user_id", self.client.session)
        response = self.client.post(
            "/api/auth/token",
            {"username": "alice", "password": "mat-khau-thu-nghiem-2026"},
            content_type="application/json",
        )
        self.assertEqual(response.status_code, 401)

    def test_the_provider_pages_do_not_exist_without_configuration(self):
        self.assertEqual(self.client.get("/accounts/sso/").status_code, 404)
        self.assertNotContains(self.client.get("/accounts/login/"), "sso-login")


@override_settings(ADMIN_SECOND_FACTOR=True)
class SecondFactorTestCase(BaseTestCase):
    def code(self, secret: str, drift: int = 0) -> str:
        import base64

        from django_otp.oath import totp

        return f"{totp(base64.b32decode(secret), drift=drift):06d}"

    def test_an_admin_sets_up_the_app_then_is_asked_at_every_login(self):
        self.client.force_login(self.alice)
        response = self.client.get("/orgs/")
        self.assertRedirects(response, "/accounts/second-factor/?next=%2Forgs%2F", fetch_redirect_response=False)
        page = self.client.get("/accounts/second-factor/?next=/orgs/")
        secret = page.context["secret"]
        self.assertContains(page, "quét mã")
        self.assertTrue(page.context["qr"].startswith("data:image/svg+xml"))
        wrong = self.client.post("/accounts/second-factor/", {"code": "12345", "next": "/orgs/"})
        self.assertContains(wrong, "6 chữ số")
        done = self.client.post("/accounts/second-factor/", {"code": self.code(secret), "next": "/orgs/"})
        self.assertRedirects(done, "/orgs/", fetch_redirect_response=False)
        self.assertEqual(self.client.get("/orgs/").status_code, 200)
        self.assertTrue(AuditEvent.objects.filter(object_type="otp_totp.totpdevice", action="create").exists())
        # The next login asks for a code again, without a new set-up; an old code is refused.
        self.client.logout()
        self.client.force_login(self.alice)
        self.assertEqual(self.client.get("/orgs/").status_code, 302)
        page = self.client.get("/accounts/second-factor/")
        self.assertNotIn("secret", page.context)
        stale = self.client.post("/accounts/second-factor/", {"code": self.code(secret, drift=-10), "next": "/"})
        self.assertContains(stale, "Mã không đúng")
        self.assertEqual(self.client.get("/orgs/").status_code, 302)

    def test_it_leaves_non_admins_and_the_api_alone(self):
        self.client.force_login(self.bob)
        self.assertEqual(self.client.get("/orgs/").status_code, 200)
        from hienthuc.accounts.actions import do_create_api_token

        _token, raw = do_create_api_token(self.alice, name="t", acting_user=self.alice)
        self.assertEqual(self.client.get("/api/units", headers={"Authorization": f"Bearer {raw}"}).status_code, 200)

    @override_settings(ADMIN_SECOND_FACTOR=False)
    def test_it_is_off_unless_configured(self):
        self.client.force_login(self.alice)
        self.assertEqual(self.client.get("/orgs/").status_code, 200)
