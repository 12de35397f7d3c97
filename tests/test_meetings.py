"""Meetings: sessions and their agenda, bridge points, check-in, the live board and study completion."""

import datetime

from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from hienthuc.accounts.actions import do_create_api_token, do_revoke_api_token
from hienthuc.accounts.models import DEMO_EMAIL_DOMAIN, ApiToken
from hienthuc.audit.models import AuditEvent
from hienthuc.committees.actions import do_add_seat, do_create_term
from hienthuc.documents.actions import do_create_document
from hienthuc.documents.models import DocumentKind
from hienthuc.meetings import figures
from hienthuc.meetings.actions import (
    do_add_agenda_item,
    do_add_bridge_point,
    do_check_in,
    do_create_make_up,
    do_create_meeting,
    do_invite,
    do_invite_unit,
    do_record_absence,
    do_record_headcount,
    do_record_item,
    do_record_meeting,
    do_record_member_attendance,
    do_record_study,
)
from hienthuc.meetings.models import BridgePoint, CheckIn, Invitation, Meeting, Study
from hienthuc.meetings.views import checkin_code
from hienthuc.people.actions import do_create_person
from tests.base import BaseTestCase, make_user

WHEN = timezone.make_aware(datetime.datetime(2021, 11, 3, 8, 0))


def kind(code: str) -> DocumentKind:
    return DocumentKind.objects.get(code=code)


class MeetingBase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.term = do_create_term(cls.tinh_a, number="XX", start_year=2020, end_year=2025, acting_user=cls.system)
        cls.kl = do_create_document(
            issuing_unit=cls.centre, kind=kind("ket_luan"), number_text="21-KL/TW", issuing_body="bch",
            issued_on=datetime.date(2021, 10, 25), summary="về xây dựng, chỉnh đốn Đảng", acting_user=cls.system,
        )  # fmt: skip
        cls.members_a1 = [
            do_create_person(full_name=f"Đảng viên A1a số {n}", home_unit=cls.xa_a1a, acting_user=cls.system)
            for n in range(1, 4)
        ]
        cls.members_a2 = [
            do_create_person(full_name=f"Đảng viên A2 số {n}", home_unit=cls.huyen_a2, acting_user=cls.system)
            for n in range(1, 3)
        ]
        cls.operator = make_user("diemcau_a1", cls.huyen_a1, "editor")

    def conference(self, **changes):
        data = {"kind": "study", "title": "Hội nghị trực tuyến quán triệt Kết luận 21-KL/TW", "starts_at": WHEN,
                "format": "online", "documents": [self.kl]}  # fmt: skip
        data.update(changes)
        return do_create_meeting(self.tinh_a, acting_user=self.alice, **data)


class SessionTestCase(MeetingBase):
    def test_it_numbers_sessions_in_the_term_and_records_agenda_votes_and_attendance(self):
        first = do_create_meeting(
            self.tinh_a, kind="executive", title="Hội nghị BCH", starts_at=WHEN, acting_user=self.alice
        )
        second = do_create_meeting(
            self.tinh_a, kind="executive", title="Hội nghị BCH", starts_at=WHEN, acting_user=self.alice
        )
        self.assertEqual((first.number, second.number, second.term), (1, 2, self.term))
        with self.assertRaisesMessage(ValidationError, "đã có Hội nghị Ban Chấp hành lần thứ 2"):
            do_create_meeting(
                self.tinh_a, kind="executive", title="X", starts_at=WHEN, number=2, acting_user=self.alice
            )
        plan = do_create_document(
            issuing_unit=self.tinh_a, kind=kind("to_trinh"), issuing_body="btv", status="draft",
            summary="Tờ trình dự thảo Nghị quyết về chuyển đổi số", acting_user=self.alice,
        )  # fmt: skip
        item = do_add_agenda_item(
            second, matter="Cho ý kiến dự thảo Nghị quyết về chuyển đổi số", document=plan,
            preparing_unit=self.office_a, draft_due=datetime.date(2021, 10, 25), presenter="Chánh Văn phòng",
            acting_user=self.alice,
        )  # fmt: skip
        with self.assertRaisesMessage(ValidationError, "vượt số được triệu tập"):
            do_record_item(item, taken=True, votes_for=50, votes_against=3, summoned=51, acting_user=self.alice)
        do_record_item(item, taken=True, outcome="Thông qua", votes_for=49, votes_against=1, summoned=51,
                       acting_user=self.alice)  # fmt: skip
        member = self.members_a2[0]
        with self.assertRaisesMessage(ValidationError, "không phải thành viên Hội nghị Ban Chấp hành"):
            do_record_member_attendance(second, person=member, presence="present", acting_user=self.alice)
        do_add_seat(self.term, person=member, body="bch", role="uy_vien", acting_user=self.alice)
        with self.assertRaisesMessage(ValidationError, "hãy ghi lý do"):
            do_record_member_attendance(second, person=member, presence="excused", acting_user=self.alice)
        do_record_member_attendance(
            second, person=member, presence="excused", reason="Đi công tác", acting_user=self.alice
        )
        self.client.force_login(self.alice)
        page = self.client.get(f"/meetings/{second.pk}/")
        self.assertContains(page, "lần thứ 2, khóa XX")
        self.assertContains(page, "Thông qua (49/51 tán thành)")
        self.assertContains(page, "Vắng có lý do (Đi công tác)")

    def test_it_refuses_an_agenda_document_outside_the_units_reach(self):
        meeting = do_create_meeting(
            self.tinh_a, kind="standing", title="Họp BTV", starts_at=WHEN, acting_user=self.alice
        )
        other = do_create_document(
            issuing_unit=self.tinh_b, kind=kind("ket_luan"), number_text="05-KL/TU", issuing_body="btv",
            issued_on=datetime.date(2021, 5, 5), summary="Kết luận của tỉnh B", acting_user=self.oscar,
        )  # fmt: skip
        with self.assertRaisesMessage(ValidationError, "không thuộc phạm vi của Tỉnh ủy A"):
            do_add_agenda_item(meeting, matter="X", document=other, acting_user=self.alice)
        with self.assertRaisesMessage(ValidationError, "không thuộc phạm vi của Tỉnh ủy A"):
            self.conference(documents=[other])
        with self.assertRaisesMessage(ValidationError, "Chỉ đơn vị tổ chức"):
            do_add_agenda_item(meeting, matter="X", acting_user=self.bob)
        self.assertFalse(meeting.items.exists())


class ConferenceBase(MeetingBase):
    def setUp(self):
        self.meeting = self.conference()
        self.main = do_add_bridge_point(
            self.meeting, unit=self.tinh_a, is_main=True, capacity=200, acting_user=self.alice
        )
        self.point_a1 = do_add_bridge_point(self.meeting, unit=self.huyen_a1, operator=self.operator, capacity=3,
                                            acting_user=self.alice)  # fmt: skip
        self.point_a2 = do_add_bridge_point(self.meeting, unit=self.huyen_a2, acting_user=self.alice)
        do_invite_unit(self.meeting, point=self.point_a1, acting_user=self.alice)
        do_invite_unit(self.meeting, point=self.point_a2, acting_user=self.alice)


class ConferenceTestCase(ConferenceBase):
    def test_it_checks_in_once_and_counts_study(self):
        person = self.members_a1[0]
        created = do_check_in(point_id=self.point_a1.pk, person_id=person.pk, acting_user=self.operator)
        again = do_check_in(point_id=self.point_a1.pk, person_id=person.pk, acting_user=self.operator)
        self.assertEqual((created, again), (True, False))
        self.assertEqual(CheckIn.objects.filter(meeting=self.meeting).count(), 1)
        self.assertEqual(BridgePoint.objects.get(pk=self.point_a1.pk).present, 1)
        self.assertTrue(Study.objects.filter(document=self.kl, person=person, made_up=False).exists())

    def test_it_refuses_bad_check_ins_and_writes_nothing(self):
        stranger = do_create_person(full_name="Người ngoài danh sách", home_unit=self.xa_a1b, acting_user=self.system)
        # A point beyond reach is not found; one seen but not run is refused, naming it.
        with self.assertRaises(Http404):
            do_check_in(point_id=self.point_a2.pk, person_id=self.members_a2[0].pk, acting_user=self.operator)
        with self.assertRaises(Http404):
            do_check_in(point_id=self.point_a1.pk, person_id=self.members_a1[0].pk, acting_user=self.oscar)
        with self.assertRaisesMessage(ValidationError, "không điều hành điểm cầu “Huyện ủy A2”"):
            do_check_in(point_id=self.point_a2.pk, person_id=self.members_a2[0].pk, acting_user=self.charlie)
        with self.assertRaisesMessage(ValidationError, "Không tìm thấy người dự có mã"):
            do_check_in(point_id=self.point_a1.pk, person_id=self.person_b1.pk, acting_user=self.operator)
        with self.assertRaisesMessage(ValidationError, "không có trong danh sách triệu tập"):
            do_check_in(point_id=self.point_a1.pk, person_id=stranger.pk, acting_user=self.operator)
        with self.assertRaisesMessage(ValidationError, "vượt sức chứa"):
            do_record_headcount(self.point_a1, count=4, acting_user=self.operator)
        with self.assertRaisesMessage(ValidationError, "không được âm"):
            do_record_headcount(self.point_a1, count=-1, acting_user=self.operator)
        with self.assertRaisesMessage(ValidationError, "không thuộc Tỉnh ủy A"):
            do_invite(self.meeting, point=self.main, people=[self.person_b1], acting_user=self.alice)
        do_record_meeting(self.meeting, status="held", minutes="Đã quán triệt", acting_user=self.alice)
        with self.assertRaisesMessage(ValidationError, "đã khóa điểm danh"):
            do_check_in(point_id=self.point_a1.pk, person_id=self.members_a1[0].pk, acting_user=self.operator)
        self.assertFalse(CheckIn.objects.exists())
        self.assertEqual(BridgePoint.objects.get(pk=self.point_a1.pk).headcount, None)

    def test_a_guest_is_admitted_only_when_the_organizer_allows(self):
        meeting = self.conference(title="Hội nghị mở rộng", allow_guests=True)
        point = do_add_bridge_point(meeting, unit=self.huyen_a1, operator=self.operator, acting_user=self.alice)
        guest = do_create_person(full_name="Khách mời", home_unit=self.xa_a1b, acting_user=self.system)
        created = do_check_in(point_id=point.pk, person_id=guest.pk, acting_user=self.operator)
        self.assertTrue(created and CheckIn.objects.get(meeting=meeting, person=guest).guest)

    def test_the_board_adds_points_up_through_the_tree_and_refreshes_as_a_fragment(self):
        for person in self.members_a1[:2]:
            do_check_in(point_id=self.point_a1.pk, person_id=person.pk, acting_user=self.operator)
        do_record_headcount(self.point_a2, count=2, acting_user=self.alice)
        do_record_absence(self.meeting, person=self.members_a1[2], absence="excused", reason="Đi công tác",
                          acting_user=self.operator)  # fmt: skip
        board = figures.board(self.meeting, self.tinh_a)
        self.assertEqual((board["expected"], board["attended"], board["points"]), (6, 4, 3))
        self.assertEqual((board["excused"], board["absent"]), (1, 0))
        self.assertEqual([(line.label, line.expected, line.attended, line.excused) for line in board["lines"]],
                         [("Tỉnh ủy A", 0, 0, 0), ("Huyện ủy A1", 4, 2, 1), ("Huyện ủy A2", 2, 2, 0)])  # fmt: skip
        # Changing one's mind moves the count, it does not add one.
        do_record_absence(self.meeting, person=self.members_a1[2], absence="absent", acting_user=self.operator)
        board = figures.board(self.meeting, self.tinh_a)
        self.assertEqual((board["excused"], board["absent"]), (0, 1))
        self.client.force_login(self.alice)
        with CaptureQueriesContext(connection) as queries:
            fragment = self.client.get(f"/meetings/{self.meeting.pk}/board/", headers={"HX-Request": "true"})
        self.assertLessEqual(len(queries), 12)
        self.assertNotContains(fragment, "<html")
        self.assertContains(fragment, "4/6 người có mặt (66,67%) · vắng có lý do 0, không lý do 1")
        self.assertContains(fragment, 'hx-trigger="every 5s"')

    def test_the_operator_checks_in_by_search_and_by_qr_code(self):
        self.client.force_login(self.operator)
        found = self.client.get(f"/points/{self.point_a1.pk}/", {"q": "so 2"})
        self.assertContains(found, "Đảng viên A1a số 2")
        person = self.members_a1[1]
        self.client.post(f"/points/{self.point_a1.pk}/checkin/", {"person": person.pk, "arrival": "on_time"})
        self.client.post(
            f"/points/{self.point_a1.pk}/checkin/", {"code": checkin_code(self.members_a1[2]), "arrival": "late"}
        )
        forged = self.client.post(
            f"/points/{self.point_a1.pk}/checkin/", {"code": f"{self.members_a1[0].pk}:forged", "arrival": "on_time"},
            follow=True,
        )  # fmt: skip
        self.assertContains(forged, "Mã QR không hợp lệ")
        arrivals = dict(CheckIn.objects.values_list("person_id", "arrival"))
        self.assertEqual(arrivals, {person.pk: "on_time", self.members_a1[2].pk: "late"})
        svg = self.client.get(f"/people/{person.pk}/checkin-code.svg")
        self.assertEqual(svg["Content-Type"], "image/svg+xml")
        self.client.force_login(self.oscar)
        self.assertEqual(self.client.get(f"/points/{self.point_a1.pk}/").status_code, 404)
        self.assertEqual(
            self.client.post(f"/points/{self.point_a1.pk}/checkin/", {"person": person.pk}).status_code, 404
        )

    def test_completion_counts_members_who_studied_including_make_up(self):
        for person in [*self.members_a1, self.person_a1]:
            do_check_in(point_id=self.point_a1.pk, person_id=person.pk, acting_user=self.operator)
        result = figures.completion(self.kl.pk, self.tinh_a)
        self.assertEqual((result["total"].studied, result["total"].members), (4, 6))
        self.assertEqual([(r.unit.name, r.studied, r.members) for r in result["rows"]],
                         [("Huyện ủy A1", 4, 4), ("Huyện ủy A2", 0, 2)])  # fmt: skip
        self.assertEqual(result["complete_units"], 1)
        do_record_study(
            self.kl, person=self.members_a2[0], studied_on=datetime.date(2021, 11, 10), acting_user=self.alice
        )
        with self.assertRaisesMessage(ValidationError, "đã học tập văn bản này"):
            do_record_study(
                self.kl, person=self.members_a2[0], studied_on=datetime.date(2021, 11, 11), acting_user=self.alice
            )
        do_record_study(
            self.kl, person=self.members_a2[1], studied_on=datetime.date(2021, 11, 10), acting_user=self.alice
        )
        self.client.force_login(self.alice)
        page = self.client.get(f"/documents/{self.kl.pk}/study/", {"unit": self.tinh_a.pk})
        self.assertContains(page, "6/6 đảng viên (100,00%)")
        self.assertContains(page, "100% tổ chức đảng trực thuộc đã hoàn thành")
        self.assertTrue(AuditEvent.objects.filter(object_type="meetings.study").exists())


class MeetingApiTestCase(ConferenceBase):
    def test_it_checks_in_one_or_a_batch_counting_each_person_once(self):
        self.client.force_login(self.operator)
        url = f"/api/points/{self.point_a1.pk}/checkins"
        first = self.client.post(url, {"person_id": self.members_a1[0].pk}, content_type="application/json")
        self.assertEqual(first.json(), {"person_id": self.members_a1[0].pk, "created": True})
        batch = [{"person_id": p.pk} for p in [self.members_a1[0], self.members_a1[1], self.members_a1[1]]]
        response = self.client.post(f"{url}/batch", {"checkins": batch}, content_type="application/json")
        self.assertEqual(response.json(), {"created": 1, "already": 2})
        stranger = do_create_person(full_name="Người ngoài", home_unit=self.xa_a1b, acting_user=self.system)
        bad = [{"person_id": self.members_a1[2].pk}, {"person_id": stranger.pk}]
        refused = self.client.post(f"{url}/batch", {"checkins": bad}, content_type="application/json")
        self.assertEqual(refused.status_code, 400)
        self.assertIn("Lượt 2", refused.json()["detail"])
        self.assertFalse(CheckIn.objects.filter(person=self.members_a1[2]).exists())  # all or nothing
        # Another province's member, not summoned: the same answer as a missing id, no name.
        outsider = self.client.post(url, {"person_id": self.person_b1.pk}, content_type="application/json")
        self.assertEqual(outsider.status_code, 400)
        self.assertIn("Không tìm thấy người dự", outsider.json()["detail"])
        self.assertNotIn(self.person_b1.full_name, outsider.json()["detail"])
        self.assertEqual(BridgePoint.objects.get(pk=self.point_a1.pk).present, 2)
        self.client.force_login(self.alice)
        result = self.client.get(f"/api/documents/{self.kl.pk}/completion", {"unit": self.tinh_a.pk}).json()
        self.assertEqual((result["studied"], result["members"]), (2, 7))  # with the stranger added above
        meetings = self.client.get("/api/meetings").json()["items"]
        self.assertEqual([m["title"] for m in meetings], [self.meeting.title])
        self.client.force_login(self.oscar)
        self.assertEqual(self.client.get(f"/api/meetings/{self.meeting.pk}").status_code, 404)

    def test_a_scanners_check_in_costs_a_pinned_number_of_statements(self):
        """The busiest request (docs/performance.md): on PostgreSQL the guard's one count and one
        prepared statement (token, point, person, invitation, the writes); elsewhere the API's
        path: guard, token, savepoint, read, check-in, study, count, savepoint released."""
        url = f"/api/points/{self.point_a1.pk}/checkins"
        auth = {"HTTP_AUTHORIZATION": f"Bearer {scanner_token(self.operator)}"}
        self.client.post(url, {"person_id": self.members_a1[0].pk}, content_type="application/json", **auth)
        scanned = scanned_runs()
        with self.assertNumQueries(1 if connection.vendor == "postgresql" else 8):
            response = self.client.post(url, {"person_id": self.members_a1[1].pk}, content_type="application/json",
                                        **auth)  # fmt: skip
        self.assertEqual(response.json(), {"person_id": self.members_a1[1].pk, "created": True})
        if connection.vendor == "postgresql":
            self.assertEqual(scanned_runs(), scanned + 1)  # answered by the one statement
        do_record_absence(self.meeting, person=self.members_a1[2], absence="excused", reason="Ốm",
                          acting_user=self.operator)  # fmt: skip
        self.assertEqual(BridgePoint.objects.get(pk=self.point_a1.pk).excused, 1)
        # Who was recorded absent and comes after all is counted present, no longer absent.
        self.client.post(url, {"person_id": self.members_a1[2].pk}, content_type="application/json", **auth)
        point = BridgePoint.objects.get(pk=self.point_a1.pk)
        self.assertEqual((point.present, point.excused, point.absent), (3, 0, 0))
        self.assertEqual(Invitation.objects.get(meeting=self.meeting, person=self.members_a1[2]).absence, "")


def scanner_token(user) -> str:
    return do_create_api_token(user, name="máy quét", acting_user=user)[1]


def scanned_runs() -> int:
    """How many times this connection ran the scanner's prepared statement (PostgreSQL)."""
    if connection.vendor != "postgresql":
        return 0
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COALESCE(SUM(generic_plans + custom_plans), 0) FROM pg_prepared_statements WHERE statement LIKE %s",
            ["%WITH caller AS%"],
        )
        return cursor.fetchone()[0]


class ScannerTestCase(ConferenceBase):
    """A scanner's check-in (a token, a JSON body) is answered before django-ninja by one
    statement on PostgreSQL; whatever it does not match goes to the API's path. Both must
    write and answer alike."""

    def outcome(self, meeting: Meeting) -> dict:
        return {
            "checkins": sorted(CheckIn.objects.filter(meeting=meeting).values_list(
                "person_id", "point__unit_id", "arrival", "guest", "left_early", "by_id")),
            "studies": sorted(Study.objects.filter(meeting=meeting).values_list(
                "person_id", "path", "made_up", "studied_on")),
            "points": sorted(meeting.points.values_list("unit_id", "present", "excused", "absent")),
            "absences": sorted(meeting.invitations.values_list("person_id", "absence", "reason")),
        }  # fmt: skip

    def check_ins(self, meeting: Meeting, auth: dict) -> list:
        """The same story at a conference: someone late, a repeat, someone recorded absent who
        comes after all; the answers."""
        point = meeting.points.get(unit=self.huyen_a1)
        url = f"/api/points/{point.pk}/checkins"
        do_record_absence(meeting, person=self.members_a1[2], absence="excused", reason="Ốm", acting_user=self.operator)
        answers = []
        for person_id, arrival in [(self.members_a1[0].pk, "late"), (self.members_a1[0].pk, "on_time"),
                                   (self.members_a1[1].pk, "on_time"), (self.members_a1[2].pk, "on_time")]:  # fmt: skip
            response = self.client.post(url, {"person_id": person_id, "arrival": arrival},
                                        content_type="application/json", **auth)  # fmt: skip
            answers.append((response.status_code, response.json()))
        return answers

    def test_it_writes_and_answers_like_the_apis_path(self):
        # The same people at a conference on another document (a member studies a document once).
        other = do_create_document(
            issuing_unit=self.centre, kind=kind("ket_luan"), number_text="22-KL/TW", issuing_body="bch",
            issued_on=datetime.date(2021, 10, 26), summary="về công tác cán bộ", acting_user=self.system,
        )  # fmt: skip
        twin = self.conference(title="Hội nghị thứ hai", documents=[other])
        for unit, operator in [(self.tinh_a, None), (self.huyen_a1, self.operator), (self.huyen_a2, None)]:
            do_add_bridge_point(twin, unit=unit, operator=operator, is_main=unit == self.tinh_a, capacity=200,
                                acting_user=self.alice)  # fmt: skip
        for point in twin.points.exclude(unit=self.tinh_a):
            do_invite_unit(twin, point=point, acting_user=self.alice)
        scanned = scanned_runs()
        by_token = self.check_ins(self.meeting, {"HTTP_AUTHORIZATION": f"Bearer {scanner_token(self.operator)}"})
        if connection.vendor == "postgresql":
            self.assertEqual(scanned_runs(), scanned + 4)
        self.client.force_login(self.operator)  # a browser's session: the API's own path
        by_session = self.check_ins(twin, {})
        self.assertEqual(by_token, by_session)
        self.assertEqual([created for _status, answer in by_token for created in [answer["created"]]],
                         [True, False, True, True])  # fmt: skip
        self.assertEqual(self.outcome(self.meeting), self.outcome(twin))

    def test_it_leaves_every_other_request_to_the_api(self):
        token = scanner_token(self.operator)
        auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
        url = f"/api/points/{self.point_a1.pk}/checkins"
        person = self.members_a1[0].pk

        def post(body, url=url, **headers):
            return self.client.post(url, body, content_type="application/json", **(auth | headers))

        stranger = do_create_person(full_name="Người ngoài danh sách", home_unit=self.xa_a1b, acting_user=self.system)
        self.assertIn("không có trong danh sách triệu tập", post({"person_id": stranger.pk}).json()["detail"])
        self.assertEqual(post({"person_id": "một"}).status_code, 422)
        self.assertEqual(post({"person_id": 0}).status_code, 422)
        self.assertEqual(post({"person_id": person, "arrival": "sớm"}).status_code, 422)
        self.assertEqual(post({"person_id": person}, url=f"/api/points/{2**60}/checkins").status_code, 422)
        self.assertEqual(post({"person_id": person}, url=f"/api/points/{self.point_a2.pk}/checkins").status_code, 404)
        self.assertEqual(self.client.get(url, **auth).status_code, 405)
        self.assertEqual(post({"person_id": person}, HTTP_AUTHORIZATION="Bearer sai").status_code, 401)
        # A point seen but run by someone else: the API's message names it.
        charlie = {"HTTP_AUTHORIZATION": f"Bearer {scanner_token(self.charlie)}"}
        refused = post({"person_id": self.members_a2[0].pk}, url=f"/api/points/{self.point_a2.pk}/checkins", **charlie)
        self.assertIn("không điều hành điểm cầu", refused.json()["detail"])
        # A demo account's token, outside demo mode (DEBUG off in tests), is refused like a wrong one.
        self.operator.email = f"diemcau@{DEMO_EMAIL_DOMAIN}"
        self.operator.save(update_fields=["email"])
        self.assertEqual(post({"person_id": person}).status_code, 401)
        self.operator.email = "diemcau@example.org"
        self.operator.save(update_fields=["email"])
        do_revoke_api_token(ApiToken.objects.get(user=self.operator), acting_user=self.operator)
        self.assertEqual(post({"person_id": person}).status_code, 401)
        do_record_meeting(self.meeting, status="held", minutes="Đã quán triệt", acting_user=self.alice)
        closed = post({"person_id": person}, HTTP_AUTHORIZATION=f"Bearer {scanner_token(self.operator)}")
        self.assertIn("đã khóa điểm danh", closed.json()["detail"])
        self.assertFalse(CheckIn.objects.exists())

    def test_a_make_up_session_records_made_up_study(self):
        make_up = do_create_make_up(self.meeting, unit=self.huyen_a1, starts_at=WHEN + datetime.timedelta(days=7),
                                    acting_user=self.alice)  # fmt: skip
        point = make_up.points.get()
        BridgePoint.objects.filter(pk=point.pk).update(operator=self.operator)
        auth = {"HTTP_AUTHORIZATION": f"Bearer {scanner_token(self.operator)}"}
        response = self.client.post(f"/api/points/{point.pk}/checkins", {"person_id": self.members_a1[0].pk},
                                    content_type="application/json", **auth)  # fmt: skip
        self.assertEqual(response.json(), {"person_id": self.members_a1[0].pk, "created": True})
        study = Study.objects.get(person=self.members_a1[0], document=self.kl)
        self.assertEqual(
            (study.made_up, study.meeting_id, study.studied_on), (True, make_up.pk, datetime.date(2021, 11, 10))
        )
        self.assertIsNotNone(ApiToken.objects.get(user=self.operator).last_used_at)  # the token's use noted


class MakeUpTestCase(ConferenceBase):
    def test_a_unit_makes_up_the_study_for_those_who_missed_it(self):
        present, missed = self.members_a1[0], self.members_a1[1:]
        do_check_in(point_id=self.point_a1.pk, person_id=present.pk, acting_user=self.operator)
        do_record_meeting(self.meeting, status="held", acting_user=self.alice)
        later = WHEN + datetime.timedelta(days=10)
        self.client.force_login(self.bob)  # an editor of Huyện ủy A1
        when = timezone.localtime(later).strftime("%d/%m/%Y %H:%M")
        data = {"form": "make_up", "unit": self.huyen_a1.name, "starts_at": when, "place": "Hội trường Huyện ủy"}
        response = self.client.post(f"/meetings/{self.meeting.pk}/", data)
        make_up = Meeting.objects.get(makes_up=self.meeting)
        self.assertRedirects(response, f"/meetings/{make_up.pk}/")
        # The unit's members who have not studied the documents are summoned; who has, is not.
        summoned = set(make_up.invitations.values_list("person_id", flat=True))
        self.assertLessEqual({p.pk for p in missed}, summoned)
        self.assertNotIn(present.pk, summoned)
        self.assertEqual(list(make_up.documents.all()), [self.kl])
        point = make_up.points.get()
        do_check_in(point_id=point.pk, person_id=missed[0].pk, acting_user=self.bob)
        study = Study.objects.get(document=self.kl, person=missed[0])
        self.assertTrue(study.made_up)
        self.assertEqual(study.meeting, make_up)
        page = self.client.get(f"/meetings/{self.meeting.pk}/")
        self.assertContains(page, "Các buổi học bù")
        self.assertContains(self.client.get(f"/meetings/{make_up.pk}/"), "Buổi học bù cho")
        self.assertEqual(figures.completion(self.kl.pk, self.huyen_a1)["total"].studied, 2)

    def test_it_refuses_a_bad_make_up_and_writes_nothing(self):
        later = WHEN + datetime.timedelta(days=10)
        with self.assertRaisesMessage(ValidationError, "Học bù do đơn vị thuộc Tỉnh ủy A"):
            do_create_make_up(self.meeting, unit=self.huyen_b1, starts_at=later, acting_user=self.oscar)
        with self.assertRaisesMessage(ValidationError, "phải sau hội nghị gốc"):
            do_create_make_up(self.meeting, unit=self.huyen_a1, starts_at=WHEN - datetime.timedelta(days=1),
                              acting_user=self.bob)  # fmt: skip
        with self.assertRaisesMessage(ValidationError, "không có quyền tổ chức hội nghị của Huyện ủy A2"):
            do_create_make_up(self.meeting, unit=self.huyen_a2, starts_at=later, acting_user=self.bob)
        session = do_create_meeting(
            self.tinh_a, kind="review", title="Tổng kết", starts_at=WHEN, acting_user=self.alice
        )
        with self.assertRaisesMessage(ValidationError, "không có văn bản học tập"):
            do_create_make_up(session, unit=self.huyen_a1, starts_at=later, acting_user=self.bob)
        self.assertFalse(Meeting.objects.filter(makes_up__isnull=False).exists())
        self.client.force_login(self.bob)
        response = self.client.post(f"/meetings/{self.meeting.pk}/", {"form": "make_up", "unit": self.huyen_a1.name,
                                                                      "starts_at": "hôm qua"})  # fmt: skip
        self.assertContains(response, "Thời gian không hợp lệ", status_code=400)


class InvitationImportTestCase(ConferenceBase):
    def test_it_summons_a_list_to_its_points_or_refuses_it_whole(self):
        from hienthuc.imports.importers import ImportRejected
        from hienthuc.meetings.importing import HEADERS, do_import_invitations, plan_invitation_import
        from hienthuc.meetings.models import Invitation
        from tests.helpers import xlsx

        extra = do_create_person(
            full_name="Trần Văn Mới", home_unit=self.xa_a1b, birth_year=1979, acting_user=self.system
        )
        rows = [
            ["Trần Văn Mới", "1979", "A"],  # to the main point
            ["Đảng viên A1a số 1", "", "A1"],  # already invited: skipped
            ["Không Có Ai", "", "A1"],
            ["Trần Văn Mới", "", "B1"],  # no such point
        ]
        result = plan_invitation_import(xlsx([HEADERS, *rows]), user=self.alice, meeting=self.meeting)
        self.assertEqual({(e.row, e.column) for e in result.errors}, {(4, 1), (5, 3)})
        with self.assertRaises(ImportRejected):
            do_import_invitations(xlsx([HEADERS, *rows]), acting_user=self.alice, meeting=self.meeting)
        self.assertFalse(Invitation.objects.filter(person=extra).exists())
        done = do_import_invitations(xlsx([HEADERS, *rows[:2]]), acting_user=self.alice, meeting=self.meeting)
        self.assertEqual((len(done.rows), done.already), (1, 1))
        self.assertEqual(Invitation.objects.get(person=extra).point, self.main)
        self.assertEqual(BridgePoint.objects.get(pk=self.main.pk).expected, 1)
        self.client.force_login(self.bob)  # sees the meeting, does not organize it
        self.assertEqual(self.client.get(f"/meetings/{self.meeting.pk}/invitations/import/").status_code, 403)


class ReflectionTestCase(ConferenceBase):
    def test_a_member_submits_a_reflection_and_the_cell_marks_it(self):
        from hienthuc.meetings.actions import do_mark_reflection, do_submit_reflection
        from hienthuc.meetings.models import Reflection
        from hienthuc.people.actions import do_link_person
        from tests.test_documents import docx_bytes

        member = self.members_a1[0]
        account = make_user("dangvien1", self.xa_a1a, "viewer")  # a member reads their own unit
        do_link_person(account, member, acting_user=self.system)
        self.client.force_login(account)
        page = self.client.get(f"/documents/{self.kl.pk}/reflections/")
        self.assertContains(page, "Nộp bài thu hoạch của tôi")
        refused = self.client.post(f"/documents/{self.kl.pk}/reflections/", {"text": "Thu hoạch"}, follow=True)
        self.assertContains(refused, "chưa học tập, quán triệt văn bản này")
        do_check_in(point_id=self.point_a1.pk, person_id=member.pk, acting_user=self.operator)
        self.client.post(f"/documents/{self.kl.pk}/reflections/", {"text": "Nhận thức sâu sắc về xây dựng Đảng"})
        reflection = Reflection.objects.get(person=member)
        with self.assertRaisesMessage(ValidationError, "đã nộp bài thu hoạch"):
            do_submit_reflection(self.kl, person=member, text="Lần hai", acting_user=account)
        other = self.members_a1[1]
        do_check_in(point_id=self.point_a1.pk, person_id=other.pk, acting_user=self.operator)
        with self.assertRaisesMessage(ValidationError, "PDF hoặc Word"):
            do_submit_reflection(self.kl, person=other, data=b"not a file", filename="x.txt", acting_user=self.bob)
        with self.assertRaisesMessage(ValidationError, "Chỉ đảng viên hoặc đơn vị"):
            do_submit_reflection(self.kl, person=other, text="X", acting_user=account)
        do_submit_reflection(self.kl, person=other, data=docx_bytes("Bài thu hoạch"), filename="thu-hoach.docx",
                             acting_user=self.bob)  # fmt: skip
        with self.assertRaisesMessage(ValidationError, "Chỉ chi bộ"):
            do_mark_reflection(reflection, mark="good", acting_user=account)
        do_mark_reflection(reflection, mark="good", acting_user=self.bob)
        self.client.force_login(self.bob)
        unit_page = self.client.get(f"/documents/{self.kl.pk}/reflections/", {"unit": self.xa_a1a.pk})
        self.assertContains(unit_page, "Nhận thức sâu sắc")
        self.assertContains(unit_page, "Tốt")
        self.assertContains(unit_page, "Đảng viên A1a số 3")  # not submitted yet
        district = self.client.get(f"/documents/{self.kl.pk}/reflections/", {"unit": self.huyen_a1.pk})
        self.assertContains(district, "Đảng ủy xã Đông Phong")


class WorkProgramTestCase(MeetingBase):
    def test_a_session_shows_what_the_program_planned_and_late_drafts_are_reminded(self):
        from django.core import mail

        from hienthuc.meetings.models import DraftReminder
        from hienthuc.plans.actions import do_add_task, do_create_plan, do_issue_plan
        from hienthuc.plans.reminders import send_all_due

        program = do_create_plan(unit=self.tinh_a, kind="work_program", title="Chương trình làm việc toàn khóa",
                                 acting_user=self.alice)  # fmt: skip
        planned = do_add_task(program, content="Nghị quyết về chuyển đổi số", lead_unit=self.office_a,
                              deadline_text="Quý I/2026", acting_user=self.alice)  # fmt: skip
        other = do_add_task(program, content="Đề án sắp xếp tổ chức bộ máy", lead_unit=self.office_a,
                            deadline_text="Quý I/2026", acting_user=self.alice)  # fmt: skip
        do_issue_plan(program, number_text="02-CTr/TU", issued_on=datetime.date(2021, 1, 20), acting_user=self.alice)
        do_create_term(self.tinh_a, number="XXI", start_year=2026, end_year=2030, acting_user=self.system)
        session = do_create_meeting(
            self.tinh_a, kind="executive", title="Hội nghị BCH quý I", acting_user=self.alice,
            starts_at=timezone.make_aware(datetime.datetime(2026, 3, 20, 8)),
        )  # fmt: skip
        clerk = make_user("vanphong_a", self.office_a, "editor")
        clerk.email = "vanphong@tinhuy-a.vn"
        clerk.save()
        draft = do_create_document(
            issuing_unit=self.tinh_a, kind=kind("nghi_quyet"), number_text="05-NQ/TU", issuing_body="bch",
            issued_on=datetime.date(2026, 3, 20), summary="về chuyển đổi số", acting_user=self.alice,
        )  # fmt: skip
        item = do_add_agenda_item(
            session, matter="Nghị quyết về chuyển đổi số", document=draft, preparing_unit=self.office_a,
            draft_due=datetime.date(2026, 3, 10), planned_task=planned, acting_user=self.alice,
        )  # fmt: skip
        self.client.force_login(self.alice)
        page = self.client.get(f"/meetings/{session.pk}/")
        self.assertContains(page, "Đề án sắp xếp tổ chức bộ máy")  # planned for the quarter, not on the agenda
        self.assertContains(page, "dự thảo chậm")
        with self.captureOnCommitCallbacks(execute=True):
            self.assertEqual(send_all_due(datetime.date(2026, 3, 12)), 1)
        self.assertEqual(send_all_due(datetime.date(2026, 3, 13)), 0)  # once
        self.assertEqual(DraftReminder.objects.get().user, clerk)
        self.assertEqual(mail.outbox[0].to, ["vanphong@tinhuy-a.vn"])
        do_record_item(item, taken=True, outcome="Thông qua", acting_user=self.alice)
        planned.refresh_from_db()
        self.assertEqual((planned.completed_on, planned.output_document_id), (datetime.date(2026, 3, 20), draft.pk))
        other.refresh_from_db()
        self.assertIsNone(other.completed_on)


class InviteByPositionTestCase(MeetingBase):
    def test_it_summons_the_holders_of_a_title_or_says_there_are_none(self):
        from hienthuc.meetings.models import Invitation
        from hienthuc.people.actions import do_add_position

        meeting = self.conference()
        secretary, deputy = self.members_a1[:2]
        do_add_position(secretary, title="Bí thư Đảng ủy", unit=self.xa_a1a, acting_user=self.system)
        do_add_position(deputy, title="Phó Bí thư Đảng ủy", unit=self.xa_a1a, acting_user=self.system)
        self.client.force_login(self.alice)
        response = self.client.post(
            f"/meetings/{meeting.pk}/",
            {"form": "point", "unit": "A1", "invite_title": "chủ tịch"},
        )
        self.assertContains(response, "Không có ai giữ chức vụ “chủ tịch”", status_code=400)
        self.assertFalse(meeting.points.exists())  # the point and its invitations, or neither
        self.client.post(f"/meetings/{meeting.pk}/", {"form": "point", "unit": "A1", "invite_title": "bí thư"})
        self.assertEqual(set(Invitation.objects.filter(meeting=meeting).values_list("person", flat=True)),
                         {secretary.pk, deputy.pk})  # fmt: skip


class ConclusionTestCase(MeetingBase):
    def test_a_held_session_records_its_conclusion_notice(self):
        session = do_create_meeting(
            self.tinh_a, kind="standing", title="Họp BTV", starts_at=WHEN, acting_user=self.alice
        )
        notice = do_create_document(
            issuing_unit=self.tinh_a, kind=kind("thong_bao"), number_text="12-TB/TU", issuing_body="btv",
            issued_on=datetime.date(2021, 11, 5), summary="Kết luận của Ban Thường vụ tại phiên họp",
            acting_user=self.alice,
        )  # fmt: skip
        foreign = do_create_document(
            issuing_unit=self.tinh_b, kind=kind("thong_bao"), number_text="03-TB/TU", issuing_body="btv",
            issued_on=datetime.date(2021, 11, 5), summary="Thông báo của tỉnh B", acting_user=self.oscar,
        )  # fmt: skip
        with self.assertRaisesMessage(ValidationError, "Chỉ hội nghị đã tổ chức"):
            do_record_meeting(session, status="planned", conclusion=notice, acting_user=self.alice)
        with self.assertRaisesMessage(ValidationError, "phải do Tỉnh ủy A ban hành"):
            do_record_meeting(session, status="held", conclusion=foreign, acting_user=self.alice)
        self.client.force_login(self.alice)
        self.client.post(f"/meetings/{session.pk}/", {"form": "record", "status": "held", "conclusion": "12-TB/TU"})
        self.assertEqual(self.refresh(session).conclusion, notice)
        self.assertContains(self.client.get(f"/meetings/{session.pk}/"), "12-TB/TU")


class AbsenceTestCase(ConferenceBase):
    def test_an_absent_person_is_recorded_with_the_reason_and_a_late_comer_clears_it(self):
        from hienthuc.meetings.actions import do_mark_left_early, do_record_absence
        from hienthuc.meetings.models import Invitation

        person = self.members_a1[0]
        with self.assertRaisesMessage(ValidationError, "hãy ghi lý do"):
            do_record_absence(self.meeting, person=person, absence="excused", acting_user=self.operator)
        with self.assertRaisesMessage(ValidationError, "không điều hành điểm cầu"):
            do_record_absence(self.meeting, person=self.members_a2[0], absence="absent", acting_user=self.operator)
        with self.assertRaisesMessage(ValidationError, "chưa được điểm danh"):
            do_mark_left_early(self.meeting, person=person, acting_user=self.operator)
        self.client.force_login(self.operator)
        self.client.post(f"/points/{self.point_a1.pk}/absence/",
                         {"person": person.pk, "absence": "excused", "reason": "Ốm"})  # fmt: skip
        invitation = Invitation.objects.get(meeting=self.meeting, person=person)
        self.assertEqual((invitation.absence, invitation.reason), ("excused", "Ốm"))
        do_check_in(point_id=self.point_a1.pk, person_id=person.pk, acting_user=self.operator)
        invitation.refresh_from_db()
        self.assertEqual(invitation.absence, "")  # came after all
        with self.assertRaisesMessage(ValidationError, "đã được điểm danh có mặt"):
            do_record_absence(self.meeting, person=person, absence="absent", acting_user=self.operator)
        self.client.post(f"/points/{self.point_a1.pk}/left/", {"person": person.pk})
        self.assertTrue(CheckIn.objects.get(person=person).left_early)
        self.assertContains(self.client.get(f"/points/{self.point_a1.pk}/"), "về sớm")

    def test_the_api_adds_agenda_records_outcomes_and_attendance(self):
        session = do_create_meeting(self.tinh_a, kind="executive", title="Hội nghị BCH", starts_at=WHEN,
                                    acting_user=self.alice)  # fmt: skip
        self.client.force_login(self.alice)
        item = self.client.post(
            f"/api/meetings/{session.pk}/agenda",
            {"matter": "Thông qua quy chế", "preparing_unit_id": self.office_a.pk, "draft_due": "2021-10-25"},
            content_type="application/json",
        )  # fmt: skip
        self.assertEqual(item.status_code, 201, item.content)
        outcome = self.client.post(
            f"/api/agenda/{item.json()['id']}/outcome",
            {"taken": True, "outcome": "Thông qua", "votes_for": 60, "summoned": 51}, content_type="application/json",
        )  # fmt: skip
        self.assertEqual(outcome.status_code, 400)
        self.assertIn("vượt số được triệu tập", outcome.json()["detail"])
        do_add_seat(self.term, person=self.members_a2[0], body="bch", role="uy_vien", acting_user=self.alice)
        attendance = self.client.post(
            f"/api/meetings/{session.pk}/attendance",
            {"person_id": self.members_a2[0].pk, "presence": "excused", "reason": "Công tác"},
            content_type="application/json",
        )  # fmt: skip
        self.assertEqual(attendance.json()["presence"], "excused")


class CheckinCodeTestCase(MeetingBase):
    def test_the_person_page_shows_the_code_to_their_unit(self):
        person = self.members_a1[0]
        self.client.force_login(self.bob)  # editor of the district the member lives in
        self.assertContains(self.client.get(f"/people/{person.pk}/"), f"/people/{person.pk}/checkin-code.svg")
        self.client.force_login(self.charlie)  # a viewer of the province
        self.assertNotContains(self.client.get(f"/people/{person.pk}/"), "checkin-code.svg")
        self.assertEqual(self.client.get(f"/people/{person.pk}/checkin-code.svg").status_code, 403)
