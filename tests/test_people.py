import datetime

from django.core.exceptions import ValidationError

from hienthuc.audit.models import AuditEvent
from hienthuc.people.actions import do_add_position, do_create_person, do_end_position, do_update_person
from hienthuc.people.models import Person
from tests.base import BaseTestCase


class PersonActionsTestCase(BaseTestCase):
    def test_it_creates_a_person_and_counts_them_in_every_ancestor(self):
        before = self.refresh(self.tinh_a).people_below
        person = do_create_person(
            full_name="  Lê   Thị Hoa ", home_unit=self.xa_a1b, birth_year=1990, gender="nu", acting_user=self.bob
        )
        self.assertEqual(person.full_name, "Lê Thị Hoa")
        self.assertEqual(self.refresh(self.tinh_a).people_below, before + 1)
        self.assertEqual(self.refresh(self.xa_a1b).people_below, 1)
        self.assertEqual(AuditEvent.objects.for_object(person).get().after["full_name"], "Lê Thị Hoa")

    def test_it_refuses_invalid_years_and_dates(self):
        cases = [
            ({"birth_year": 1850}, "Năm sinh phải từ 1900"),
            ({"birth_year": 2030}, "Năm sinh phải từ 1900"),
            ({"party_joined_on": datetime.date(1925, 1, 1)}, "Ngày vào Đảng phải từ 03/02/1930"),
            ({"party_joined_on": datetime.date(2099, 1, 1)}, "Ngày vào Đảng phải từ 03/02/1930"),
            ({"birth_year": 1990, "party_joined_on": datetime.date(1995, 1, 1)}, "ít nhất 16 năm"),
            ({"full_name": ""}, "Họ và tên không được để trống"),
            ({"full_name": "x" * 151}, "tối đa 150"),
            ({"gender": "khác"}, "Giới tính"),
        ]
        for changes, message in cases:
            data = {"full_name": "Phạm Văn Tùng", "home_unit": self.xa_a1a, **changes}
            with self.assertRaises(ValidationError, msg=str(changes)) as ctx:
                do_create_person(acting_user=self.bob, **data)
            self.assertIn(message, str(ctx.exception))
        self.assertEqual(Person.objects.count(), 2)

    def test_it_refuses_people_outside_the_editors_subtree(self):
        with self.assertRaises(ValidationError):
            do_create_person(full_name="X", home_unit=self.huyen_b1, acting_user=self.bob)
        with self.assertRaises(ValidationError):
            do_create_person(full_name="X", home_unit=self.xa_a1a, acting_user=self.charlie)
        with self.assertRaises(ValidationError):
            do_update_person(self.person_a1, home_unit=self.huyen_a2, acting_user=self.bob)

    def test_it_records_positions_over_time(self):
        position = do_add_position(
            self.person_a1,
            title="Bí thư Đảng ủy xã",
            unit=self.xa_a1a,
            start_date=datetime.date(2020, 7, 1),
            acting_user=self.bob,
        )
        with self.assertRaises(ValidationError):
            do_end_position(position, end_date=datetime.date(2019, 1, 1), acting_user=self.bob)
        do_end_position(position, end_date=datetime.date(2025, 6, 30), acting_user=self.bob)
        self.assertEqual(self.refresh(position).end_date, datetime.date(2025, 6, 30))
        with self.assertRaises(ValidationError):
            do_add_position(self.person_a1, title="", unit=self.xa_a1a, acting_user=self.bob)


class PersonViewsTestCase(BaseTestCase):
    def test_it_finds_people_without_diacritics_within_scope(self):
        self.client.force_login(self.alice)
        response = self.client.get("/people/", {"q": "nguyen van dong"})
        self.assertContains(response, "Nguyễn Văn Đông")
        response = self.client.get("/people/", {"q": "tran thi bac"})
        self.assertNotContains(response, "Trần Thị Bắc")

    def test_it_shows_a_person_page_and_404s_outside(self):
        self.client.force_login(self.bob)
        response = self.client.get(f"/people/{self.person_a1.pk}/")
        self.assertContains(response, "Nguyễn Văn Đông")
        self.assertContains(response, "Sinh năm 1975")  # a year, not the number 1.975
        self.assertContains(response, "Đảng ủy xã Đông Phong")
        for url in (
            f"/people/{self.person_b1.pk}/",
            f"/people/{self.person_b1.pk}/edit/",
            f"/people/{self.person_b1.pk}/history/",
        ):
            self.assertEqual(self.client.get(url).status_code, 404, url)

    def test_it_creates_a_person_through_the_form_with_vietnamese_errors(self):
        self.client.force_login(self.bob)
        response = self.client.post(
            "/people/new/",
            {"full_name": "Vũ Văn Hải", "birth_year": "abc", "home_unit": "A1a", "party_joined_on": "31/02/2000"},
        )
        self.assertContains(response, "Năm sinh phải là một số")
        self.assertContains(response, "Ngày không hợp lệ")
        response = self.client.post("/people/new/", {"full_name": "Vũ Văn Hải", "home_unit": "B1"})
        self.assertContains(response, "Không tìm thấy đơn vị “B1” trong phạm vi của bạn")
        response = self.client.post(
            "/people/new/",
            {"full_name": "Vũ Văn Hải", "birth_year": "1980", "home_unit": "a1a", "party_joined_on": "03/02/2005"},
        )
        self.assertEqual(response.status_code, 302)
        person = Person.objects.get(full_name="Vũ Văn Hải")
        self.assertEqual(person.party_joined_on, datetime.date(2005, 2, 3))
        self.assertEqual(person.home_unit, self.xa_a1a)

    def test_it_links_the_history_of_a_person(self):
        do_update_person(self.person_a1, full_name="Nguyễn Văn Đông Hải", acting_user=self.bob)
        self.client.force_login(self.alice)
        response = self.client.get(f"/people/{self.person_a1.pk}/history/")
        self.assertContains(response, "Nguyễn Văn Đông Hải")

    def test_it_ends_a_position_from_the_person_page(self):
        position = do_add_position(self.person_a1, title="Bí thư", unit=self.xa_a1a, acting_user=self.bob)
        self.client.force_login(self.bob)
        self.client.post(f"/positions/{position.pk}/end/", {"end_date": "xx"})
        self.assertIsNone(self.refresh(position).end_date)
        self.client.post(f"/positions/{position.pk}/end/", {"end_date": "30/06/2025"})
        self.assertEqual(self.refresh(position).end_date, datetime.date(2025, 6, 30))
        self.client.force_login(self.oscar)
        self.assertEqual(
            self.client.post(f"/positions/{position.pk}/end/", {"end_date": "01/07/2025"}).status_code, 404
        )

    def test_it_suggests_people_by_name_and_unit_never_by_id(self):
        self.client.force_login(self.bob)
        response = self.client.get("/people/lookup/", {"q": "dong"})
        self.assertContains(response, 'value="Nguyễn Văn Đông — Đảng ủy xã Đông Phong"')
        self.assertNotContains(response, f"[{self.person_a1.pk}]")

    def test_it_pins_the_query_count_of_the_people_list(self):
        for i in range(20):
            do_create_person(full_name=f"Người {i}", home_unit=self.xa_a1b, acting_user=self.bob)
        self.client.force_login(self.alice)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            response = self.client.get("/people/")
        self.assertContains(response, "Người 19")
        self.assertLessEqual(len(ctx.captured_queries), 6)
