import datetime

from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hienthuc.audit.models import AuditEvent
from hienthuc.orgs import aggregates
from hienthuc.orgs.actions import (
    do_create_organization,
    do_deactivate_organization,
    do_move_organization,
    do_reactivate_organization,
    do_update_organization,
)
from hienthuc.orgs.models import Organization
from hienthuc.people.actions import do_create_person, do_set_person_active, do_update_person
from hienthuc.scope import top_paths
from tests.base import BEFORE_2025, BaseTestCase, kind


class OrganizationActionsTestCase(BaseTestCase):
    def test_it_creates_a_unit_under_its_parent_and_audits_it(self):
        org = do_create_organization(
            parent=self.xa_a1a, code="A1c", name="Chi bộ thôn 3", kind=kind("chi_bo"), acting_user=self.bob
        )
        self.assertTrue(org.path.startswith(self.xa_a1a.path))
        self.assertEqual(org.depth, self.xa_a1a.depth + 1)
        event = AuditEvent.objects.for_object(org).get()
        self.assertEqual(event.action, "create")
        self.assertEqual(event.actor, self.bob)
        self.assertEqual(event.after["name"], "Chi bộ thôn 3")

    def test_it_refuses_a_duplicate_code_whatever_its_case(self):
        with self.assertRaises(ValidationError) as ctx:
            do_create_organization(parent=self.xa_a1a, code="a1A", name="X", kind=kind("chi_bo"), acting_user=self.bob)
        self.assertIn("đã được dùng", str(ctx.exception))

    def test_it_refuses_empty_and_overlong_names(self):
        for name, message in (("   ", "không được để trống"), ("x" * 256, "tối đa 255")):
            with self.assertRaises(ValidationError) as ctx:
                do_create_organization(
                    parent=self.xa_a1a, code="NEW", name=name, kind=kind("chi_bo"), acting_user=self.bob
                )
            self.assertIn(message, str(ctx.exception))
        self.assertFalse(Organization.objects.filter(code="NEW").exists())

    def test_it_refuses_codes_with_spaces_or_diacritics(self):
        with self.assertRaises(ValidationError):
            do_create_organization(parent=self.xa_a1a, code="Xã 1", name="X", kind=kind("chi_bo"), acting_user=self.bob)

    def test_it_refuses_creating_outside_the_users_subtree(self):
        with self.assertRaises(ValidationError):
            do_create_organization(
                parent=self.huyen_b1, code="B1x", name="X", kind=kind("chi_bo"), acting_user=self.bob
            )
        with self.assertRaises(ValidationError):
            do_create_organization(
                parent=self.xa_a1a, code="A1x", name="X", kind=kind("chi_bo"), acting_user=self.charlie
            )

    def test_it_renames_and_records_before_and_after(self):
        do_update_organization(
            self.huyen_a1, name="Huyện ủy A1 mới", short_name="HU A1", kind=self.huyen_a1.kind, acting_user=self.bob
        )
        event = AuditEvent.objects.for_object(self.huyen_a1).filter(action="update").get()
        self.assertEqual(event.before["name"], "Huyện ủy A1")
        self.assertEqual(event.after["name"], "Huyện ủy A1 mới")

    def test_it_moves_a_subtree_and_repaths_every_descendant(self):
        cells = [
            do_create_organization(parent=self.xa_a1a, code=f"C{i}", name=f"Chi bộ {i}", kind=kind("chi_bo"),
                                   acting_user=self.alice)
            for i in (1, 2)
        ]  # fmt: skip
        moved = do_move_organization(self.xa_a1a, self.huyen_a2, acting_user=self.alice)
        self.assertTrue(moved.path.startswith(self.huyen_a2.path))
        self.assertEqual(moved.depth, self.huyen_a2.depth + 1)
        for child in cells:
            child.refresh_from_db()
            self.assertTrue(child.path.startswith(moved.path))
            self.assertEqual(child.depth, moved.depth + 1)
        self.assertEqual(AuditEvent.objects.for_object(moved).filter(action="move").count(), 1)
        self.assertEqual(aggregates.rebuild(), 0)

    def test_it_refuses_a_move_that_would_create_a_cycle(self):
        with self.assertRaises(ValidationError) as ctx:
            do_move_organization(self.huyen_a1, self.xa_a1a, acting_user=self.alice)
        self.assertIn("cấp dưới của nó", str(ctx.exception))
        with self.assertRaises(ValidationError):
            do_move_organization(self.huyen_a1, self.huyen_a1, acting_user=self.alice)

    def test_it_refuses_a_move_into_a_subtree_the_user_does_not_administer(self):
        with self.assertRaises(ValidationError) as ctx:
            do_move_organization(self.huyen_a1, self.huyen_b1, acting_user=self.alice)
        self.assertIn("không có quyền quản trị đơn vị đích", str(ctx.exception))
        self.huyen_a1.refresh_from_db()
        self.assertTrue(self.huyen_a1.path.startswith(self.tinh_a.path))

    def test_it_refuses_moves_by_editors(self):
        with self.assertRaises(ValidationError):
            do_move_organization(self.xa_a1a, self.huyen_a2, acting_user=self.bob)

    def test_it_deactivates_a_leaf_but_not_a_unit_with_active_children(self):
        with self.assertRaises(ValidationError):
            do_deactivate_organization(self.huyen_a1, acting_user=self.alice)
        do_deactivate_organization(self.xa_a1b, acting_user=self.alice)
        self.assertFalse(self.refresh(self.xa_a1b).is_active)
        self.assertTrue(Organization.objects.filter(pk=self.xa_a1b.pk).exists())
        do_reactivate_organization(self.xa_a1b, acting_user=self.alice)
        self.assertTrue(self.refresh(self.xa_a1b).is_active)
        self.assertEqual(aggregates.rebuild(), 0)


class AggregatesTestCase(BaseTestCase):
    def test_it_keeps_subtree_counts_equal_to_a_recount(self):
        do_create_organization(
            parent=self.xa_a1a, code="C1", name="Chi bộ 1", kind=kind("chi_bo"), acting_user=self.bob
        )
        p = do_create_person(full_name="Lê Văn Nam", home_unit=self.xa_a1b, acting_user=self.bob)
        do_update_person(p, home_unit=self.huyen_a2, acting_user=self.alice)
        do_set_person_active(self.person_a1, False, acting_user=self.bob)
        do_move_organization(self.xa_a1b, self.huyen_a2, acting_user=self.alice)
        do_move_organization(self.huyen_b1, self.tinh_a, acting_user=self.system)
        do_deactivate_organization(self.huyen_b1, acting_user=self.system)

        self.assertEqual(aggregates.stored(), aggregates.compute_from_scratch())
        self.assertEqual(aggregates.rebuild(), 0)

    def test_it_sums_children_for_units_above_the_aggregate_depth(self):
        units, people = aggregates.subtree_totals(self.centre)
        self.assertEqual(units, Organization.objects.filter(depth__gt=1, is_active=True).count())
        self.assertEqual(people, 2)

    def test_it_gives_the_same_overview_as_the_orm_reads(self):
        from hienthuc.orgs.views import children_of

        do_deactivate_organization(self.huyen_b1, acting_user=self.system)
        for user, expected_tops in ((self.bob, ["A1"]), (self.alice, ["A"]), (self.system, ["TW"])):
            overview = aggregates.overview(top_paths(user))
            self.assertEqual([top["code"] for top, _children in overview], expected_tops)
            for top, children in overview:
                unit = Organization.objects.get(pk=top["pk"])
                self.assertEqual((top["units_below"], top["people_below"]), aggregates.subtree_totals(unit))
                self.assertEqual([c["pk"] for c in children], [c["pk"] for c in children_of(unit)])
                self.assertEqual(
                    [(c["units_below"], c["people_below"]) for c in children],
                    [(c["units_below"], c["people_below"]) for c in children_of(unit)],
                )

    def test_it_shows_only_the_outermost_of_nested_roles(self):
        from hienthuc.accounts.actions import do_grant_role

        do_grant_role(self.bob, organization=self.xa_a1a, kind="viewer", acting_user=self.system)
        self.assertEqual([top["code"] for top, _ in aggregates.overview(top_paths(self.bob))], ["A1"])

    def test_it_rebuilds_counts_that_were_tampered_with(self):
        Organization.objects.filter(pk=self.tinh_a.pk).update(units_below=999)
        self.assertEqual(aggregates.rebuild(), 1)
        self.assertEqual(self.refresh(self.tinh_a).units_below, 5)


class OrganizationViewsTestCase(BaseTestCase):
    def test_it_shows_the_tree_from_the_users_own_units(self):
        self.client.force_login(self.bob)
        response = self.client.get("/orgs/")
        self.assertContains(response, "Huyện ủy A1")
        self.assertNotContains(response, "Tỉnh ủy A")
        self.assertNotContains(response, "Tỉnh ủy B")

    def test_it_opens_children_as_an_htmx_fragment(self):
        self.client.force_login(self.alice)
        response = self.client.get(f"/orgs/{self.huyen_a1.pk}/children/", headers={"HX-Request": "true"})
        self.assertContains(response, "Đảng ủy xã Đông Phong")
        self.assertNotContains(response, "<html")

    def test_it_answers_404_for_a_unit_outside_the_subtree(self):
        self.client.force_login(self.bob)
        for url in (
            f"/orgs/{self.tinh_b.pk}/",
            f"/orgs/{self.tinh_a.pk}/",
            f"/orgs/{self.huyen_b1.pk}/children/",
            f"/orgs/{self.huyen_b1.pk}/history/",
            f"/orgs/{self.huyen_b1.pk}/export.xlsx",
            "/orgs/999999/",
        ):
            response = self.client.get(url)
            self.assertEqual(response.status_code, 404, url)
        self.assertContains(self.client.get(f"/orgs/{self.tinh_b.pk}/"), "Không tìm thấy trang", status_code=404)

    def test_it_shows_a_unit_page_with_breadcrumbs_children_and_people(self):
        self.client.force_login(self.charlie)
        response = self.client.get(f"/orgs/{self.huyen_a1.pk}/")
        self.assertContains(response, "Tỉnh ủy A")  # breadcrumb
        self.assertContains(response, "Đảng ủy xã Đông Phong")
        self.assertContains(response, "2 đơn vị trực thuộc các cấp")
        self.assertNotContains(response, "Thêm đơn vị trực thuộc")  # a viewer cannot edit

    def test_it_pins_the_query_count_of_the_unit_page(self):
        for i in range(10):
            unit = do_create_organization(
                parent=self.huyen_a2,
                code=f"A2-{i}",
                name=f"Xã {i}",
                kind=kind("dang_uy_co_so"),
                placed_on=BEFORE_2025,
                acting_user=self.alice,
            )
            do_create_person(full_name=f"Người {i}", home_unit=self.huyen_a2, acting_user=self.alice)
            do_create_person(full_name=f"Người con {i}", home_unit=unit, acting_user=self.alice)
        self.client.force_login(self.alice)
        self.client.get(f"/orgs/{self.huyen_a2.pk}/")
        with CaptureQueriesContext(connection) as ctx:
            response = self.client.get(f"/orgs/{self.huyen_a2.pk}/")
        self.assertEqual(response.status_code, 200)
        self.assertLessEqual(
            len(ctx.captured_queries), 15, [q["sql"] for q in ctx.captured_queries]
        )  # +1: the unit's former names (reorganizations)
        with CaptureQueriesContext(connection) as ctx_tree:
            self.client.get("/orgs/")
        self.assertLessEqual(len(ctx_tree.captured_queries), 8)

    def test_it_creates_a_unit_through_the_form_and_shows_errors_in_vietnamese(self):
        self.client.force_login(self.bob)
        url = f"/orgs/{self.xa_a1a.pk}/new/"
        response = self.client.post(url, {"code": "A1", "name": "", "kind": kind("chi_bo").pk})
        self.assertContains(
            response, "This field is required".replace("This field is required", "Trường này là bắt buộc")
        )
        response = self.client.post(url, {"code": "A1", "name": "Chi bộ mới", "kind": kind("chi_bo").pk})
        self.assertContains(response, "đã được dùng")
        response = self.client.post(url, {"code": "A1-9", "name": "Chi bộ mới", "kind": kind("chi_bo").pk})
        self.assertEqual(response.status_code, 302)
        self.assertTrue(Organization.objects.filter(code="A1-9").exists())

    def test_it_forbids_editing_for_viewers(self):
        self.client.force_login(self.charlie)
        self.assertEqual(self.client.get(f"/orgs/{self.huyen_a1.pk}/edit/").status_code, 403)
        self.assertEqual(self.client.get(f"/orgs/{self.huyen_a1.pk}/move/").status_code, 403)

    def test_it_moves_through_the_form_and_refuses_a_target_outside_the_users_units(self):
        self.client.force_login(self.alice)
        response = self.client.post(f"/orgs/{self.huyen_a1.pk}/move/", {"new_parent": "B1"})
        self.assertContains(response, "Không tìm thấy đơn vị “B1” trong phạm vi của bạn")
        response = self.client.post(f"/orgs/{self.huyen_a1.pk}/move/", {"new_parent": "A1a"})
        self.assertContains(response, "cấp dưới của nó")
        response = self.client.post(f"/orgs/{self.xa_a1a.pk}/move/", {"new_parent": "a2"})
        self.assertEqual(response.status_code, 302)
        self.assertTrue(self.refresh(self.xa_a1a).path.startswith(self.huyen_a2.path))

    def test_it_lists_the_history_of_a_unit(self):
        do_update_organization(
            self.huyen_a1, name="Huyện ủy A1 (mới)", short_name="", kind=self.huyen_a1.kind, acting_user=self.bob
        )
        self.client.force_login(self.bob)
        response = self.client.get(f"/orgs/{self.huyen_a1.pk}/history/")
        self.assertContains(response, "Huyện ủy A1 (mới)")
        self.assertContains(response, "<strong>bob</strong> đã sửa đơn vị", html=False)

    def test_it_suggests_units_by_name_without_diacritics_within_scope(self):
        self.client.force_login(self.bob)
        response = self.client.get("/orgs/lookup/", {"q": "dong phong"})
        self.assertContains(response, 'value="Đảng ủy xã Đông Phong (A1a)"')
        response = self.client.get("/orgs/lookup/", {"q": "huyen"})
        self.assertNotContains(response, "B1")

    def test_it_requires_login(self):
        response = self.client.get(f"/orgs/{self.tinh_a.pk}/")
        self.assertEqual(response.status_code, 302)
        self.assertIn("/accounts/login/", response["Location"])


class ReadableHistoryTestCase(BaseTestCase):
    """The audit trail reads as Vietnamese sentences: names for ids, labels for codes."""

    def test_it_reads_each_event_as_a_sentence_with_labelled_changes(self):
        from hienthuc.people.actions import do_link_person

        do_update_person(
            self.person_a1, full_name=self.person_a1.full_name, gender="nu", birth_year=1976, acting_user=self.bob
        )
        do_link_person(self.bob, self.person_a1, acting_user=self.alice)
        do_deactivate_organization(self.xa_a1b, acting_user=self.alice)
        self.client.force_login(self.alice)
        page = self.client.get(f"/people/{self.person_a1.pk}/history/")
        text = " ".join(page.content.decode().split())
        self.assertIn("(bob)</strong> đã sửa cán bộ, đảng viên", text)
        self.assertIn("Giới tính: <del>Nam</del> → Nữ", text)
        self.assertIn("Năm sinh: <del>1975</del> → 1976", text)  # a year, not "1.976"
        page = self.client.get(f"/orgs/{self.xa_a1a.pk}/history/")  # the person's unit
        text = " ".join(page.content.decode().split())
        self.assertIn("đã gắn hồ sơ cán bộ cho", text)
        self.assertIn(f"Hồ sơ cán bộ: {self.person_a1.full_name}", text)  # a name, not "person: 466"
        page = self.client.get(f"/orgs/{self.xa_a1b.pk}/history/")
        text = " ".join(page.content.decode().split())
        self.assertIn("đã cho ngừng hoạt động đơn vị", text)
        self.assertIn("<del>có</del> → không", text)  # not True/False
        self.assertIn(
            "đã gắn hồ sơ cán bộ cho người dùng",
            " ".join(self.client.get(f"/orgs/{self.xa_a1a.pk}/history/").content.decode().split()),
        )
        for raw in ("object (", "True", "False", "'", "None"):
            self.assertNotIn(raw, page.content.decode().split("<main")[1], raw)


class NamePickerTestCase(BaseTestCase):
    """Units, people and indicators are chosen by name; codes are still accepted."""

    def test_it_takes_a_unit_by_suggested_label_name_or_code_within_scope(self):
        from django.core.exceptions import ValidationError as Invalid

        from hienthuc.forms import resolve_unit

        visible = Organization.objects.visible_to(self.bob)
        for text in ("Đảng ủy xã Đông Phong (A1a)", "dang uy xa dong phong", "a1a", "  Đảng ủy xã  Đông Phong "):
            self.assertEqual(resolve_unit(text, visible), self.xa_a1a, text)
        with self.assertRaisesMessage(Invalid, "Không tìm thấy đơn vị “Huyện ủy B1”"):
            resolve_unit("Huyện ủy B1", visible)  # another province's unit is not found
        do_create_organization(
            parent=self.huyen_a1, code="A1c", name="Đảng ủy xã Đông Phong", kind=kind("dang_uy_co_so"),
            placed_on=BEFORE_2025, acting_user=self.system,
        )  # fmt: skip
        with self.assertRaisesMessage(Invalid, "Có 2 đơn vị tên"):
            resolve_unit("Đảng ủy xã Đông Phong", visible)
        self.assertEqual(resolve_unit("Đảng ủy xã Đông Phong (A1c)", visible).code, "A1c")

    def test_a_box_of_several_units_suggests_the_last_one_keeping_the_others(self):
        self.client.force_login(self.bob)
        response = self.client.get("/orgs/lookup/", {"q": "Đảng ủy xã Đông Phong (A1a); tay son"})
        self.assertContains(response, 'value="Đảng ủy xã Đông Phong (A1a); Đảng ủy xã Tây Sơn (A1b)"')

    def test_the_task_filter_takes_a_unit_by_name(self):
        self.client.force_login(self.bob)
        page = self.client.get("/tasks/", {"lead": "Huyện ủy A1"})
        self.assertEqual(page.status_code, 200)
        self.assertNotContains(page, "Không tìm thấy đơn vị")
        self.assertContains(self.client.get("/tasks/", {"lead": "Huyện ủy B1"}), "Không tìm thấy đơn vị")


class KindRulesTestCase(BaseTestCase):
    """What may sit under what is data (orgs.KindRule), checked on create, kind change and move."""

    def test_it_refuses_a_provincial_committee_under_a_commune(self):
        with self.assertRaisesMessage(ValidationError, "“Tỉnh ủy/Thành ủy” không được đặt dưới “Đảng ủy cơ sở”"):
            do_create_organization(
                parent=self.xa_a1a, code="X", name="Tỉnh ủy giả", kind=kind("tinh_uy"), acting_user=self.alice
            )
        self.assertFalse(Organization.objects.filter(code="X").exists())

    def test_it_judges_a_district_level_placement_by_the_founding_day(self):
        with self.assertRaisesMessage(ValidationError, "đến 30/06/2025"):
            do_create_organization(
                parent=self.huyen_a1, code="X", name="Đảng ủy xã mới", kind=kind("dang_uy_co_so"), acting_user=self.bob
            )
        founded = datetime.date(2024, 5, 1)
        org = do_create_organization(
            parent=self.huyen_a1, code="X", name="Đảng ủy xã cũ", kind=kind("dang_uy_co_so"), valid_from=founded,
            acting_user=self.bob,
        )  # fmt: skip
        self.assertEqual(org.valid_from, founded)
        # After the reform a commune committee sits under the province.
        do_create_organization(
            parent=self.tinh_a, code="Y", name="Đảng ủy xã Y", kind=kind("dang_uy_xa"), acting_user=self.alice
        )

    def test_it_refuses_a_kind_change_that_its_parent_or_children_forbid(self):
        with self.assertRaisesMessage(ValidationError, "không được đặt dưới"):
            do_update_organization(self.xa_a1a, name="X", short_name="", kind=kind("tinh_uy"), acting_user=self.alice)
        do_create_organization(
            parent=self.xa_a1a, code="C1", name="Chi bộ 1", kind=kind("chi_bo"), acting_user=self.alice
        )
        with self.assertRaisesMessage(ValidationError, "Đơn vị trực thuộc “Chi bộ 1”"):
            do_update_organization(
                self.xa_a1a, name="X", short_name="", kind=kind("chi_bo_co_so"), acting_user=self.alice
            )
        self.assertEqual(self.refresh(self.xa_a1a).name, "Đảng ủy xã Đông Phong")

    def test_it_refuses_a_correction_move_the_rules_forbid(self):
        with self.assertRaisesMessage(ValidationError, "“Huyện ủy/Thị ủy/Thành ủy (trước 7/2025)” không được đặt dưới"):
            do_move_organization(self.huyen_a1, self.huyen_a2, acting_user=self.alice)

    def test_it_explains_the_rule_on_the_form_with_the_founding_day(self):
        self.client.force_login(self.bob)
        data = {"code": "A1-9", "name": "Đảng ủy xã mới", "kind": kind("dang_uy_co_so").pk, "valid_from": ""}
        response = self.client.post(f"/orgs/{self.huyen_a1.pk}/new/", data)
        self.assertContains(response, "đến 30/06/2025")
        response = self.client.post(f"/orgs/{self.huyen_a1.pk}/new/", {**data, "valid_from": "01/03/2022"})
        self.assertEqual(response.status_code, 302)
        self.assertContains(self.client.get(response["Location"]), "thành lập 01/03/2022")
