from django.core.exceptions import ValidationError

from hienthuc.committees.actions import do_add_assignment, do_add_seat, do_create_term
from hienthuc.committees.models import Assignment, Body, CommitteeSeat, SeatRole, Term
from hienthuc.people.actions import do_create_person
from tests.base import BaseTestCase


class CommitteeTestCase(BaseTestCase):
    def test_it_creates_terms_numbered_in_roman(self):
        term = do_create_term(self.tinh_a, number="xx", start_year=2020, end_year=2025, acting_user=self.alice)
        self.assertEqual((term.number, term.roman), (20, "XX"))
        self.assertEqual(str(term), "Khóa XX, nhiệm kỳ 2020–2025")
        do_create_term(self.tinh_a, number="XXI", start_year=2025, end_year=2030, acting_user=self.alice)
        self.assertEqual(Term.objects.filter(unit=self.tinh_a).count(), 2)

    def test_it_refuses_bad_term_numbers_and_years(self):
        cases = [
            ({"number": "XIIII"}, "số La Mã"),
            ({"number": "abc"}, "số La Mã"),
            ({"start_year": 1900}, "từ 1930"),
            ({"end_year": 2019}, "sau năm bắt đầu"),
            ({"end_year": 2040}, "không quá 10 năm"),
        ]
        for changes, message in cases:
            data = {"number": "XX", "start_year": 2020, "end_year": 2025, **changes}
            with self.assertRaises(ValidationError) as ctx:
                do_create_term(self.tinh_a, acting_user=self.alice, **data)
            self.assertIn(message, str(ctx.exception))
        do_create_term(self.tinh_a, number="XX", start_year=2020, end_year=2025, acting_user=self.alice)
        with self.assertRaisesMessage(ValidationError, "đã có nhiệm kỳ khóa này"):
            do_create_term(self.tinh_a, number=20, start_year=2020, end_year=2025, acting_user=self.alice)

    def test_it_refuses_a_term_overlapping_another_of_the_unit(self):
        do_create_term(self.tinh_a, number="XX", start_year=2020, end_year=2025, acting_user=self.alice)
        with self.assertRaisesMessage(ValidationError, "Trùng thời gian với nhiệm kỳ khóa XX (2020–2025)"):
            do_create_term(self.tinh_a, number="XXI", start_year=2023, end_year=2028, acting_user=self.alice)
        # The congress year closes one term and opens the next; another unit is another matter.
        do_create_term(self.tinh_a, number="XXI", start_year=2025, end_year=2030, acting_user=self.alice)
        do_create_term(self.huyen_a1, number="XXII", start_year=2022, end_year=2027, acting_user=self.alice)
        self.assertEqual(Term.objects.filter(unit=self.tinh_a).count(), 2)

    def test_it_keeps_the_composition_rules_of_each_body(self):
        import datetime

        term = do_create_term(self.tinh_a, number="XX", start_year=2020, end_year=2025, acting_user=self.alice)
        people = [
            do_create_person(full_name=name, home_unit=self.office_a, acting_user=self.alice)
            for name in ("Trần Văn Một", "Lê Thị Hai", "Phạm Văn Ba")
        ]
        one, two, three = people

        def seat(person, body, role, **dates):
            return do_add_seat(term, person=person, body=body, role=role, acting_user=self.alice, **dates)

        with self.assertRaisesMessage(ValidationError, "Ban Thường vụ không có chức danh “Chủ nhiệm”"):
            seat(one, Body.STANDING, SeatRole.CHAIR)
        with self.assertRaisesMessage(ValidationError, "chưa có trong Ban Chấp hành của nhiệm kỳ"):
            seat(one, Body.STANDING, SeatRole.SECRETARY)
        seat(one, Body.EXECUTIVE, SeatRole.SECRETARY, end_date=datetime.date(2023, 5, 31))
        with self.assertRaisesMessage(ValidationError, "Ban Chấp hành đã có Bí thư trong cùng thời gian: Trần Văn Một"):
            seat(two, Body.EXECUTIVE, SeatRole.SECRETARY)
        # The next secretary, elected after the first left, is not a second one at the same time.
        seat(two, Body.EXECUTIVE, SeatRole.SECRETARY, start_date=datetime.date(2023, 6, 1))
        seat(one, Body.STANDING, SeatRole.SECRETARY, end_date=datetime.date(2023, 5, 31))
        with self.assertRaisesMessage(ValidationError, "chưa có trong Ban Thường vụ của nhiệm kỳ"):
            seat(two, Body.STANDING_OFFICE, SeatRole.SECRETARY)
        seat(three, Body.INSPECTION, SeatRole.CHAIR)  # the commission's members need not sit on the committee
        with self.assertRaisesMessage(ValidationError, "Ủy ban Kiểm tra không có chức danh “Bí thư”"):
            seat(two, Body.INSPECTION, SeatRole.SECRETARY)
        self.assertEqual(term.seats.count(), 4)

    def test_it_ends_a_seat_with_its_date_and_keeps_the_history(self):
        import datetime

        term = do_create_term(self.tinh_a, number="XX", start_year=2020, end_year=2025, acting_user=self.alice)
        first = do_create_person(full_name="Trần Văn Một", home_unit=self.office_a, acting_user=self.alice)
        second = do_create_person(full_name="Lê Thị Hai", home_unit=self.office_a, acting_user=self.alice)
        seat = do_add_seat(term, person=first, body=Body.EXECUTIVE, role=SeatRole.SECRETARY, acting_user=self.alice)
        with self.assertRaisesMessage(ValidationError, "Hãy ghi quyết định hoặc biên bản"):
            do_add_seat(term, person=second, body=Body.EXECUTIVE, role=SeatRole.MEMBER, how="appointed",
                        acting_user=self.alice)  # fmt: skip
        self.client.force_login(self.alice)
        url = f"/terms/{term.pk}/"
        response = self.client.post(f"/seats/{seat.pk}/end/", {"end_date": "31/05/2023", "decision": "15-QĐ/TW"})
        self.assertRedirects(response, url, fetch_redirect_response=False)
        self.assertEqual(self.refresh(seat).end_date, datetime.date(2023, 5, 31))
        response = self.client.post(
            url,
            {"seat-person": f"Lê Thị Hai [{second.pk}]", "seat-body": "bch", "seat-role": "bi_thu",
             "seat-how": "appointed", "seat-start_date": "01/06/2023", "seat-decision": "16-QĐ/TW, 01/6/2023"},
        )  # fmt: skip
        self.assertEqual(response.status_code, 302)
        page = self.client.get(url)
        self.assertContains(page, "thôi từ 31/05/2023 (15-QĐ/TW)")
        self.assertContains(page, "Chỉ định (16-QĐ/TW, 01/6/2023), từ 01/06/2023")
        self.assertEqual(page.context["by_body"][0][2], 1)  # one sitting secretary
        person_page = self.client.get(f"/people/{first.pk}/")
        self.assertContains(person_page, "thôi từ 31/05/2023")
        self.assertNotContains(person_page, "Không tham gia cấp ủy")
        # The unit page lists those sitting; a seat ended once is not ended again.
        self.assertNotContains(self.client.get(f"/orgs/{self.tinh_a.pk}/"), "Trần Văn Một")
        response = self.client.post(f"/seats/{seat.pk}/end/", {"end_date": "01/06/2023"}, follow=True)
        self.assertContains(response, "Đã ghi ngày thôi tham gia.")
        response = self.client.post(f"/seats/{seat.pk}/end/", {"end_date": "ngày mai"}, follow=True)
        self.assertContains(response, "Ngày thôi tham gia không hợp lệ")

    def test_it_ends_an_assignment_and_keeps_it_as_history(self):
        import datetime

        term = do_create_term(self.tinh_a, number="XX", start_year=2020, end_year=2025, acting_user=self.alice)
        member = do_create_person(full_name="Đỗ Minh Quân", home_unit=self.office_a, acting_user=self.alice)
        do_add_seat(term, person=member, body=Body.EXECUTIVE, role=SeatRole.MEMBER, acting_user=self.alice)
        assignment = do_add_assignment(term, person=member, unit=self.huyen_a1, acting_user=self.alice)
        self.client.force_login(self.alice)
        self.assertContains(self.client.get(f"/orgs/{self.huyen_a1.pk}/"), "Đỗ Minh Quân")
        self.client.post(f"/assignments/{assignment.pk}/end/", {"end_date": "30/09/2022"})
        self.assertEqual(self.refresh(assignment).end_date, datetime.date(2022, 9, 30))
        self.assertContains(self.client.get(f"/terms/{term.pk}/"), "đến 30/09/2022")
        self.assertContains(self.client.get(f"/people/{member.pk}/"), "(đến 30/09/2022)")
        self.assertNotContains(self.client.get(f"/orgs/{self.huyen_a1.pk}/"), "Đỗ Minh Quân")
        again = self.client.post(f"/assignments/{assignment.pk}/end/", {"end_date": "01/10/2022"}, follow=True)
        self.assertContains(again, "Phân công này đã kết thúc.")
        self.client.force_login(self.charlie)  # a viewer
        self.assertEqual(
            self.client.post(f"/assignments/{assignment.pk}/end/", {"end_date": "01/10/2022"}).status_code, 403
        )

    def test_it_seats_members_and_assigns_them_to_fields_and_units(self):
        term = do_create_term(self.tinh_a, number="XX", start_year=2020, end_year=2025, acting_user=self.alice)
        member = do_create_person(full_name="Đỗ Minh Quân", home_unit=self.office_a, acting_user=self.alice)
        do_add_seat(term, person=member, body=Body.EXECUTIVE, role=SeatRole.STANDING_MEMBER, acting_user=self.alice)
        with self.assertRaisesMessage(ValidationError, "đã có trong cơ quan này"):
            do_add_seat(term, person=member, body=Body.EXECUTIVE, role=SeatRole.MEMBER, acting_user=self.alice)
        do_add_assignment(term, person=member, field="Kinh tế - xã hội", acting_user=self.alice)
        do_add_assignment(term, person=member, unit=self.huyen_a1, acting_user=self.alice)
        with self.assertRaisesMessage(ValidationError, "phải thuộc đơn vị của nhiệm kỳ"):
            do_add_assignment(term, person=member, unit=self.huyen_b1, acting_user=self.alice)
        with self.assertRaisesMessage(ValidationError, "Chỉ phân công được cấp ủy viên"):
            do_add_assignment(term, person=self.person_a1, field="Dân vận", acting_user=self.alice)
        with self.assertRaisesMessage(ValidationError, "lĩnh vực hoặc chọn đơn vị"):
            do_add_assignment(term, person=member, acting_user=self.alice)
        self.assertEqual(Assignment.objects.filter(term=term).count(), 2)

        # The district sees who from the province is in charge of it, without seeing the person.
        self.client.force_login(self.bob)
        response = self.client.get(f"/orgs/{self.huyen_a1.pk}/")
        self.assertContains(response, "Đỗ Minh Quân")
        self.assertEqual(self.client.get(f"/people/{member.pk}/").status_code, 404)

        self.client.force_login(self.alice)
        response = self.client.get(f"/people/{member.pk}/")
        self.assertContains(response, "Ủy viên Ban Thường vụ")
        self.assertContains(response, "Kinh tế - xã hội")
        response = self.client.get(f"/orgs/{self.tinh_a.pk}/")
        self.assertContains(response, "Khóa XX, nhiệm kỳ 2020–2025")

    def test_it_adds_seats_through_the_term_page(self):
        term = do_create_term(self.tinh_a, number="XX", start_year=2020, end_year=2025, acting_user=self.alice)
        self.client.force_login(self.alice)
        url = f"/terms/{term.pk}/"
        response = self.client.post(url, {"seat-person": "Ai Đó", "seat-body": "bch", "seat-role": "uy_vien"})
        self.assertContains(response, "Không tìm thấy “Ai Đó”")
        response = self.client.post(
            url, {"seat-person": f"Nguyễn Văn Đông [{self.person_a1.pk}]", "seat-body": "bch", "seat-role": "bi_thu"}
        )
        self.assertEqual(response.status_code, 302)
        self.assertContains(self.client.get(url), "Nguyễn Văn Đông")

    def test_it_404s_terms_of_other_units_and_forbids_viewers(self):
        term = do_create_term(self.tinh_b, number="XV", start_year=2020, end_year=2025, acting_user=self.oscar)
        self.client.force_login(self.alice)
        self.assertEqual(self.client.get(f"/terms/{term.pk}/").status_code, 404)
        self.client.force_login(self.charlie)
        self.assertEqual(self.client.get(f"/orgs/{self.tinh_a.pk}/terms/new/").status_code, 403)


class SeatImportTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        from hienthuc.people.actions import do_create_person

        cls.term = do_create_term(cls.tinh_a, number="XX", start_year=2020, end_year=2025, acting_user=cls.system)
        cls.people = [
            do_create_person(full_name=name, home_unit=cls.tinh_a, birth_year=year, acting_user=cls.system)
            for name, year in (("Lê Văn Ân", 1968), ("Phạm Thị Bình", 1972), ("Vũ Đức Cường", 1970),
                               ("Đỗ Minh Duy", 1975), ("Đỗ Minh Duy", 1980))
        ]  # fmt: skip

    def sheet(self, rows):
        from hienthuc.committees.importing import HEADERS
        from tests.helpers import xlsx

        return xlsx([HEADERS, *rows], title="DANH SÁCH BAN CHẤP HÀNH ĐẢNG BỘ TỈNH KHÓA XX")

    def test_it_imports_a_committee_with_its_standing_committee_in_any_order(self):
        from hienthuc.committees.importing import do_import_seats

        rows = [
            ["Lê Văn Ân", "", "Ban Thường vụ", "Bí thư", "", "", "", ""],  # before its Executive row: fine
            ["Lê Văn Ân", "", "Ban Chấp hành", "Bí thư", "", "", "16/10/2020", ""],
            ["Phạm Thị Bình", "", "", "Phó Bí thư Thường trực", "", "", "", ""],
            ["Đỗ Minh Duy", "1980", "", "", "Bầu bổ sung", "Biên bản hội nghị BCH lần thứ 5", "12/03/2022", ""],
        ]
        result = do_import_seats(self.sheet(rows), acting_user=self.alice, term=self.term)
        self.assertEqual(result.errors, [])
        seats = set(
            CommitteeSeat.objects.filter(term=self.term).values_list("person__full_name", "body", "role", "how")
        )
        self.assertEqual(
            seats,
            {
                ("Lê Văn Ân", "bch", "bi_thu", "elected"), ("Lê Văn Ân", "btv", "bi_thu", "elected"),
                ("Phạm Thị Bình", "bch", "pho_bi_thu_tt", "elected"), ("Đỗ Minh Duy", "bch", "uy_vien", "added"),
            },
        )  # fmt: skip

    def test_it_refuses_a_file_breaking_the_composition_rules_naming_row_and_column(self):
        from hienthuc.committees.importing import plan_seat_import
        from hienthuc.imports.importers import ImportRejected

        rows = [
            ["Lê Văn Ân", "", "", "Bí thư", "", "", "", ""],
            ["Phạm Thị Bình", "", "", "Bí thư", "", "", "", ""],  # a second secretary
            ["Vũ Đức Cường", "", "Ban Thường vụ", "Ủy viên Ban Thường vụ", "", "", "", ""],  # not on the Executive
            ["Lê Văn Ân", "", "Ban Chấp hành", "Chủ nhiệm", "", "", "", ""],  # already in the body; no such role
            ["Đỗ Minh Duy", "", "", "", "", "", "", ""],  # two people of that name
            ["Nguyễn Không Có", "", "", "", "", "", "", ""],
            ["Vũ Đức Cường", "", "", "", "Chỉ định", "", "", ""],  # appointed without a decision
            ["Vũ Đức Cường", "", "Ủy ban Kiểm tra", "Trưởng ban", "", "", "32/13/2020", ""],
        ]
        result = plan_seat_import(self.sheet(rows), user=self.alice, term=self.term)
        where = {(e.row, e.column) for e in result.errors}
        self.assertEqual(where, {(4, 4), (5, 1), (6, 1), (7, 2), (8, 1), (9, 6), (10, 4), (10, 7)})
        messages = " ".join(e.message for e in result.errors)
        self.assertIn("đã có Bí thư trong cùng thời gian: Lê Văn Ân", messages)
        self.assertIn("chưa có trong Ban Chấp hành", messages)
        with self.assertRaises(ImportRejected):
            from hienthuc.committees.importing import do_import_seats

            do_import_seats(self.sheet(rows), acting_user=self.alice, term=self.term)
        self.assertFalse(CommitteeSeat.objects.filter(term=self.term).exists())

    def test_it_serves_the_import_pages_to_the_terms_editors_only(self):
        self.client.force_login(self.alice)
        self.assertEqual(self.client.get(f"/terms/{self.term.pk}/seats/import/").status_code, 200)
        self.client.force_login(self.charlie)
        self.assertEqual(self.client.get(f"/terms/{self.term.pk}/seats/import/").status_code, 403)
        self.client.force_login(self.oscar)
        self.assertEqual(self.client.get(f"/terms/{self.term.pk}/seats/import/").status_code, 404)
