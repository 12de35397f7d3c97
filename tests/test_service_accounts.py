"""Service accounts (another system's client, owned by a unit) and idempotency keys on the API's
writes."""

import datetime
import threading
from unittest import skipUnless

from django.db import connection
from django.test import TransactionTestCase
from django.utils import timezone

from hienthuc.accounts.actions import do_create_api_token, do_create_service_account
from hienthuc.accounts.models import ServiceAccount, ServiceCall
from hienthuc.api.models import IdempotentRequest
from hienthuc.audit.models import AuditEvent
from hienthuc.documents.models import Document
from tests.base import BaseTestCase

NEXT_YEAR = timezone.localdate() + datetime.timedelta(days=300)


def document_payload(unit, number="21-KL/TU") -> dict:
    return {
        "kind": "ket_luan", "number_text": number, "issuing_unit_id": unit.pk, "issued_on": "2022-02-01",
        "summary": "Kết luận về chuyển đổi số",
    }  # fmt: skip


class ServiceAccountTestCase(BaseTestCase):
    def create(self, scope="read", unit=None, **kwargs):
        return do_create_service_account(
            unit=unit or self.huyen_a1, name="Cổng thông tin huyện", scope=scope,
            expires_on=kwargs.pop("expires_on", NEXT_YEAR), acting_user=kwargs.pop("by", self.alice),
        )  # fmt: skip

    def call(self, method, url, raw, payload=None):
        kwargs = {"headers": {"Authorization": f"Bearer {raw}"}}
        if payload is not None:
            kwargs.update(data=payload, content_type="application/json")
        return getattr(self.client, method)(url, **kwargs)

    def test_it_reads_its_units_subtree_only_and_logs_every_call(self):
        account, raw = self.create()
        codes = [u["code"] for u in self.call("get", "/api/units", raw).json()["items"]]
        self.assertEqual(codes, ["A1", "A1a", "A1b"])
        self.assertEqual(self.call("get", f"/api/units/{self.tinh_b.pk}", raw).status_code, 404)
        calls = list(ServiceCall.objects.filter(account=account).order_by("id").values_list("method", "path", "status"))
        self.assertEqual(calls, [("GET", "/api/units", 200), ("GET", f"/api/units/{self.tinh_b.pk}", 404)])
        event = AuditEvent.objects.get(object_type="accounts.serviceaccount", action="create")
        self.assertEqual((event.actor_name, event.after["scope"]), ("alice", "read"))

    def test_a_read_only_account_cannot_write(self):
        _account, raw = self.create(scope="read")
        response = self.call("post", "/api/documents", raw, document_payload(self.huyen_a1))
        self.assertEqual(response.status_code, 403)
        self.assertIn("chỉ được đọc", response.json()["detail"])
        self.assertFalse(Document.objects.filter(number_text="21-KL/TU").exists())

    def test_a_write_account_writes_within_its_unit_as_itself(self):
        account, raw = self.create(scope="write")
        response = self.call("post", "/api/documents", raw, document_payload(self.huyen_a1, "21-KL/HU"))
        self.assertEqual(response.status_code, 201, response.content)
        event = AuditEvent.objects.get(object_type="documents.document", action="create")
        self.assertEqual(event.actor_id, account.user_id)
        self.assertEqual(self.call("post", "/api/documents", raw, document_payload(self.tinh_a)).status_code, 404)

    def test_an_expired_or_revoked_account_is_refused(self):
        from hienthuc.accounts.actions import do_revoke_service_account

        account, raw = self.create()
        ServiceAccount.objects.filter(pk=account.pk).update(
            expires_on=timezone.localdate() - datetime.timedelta(days=1)
        )
        self.assertEqual(self.call("get", "/api/units", raw).status_code, 401)
        account, raw = self.create()
        do_revoke_service_account(account, acting_user=self.alice)
        self.assertEqual(self.call("get", "/api/units", raw).status_code, 401)

    def test_it_refuses_bad_input_and_other_units_admins(self):
        from django.core.exceptions import ValidationError

        with self.assertRaisesMessage(ValidationError, "không quản trị"):
            self.create(unit=self.tinh_b)
        with self.assertRaisesMessage(ValidationError, "đã qua"):
            self.create(expires_on=timezone.localdate() - datetime.timedelta(days=1))
        with self.assertRaisesMessage(ValidationError, "tối đa"):
            self.create(expires_on=timezone.localdate() + datetime.timedelta(days=800))
        self.assertFalse(ServiceAccount.objects.exists())

    def test_the_admin_manages_them_on_pages(self):
        self.client.force_login(self.alice)
        page = self.client.post(
            "/accounts/services/",
            {
                "name": "Phần mềm quản lý văn bản",
                "unit": "A1",
                "scope": "write",
                "expires_on": NEXT_YEAR.strftime("%d/%m/%Y"),
            },
        )
        self.assertContains(page, "chỉ hiện một lần")
        raw = page.context["raw"]
        account = ServiceAccount.objects.get(name="Phần mềm quản lý văn bản")
        self.assertEqual(self.call("get", "/api/units", raw).status_code, 200)
        detail = self.client.get(f"/accounts/services/{account.pk}/")
        self.assertContains(detail, "GET /api/units")
        # A new key stops the old one; revoking stops everything.
        renewed = self.client.post(
            f"/accounts/services/{account.pk}/", {"action": "renew", "expires_on": NEXT_YEAR.strftime("%d/%m/%Y")}
        )
        self.assertContains(renewed, "khóa cũ ngừng ngay")

        self.assertEqual(self.call("get", "/api/units", raw).status_code, 401)
        self.assertEqual(self.call("get", "/api/units", renewed.context["raw"]).status_code, 200)
        self.client.post(f"/accounts/services/{account.pk}/", {"action": "revoke"})
        self.assertEqual(self.call("get", "/api/units", renewed.context["raw"]).status_code, 401)
        bad = self.client.post(
            "/accounts/services/", {"name": "X", "unit": "A1", "scope": "write", "expires_on": "31/02/2027"}
        )
        self.assertContains(bad, "Ngày không hợp lệ")
        # The service account is not a person: it is not listed among the accounts.
        self.assertNotContains(self.client.get("/accounts/users/"), account.user.username)
        # Another unit's admin, and a viewer, get the same 404 as for a missing one.
        for user in (self.oscar, self.charlie):
            self.client.force_login(user)
            self.assertEqual(self.client.get(f"/accounts/services/{account.pk}/").status_code, 404)


class IdempotencyTestCase(BaseTestCase):
    def post(self, raw, payload, key):
        return self.client.post(
            "/api/documents", payload, content_type="application/json",
            headers={"Authorization": f"Bearer {raw}", "Idempotency-Key": key},
        )  # fmt: skip

    def test_a_retried_write_gets_the_first_answer_and_writes_once(self):
        _token, raw = do_create_api_token(self.alice, name="t", acting_user=self.alice)
        first = self.post(raw, document_payload(self.tinh_a), "k-1")
        self.assertEqual(first.status_code, 201, first.content)
        again = self.post(raw, document_payload(self.tinh_a), "k-1")
        self.assertEqual((again.status_code, again.json()), (201, first.json()))
        self.assertEqual(again["Idempotent-Replayed"], "true")
        self.assertEqual(Document.objects.filter(number_text="21-KL/TU").count(), 1)
        # Another body under the same key is a client's mistake, told as such.
        other = self.post(raw, document_payload(self.tinh_a, "22-KL/TU"), "k-1")
        self.assertEqual(other.status_code, 422)
        self.assertIn("đã dùng cho một yêu cầu khác", other.json()["detail"])
        # A refused write keeps no key: corrected and sent again, it runs.
        bad = self.post(raw, {**document_payload(self.tinh_a, "23-KL/TU"), "issued_on": "2022-13-01"}, "k-2")
        self.assertEqual(bad.status_code, 422)
        self.assertFalse(IdempotentRequest.objects.filter(key="k-2").exists())
        self.assertEqual(self.post(raw, document_payload(self.tinh_a, "23-KL/TU"), "k-2").status_code, 201)
        # Each client's keys are its own.
        _token, other_raw = do_create_api_token(self.alice, name="t2", acting_user=self.alice)
        self.assertEqual(self.post(other_raw, document_payload(self.tinh_a, "24-KL/TU"), "k-1").status_code, 201)

    def test_it_refuses_a_malformed_key(self):
        _token, raw = do_create_api_token(self.alice, name="t", acting_user=self.alice)
        response = self.post(raw, document_payload(self.tinh_a), "x" * 101)
        self.assertEqual(response.status_code, 400)
        self.assertIn("Idempotency-Key", response.json()["detail"])
        self.assertFalse(Document.objects.filter(number_text="21-KL/TU").exists())


@skipUnless(connection.vendor == "postgresql", "the tests' in-memory SQLite locks tables between threads")
class ConcurrentRetryTestCase(TransactionTestCase):
    """Two copies of one write, sent at the same moment (a client's retry racing its first
    attempt): one document, and both answers the same."""

    def test_two_simultaneous_copies_write_once(self):
        from django.test import Client

        from hienthuc.documents.kinds import seed_document_kinds
        from hienthuc.documents.models import DocumentKind
        from hienthuc.orgs.kinds import seed_kinds
        from hienthuc.orgs.models import OrgKind, OrgLevel
        from tests.base import build_cast

        seed_kinds(OrgLevel, OrgKind)
        seed_document_kinds(DocumentKind)
        build_cast(self)
        _token, raw = do_create_api_token(self.alice, name="t", acting_user=self.alice)
        answers: list = []
        barrier = threading.Barrier(2)

        def send():
            try:
                barrier.wait()
                answers.append(
                    Client().post(
                        "/api/documents", document_payload(self.tinh_a), content_type="application/json",
                        headers={"Authorization": f"Bearer {raw}", "Idempotency-Key": "race"},
                    )
                )  # fmt: skip
            finally:
                connection.close()

        threads = [threading.Thread(target=send) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual(sorted(a.status_code for a in answers), [201, 201], [a.content for a in answers])
        self.assertEqual(answers[0].json(), answers[1].json())
        self.assertEqual(Document.objects.filter(number_text="21-KL/TU").count(), 1)
