"""Congress elections (issue #18): the list, double entry, mismatches, the count by the rules,
the result, the elected seated — through the actions and a whole congress through the API."""

import datetime
import random

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from hienthuc.accounts.actions import do_create_api_token
from hienthuc.elections.actions import (
    do_add_counter,
    do_close_counting,
    do_create_election,
    do_enter_ballot,
    do_open_counting,
    do_record_hand_vote,
    do_resolve_ballot,
    mismatches,
)
from hienthuc.elections.models import Ballot, BallotEntry
from hienthuc.meetings.actions import do_create_meeting
from tests.base import BaseTestCase, make_user


class ElectionBase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.congress = do_create_meeting(
            cls.tinh_a, kind="congress", title="Đại hội đại biểu Đảng bộ tỉnh lần thứ XX",
            starts_at=timezone.make_aware(datetime.datetime(2025, 10, 14, 8)), acting_user=cls.alice,
        )  # fmt: skip
        cls.op1 = make_user("op1", cls.tinh_a, "editor")
        cls.op2 = make_user("op2", cls.tinh_a, "editor")
        cls.chief = make_user("chief", cls.tinh_a, "editor")

    def make(self, candidates, seats, summoned, **kw):
        election, warnings = do_create_election(
            self.congress, title="Bầu Ban Chấp hành Đảng bộ tỉnh khóa XX", seats=seats, congress_kind="delegates",
            summoned=summoned, candidates=candidates, acting_user=self.alice, **kw,
        )  # fmt: skip
        for user, role in ((self.op1, "operator"), (self.op2, "operator"), (self.chief, "committee")):
            do_add_counter(election, user=user, role=role, acting_user=self.alice)
        return election, warnings


class ElectionTestCase(ElectionBase):
    def test_it_refuses_a_list_with_too_large_a_surplus_and_writes_nothing(self):
        from hienthuc.elections.models import Election

        with self.assertRaisesMessage(ValidationError, "quá 30%"):
            self.make([f"Ứng viên {n}" for n in range(1, 15)], seats=10, summoned=100)
        self.assertFalse(Election.objects.exists())

    def test_two_matching_entries_count_a_ballot_and_a_mismatch_waits_for_the_committee(self):
        names = ["Nguyễn Văn A", "Trần Thị B", "Lê Văn C", "Phạm Thị D", "Hoàng Văn E"]
        election, warnings = self.make(names, seats=4, summoned=5)
        self.assertIn("ngoài mức thường làm", warnings[0])  # a surplus of 25 %: allowed, not usual
        with self.assertRaisesMessage(ValidationError, "Chưa mở"):
            do_enter_ballot(election, number=1, content={"kept": [1, 2]}, acting_user=self.op1)
        do_open_counting(election, present=5, ballots_issued=5, acting_user=self.chief)
        self.assertIsNone(do_enter_ballot(election, number=1, content={"kept": [2, 1]}, acting_user=self.op1))
        with self.assertRaisesMessage(ValidationError, "hai người khác nhau"):
            do_enter_ballot(election, number=1, content={"kept": [1, 2]}, acting_user=self.op1)
        self.assertIsNotNone(do_enter_ballot(election, number=1, content={"kept": [1, 2]}, acting_user=self.op2))
        do_enter_ballot(election, number=2, content={"kept": [1]}, acting_user=self.op1)
        do_enter_ballot(election, number=2, content={"kept": [3]}, acting_user=self.op2)
        [(number, entries)] = mismatches(election)
        self.assertEqual((number, len(entries)), (2, 2))
        with self.assertRaisesMessage(ValidationError, "Còn 1 phiếu"):
            do_close_counting(election, acting_user=self.chief)
        with self.assertRaisesMessage(ValidationError, "Chỉ Ban kiểm phiếu"):
            do_resolve_ballot(election, number=2, content={"kept": [1]}, acting_user=self.op1)
        do_resolve_ballot(election, number=2, content={"kept": [1]}, acting_user=self.chief)
        for number, content in (
            (3, {"kept": [1, 2, 3, 4, 5]}),
            (4, {"invalid": "Phiếu không có dấu"}),
            (5, {"kept": [1]}),
        ):
            for operator in (self.op1, self.op2):
                do_enter_ballot(election, number=number, content=content, acting_user=operator)
        result = do_close_counting(election, acting_user=self.chief)
        # Base 5: more than half is 3. A: ballots 1, 2, 5 → 3 votes; B: 1; C: 0.
        self.assertEqual((result.valid, result.invalid), (3, {"too_many": 1, "Phiếu không có dấu": 1}))
        self.assertEqual((result.votes[1], result.elected, result.seats_left), (3, [1], 3))
        self.assertEqual(BallotEntry.objects.filter(election=election).count(), 10)

    def test_a_show_of_hands_needs_more_than_half_of_those_summoned(self):
        _vote, passed = do_record_hand_vote(self.congress, subject="Thông qua Nghị quyết Đại hội", body=350,
                                            agree=175, acting_user=self.alice)  # fmt: skip
        self.assertFalse(passed)
        _vote, passed = do_record_hand_vote(self.congress, subject="Thông qua Nghị quyết Đại hội", body=350,
                                            agree=176, acting_user=self.alice)  # fmt: skip
        self.assertTrue(passed)


class CongressThroughTheApiTestCase(ElectionBase):
    def test_a_congress_of_350_delegates_elects_51_of_60_entered_twice_through_the_api(self):
        """The size of seed 000's congress: 350 delegates, 60 candidates, 51 seats."""
        tokens = {u.username: do_create_api_token(u, name="kiểm phiếu", acting_user=u)[1]
                  for u in (self.alice, self.op1, self.op2, self.chief)}  # fmt: skip

        def call(user, method, url, payload=None):
            kwargs = {"headers": {"Authorization": f"Bearer {tokens[user.username]}"}}
            if payload is not None:
                kwargs.update(data=payload, content_type="application/json")
            return getattr(self.client, method)(url, **kwargs)

        names = [f"Đồng chí số {n:02d}" for n in range(1, 61)]
        created = call(self.alice, "post", f"/api/meetings/{self.congress.pk}/elections", {
            "title": "Bầu Ban Chấp hành Đảng bộ tỉnh khóa XX", "seats": 51, "summoned": 350, "excluded": 2,
            "candidates": names,
        }).json()  # fmt: skip
        election_id = created["id"]
        self.assertEqual((created["base"], len(created["candidates"])), (348, 60))
        for username, role in (("op1", "operator"), ("op2", "operator"), ("chief", "committee")):
            call(self.alice, "post", f"/api/elections/{election_id}/counters", {"username": username, "role": role})
        call(self.chief, "post", f"/api/elections/{election_id}/open", {"present": 346, "ballots_issued": 346})
        rng = random.Random(18)
        # Candidates 1–45 are widely kept, 46–60 less; each ballot keeps at most 51 names.
        papers = {}
        for number in range(1, 347):
            if number % 97 == 0:
                papers[number] = {"invalid": "Phiếu không do Ban kiểm phiếu phát ra"}
                continue
            kept = [n for n in range(1, 61) if rng.random() < (0.93 if n <= 45 else 0.45)]
            papers[number] = {"kept": kept[:51] if number % 50 else kept + [n for n in range(1, 61) if n not in kept]}
        for number, paper in papers.items():
            first = call(self.op1, "post", f"/api/elections/{election_id}/ballots", {"number": number, **paper})
            # The second operator misreads ballot 7 once.
            second_paper = {"kept": [1]} if number == 7 else paper
            second = call(self.op2, "post", f"/api/elections/{election_id}/ballots", {"number": number, **second_paper})
            self.assertEqual((first.status_code, second.status_code), (200, 200), second.content)
            self.assertEqual(second.json()["counted"], number != 7)
        # Until closed, only the committee sees the running total.
        self.assertEqual(call(self.op1, "get", f"/api/elections/{election_id}/result").status_code, 403)
        [mismatch] = call(self.chief, "get", f"/api/elections/{election_id}/mismatches").json()
        self.assertEqual(mismatch["number"], 7)
        self.assertEqual(call(self.chief, "post", f"/api/elections/{election_id}/close").status_code, 400)
        resolved = call(self.chief, "post", f"/api/elections/{election_id}/ballots/7/resolve", papers[7])
        self.assertEqual(resolved.status_code, 200, resolved.content)
        result = call(self.chief, "post", f"/api/elections/{election_id}/close").json()
        self.assertEqual(Ballot.objects.filter(election_id=election_id).count(), 346)
        # Every elected candidate has more than half of the 348 counted as the base (175 votes).
        by_number = {c["number"]: c for c in result["candidates"]}
        self.assertTrue(all(by_number[n]["votes"] >= 175 for n in result["elected"]))
        self.assertLessEqual(len(result["elected"]), 51)
        self.assertGreaterEqual(len(result["elected"]), 45)
        self.assertEqual(result["invalid"].get("too_many", 0), len([n for n in papers if n % 50 == 0 and n % 97]))
        share = by_number[result["elected"][0]]["share"]
        self.assertRegex(share, r"^\d{2,3},\d{2}$")
        self.assertEqual(call(self.op1, "get", f"/api/elections/{election_id}/result").status_code, 200)


class ElectionPagesTestCase(ElectionBase):
    def counted(self):
        from hienthuc.committees.actions import do_create_term
        from hienthuc.people.actions import do_create_person

        names = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung", "Hoàng Văn Em"]
        for name in names[:4]:
            do_create_person(full_name=name, home_unit=self.tinh_a, acting_user=self.alice)
        election, _warnings = self.make(names, seats=4, summoned=5)
        do_open_counting(election, present=5, ballots_issued=5, acting_user=self.chief)
        for number in range(1, 6):
            for operator in (self.op1, self.op2):
                do_enter_ballot(election, number=number, content={"kept": [1, 2, 3, 4]}, acting_user=operator)
        do_close_counting(election, acting_user=self.chief)
        election.refresh_from_db()
        term = do_create_term(self.tinh_a, number="XX", start_year=2025, end_year=2030, acting_user=self.alice)
        return election, term

    def test_it_prepares_enters_and_shows_the_result_through_the_pages(self):
        self.client.force_login(self.alice)
        url = f"/meetings/{self.congress.pk}/elections/new/"
        data = {"title": "Bầu Ban Chấp hành", "seats": "2", "congress_kind": "delegates", "summoned": "5",
                "excluded": "0", "candidates": "Nguyễn Văn An\nTrần Thị Bình\nLê Văn Cường",
                "rule_source": "Quyết định 190-QĐ/TW", "surplus_max": "0,3"}  # fmt: skip
        self.assertContains(self.client.post(url, data), "quá 30%", status_code=400)
        more = data["candidates"] + "\nPhạm Thị Dung\nHoàng Văn Em"
        page = self.client.post(url, {**data, "seats": "4", "candidates": more}, follow=True)
        self.assertContains(page, "Đã lập danh sách bầu cử")
        election_url = page.redirect_chain[-1][0]
        for username, role in (("op1", "operator"), ("op2", "operator"), ("chief", "committee")):
            self.client.post(election_url, {"action": "counter", "counter-username": username, "counter-role": role})
        self.client.force_login(self.chief)
        self.client.post(election_url, {"action": "open", "open-present": "5", "open-ballots_issued": "5"})
        self.client.force_login(self.op1)
        page = self.client.post(election_url, {"action": "ballot", "ballot-number": "1", "ballot-kept": "1, x"})
        self.assertContains(page, "Chỉ ghi các số thứ tự", status_code=400)
        page = self.client.post(election_url, {"action": "ballot", "ballot-number": "1", "ballot-kept": "1, 2"},
                                follow=True)  # fmt: skip
        self.assertContains(page, "chờ lần nhập thứ hai")
        self.assertNotContains(page, 'id="result"')  # no running total for an operator
        self.client.force_login(self.op2)
        page = self.client.post(election_url, {"action": "ballot", "ballot-number": "1", "ballot-kept": "2,1"},
                                follow=True)  # fmt: skip
        self.assertContains(page, "đã khớp với lần nhập kia")
        self.client.force_login(self.chief)
        self.assertContains(self.client.get(election_url), "Kết quả tạm tính")

    def test_the_minutes_say_the_count_and_the_elected_take_their_seats(self):
        from hienthuc.committees.models import CommitteeSeat
        from hienthuc.elections.actions import do_seat_elected
        from tests.helpers import docx_text

        election, term = self.counted()
        self.client.force_login(self.charlie)
        answer = self.client.get(f"/elections/{election.pk}/minutes/")
        text = docx_text(answer.content)
        self.assertIn("BIÊN BẢN", text)
        self.assertIn("Số phiếu hợp lệ: 5", text)
        self.assertIn("100,00%", text)
        self.assertContains(self.client.get(f"/elections/{election.pk}/projection/"), "Trúng cử")
        with self.assertRaisesMessage(ValidationError, "Chưa gắn hồ sơ cán bộ"):
            # Hoàng Văn Em is not in the register… but was not elected: the others are.
            election.candidates.filter(number=1).update(person=None)
            do_seat_elected(election, term=term, body="bch", acting_user=self.alice)
        from hienthuc.people.models import Person

        election.candidates.filter(number=1).update(person=Person.objects.get(full_name="Nguyễn Văn An"))
        self.assertEqual(do_seat_elected(election, term=term, body="bch", acting_user=self.alice), 4)
        self.assertEqual(CommitteeSeat.objects.filter(term=term, body="bch").count(), 4)
        with self.assertRaisesMessage(ValidationError, "đã được ghi nhận vào cấp ủy"):
            do_seat_elected(election, term=term, body="bch", acting_user=self.alice)

    @pytest.mark.office
    def test_the_minutes_become_a_pdf_through_libreoffice(self):
        from tests.helpers import converted_to_pdf

        election, _term = self.counted()
        self.client.force_login(self.alice)
        docx = self.client.get(f"/elections/{election.pk}/minutes/").content
        self.assertTrue(converted_to_pdf(docx, "bien-ban.docx").startswith(b"%PDF"))
        pdf = self.client.get(f"/elections/{election.pk}/minutes/?format=pdf")
        self.assertTrue(pdf.content.startswith(b"%PDF"))

    def test_the_organizer_seats_the_elected_from_the_result(self):
        from hienthuc.committees.models import CommitteeSeat

        election, term = self.counted()
        self.client.force_login(self.alice)
        page = self.client.post(election.get_absolute_url(), {"action": "seat", "term": term.pk, "body": "bch"},
                                follow=True)  # fmt: skip
        self.assertContains(page, "Đã ghi nhận 4 người trúng cử vào cấp ủy")
        self.assertEqual(CommitteeSeat.objects.filter(term=term).count(), 4)
        self.assertNotContains(page, 'id="seat"')


class NextRoundTestCase(ElectionBase):
    def test_a_tie_at_the_last_seat_prepares_a_round_among_the_tied(self):
        from hienthuc.elections.actions import do_prepare_next_round

        names = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung", "Hoàng Văn Em"]
        election, _w = self.make(names, seats=4, summoned=6)
        do_open_counting(election, present=6, ballots_issued=6, acting_user=self.chief)
        papers = [[1, 2, 3, 4]] * 3 + [[1, 2, 3, 5]] * 3  # 1–3: 6 votes; 4 and 5: 3 each (not over half)
        for number, kept in enumerate(papers, 1):
            for operator in (self.op1, self.op2):
                do_enter_ballot(election, number=number, content={"kept": kept}, acting_user=operator)
        result = do_close_counting(election, acting_user=self.chief)
        self.assertEqual((result.elected, result.seats_left), ([1, 2, 3], 1))
        election.refresh_from_db()
        following = do_prepare_next_round(election, acting_user=self.alice)
        self.assertEqual((following.round, following.seats), (2, 1))
        self.assertEqual(list(following.candidates.values_list("full_name", flat=True)), names[3:])
        self.assertEqual(following.counters.count(), 3)
        with self.assertRaisesMessage(ValidationError, "đã được chuẩn bị"):
            do_prepare_next_round(election, acting_user=self.alice)


class HandVotePageTestCase(ElectionBase):
    def test_a_show_of_hands_is_recorded_from_the_congress_page(self):
        self.client.force_login(self.alice)
        url = f"/meetings/{self.congress.pk}/hand-votes/"
        page = self.client.post(url, {"subject": "Bầu Đoàn Chủ tịch", "body": "350", "agree": "400"}, follow=True)
        self.assertContains(page, "vượt số đại biểu được triệu tập")
        page = self.client.post(url, {"subject": "Bầu Đoàn Chủ tịch", "body": "350", "agree": "340"}, follow=True)
        self.assertContains(page, "Đã ghi biểu quyết: thông qua.")
        self.assertContains(page, "340/350 tán thành — thông qua")
        self.client.force_login(self.oscar)
        self.assertEqual(self.client.post(url, {"subject": "X", "body": "3", "agree": "2"}).status_code, 404)


class ElectionRuleTestCase(ElectionBase):
    def test_an_election_under_another_rule_records_its_surplus_and_source(self):
        from decimal import Decimal

        names = [f"Ứng viên {n}" for n in range(1, 15)]
        election, _w = self.make(names, seats=10, summoned=100, surplus_max=Decimal("0.5"),
                                 rule_source="Quy chế bầu cử riêng của hội nghị")  # fmt: skip
        self.assertEqual(
            (election.surplus_max, election.rule_source), (Decimal("0.5"), "Quy chế bầu cử riêng của hội nghị")
        )
        with self.assertRaisesMessage(ValidationError, "tỷ lệ từ 0 đến 1"):
            self.make(names, seats=10, summoned=100, surplus_max=Decimal("2"))


class CandidateFileTestCase(ElectionBase):
    def test_the_list_is_imported_from_an_excel_file_in_its_order(self):
        from django.core.files.uploadedfile import SimpleUploadedFile

        from tests.helpers import xlsx

        rows = [["STT", "Họ và tên", "Chức vụ"], [1, "Nguyễn Văn An", "Bí thư"], [2, "Trần Thị Bình", ""],
                [3, "Lê Văn Cường", ""], [4, "Phạm Thị Dung", ""], [5, "Hoàng Văn Em", ""]]  # fmt: skip
        self.client.force_login(self.alice)
        data = {"title": "Bầu Ban Chấp hành", "seats": "4", "congress_kind": "delegates", "summoned": "50",
                "excluded": "0", "rule_source": "Quyết định 190-QĐ/TW", "surplus_max": "0,3"}  # fmt: skip
        url = f"/meetings/{self.congress.pk}/elections/new/"
        self.assertContains(self.client.post(url, data), "Hãy ghi danh sách bầu cử", status_code=400)
        broken = SimpleUploadedFile("ds.xlsx", b"not a workbook")
        self.assertEqual(self.client.post(url, {**data, "candidates_file": broken}).status_code, 400)
        upload = SimpleUploadedFile("ds.xlsx", xlsx(rows, title="DANH SÁCH BẦU CỬ"))
        page = self.client.post(url, {**data, "candidates_file": upload}, follow=True)
        self.assertContains(page, "Đã lập danh sách bầu cử")
        from hienthuc.elections.models import Election

        names = list(Election.objects.get().candidates.values_list("full_name", flat=True))
        self.assertEqual(names, ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung", "Hoàng Văn Em"])


class ViewerTestCase(ElectionBase):
    def test_a_viewer_sees_the_elections_but_not_the_means_to_run_them(self):
        self.client.force_login(self.charlie)
        page = self.client.get(f"/meetings/{self.congress.pk}/")
        self.assertContains(page, "Bầu cử tại đại hội")
        self.assertNotContains(page, "Lập danh sách bầu cử")
        self.assertNotContains(page, 'id="hand-vote-form"')
        self.assertEqual(self.client.get(f"/meetings/{self.congress.pk}/elections/new/").status_code, 403)
