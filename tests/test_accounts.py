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
        self.assertContains(response, "Không tìm thấy đơn vị “B1”")
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


class LanguageTestCase(BaseTestCase):
    def test_it_lets_the_login_page_choose_english_without_a_loop(self):
        response = self.client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
        self.assertRedirects(response, "/accounts/login/", fetch_redirect_response=False)
        self.assertEqual(self.client.cookies["django_language"].value, "en")
        response = self.client.post("/accounts/login/", {"username": "bob", "password": PASSWORD}, follow=True)
        self.assertEqual(response.redirect_chain[-1][0], "/orgs/")
        self.assertEqual(response.status_code, 200)


class PasswordTestCase(BaseTestCase):
    def test_it_changes_ones_own_password_after_the_old_one_and_stays_logged_in(self):
        self.client.force_login(self.bob)
        page = self.client.post(
            "/accounts/password/",
            {"old_password": "sai", "new_password1": "Mat-khau-moi-2026", "new_password2": "Mat-khau-moi-2026"},
        )
        self.assertContains(page, "Mật khẩu cũ không chính xác", status_code=200)
        page = self.client.post(
            "/accounts/password/",
            {"old_password": PASSWORD, "new_password1": "Mat-khau-moi-2026", "new_password2": "Mat-khau-moi-2026"},
            follow=True,
        )
        self.assertContains(page, "Đã đổi mật khẩu.")
        self.assertTrue(User.objects.get(pk=self.bob.pk).check_password("Mat-khau-moi-2026"))
        self.assertEqual(self.client.get("/orgs/").status_code, 200)  # the session survived
        event = AuditEvent.objects.get(action="set_password")
        self.assertEqual(event.after, {"by": "self"})
        self.assertNotIn("Mat-khau", str(event.after) + str(event.before))

    def test_it_lets_an_admin_set_a_password_in_their_subtree_only(self):
        self.client.force_login(self.alice)
        data = {"action": "set-password", "new_password1": "Tam-thoi-2026!", "new_password2": "Tam-thoi-2026!"}
        page = self.client.post(f"/accounts/users/{self.bob.pk}/", data, follow=True)
        self.assertContains(page, "Đã đặt mật khẩu mới")
        self.assertTrue(User.objects.get(pk=self.bob.pk).check_password("Tam-thoi-2026!"))
        self.assertEqual(AuditEvent.objects.get(action="set_password").after, {"by": "admin"})
        # Another province's admin cannot reach bob's account at all.
        self.client.force_login(self.oscar)
        self.assertEqual(self.client.post(f"/accounts/users/{self.bob.pk}/", data).status_code, 404)
        # And the action refuses it whoever calls it.
        with self.assertRaises(ValidationError):
            from hienthuc.accounts.actions import do_set_password

            do_set_password(self.bob, password="Khac-nua-2026!", acting_user=self.oscar)

    def test_it_refuses_a_weak_password_with_a_vietnamese_message(self):
        self.client.force_login(self.alice)
        data = {"action": "set-password", "new_password1": "123", "new_password2": "123"}
        page = self.client.post(f"/accounts/users/{self.bob.pk}/", data)
        self.assertContains(page, "Mật khẩu này quá ngắn")
        self.assertTrue(User.objects.get(pk=self.bob.pk).check_password(PASSWORD))

    def test_it_offers_a_reset_by_mail_only_where_mail_is_configured(self):
        self.assertNotContains(self.client.get("/accounts/login/"), "/accounts/password/reset/")
        self.assertEqual(self.client.get("/accounts/password/reset/").status_code, 404)

    def test_it_resets_a_forgotten_password_by_mail(self):
        import re

        from django.core import mail
        from django.test import override_settings

        User.objects.filter(pk=self.bob.pk).update(email="bob@huyen-a1.vn")
        with override_settings(PASSWORD_RESET_BY_MAIL=True):
            self.assertContains(self.client.get("/accounts/login/"), "/accounts/password/reset/")
            page = self.client.post("/accounts/password/reset/", {"email": "bob@huyen-a1.vn"}, follow=True)
            self.assertContains(page, "Hãy kiểm tra hộp thư")
            self.assertEqual(len(mail.outbox), 1)
            self.assertIn("Đặt lại mật khẩu", mail.outbox[0].subject)
            link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", mail.outbox[0].body).group(1)
            form_page = self.client.get(link, follow=True)
            data = {"new_password1": "Quen-roi-2026!", "new_password2": "Quen-roi-2026!"}
            done = self.client.post(form_page.redirect_chain[-1][0], data, follow=True)
            self.assertContains(done, "Đã đặt mật khẩu mới")
        self.assertTrue(User.objects.get(pk=self.bob.pk).check_password("Quen-roi-2026!"))
        self.assertEqual(AuditEvent.objects.get(action="set_password").after, {"by": "self"})


class ForbiddenLogTestCase(BaseTestCase):
    def test_a_refused_request_is_one_line_in_the_log_not_a_traceback(self):
        self.client.force_login(self.charlie)  # a viewer
        with self.assertLogs("django.request", "WARNING") as logs:
            self.assertEqual(self.client.get("/documents/new/").status_code, 403)
        self.assertEqual(len(logs.records), 1)
        self.assertIsNone(logs.records[0].exc_info)
        self.assertIn("Forbidden", logs.output[0])
