from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from hienthuc.accounts.actions import do_create_user, do_grant_role, do_revoke_role
from hienthuc.accounts.models import Role
from hienthuc.audit.models import AuditEvent
from tests.base import PASSWORD, BaseTestCase

User = get_user_model()


class LoginTestCase(BaseTestCase):
    def test_it_logs_in_with_the_right_password(self):
        response = self.client.post("/accounts/login/", {"username": "bob", "password": PASSWORD})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.client.get("/orgs/").status_code, 200)

    def test_it_hashes_passwords_with_argon2(self):
        self.assertTrue(User.objects.get(username="bob").password.startswith("argon2"))

    def test_it_shows_a_vietnamese_error_on_a_wrong_password(self):
        response = self.client.post("/accounts/login/", {"username": "bob", "password": "sai"})
        self.assertContains(response, "Tên đăng nhập hoặc mật khẩu không đúng")

    def test_it_locks_the_account_after_repeated_wrong_passwords(self):
        for _ in range(5):
            self.client.post("/accounts/login/", {"username": "bob", "password": "sai-mat-khau"})
        response = self.client.post("/accounts/login/", {"username": "bob", "password": PASSWORD})
        self.assertContains(response, "Tài khoản tạm bị khóa", status_code=429)
        self.assertEqual(self.client.get("/orgs/").status_code, 302)  # still not logged in

    def test_it_logs_out_with_post_only(self):
        self.client.force_login(self.bob)
        response = self.client.post("/accounts/logout/")
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.client.get("/orgs/").status_code, 302)

    def test_it_sets_secure_session_cookie_flags(self):
        from django.conf import settings

        self.assertTrue(settings.SESSION_COOKIE_HTTPONLY)
        self.assertEqual(settings.SESSION_COOKIE_SAMESITE, "Lax")
        self.assertIn("django.middleware.csrf.CsrfViewMiddleware", settings.MIDDLEWARE)

    def test_it_enforces_csrf_on_forms(self):
        from django.test import Client

        client = Client(enforce_csrf_checks=True)
        client.force_login(self.bob)
        response = client.post(f"/orgs/{self.huyen_a1.pk}/new/", {"code": "Z", "name": "Z"})
        self.assertEqual(response.status_code, 403)
        self.assertIn("Phiên làm việc đã hết hạn", response.content.decode())


class AccountAdminTestCase(BaseTestCase):
    def test_it_lets_an_admin_create_an_account_in_their_subtree(self):
        user = do_create_user(
            username="xa_a1a",
            password="mot-mat-khau-dai-2026",
            organization=self.xa_a1a,
            role="editor",
            acting_user=self.alice,
        )
        self.assertEqual(Role.objects.get(user=user).organization, self.xa_a1a)
        self.assertTrue(AuditEvent.objects.filter(action="grant").exists())

    def test_it_refuses_accounts_outside_the_subtree_and_for_non_admins(self):
        with self.assertRaises(ValidationError):
            do_create_user(
                username="x1",
                password="mot-mat-khau-dai-2026",
                organization=self.huyen_b1,
                role="viewer",
                acting_user=self.alice,
            )
        with self.assertRaises(ValidationError):
            do_create_user(
                username="x2",
                password="mot-mat-khau-dai-2026",
                organization=self.xa_a1a,
                role="viewer",
                acting_user=self.bob,
            )
        self.assertFalse(User.objects.filter(username__in=["x1", "x2"]).exists())

    def test_it_refuses_weak_passwords_and_bad_usernames(self):
        with self.assertRaises(ValidationError):
            do_create_user(
                username="ab",
                password="mot-mat-khau-dai-2026",
                organization=self.xa_a1a,
                role="viewer",
                acting_user=self.alice,
            )
        with self.assertRaises(ValidationError):
            do_create_user(
                username="newuser", password="123", organization=self.xa_a1a, role="viewer", acting_user=self.alice
            )
        with self.assertRaises(ValidationError):
            do_create_user(
                username="bob",
                password="mot-mat-khau-dai-2026",
                organization=self.xa_a1a,
                role="viewer",
                acting_user=self.alice,
            )

    def test_it_grants_and_revokes_roles_within_the_subtree_only(self):
        role = do_grant_role(self.bob, organization=self.huyen_a2, kind="viewer", acting_user=self.alice)
        with self.assertRaises(ValidationError):
            do_grant_role(self.bob, organization=self.huyen_b1, kind="viewer", acting_user=self.alice)
        do_revoke_role(role, acting_user=self.alice)
        self.assertFalse(Role.objects.filter(pk=role.pk).exists())
        self.assertEqual(AuditEvent.objects.filter(action="revoke").count(), 1)

    def test_it_lists_only_accounts_in_the_admins_subtree(self):
        self.client.force_login(self.alice)
        response = self.client.get("/accounts/users/")
        self.assertContains(response, "bob")
        self.assertNotContains(response, "oscar")
        self.assertEqual(self.client.get(f"/accounts/users/{self.oscar.pk}/").status_code, 404)

    def test_it_creates_an_account_through_the_form(self):
        self.client.force_login(self.alice)
        response = self.client.post(
            "/accounts/users/new/",
            {"username": "moi", "password": "mot-mat-khau-dai-2026", "organization": "B1", "role": "viewer"},
        )
        self.assertContains(response, "Không tìm thấy đơn vị có mã “B1”")
        response = self.client.post(
            "/accounts/users/new/",
            {"username": "moi", "password": "mot-mat-khau-dai-2026", "organization": "A2", "role": "viewer"},
        )
        self.assertEqual(response.status_code, 302)
        self.assertTrue(User.objects.filter(username="moi").exists())

    def test_it_sends_non_admins_to_their_own_account(self):
        self.client.force_login(self.charlie)
        response = self.client.get("/accounts/users/")
        self.assertRedirects(response, f"/accounts/users/{self.charlie.pk}/")
        self.assertEqual(self.client.get("/accounts/users/new/").status_code, 403)
