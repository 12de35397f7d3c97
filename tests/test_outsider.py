"""An outsider gets, for another subtree's objects, exactly the answer a missing object gets.

On the demo, `quangninh` (admin of Quảng Ninh) requests every route of the URL resolver and
every operation of the OpenAPI schema — not a hand-kept list — with ids of Thái Bình's objects,
with GET and with POST (PATCH/DELETE for the API), and once more with an id that does not exist.
The two answers must be the same (404, or 405 for a method the route does not take, the
API's 422 for a body it cannot read, or the import pages' redirect back to the upload form
for a preview that is gone), and nothing may be written. A route whose kind of object
this file does not know fails the test: add it to OBJECTS.

Also: no views or API module fetches a model without its visible_to() (the unscoped fetch
check below reads the source).
"""

import datetime
import re
from pathlib import Path

from django.contrib.auth import get_user_model
from django.test import TestCase, override_settings
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from hienthuc.audit.models import AuditEvent
from hienthuc.demo.data import load_demo

MISSING = 987_654_321
ROOT = Path(__file__).resolve().parent.parent / "hienthuc"


def routes(resolver=None, prefix: str = ""):
    """(route with <int:…> converters, name) of every URL pattern, walking includes."""
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            yield from routes(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.name


def thai_binh_objects() -> dict[str, int]:
    """One object of each kind in Thái Bình's subtree (or of a Thái Bình account)."""
    from hienthuc.accounts.actions import do_create_api_token
    from hienthuc.accounts.models import Role
    from hienthuc.committees.models import Assignment, CommitteeSeat, Term
    from hienthuc.documents.actions import do_add_attachment
    from hienthuc.documents.models import Document, DocumentLink
    from hienthuc.evaluations.models import Evaluation
    from hienthuc.imports.models import PendingImport
    from hienthuc.incoming.models import IncomingDocument
    from hienthuc.indicators.models import Indicator, ReportForm, Submission
    from hienthuc.inspections.models import Inspection
    from hienthuc.meetings.models import AgendaItem, BridgePoint, Meeting, Reflection
    from hienthuc.orgs.models import Mandate, Organization
    from hienthuc.people.models import Person, Position
    from hienthuc.plans.models import ExplanationRequest, Plan, Task
    from hienthuc.reorgs.actions import do_create_reorganization
    from hienthuc.reorgs.models import Operation
    from hienthuc.reviews.models import Review
    from tests.test_documents import docx_bytes

    tb = Organization.objects.get(code="TB")
    under = {"path__startswith": tb.path}
    user = get_user_model().objects.get(username="tinhuy")
    reorg = do_create_reorganization(unit=tb, title="Sắp xếp", effective_on=datetime.date(2025, 7, 1), acting_user=user)
    operation = Operation.objects.create(reorganization=reorg, kind="rename", new_name="Huyện ủy X")
    document = Document.objects.filter(issuing_unit__code="TB", confidentiality="thuong").first()
    attachment = do_add_attachment(document, data=docx_bytes("Toàn văn"), filename="tv.docx", acting_user=user)
    token, _raw = do_create_api_token(user, name="ngoài", acting_user=user)
    from hienthuc.accounts.actions import do_create_service_account

    service, _raw = do_create_service_account(
        unit=tb, name="Cổng tỉnh", scope="read", expires_on=timezone.localdate(), acting_user=user
    )
    pending = {
        kind: PendingImport.objects.create(kind=kind, created_by=user, filename="f.xlsx", payload=b"x").pk
        for kind in ("tree", "register", "values", f"plan-tasks-{Plan.objects.filter(unit__code='TB').first().pk}")
    }
    from hienthuc.elections.actions import do_create_election
    from hienthuc.meetings.actions import do_create_meeting

    congress = Meeting.objects.filter(unit=tb, kind="congress").first() or do_create_meeting(
        tb, kind="congress", title="Đại hội", starts_at=timezone.now(), acting_user=user
    )
    election, _warnings = do_create_election(
        congress, title="Bầu Ban Chấp hành", seats=4, congress_kind="delegates", summoned=10,
        candidates=["A", "B", "C", "D", "E"], acting_user=user,
    )  # fmt: skip
    return {
        "elections": election.pk,
        "users": user.pk,
        "roles": Role.objects.filter(user=user).first().pk,
        "tokens": token.pk,
        "services": service.pk,
        "orgs": Organization.objects.filter(**under).exclude(pk=tb.pk).first().pk,
        "orgs/import": pending["tree"],
        "terms": Term.objects.filter(unit__code="TB").first().pk,
        "seats": CommitteeSeat.objects.filter(term__unit__code="TB").first().pk,
        "assignments": Assignment.objects.filter(term__unit__code="TB").first().pk,
        # Thái Bình's members belong to the new Hưng Yên since the demo's 1 July 2025 merger.
        "people": Person.objects.exclude(home_unit__code__startswith="QN").first().pk,
        "positions": Position.objects.exclude(person__home_unit__code__startswith="QN").first().pk,
        "documents": document.pk,
        "documents/import": pending["register"],
        "attachments": attachment.pk,
        "links": DocumentLink.objects.filter(source__issuing_unit__code="TB").first().pk,
        "plans": Plan.objects.filter(unit__code="TB").first().pk,
        "pending": pending[next(k for k in pending if k.startswith("plan-tasks"))],
        "tasks": Task.objects.filter(plan__unit__code="TB").first().pk,
        "explanations": ExplanationRequest.objects.filter(unit__path__startswith=tb.path).first().pk,
        "indicators": Indicator.objects.filter(owner__code="TB").first().pk,
        "indicators/import": pending["values"],
        "imports": pending["tree"],
        "reports": ReportForm.objects.filter(owner__code="TB").first().pk,
        "submissions": Submission.objects.filter(unit__path__startswith=tb.path).first().pk,
        "reorgs": reorg.pk,
        "reorgs/operations": operation.pk,
        "mandates": Mandate.objects.filter(principal=tb).first().pk,
        "incoming": IncomingDocument.objects.filter(unit=tb).first().pk,
        "meetings": Meeting.objects.filter(unit=tb).first().pk,
        "agenda": AgendaItem.objects.filter(meeting__unit=tb).first().pk,
        "points": BridgePoint.objects.filter(meeting__unit=tb).exclude(unit=tb).first().pk,
        "reflections": Reflection.objects.filter(path__startswith=tb.path).first().pk,
        "inspections": Inspection.objects.filter(unit=tb).first().pk,
        "evaluations": Evaluation.objects.filter(unit=tb).first().pk,
        # Hưng Yên's review of its congress (seed 001): out of Quảng Ninh's reach as well.
        "reviews": Review.objects.first().pk,
    }


def object_key(route: str, parameter: str) -> str:
    """Which kind of object a route's parameter names: by the route's first segments."""
    if parameter == "pending":
        return "indicators/import" if route.startswith("indicators/") else "pending"
    segments = [s for s in route.split("/") if s and "<" not in s]
    for key in ("/".join(segments[:2]), segments[0] if segments else "", "/".join(segments[1:2])):
        if key in OBJECT_KEYS:
            return key
    raise AssertionError(f"tests/test_outsider.py does not know which object {route} names: add it")


OBJECT_KEYS = {
    "accounts/users": "users", "accounts/roles": "roles", "accounts/tokens": "tokens", "orgs": "orgs",
    "accounts/services": "services",
    "orgs/import": "orgs/import", "terms": "terms", "seats": "seats", "assignments": "assignments",
    "people": "people", "positions": "positions", "documents": "documents", "documents/import": "documents/import",
    "attachments": "attachments", "links": "links", "plans": "plans", "tasks": "tasks",
    "explanations": "explanations", "indicators": "indicators", "indicators/import": "indicators/import",
    "imports": "imports", "reports": "reports", "submissions": "submissions", "pending": "pending",
    "reorgs": "reorgs", "reorgs/operations": "reorgs/operations", "mandates": "mandates",
    "incoming": "incoming", "meetings": "meetings", "agenda": "agenda", "points": "points",
    "reflections": "reflections", "inspections": "inspections", "evaluations": "evaluations", "reviews": "reviews",
    "elections": "elections",
}  # fmt: skip
API_PARAMETERS = {
    "unit_id": "orgs", "person_id": "people", "term_id": "terms", "document_id": "documents", "plan_id": "plans",
    "task_id": "tasks", "indicator_id": "indicators", "form_id": "reports", "submission_id": "submissions",
    "reorg_id": "reorgs", "incoming_id": "incoming", "meeting_id": "meetings", "point_id": "points",
    "item_id": "agenda", "inspection_id": "inspections", "evaluation_id": "evaluations", "review_id": "reviews",
    "election_id": "elections",
}  # fmt: skip


# Path parameters that name no object (a ballot's serial number within an election).
NOT_OBJECTS = {"number": "1"}


@override_settings(DEBUG=True)  # the demo's accounts log in only in development mode
class OutsiderSweepTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        load_demo()
        cls.objects = thai_binh_objects()
        cls.outsider = get_user_model().objects.get(username="quangninh")

    def fill(self, route: str, ids: dict[str, int] | None) -> str:
        def value(match):
            parameter = match.group(1)
            return str(MISSING if ids is None else ids[OBJECT_KEYS[object_key(route, parameter)]])

        return "/" + re.sub(r"<int:(\w+)>", value, route)

    def test_every_route_answers_another_subtree_like_a_missing_object(self):
        self.client.force_login(self.outsider)
        events = AuditEvent.objects.count()
        checked = []
        for route, name in routes():
            if "<int:" not in route or route.startswith("api/"):
                continue
            for method in ("get", "post"):
                foreign = getattr(self.client, method)(self.fill(route, self.objects))
                missing = getattr(self.client, method)(self.fill(route, None))
                with self.subTest(route=route, name=name, method=method):
                    # A preview that is gone (applied, cleared, or another user's) sends back to
                    # its upload page with a message: the same answer for all three.
                    self.assertIn(foreign.status_code, (302, 404, 405) if "/import/" in route else (404, 405))
                    self.assertEqual(
                        (foreign.status_code, foreign.get("Location")), (missing.status_code, missing.get("Location"))
                    )
            checked.append(name)
        self.assertEqual(AuditEvent.objects.count(), events, "an outsider's request wrote something")
        self.assertGreater(len(checked), 50)
        print(f"\n{len(checked)} routes swept: {', '.join(checked)}")

    def test_every_api_operation_answers_another_subtree_like_a_missing_object(self):
        self.client.force_login(self.outsider)
        events = AuditEvent.objects.count()
        schema = self.client.get("/api/openapi.json").json()
        checked = 0
        for path, operations in schema["paths"].items():
            names = re.findall(r"\{(\w+)\}", path)
            if not names:
                continue
            for method in operations:
                if method not in ("get", "post", "patch", "put", "delete"):
                    continue
                answers = []
                for ids in (self.objects, None):
                    url = re.sub(
                        r"\{(\w+)\}",
                        lambda m, ids=ids: (
                            NOT_OBJECTS.get(m.group(1))
                            or str(MISSING if ids is None else ids[API_PARAMETERS[m.group(1)]])
                        ),
                        path,
                    )
                    answers.append(getattr(self.client, method)(url, {}, content_type="application/json"))
                foreign, missing = answers
                with self.subTest(path=path, method=method):
                    self.assertIn(foreign.status_code, (404, 405, 422))
                    self.assertEqual((foreign.status_code, foreign.content), (missing.status_code, missing.content))
                checked += 1
        self.assertEqual(AuditEvent.objects.count(), events, "an outsider's request wrote something")
        self.assertGreater(checked, 15)


class UnscopedFetchTestCase(TestCase):
    """Views and the API fetch objects through visible_to(): a bare model in get_object_or_404 or
    a Model.objects.get( there would bypass it."""

    def test_no_views_or_api_module_fetches_without_visible_to(self):
        modules = [*ROOT.glob("*/views.py"), *ROOT.glob("api/*.py")]
        self.assertGreater(len(modules), 8)
        pattern = re.compile(r"get_object_or_404\(\s*[A-Z]\w*\s*[,)]|\b[A-Z]\w*\.objects\.get\(")
        found = [
            f"{module.relative_to(ROOT)}:{number}: {line.strip()}"
            for module in modules
            for number, line in enumerate(module.read_text().splitlines(), start=1)
            if pattern.search(line)
        ]
        self.assertEqual(found, [])
