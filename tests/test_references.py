"""A secret document, or a task a user may not open, never shows through what mentions it.

The pages and the API refuse such objects by id (test_api_fuzz, test_documents); this file is
about the places that only *mention* them: a plan's source document, cascade rows, the audit
trail, exports, API fields. The crawl follows every link and htmx fragment reachable from the
home page (exports included), then every GET operation of the OpenAPI schema, as users who must
not see the secret, and fails on its number or summary — or on a foreign task's content.
"""

import datetime
import io
import re
import zipfile
from html import unescape
from urllib.parse import urljoin

from hienthuc.documents.actions import do_add_attachment, do_create_document
from hienthuc.documents.models import Document, DocumentGrant, DocumentKind, is_visible
from hienthuc.plans.actions import do_add_task, do_create_plan, do_issue_plan, do_require_plans
from hienthuc.plans.models import Plan, Task
from tests.base import BaseTestCase
from tests.test_documents import docx_bytes


def kind(code: str) -> DocumentKind:
    return DocumentKind.objects.get(code=code)


SECRET_NUMBER = "77-KL/TU"
SECRET_SUMMARY = "phương án nhân sự đặc biệt"
FOREIGN_TASK = "Nhiệm vụ riêng của huyện A2"
LINK = re.compile(r'(?:href|hx-get|action)="([^"#]+)"')
SKIP = ("/accounts/logout", "/i18n/", "/static/", "/api/docs")


def text_of(response) -> str:
    """What a person could read in the answer: the page, or the text inside an .xlsx/.docx."""
    body = response.content
    if body[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            parts = [archive.read(n).decode("utf-8", "replace") for n in archive.namelist() if n.endswith(".xml")]
        # Word splits text into runs: join the XML's text nodes before searching.
        return unescape(re.sub(r"<[^>]+>", "", "".join(parts)))
    return unescape(body.decode("utf-8", "replace"))


class ReferenceBase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.secret = do_create_document(
            issuing_unit=cls.tinh_a, kind=kind("ket_luan"), number_text=SECRET_NUMBER, issuing_body="btv",
            issued_on=datetime.date(2021, 3, 1), summary=f"về {SECRET_SUMMARY}", confidentiality="mat",
            acting_user=cls.alice,
        )  # fmt: skip
        do_add_attachment(
            cls.secret, data=docx_bytes("Toàn văn"), filename=f"{SECRET_SUMMARY}.docx", acting_user=cls.alice
        )
        cls.plan = do_create_plan(
            unit=cls.tinh_a, kind="action_program", title="Chương trình hành động của Tỉnh ủy A",
            source_document=cls.secret, acting_user=cls.alice,
        )  # fmt: skip
        cls.mine = do_add_task(
            cls.plan, content="Nhiệm vụ của huyện A1", lead_unit=cls.huyen_a1, deadline_text="Quý I/2021",
            acting_user=cls.alice,
        )  # fmt: skip
        cls.foreign = do_add_task(
            cls.plan, content=FOREIGN_TASK, lead_unit=cls.huyen_a2, deadline_text="Năm 2030", acting_user=cls.alice
        )
        do_issue_plan(cls.plan, number_text="05-CTr/TU", issued_on=datetime.date(2021, 4, 1), acting_user=cls.alice)
        do_require_plans(
            cls.plan, units=[cls.huyen_a1, cls.huyen_a2], due_on=datetime.date(2021, 5, 1), acting_user=cls.alice
        )
        # A plan whose own document is secret: the plan itself is a secret document.
        cls.secret_plan = do_create_plan(
            unit=cls.huyen_a1, kind="implementation_plan", title="Kế hoạch mật của huyện A1", acting_user=cls.bob
        )
        Document.objects.filter(pk=cls.secret_plan.document_id).update(confidentiality="mat")
        do_add_task(
            cls.secret_plan, content="Nhiệm vụ của kế hoạch mật", lead_unit=cls.xa_a1a, deadline_text="Năm 2026",
            acting_user=cls.bob,
        )  # fmt: skip

    def crawl(self, user, limit: int = 400) -> dict[str, str]:
        """Every page, fragment and export reachable from home as `user`: {url: readable text}."""
        self.client.force_login(user)
        seen: dict[str, str] = {}
        queue = ["/"]
        while queue and len(seen) < limit:
            url = queue.pop(0)
            if url in seen:
                continue
            response = self.client.get(url)
            seen[url] = text_of(response) if response.status_code == 200 else ""
            if response.status_code in (301, 302) and response["Location"].startswith("/"):
                queue.append(response["Location"])
            if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                continue
            for link in LINK.findall(seen[url]):
                target = urljoin(url, unescape(link))
                if target.startswith("/") and not target.startswith(SKIP) and target not in seen:
                    queue.append(target)
        return seen

    def api_answers(self, user) -> dict[str, str]:
        """Every GET of the OpenAPI schema with this file's objects' ids in its path."""
        self.client.force_login(user)
        ids = {
            "unit_id": self.tinh_a.pk, "plan_id": self.plan.pk, "task_id": self.mine.pk,
            "document_id": self.secret.pk, "person_id": self.person_a1.pk,
        }  # fmt: skip
        schema = self.client.get("/api/openapi.json").json()
        answers = {}
        for path, operations in schema["paths"].items():
            if "get" not in operations:
                continue
            url = re.sub(r"\{(\w+)\}", lambda m: str(ids.get(m.group(1), 1)), path)
            response = self.client.get(url)
            answers[url] = response.content.decode("utf-8", "replace")
        # The plan's own answers and the other task of the plan, by id.
        for url in (f"/api/plans/{self.plan.pk}", f"/api/tasks/{self.foreign.pk}", f"/api/tasks?plan={self.plan.pk}"):
            answers[url] = self.client.get(url).content.decode("utf-8", "replace")
        return answers


class SecretReferenceTestCase(ReferenceBase):
    def test_it_shows_the_secret_to_the_granted_user(self):
        # The control: without it the crawl below could pass by showing nothing at all.
        self.client.force_login(self.alice)
        page = self.client.get(f"/plans/{self.plan.pk}/")
        self.assertContains(page, SECRET_NUMBER)
        self.assertEqual(self.client.get(f"/api/plans/{self.plan.pk}").json()["source_document_id"], self.secret.pk)

    def test_it_names_the_secret_by_its_hidden_label_where_it_is_mentioned(self):
        self.client.force_login(self.charlie)
        page = self.client.get(f"/plans/{self.plan.pk}/")
        self.assertContains(page, "Văn bản mật")
        self.assertNotContains(page, SECRET_NUMBER)
        self.assertIsNone(self.client.get(f"/api/plans/{self.plan.pk}").json()["source_document_id"])
        history = self.client.get(f"/orgs/{self.tinh_a.pk}/history/")
        self.assertContains(history, "không hiển thị")
        self.assertNotContains(history, SECRET_SUMMARY)

    def test_no_page_export_or_api_answer_leaks_the_secret_or_a_foreign_task(self):
        for user in (self.charlie, self.bob):
            pages = self.crawl(user)
            self.assertGreater(len(pages), 40, "the crawl reached too few pages to prove anything")
            self.assertIn(f"/plans/{self.plan.pk}/export.xlsx", pages)
            answers = {**pages, **self.api_answers(user)}
            for url, text in answers.items():
                with self.subTest(user=user.username, url=url):
                    self.assertNotIn(SECRET_NUMBER, text)
                    self.assertNotIn(SECRET_SUMMARY, text)
                    self.assertNotIn("Kế hoạch mật của huyện A1", text)
                    self.assertNotIn("Nhiệm vụ của kế hoạch mật", text)
                    if user == self.bob:
                        self.assertNotIn(FOREIGN_TASK, text)
        print(f"\ncrawled {len(pages)} pages as {user.username}: " + ", ".join(sorted(pages)[:400]))

    def test_exports_hold_the_tasks_the_page_shows(self):
        self.client.force_login(self.bob)
        page = self.client.get(f"/plans/{self.plan.pk}/")
        self.assertContains(page, "Nhiệm vụ của huyện A1")
        self.assertNotContains(page, FOREIGN_TASK)
        for url in (f"/plans/{self.plan.pk}/export.xlsx", f"/plans/{self.plan.pk}/export.docx"):
            text = text_of(self.client.get(url))
            self.assertIn("Nhiệm vụ của huyện A1", text)
            self.assertNotIn(FOREIGN_TASK, text)

    def test_a_secret_plan_is_a_secret_document(self):
        self.client.force_login(self.bob)  # bob drafted it, but holds no grant on its document
        self.assertEqual(self.client.get(f"/plans/{self.secret_plan.pk}/").status_code, 404)
        self.assertNotIn(self.secret_plan, Plan.objects.visible_to(self.bob))
        self.assertFalse(Task.objects.visible_to(self.bob).filter(plan=self.secret_plan).exists())
        DocumentGrant.objects.create(document=self.secret_plan.document, user=self.bob)
        self.assertEqual(self.client.get(f"/plans/{self.secret_plan.pk}/").status_code, 200)

    def test_is_visible_agrees_with_visible_to(self):
        draft = do_create_document(
            issuing_unit=self.huyen_a1, kind=kind("ke_hoach"), issuing_body="btv", status="draft",
            summary="Dự thảo của huyện", acting_user=self.bob,
        )  # fmt: skip
        other = do_create_document(
            issuing_unit=self.tinh_b, kind=kind("ket_luan"), number_text="01-KL/TU", issuing_body="btv",
            issued_on=datetime.date(2021, 1, 1), summary="của tỉnh B", acting_user=self.oscar,
        )  # fmt: skip
        documents = list(Document.objects.select_related("issuing_unit"))
        self.assertIn(draft, documents)
        self.assertIn(other, documents)
        for user in (self.alice, self.bob, self.charlie, self.ivan, self.oscar, self.system):
            expected = set(Document.objects.visible_to(user).values_list("pk", flat=True))
            for document in documents:
                with self.subTest(user=user.username, document=str(document)):
                    self.assertEqual(is_visible(user, document), document.pk in expected)
