"""Reorganizations: a dated decision ends units in place and hands their open work to successors,
so the past is still told on the tree as it stood and the present on the new one."""

import datetime

from django.core.exceptions import ValidationError
from django.test import TransactionTestCase, override_settings
from django.utils import timezone

from hienthuc.audit.models import AuditEvent
from hienthuc.orgs import aggregates, counts
from hienthuc.orgs.models import HandOver, Organization, Succession
from hienthuc.people.models import Person
from hienthuc.plans.actions import (
    do_add_task,
    do_create_plan,
    do_issue_plan,
    do_record_progress,
    do_require_plans,
)
from hienthuc.plans.models import PlanRequirement, Task
from hienthuc.reorgs.actions import (
    do_add_operation,
    do_apply_reorganization,
    do_create_reorganization,
    do_queue_reorganization,
    do_set_carry_choices,
    do_undo_reorganization,
    preview,
)
from hienthuc.reorgs.background import run_reorganization
from hienthuc.reorgs.models import Reorganization, ReorgStatus
from tests.base import kind
from tests.test_plans import PlanBase

JULY_2025 = datetime.date(2025, 7, 1)
NOTHING = {"on_time": 0, "late": 0, "overdue": 0, "pending": 0}


def split_a1(case: PlanBase) -> None:
    """Huyện ủy A1 split on 1 January 2024: the east part takes commune A1a and the open work,
    the west part A1b."""
    reorg = do_create_reorganization(
        unit=case.tinh_a, title="Chia tách A1", effective_on=datetime.date(2024, 1, 1), acting_user=case.alice
    )
    do_add_operation(
        reorg, kind="split", units=[case.huyen_a1], acting_user=case.alice,
        parts=[
            {"code": "A1-D", "name": "Huyện ủy A1 Đông", "kind": kind("huyen_uy"), "children": [case.xa_a1a],
             "takes_work": True},
            {"code": "A1-T", "name": "Huyện ủy A1 Tây", "kind": kind("huyen_uy"), "children": [case.xa_a1b]},
        ],
    )  # fmt: skip
    do_apply_reorganization(reorg, acting_user=case.alice)


class ReorganizationBase(PlanBase):
    """Tỉnh A dissolves Huyện A1 (its work to the province) and merges A1's two communes into a
    new commune committee under the province, as on 1 July 2025."""

    def decide(self, effective_on=JULY_2025):
        reorg = do_create_reorganization(
            unit=self.tinh_a, title="Sắp xếp tổ chức đảng hai cấp", effective_on=effective_on, acting_user=self.alice
        )
        do_add_operation(reorg, kind="dissolve", units=[self.huyen_a1], target=self.tinh_a, acting_user=self.alice)
        do_add_operation(
            reorg, kind="merge", units=[self.xa_a1a, self.xa_a1b], new_code="A-X1", new_name="Đảng ủy xã Đông Tây",
            new_kind=kind("dang_uy_xa"), new_parent=self.tinh_a, acting_user=self.alice,
        )  # fmt: skip
        return reorg

    def setUp(self):
        self.issue()
        self.done = Task.objects.create(
            plan=self.plan, content="Việc đã xong", lead_unit=self.xa_a1a, lead_path=self.xa_a1a.path,
            deadline_text="2021", deadline_kind="year", deadline_last_day=datetime.date(2021, 12, 31),
        )  # fmt: skip
        do_record_progress(
            self.done, percent=100, complete=True, evidence_link="https://vanban.example.vn/1",
            completed_on=datetime.date(2021, 6, 1), version=self.done.version, acting_user=self.alice,
        )  # fmt: skip


class ReorganizationTestCase(ReorganizationBase):
    def test_it_previews_what_ceases_what_is_made_and_what_carries_forward(self):
        page = preview(self.decide(), self.alice)
        self.assertEqual(page.errors, [])
        ceasing = {unit.code: successors for unit, successors in page.ceasing}
        self.assertEqual(ceasing["A1"], ["Tỉnh ủy A"])
        self.assertEqual(ceasing["A1a"], ["Đảng ủy xã Đông Tây (A-X1)"])
        self.assertEqual(len(page.created), 1)
        carried = {key: rows for key, _label, rows, _carried in page.carried}
        self.assertEqual(carried["tasks"], 1)  # the open task of A1; the done one stays
        self.assertEqual(carried["members"], 1)
        self.assertEqual(page.day_before, datetime.date(2025, 6, 30))

    def test_it_applies_keeping_the_past_on_the_old_units_and_the_work_on_the_new(self):
        reorg = do_apply_reorganization(self.decide(), acting_user=self.alice)
        self.assertEqual(reorg.status, ReorgStatus.APPLIED)
        a1 = self.refresh(self.huyen_a1)
        self.assertEqual((a1.valid_to, a1.is_active), (datetime.date(2025, 6, 30), False))
        commune = Organization.objects.current().get(code="A-X1")
        self.assertEqual(commune.valid_from, JULY_2025)
        self.assertEqual(Organization.objects.get_parent(commune), self.tinh_a)
        self.assertEqual(self.refresh(self.task).lead_unit, self.tinh_a)  # open work goes on
        self.assertEqual(self.refresh(self.task).lead_path, self.tinh_a.path)
        self.assertEqual(self.refresh(self.done).lead_unit, self.xa_a1a)  # the past stays
        self.assertEqual(Person.objects.get(pk=self.person_a1.pk).home_unit, commune)
        self.assertEqual(
            set(Succession.objects.filter(successor=commune).values_list("predecessor__code", flat=True)),
            {"A1a", "A1b"},
        )
        # The tree as it stood: before the date the district and its communes, after it the new commune.
        before = set(Organization.objects.as_of(datetime.date(2025, 6, 30)).values_list("code", flat=True))
        after = set(Organization.objects.as_of(JULY_2025).values_list("code", flat=True))
        self.assertTrue({"A1", "A1a", "A1b"} <= before and "A-X1" not in before)
        self.assertTrue("A-X1" in after and not {"A1", "A1a", "A1b"} & after)
        self.assertEqual(counts.differences(), {})
        self.assertEqual(aggregates.rebuild(), 0)
        self.assertTrue(AuditEvent.objects.for_object(reorg).filter(action="apply").exists())
        self.assertTrue(AuditEvent.objects.for_object(a1).filter(action="cease").exists())

    def test_it_merges_provinces_and_hands_a_dissolved_districts_work_on_to_the_new_province(self):
        reorg = do_create_reorganization(
            unit=self.centre, title="Hợp nhất tỉnh A và tỉnh B", effective_on=JULY_2025, acting_user=self.system
        )
        do_add_operation(
            reorg, kind="merge", units=[self.tinh_a, self.tinh_b], new_code="C", new_name="Tỉnh ủy C",
            new_kind=kind("tinh_uy"), new_parent=self.centre, acting_user=self.system,
        )  # fmt: skip
        for district, province in (
            (self.huyen_a1, self.tinh_a),
            (self.huyen_a2, self.tinh_a),
            (self.huyen_b1, self.tinh_b),
        ):
            do_add_operation(reorg, kind="dissolve", units=[district], target=province, acting_user=self.system)
        do_add_operation(
            reorg, kind="merge", units=[self.xa_a1a, self.xa_a1b], new_code="C-X1", new_name="Đảng ủy xã Đông Tây",
            new_kind=kind("dang_uy_xa"), new_parent=self.tinh_a, acting_user=self.system,
        )  # fmt: skip
        page = preview(reorg, self.system)
        self.assertEqual(page.errors, [])
        do_apply_reorganization(reorg, acting_user=self.system)
        province = Organization.objects.current().get(code="C")
        children = {u.code for u in Organization.objects.children_of(province)}
        self.assertEqual(children, {"C-X1", "A-VP"})  # the new commune, the office continued
        self.assertEqual(Organization.objects.find_problems(), ([], [], [], [], []))
        self.assertEqual(self.refresh(self.task).lead_unit, province)
        self.assertEqual(counts.differences(), {})
        self.assertEqual(aggregates.rebuild(), 0)

    def test_it_exports_the_tree_with_its_ceased_units_as_history(self):
        import io

        import openpyxl

        from hienthuc.orgs.importing import export_tree

        do_apply_reorganization(self.decide(), acting_user=self.alice)
        book = openpyxl.load_workbook(io.BytesIO(export_tree(self.tinh_a)))
        current = [row[0] for row in book.worksheets[0].iter_rows(min_row=3, values_only=True)]
        self.assertIn("A-X1", current)
        self.assertNotIn("A1", current)
        history = {row[0]: row for row in book.worksheets[1].iter_rows(min_row=3, values_only=True)}
        self.assertEqual(history["A1"][5].date(), datetime.date(2025, 6, 30))
        self.assertEqual(history["A1"][6], "Tỉnh ủy A")
        # A ceased unit exports its tree as it stood on its last day.
        old = openpyxl.load_workbook(io.BytesIO(export_tree(self.refresh(self.huyen_a1))))
        self.assertEqual(
            {row[0] for row in old.worksheets[0].iter_rows(min_row=3, values_only=True)}, {"A1", "A1a", "A1b"}
        )

    def test_it_continues_units_below_a_ceasing_one_under_its_successor_with_the_same_code(self):
        reorg = do_create_reorganization(
            unit=self.tinh_a, title="Giải thể A2", effective_on=JULY_2025, acting_user=self.alice
        )
        cell = Organization.objects.add_child(
            self.xa_a1a, {"code": "A1a-1", "name": "Chi bộ thôn 1", "kind": kind("chi_bo")}
        )
        do_add_operation(
            reorg, kind="merge", units=[self.xa_a1a, self.xa_a1b], new_code="A-X1", new_name="Đảng ủy xã Đông Tây",
            new_kind=kind("dang_uy_xa"), new_parent=self.tinh_a, acting_user=self.alice,
        )  # fmt: skip
        do_add_operation(reorg, kind="dissolve", units=[self.huyen_a1], target=self.tinh_a, acting_user=self.alice)
        do_apply_reorganization(reorg, acting_user=self.alice)
        self.assertEqual(self.refresh(cell).valid_to, datetime.date(2025, 6, 30))
        continued = Organization.objects.current().get(code="A1a-1")
        self.assertNotEqual(continued.pk, cell.pk)
        self.assertEqual(Organization.objects.get_parent(continued).code, "A-X1")
        self.assertEqual(Succession.objects.get(predecessor=cell).successor, continued)
        self.assertEqual(Organization.objects.find_problems(), ([], [], [], [], []))  # paths, depths, numchild

    def test_it_splits_a_unit_with_its_children_divided_and_its_work_to_the_first_part(self):
        split_a1(self)
        east, west = (Organization.objects.current().get(code=c) for c in ("A1-D", "A1-T"))
        self.assertEqual(Organization.objects.get_parent(Organization.objects.current().get(code="A1a")), east)
        self.assertEqual(Organization.objects.get_parent(Organization.objects.current().get(code="A1b")), west)
        self.assertEqual(self.refresh(self.task).lead_unit, east)
        self.assertEqual(
            set(Succession.objects.filter(predecessor=self.huyen_a1).values_list("successor__code", flat=True)),
            {"A1-D", "A1-T"},
        )
        self.assertEqual(counts.differences(), {})

    def test_it_counts_a_task_handed_on_twice_where_it_was_on_each_day(self):
        from hienthuc.plans import tallies

        split_a1(self)  # 1 January 2024: A1's open task to its east part
        east, west = (Organization.objects.current().get(code=c) for c in ("A1-D", "A1-T"))
        merger = do_create_reorganization(
            unit=self.tinh_a, title="Hợp nhất lại", effective_on=datetime.date(2024, 6, 1), acting_user=self.alice
        )
        do_add_operation(
            merger, kind="merge", units=[east, west], new_code="A1-M", new_name="Huyện ủy A1 mới",
            new_kind=kind("huyen_uy"), new_parent=self.tinh_a, acting_user=self.alice,
        )  # fmt: skip
        do_apply_reorganization(merger, acting_user=self.alice)
        merged = Organization.objects.current().get(code="A1-M")
        self.assertEqual(self.refresh(self.task).lead_unit, merged)

        def open_overdue(unit, day):
            return tallies.task_rollup_on(unit, day)[0]["open_overdue"]

        for day, where in (
            (datetime.date(2023, 12, 31), self.huyen_a1),
            (datetime.date(2024, 3, 1), east),
            (datetime.date(2024, 7, 1), merged),
        ):
            with self.subTest(day=day):
                for unit in (self.huyen_a1, east, merged):
                    self.assertEqual(open_overdue(unit, day), 1 if unit == where else 0)
                overdue = tallies.overdue_list_on(self.tinh_a, day)
                self.assertEqual([t.day_unit_name for t in overdue], [where.name])

    def test_it_renames_a_unit_in_place_and_checks_its_new_kind(self):
        reorg = do_create_reorganization(
            unit=self.tinh_a, title="Đổi tên", effective_on=JULY_2025, acting_user=self.alice
        )
        do_add_operation(
            reorg, kind="rename", units=[self.xa_a1a], new_name="Đảng ủy xã Đông Phong mới", acting_user=self.alice
        )
        do_apply_reorganization(reorg, acting_user=self.alice)
        unit = self.refresh(self.xa_a1a)
        self.assertEqual((unit.name, unit.valid_to), ("Đảng ủy xã Đông Phong mới", None))
        other = do_create_reorganization(
            unit=self.tinh_a, title="Đổi loại", effective_on=JULY_2025, acting_user=self.alice
        )
        do_add_operation(other, kind="rename", units=[self.xa_a1b], new_kind=kind("tinh_uy"), acting_user=self.alice)
        self.assertIn("“Tỉnh ủy/Thành ủy” không được đặt dưới", " ".join(preview(other, self.alice).errors))

    def test_it_shows_the_dashboard_of_a_past_day_on_the_tree_of_that_day(self):
        do_apply_reorganization(self.decide(), acting_user=self.alice)
        self.client.force_login(self.alice)
        # Today the dissolved district's open task is the province's own; its done one stays.
        today = self.client.get(f"/orgs/{self.tinh_a.pk}/dashboard/tasks/", headers={"HX-Request": "true"})
        rows = {c["unit"]["name"]: c["counts"] for c in today.context["children"]}
        self.assertEqual((rows["Huyện ủy A1"]["open_overdue"], rows["Huyện ủy A1"]["done_on_time"]), (0, 1))
        self.assertIn("Đảng ủy xã Đông Tây", rows)
        # The day before the reorganization: the district led it, and it was overdue.
        url = f"/orgs/{self.tinh_a.pk}/dashboard/tasks/?on=2025-06-30"
        before = self.client.get(url, headers={"HX-Request": "true"})
        rows = {c["unit"]["name"]: c["counts"] for c in before.context["children"]}
        self.assertEqual(rows["Huyện ủy A1"]["open_overdue"], 1)
        self.assertEqual(rows["Huyện ủy A1"]["done_on_time"], 1)  # the commune's task, done in 2021
        self.assertNotIn("Đảng ủy xã Đông Tây", rows)
        self.assertContains(before, "tình hình ngày 30/06/2025, trên cây đơn vị của ngày đó")
        self.assertEqual([t.day_unit_name for t in before.context["overdue"]], ["Huyện ủy A1"])
        # Before its deadline it was open in time; before the plan was issued it did not count.
        autumn = self.client.get(f"/orgs/{self.tinh_a.pk}/dashboard/tasks/?on=2021-11-15").context
        self.assertEqual(dict((code, n) for _label, code, n in autumn["totals"])["open_in_time"], 1)
        self.assertEqual(self.client.get(f"/orgs/{self.tinh_a.pk}/dashboard/tasks/?on=2021-10-01").context["total"], 0)
        # The district's own dashboard of that day, reached from the province's.
        district = self.client.get(f"/orgs/{self.huyen_a1.pk}/dashboard/tasks/?on=2025-06-30").context
        self.assertEqual(district["total"], 2)
        page = self.client.get(f"/orgs/{self.tinh_a.pk}/dashboard/?on=2025-06-30")
        self.assertContains(page, f'hx-get="/orgs/{self.tinh_a.pk}/dashboard/indicators/?on=2025-06-30"')

    def test_it_shows_how_cascades_stood_on_a_past_day_on_the_tree_of_that_day(self):
        do_require_plans(
            self.plan, units=[self.huyen_a1, self.huyen_a2], due_on=datetime.date(2021, 12, 1), acting_user=self.alice
        )
        child = do_create_plan(
            unit=self.huyen_a2, kind="implementation_plan", title="KH A2", parent_plan=self.plan, acting_user=self.alice
        )
        do_add_task(child, content="Việc", lead_unit=self.huyen_a2, deadline_text="Năm 2022", acting_user=self.alice)
        do_issue_plan(child, number_text="02-KH/HU", issued_on=datetime.date(2021, 11, 20), acting_user=self.alice)
        do_apply_reorganization(self.decide(), acting_user=self.alice)
        self.client.force_login(self.alice)
        url = f"/orgs/{self.tinh_a.pk}/coverage/?document={self.resolution.pk}"
        # Today the dissolved district's unmet plan is owed by the province itself, not below it.
        self.assertEqual(self.client.get(url).context["summary"]["overdue"], 0)
        before = self.client.get(url + "&on=2025-06-30")
        self.assertEqual((before.context["summary"]["overdue"], before.context["summary"]["on_time"]), (1, 1))
        self.assertEqual([c["unit"]["name"] for c in before.context["children"]], ["Huyện ủy A1", "Huyện ủy A2"])
        self.assertEqual([(r["unit"].name, r["state"]) for r in before.context["rows"]][0], ("Huyện ủy A1", "overdue"))
        self.assertContains(before, "tình hình ngày 30/06/2025")
        self.assertContains(before, "on=2025-06-30")  # the links one level down keep the day
        self.assertEqual(self.client.get(url + "&on=2021-11-25").context["summary"]["pending"], 1)
        self.assertEqual(self.client.get(url + "&on=2021-11-10").context["summary"]["pending"], 2)
        self.assertEqual(self.client.get(url + "&on=2021-10-01").context["summary"]["pending"], 0)  # not yet issued
        panel = self.client.get(f"/orgs/{self.tinh_a.pk}/dashboard/tasks/?on=2025-06-30").context
        self.assertEqual(panel["coverage"][0]["summary"]["overdue"], 1)
        # The API tells the same past day, per child unit of that day.
        api = self.client.get(f"/api/units/{self.tinh_a.pk}/coverage?on=2025-06-30").json()
        self.assertEqual(api[0]["totals"]["overdue"], 1)
        self.assertIn({"unit_id": self.huyen_a1.pk, "counts": {**NOTHING, "overdue": 1}}, api[0]["children"])
        dashboard = self.client.get(f"/api/units/{self.tinh_a.pk}/dashboard?on=2025-06-30").json()
        self.assertEqual(dashboard["children"][0]["unit_id"], self.huyen_a1.pk)
        self.assertEqual(dashboard["children"][0]["counts"]["open_overdue"], 1)
        today = self.client.get(f"/api/units/{self.tinh_a.pk}/dashboard").json()
        self.assertEqual(today["totals"]["open_overdue"], 2)  # the district's, now the province's, and A2's

    def test_it_names_a_renamed_unit_as_it_was_named_on_a_past_day(self):
        def rename(name: str, day: datetime.date):
            reorg = do_create_reorganization(unit=self.tinh_a, title=name, effective_on=day, acting_user=self.alice)
            do_add_operation(reorg, kind="rename", units=[self.huyen_a2], new_name=name, acting_user=self.alice)
            return do_apply_reorganization(reorg, acting_user=self.alice)

        rename("Huyện ủy Nam Sơn", JULY_2025)
        later = rename("Thị ủy Nam Sơn", timezone.localdate() + datetime.timedelta(days=30))
        self.client.force_login(self.alice)
        for day, name in (("2025-06-30", "Huyện ủy A2"), ("2025-07-01", "Huyện ủy Nam Sơn"), ("", "Thị ủy Nam Sơn")):
            tree = self.client.get(f"/orgs/?on={day}")
            self.assertContains(tree, name)
            children = self.client.get(f"/orgs/{self.tinh_a.pk}/?on={day}")
            self.assertContains(children, f'<a href="/orgs/{self.huyen_a2.pk}/">{name}</a>', html=True)
        page = self.client.get(f"/orgs/{self.huyen_a2.pk}/?on=2025-06-30")
        self.assertContains(page, "Ngày 30/06/2025 đơn vị mang tên Huyện ủy A2 (Huyện ủy/Thị ủy")
        self.assertContains(page, "Tên trước đây: Huyện ủy A2 (đến 30/06/2025), Huyện ủy Nam Sơn")
        self.assertNotContains(self.client.get(f"/orgs/{self.huyen_a2.pk}/"), "đơn vị mang tên")
        do_undo_reorganization(later, acting_user=self.alice)
        self.assertEqual(self.refresh(self.huyen_a2).name, "Huyện ủy Nam Sơn")
        self.assertEqual(list(self.huyen_a2.former_names.values_list("name", flat=True)), ["Huyện ủy A2"])

    def test_it_keeps_what_the_admin_chose_not_to_carry_and_lists_it(self):
        reorg = do_set_carry_choices(
            self.decide(), carry={"tasks": False}, move_roles=True, reports_confirmed="", acting_user=self.alice
        )
        page = preview(reorg, self.alice)
        self.assertIn(("tasks", False), [(key, carried) for key, _l, _n, carried in page.carried])
        do_apply_reorganization(reorg, acting_user=self.alice)
        self.assertEqual(self.refresh(self.task).lead_unit, self.huyen_a1)

    def test_it_hands_an_unmet_plan_requirement_to_the_successor(self):
        do_require_plans(self.plan, units=[self.huyen_a1], due_on=datetime.date(2021, 12, 1), acting_user=self.alice)
        do_apply_reorganization(self.decide(), acting_user=self.alice)
        self.assertEqual(PlanRequirement.objects.get(plan=self.plan).unit, self.tinh_a)

    def test_it_keeps_an_old_login_on_its_ceased_unit_for_history_when_roles_stay(self):
        reorg = do_set_carry_choices(
            self.decide(), carry={}, move_roles=False, reports_confirmed="", acting_user=self.alice
        )
        do_apply_reorganization(reorg, acting_user=self.alice)
        self.assertEqual(self.bob.roles.get().organization, self.huyen_a1)
        self.client.force_login(self.bob)
        tree = self.client.get("/orgs/")
        self.assertContains(tree, "Huyện ủy A1")
        self.assertContains(tree, "Đảng ủy xã Đông Phong")  # its tree as it stood on its last day

    def test_it_moves_the_roles_of_ceasing_units_to_their_successors(self):
        do_apply_reorganization(self.decide(), acting_user=self.alice)
        self.assertEqual(self.bob.roles.get().organization, self.tinh_a)

    def test_it_undoes_a_decision_before_its_effective_date(self):
        later = timezone.localdate() + datetime.timedelta(days=30)
        reorg = do_apply_reorganization(self.decide(effective_on=later), acting_user=self.alice)
        do_undo_reorganization(reorg, acting_user=self.alice)
        self.assertEqual(self.refresh(reorg).status, ReorgStatus.DRAFT)
        self.assertIsNone(self.refresh(self.huyen_a1).valid_to)
        self.assertTrue(self.refresh(self.huyen_a1).is_active)
        self.assertFalse(Organization.objects.filter(code="A-X1").exists())
        self.assertEqual(self.refresh(self.task).lead_unit, self.huyen_a1)
        self.assertEqual(Person.objects.get(pk=self.person_a1.pk).home_unit, self.xa_a1a)
        self.assertEqual(self.bob.roles.get().organization, self.huyen_a1)
        self.assertFalse(HandOver.objects.exists())
        self.assertEqual(counts.differences(), {})
        self.assertEqual(aggregates.rebuild(), 0)

    def test_it_applies_a_decision_from_the_shell_as_the_named_admin(self):
        from io import StringIO

        from django.core.management import CommandError, call_command

        reorg = self.decide()
        with self.assertRaisesMessage(CommandError, "không có dữ liệu nào được ghi"):
            call_command("apply_reorganization", reorg.pk, "--as", self.bob.username, stdout=StringIO())
        self.assertEqual(self.refresh(reorg).status, ReorgStatus.DRAFT)
        out = StringIO()
        call_command("apply_reorganization", reorg.pk, "--as", self.alice.username, stdout=out)
        self.assertIn("Đã áp dụng", out.getvalue())
        self.assertEqual(self.refresh(reorg).status, ReorgStatus.APPLIED)
        event = AuditEvent.objects.filter(action="apply").latest("id")
        self.assertEqual(event.actor, self.alice)


class ReportDutiesTestCase(PlanBase):
    """A report duty passes to the successor from the effective date; past completeness stays."""

    def test_it_keeps_past_completeness_and_asks_the_successor_from_the_effective_date(self):
        from hienthuc.indicators.actions import do_create_form, do_create_indicator, do_require_reports
        from hienthuc.indicators.models import Submission
        from hienthuc.indicators.tallies import completeness

        indicator = do_create_indicator(owner=self.tinh_a, code="X", name="X", measure="người", acting_user=self.alice)
        form = do_create_form(
            owner=self.tinh_a, name="Báo cáo quý", period_kind="quarter", first_year=2024, deadline_days=15,
            indicators=[indicator], acting_user=self.alice,
        )  # fmt: skip
        do_require_reports(form, units=[self.huyen_a1, self.huyen_a2], acting_user=self.alice)
        Submission.objects.create(
            form=form, unit=self.huyen_a1, period="2024-Q1", status="accepted",
            submitted_at=timezone.make_aware(datetime.datetime(2024, 4, 5)),
        )  # fmt: skip
        from hienthuc.indicators import tallies

        tallies.rebuild()
        before, _ = completeness(self.tinh_a, form, "2024-Q1")
        self.assertEqual((before["on_time"], before["missing"]), (1, 1))
        reorg = do_create_reorganization(
            unit=self.tinh_a, title="Giải thể A1", effective_on=JULY_2025, acting_user=self.alice
        )
        do_add_operation(reorg, kind="dissolve", units=[self.huyen_a1], target=self.huyen_a2, acting_user=self.alice)
        do_add_operation(reorg, kind="move", units=[self.xa_a1a], new_parent=self.huyen_a2, acting_user=self.alice)
        do_add_operation(reorg, kind="move", units=[self.xa_a1b], new_parent=self.huyen_a2, acting_user=self.alice)
        from hienthuc.orgs.models import KindRule

        KindRule.objects.filter(kind__code="dang_uy_co_so", parent_kind__code="huyen_uy").update(valid_to=None)
        do_apply_reorganization(reorg, acting_user=self.alice)
        after, _ = completeness(self.tinh_a, form, "2024-Q1")
        self.assertEqual(after, before)  # the past as it was: A1 owed it and sent it
        later, _ = completeness(self.tinh_a, form, "2025-Q3")
        self.assertEqual(later["missing"], 1)  # only A2 owes it now (it already did)
        self.assertEqual(counts.differences(), {})


class ComparableSeriesTestCase(PlanBase):
    """Figures of the years before a merger, on the new unit's boundaries, marked recomputed."""

    def test_it_recomputes_last_year_on_the_new_boundaries_by_each_indicators_rule(self):
        import json

        from hienthuc.indicators.actions import do_create_indicator
        from hienthuc.indicators.figures import indicator_panel
        from hienthuc.indicators.importing import do_import_values
        from hienthuc.indicators.tallies import comparable_figures

        members = do_create_indicator(
            owner=self.tinh_a, code="KN", name="Kết nạp đảng viên", measure="người", acting_user=self.alice
        )
        share = do_create_indicator(
            owner=self.tinh_a, code="TL", name="Tỷ lệ tổ chức đảng trong sạch", measure="%", aggregation="avg",
            decimals=1, acting_user=self.alice,
        )  # fmt: skip
        rows = [
            {"unit": "A1a", "indicator": "KN", "period": "2024", "value": 12},
            {"unit": "A1b", "indicator": "KN", "period": "2024", "value": 30},
            {"unit": "A1a", "indicator": "TL", "period": "2024", "value": 90},
            {"unit": "A1b", "indicator": "TL", "period": "2024", "value": 80},
        ]
        do_import_values(json.dumps(rows).encode(), acting_user=self.alice)
        reorg = do_create_reorganization(
            unit=self.tinh_a, title="Sáp nhập xã", effective_on=JULY_2025, acting_user=self.alice
        )
        do_add_operation(
            reorg, kind="merge", units=[self.xa_a1a, self.xa_a1b], new_code="A-X1", new_name="Đảng ủy xã Đông Tây",
            new_kind=kind("dang_uy_co_so"), new_parent=self.huyen_a1, acting_user=self.alice,
        )  # fmt: skip
        # Communes under a district after 1 July 2025 break the rules: this test is about figures.
        from hienthuc.orgs.models import KindRule

        KindRule.objects.filter(kind__code="dang_uy_co_so", parent_kind__code="huyen_uy").update(valid_to=None)
        do_apply_reorganization(reorg, acting_user=self.alice)
        commune = Organization.objects.current().get(code="A-X1")
        figures, recomputed = comparable_figures(commune, [members, share], ["2024"])
        self.assertEqual(figures[(members.pk, "2024")], 42)  # summed
        self.assertEqual(figures[(share.pk, "2024")], 85)  # averaged
        self.assertEqual(recomputed, {(members.pk, "2024"), (share.pk, "2024")})
        rows = {r["indicator"].code: r for r in indicator_panel(commune, 2024)}
        self.assertEqual(rows["KN"]["actual"], 42)
        self.assertTrue(rows["KN"]["recomputed"])
        self.client.force_login(self.alice)
        page = self.client.get(f"/orgs/{commune.pk}/dashboard/indicators/?year=2024")
        self.assertContains(page, "Chỉ tiêu năm 2024")
        self.assertContains(page, "(*)")


class ReorganizationRefusalsTestCase(PlanBase):
    """Each bad decision is refused with a message that says what to fix, and writes nothing."""

    def draft(self, effective_on=JULY_2025):
        return do_create_reorganization(
            unit=self.tinh_a, title="Sắp xếp", effective_on=effective_on, acting_user=self.alice
        )

    def dissolve_a1(self, reorg):
        """A1 dissolved, its communes merged under the province (they may not sit there as they are)."""
        do_add_operation(reorg, kind="dissolve", units=[self.huyen_a1], target=self.tinh_a, acting_user=self.alice)
        do_add_operation(
            reorg, kind="merge", units=[self.xa_a1a, self.xa_a1b], new_code="A-X1", new_name="Đảng ủy xã Đông Tây",
            new_kind=kind("dang_uy_xa"), new_parent=self.tinh_a, acting_user=self.alice,
        )  # fmt: skip

    def test_it_refuses_a_unit_in_two_operations_of_one_decision(self):
        reorg = self.draft()
        do_add_operation(reorg, kind="dissolve", units=[self.huyen_a1], target=self.tinh_a, acting_user=self.alice)
        with self.assertRaisesMessage(ValidationError, "“Huyện ủy A1” đã có trong một thay đổi khác"):
            do_add_operation(reorg, kind="move", units=[self.huyen_a1], new_parent=self.tinh_a, acting_user=self.alice)
        self.assertEqual(reorg.operations.count(), 1)

    def test_it_refuses_a_merge_of_units_at_different_levels(self):
        with self.assertRaisesMessage(ValidationError, "Các đơn vị hợp nhất phải cùng cấp"):
            do_add_operation(
                self.draft(), kind="merge", units=[self.huyen_a1, self.xa_a1a], new_code="Z", new_name="Z",
                new_kind=kind("dang_uy_xa"), new_parent=self.tinh_a, acting_user=self.alice,
            )  # fmt: skip

    def test_it_refuses_a_successor_outside_the_admins_subtree(self):
        with self.assertRaisesMessage(ValidationError, "“Huyện ủy B1” nằm ngoài phạm vi bạn quản trị"):
            do_add_operation(
                self.draft(), kind="dissolve", units=[self.huyen_a1], target=self.huyen_b1, acting_user=self.alice
            )

    def test_it_refuses_a_move_into_the_units_own_subtree(self):
        reorg = self.draft()
        do_add_operation(reorg, kind="move", units=[self.huyen_a1], new_parent=self.xa_a1a, acting_user=self.alice)
        page = preview(reorg, self.alice)
        self.assertIn("Không thể chuyển “Huyện ủy A1” vào chính nó", " ".join(page.errors))
        with self.assertRaises(ValidationError):
            do_apply_reorganization(reorg, acting_user=self.alice)
        self.assertIsNone(self.refresh(self.huyen_a1).valid_to)

    def test_it_refuses_to_leave_units_under_a_parent_the_kind_rules_forbid(self):
        reorg = self.draft()
        do_add_operation(reorg, kind="dissolve", units=[self.huyen_a1], target=self.tinh_a, acting_user=self.alice)
        errors = " ".join(preview(reorg, self.alice).errors)
        self.assertIn("Đảng ủy xã Đông Phong (A1a): “Đảng ủy cơ sở” không được đặt dưới “Tỉnh ủy/Thành ủy”", errors)

    def test_it_refuses_a_new_unit_the_kind_rules_forbid_on_the_effective_date(self):
        reorg = self.draft()
        do_add_operation(
            reorg, kind="merge", units=[self.xa_a1a, self.xa_a1b], new_code="Z", new_name="Đảng ủy xã Z",
            new_kind=kind("dang_uy_co_so"), new_parent=self.tinh_a, acting_user=self.alice,
        )  # fmt: skip
        self.assertIn(
            "“Đảng ủy cơ sở” không được đặt dưới “Tỉnh ủy/Thành ủy”", " ".join(preview(reorg, self.alice).errors)
        )
        with self.assertRaises(ValidationError):
            do_apply_reorganization(reorg, acting_user=self.alice)
        self.assertFalse(Organization.objects.filter(code="Z").exists())
        self.assertIsNone(self.refresh(self.xa_a1a).valid_to)

    def test_it_asks_for_confirmation_when_accepted_reports_follow_the_effective_date(self):
        from hienthuc.indicators.models import Indicator, ReportForm, Submission, SubmissionStatus

        form = ReportForm.objects.create(owner=self.tinh_a, name="Báo cáo quý", period_kind="quarter", first_year=2025)
        Indicator.objects.create(owner=self.tinh_a, code="X", name="X", measure="%")
        Submission.objects.create(form=form, unit=self.huyen_a1, period="2025-Q3", status=SubmissionStatus.ACCEPTED)
        reorg = self.draft()
        self.dissolve_a1(reorg)
        with self.assertRaisesMessage(ValidationError, "1 báo cáo đã được duyệt"):
            do_apply_reorganization(reorg, acting_user=self.alice)
        do_set_carry_choices(
            reorg, carry={}, move_roles=True, reports_confirmed="Theo Quyết định, hiệu lực từ 01/7/2025",
            acting_user=self.alice,
        )  # fmt: skip
        self.assertEqual(do_apply_reorganization(reorg, acting_user=self.alice).status, ReorgStatus.APPLIED)

    def test_it_refuses_to_undo_after_the_effective_date(self):
        reorg = self.draft()
        self.dissolve_a1(reorg)
        do_apply_reorganization(reorg, acting_user=self.alice)
        with self.assertRaisesMessage(ValidationError, "đã có hiệu lực từ 01/07/2025"):
            do_undo_reorganization(reorg, acting_user=self.alice)
        self.assertEqual(self.refresh(self.huyen_a1).valid_to, datetime.date(2025, 6, 30))

    def test_it_refuses_an_editor_who_does_not_administer_the_unit(self):
        with self.assertRaisesMessage(ValidationError, "Bạn không quản trị đơn vị này"):
            do_create_reorganization(unit=self.huyen_a1, title="X", effective_on=JULY_2025, acting_user=self.bob)


class ReorganizationPagesTestCase(PlanBase):
    def test_it_prepares_previews_and_applies_a_decision_through_the_pages(self):
        self.client.force_login(self.alice)
        response = self.client.post(
            "/reorgs/new/",
            {"unit": "Tỉnh ủy A", "title": "Sắp xếp tổ chức đảng", "effective_on": "01/07/2025", "decision": ""},
        )
        reorg_url = response["Location"]
        self.client.post(
            reorg_url + "operations/",
            {"kind": "dissolve", "units": "Huyện ủy A1", "target": "Tỉnh ủy A"},
        )
        page = self.client.get(reorg_url)
        self.assertContains(page, "Chưa áp dụng được")  # its communes may not sit under the province
        self.assertContains(page, "“Đảng ủy cơ sở” không được đặt dưới “Tỉnh ủy/Thành ủy”")
        self.client.post(
            reorg_url + "operations/",
            {"kind": "merge", "units": "Đảng ủy xã Đông Phong; Đảng ủy xã Tây Sơn", "new_parent": "Tỉnh ủy A",
             "new_code": "A-X1", "new_name": "Đảng ủy xã Đông Tây", "new_kind": kind("dang_uy_xa").pk},
        )  # fmt: skip
        page = self.client.get(reorg_url)
        self.assertNotContains(page, "Chưa áp dụng được")
        self.assertContains(page, "3 đơn vị chấm dứt ngày 30/06/2025")
        self.assertContains(page, "Đảng ủy xã Đông Tây (A-X1)")
        response = self.client.post(reorg_url + "apply/", follow=True)
        self.assertContains(response, "Đã áp dụng quyết định sắp xếp.")
        commune = Organization.objects.current().get(code="A-X1")
        unit_page = self.client.get(f"/orgs/{commune.pk}/")
        self.assertContains(unit_page, "Kế tục:")
        self.assertContains(unit_page, "Đảng ủy xã Đông Phong")
        self.assertContains(self.client.get(f"/orgs/{self.huyen_a1.pk}/"), "chấm dứt 30/06/2025")
        # The tree as it stood: the district and its communes before the date, the new commune after.
        before = self.client.get(f"/orgs/{self.tinh_a.pk}/?on=2025-06-30")
        self.assertContains(before, "Huyện ủy A1")
        self.assertNotContains(before, "Đảng ủy xã Đông Tây")
        now = self.client.get(f"/orgs/{self.tinh_a.pk}/")
        self.assertContains(now, "Đảng ủy xã Đông Tây")
        self.assertNotContains(now, f'<tr><td><a href="/orgs/{self.huyen_a1.pk}/">')  # not among the children
        self.assertContains(now, "Kế tục:")  # the province took over the dissolved district
        tree = self.client.get("/orgs/?on=2025-06-30")
        self.assertContains(tree, "Huyện ủy A1")
        self.assertContains(self.client.get(f"/orgs/{self.huyen_a1.pk}/children/?on=2025-06-30"), "Đảng ủy xã Tây Sơn")
        # A ceased unit's page shows its children as they stood on its last day.
        self.assertContains(self.client.get(f"/orgs/{self.huyen_a1.pk}/"), "Đơn vị trực thuộc ngày 30/06/2025")
        self.assertContains(self.client.get(f"/orgs/{self.huyen_a1.pk}/"), "Đảng ủy xã Tây Sơn")

    def test_it_names_a_unit_in_two_changes_on_the_form(self):
        self.client.force_login(self.alice)
        reorg = do_create_reorganization(unit=self.tinh_a, title="X", effective_on=JULY_2025, acting_user=self.alice)
        data = {"kind": "dissolve", "units": "A1", "target": "A"}
        self.client.post(f"/reorgs/{reorg.pk}/operations/", data)
        response = self.client.post(f"/reorgs/{reorg.pk}/operations/", {**data, "kind": "rename", "new_name": "Y"})
        self.assertContains(response, "“Huyện ủy A1” đã có trong một thay đổi khác của quyết định này.")
        self.assertEqual(reorg.operations.count(), 1)

    def test_it_shows_a_viewer_the_decision_without_the_buttons_and_refuses_their_changes(self):
        reorg = do_create_reorganization(unit=self.tinh_a, title="X", effective_on=JULY_2025, acting_user=self.alice)
        self.client.force_login(self.charlie)
        page = self.client.get(f"/reorgs/{reorg.pk}/")
        self.assertEqual(page.status_code, 200)
        self.assertNotContains(page, "Thêm thay đổi")
        self.assertEqual(self.client.post(f"/reorgs/{reorg.pk}/apply/").status_code, 403)
        self.assertEqual(self.client.get("/reorgs/new/").status_code, 403)
        self.client.force_login(self.oscar)
        self.assertEqual(self.client.get(f"/reorgs/{reorg.pk}/").status_code, 404)


DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


class BackgroundApplyTestCase(ReorganizationBase):
    """The page's buttons hand the decision to the worker (a country-wide one takes minutes); the
    page follows the run. DummyBackend keeps the task queued until the test runs it."""

    @override_settings(TASKS=DUMMY_TASKS)
    def test_it_applies_in_the_background_while_the_page_follows_it(self):
        reorg = self.decide()
        self.client.force_login(self.alice)
        page = self.client.post(f"/reorgs/{reorg.pk}/apply/", follow=True)
        self.assertContains(page, "Đã chuyển sang xử lý trong nền")
        self.assertContains(page, "Đang áp dụng trong nền")
        self.assertEqual(self.refresh(reorg).status, ReorgStatus.APPLYING)
        self.assertIsNone(self.refresh(self.huyen_a1).valid_to)  # nothing written yet
        with self.assertRaisesMessage(ValidationError, "đang được xử lý trong nền"):
            do_add_operation(reorg, kind="rename", units=[self.tinh_a], new_name="X", acting_user=self.alice)
        again = self.client.post(f"/reorgs/{reorg.pk}/apply/", follow=True)
        self.assertContains(again, "đang được xử lý trong nền; hãy chờ xong")
        fragment = self.client.get(f"/reorgs/{reorg.pk}/", headers={"HX-Request": "true"})
        self.assertContains(fragment, 'id="reorg-progress"')
        self.assertNotContains(fragment, "<html")

        self.assertEqual(run_reorganization.call(reorg.pk), "done")
        over = self.client.get(f"/reorgs/{reorg.pk}/", headers={"HX-Request": "true"})
        self.assertEqual(over["HX-Refresh"], "true")
        self.assertEqual(self.refresh(reorg).status, ReorgStatus.APPLIED)
        self.assertEqual(self.refresh(self.huyen_a1).valid_to, datetime.date(2025, 6, 30))
        self.assertEqual(run_reorganization.call(reorg.pk), "skipped")  # a second hand-over finds it done
        # Applied as the admin who pressed the button, and told in Vietnamese in the history.
        self.assertEqual(AuditEvent.objects.filter(action="apply").latest("id").actor, self.alice)
        self.assertContains(self.client.get(f"/orgs/{self.tinh_a.pk}/history/"), "đã áp dụng")
        history = self.client.get(f"/orgs/{self.huyen_a1.pk}/history/")
        self.assertContains(history, "đã ghi nhận chấm dứt hoạt động của")

    @override_settings(TASKS=DUMMY_TASKS)
    def test_it_puts_a_refused_run_back_to_draft_and_says_why(self):
        reorg = do_create_reorganization(unit=self.tinh_a, title="X", effective_on=JULY_2025, acting_user=self.alice)
        do_add_operation(reorg, kind="dissolve", units=[self.huyen_a1], target=self.tinh_a, acting_user=self.alice)
        self.client.force_login(self.alice)
        self.client.post(f"/reorgs/{reorg.pk}/apply/")
        self.assertEqual(run_reorganization.call(reorg.pk), "refused")
        reorg = self.refresh(reorg)
        self.assertEqual(reorg.status, ReorgStatus.DRAFT)
        self.assertIn("không được đặt dưới", reorg.message)  # A1's communes under the province
        self.assertIsNone(self.refresh(self.huyen_a1).valid_to)
        page = self.client.get(f"/reorgs/{reorg.pk}/")
        self.assertContains(page, "Lần xử lý gần nhất không thành công, không có dữ liệu nào được ghi")

    def test_it_puts_back_a_run_whose_worker_died(self):
        stalled = do_queue_reorganization(self.decide(), acting_user=self.alice)  # never run
        Reorganization.objects.filter(pk=stalled.pk).update(queued_at=timezone.now() - datetime.timedelta(hours=2))
        self.client.force_login(self.alice)
        page = self.client.get(f"/reorgs/{stalled.pk}/")
        self.assertContains(page, "Tiến trình nền đã dừng giữa chừng")
        self.assertEqual(self.refresh(stalled).status, ReorgStatus.DRAFT)
        later = timezone.localdate() + datetime.timedelta(days=30)
        fresh = do_create_reorganization(unit=self.tinh_a, title="Y", effective_on=later, acting_user=self.alice)
        do_queue_reorganization(fresh, acting_user=self.alice)
        self.assertEqual(Reorganization.objects.fail_stalled(), 0)
        self.assertEqual(self.refresh(fresh).status, ReorgStatus.APPLYING)

    def test_it_undoes_in_the_background_before_the_effective_date(self):
        later = timezone.localdate() + datetime.timedelta(days=30)
        reorg = self.decide(effective_on=later)
        self.client.force_login(self.alice)
        self.assertContains(self.client.post(f"/reorgs/{reorg.pk}/apply/", follow=True), "Đã áp dụng quyết định")
        self.assertContains(self.client.post(f"/reorgs/{reorg.pk}/undo/", follow=True), "Đã hủy áp dụng")
        self.assertEqual(self.refresh(reorg).status, ReorgStatus.DRAFT)
        self.assertIsNone(self.refresh(self.huyen_a1).valid_to)
        self.assertContains(self.client.get(f"/orgs/{self.tinh_a.pk}/history/"), "đã hủy áp dụng")


class RealWorkerTestCase(TransactionTestCase):
    """The real worker (django-tasks' db_worker on the database backend) applies a decision the
    page handed over."""

    def test_the_database_worker_applies_a_queued_decision(self):
        from django.core.management import call_command

        from hienthuc.documents.kinds import seed_document_kinds
        from hienthuc.documents.models import DocumentKind
        from hienthuc.orgs.kinds import seed_kinds
        from hienthuc.orgs.models import OrgKind, OrgLevel
        from hienthuc.reorgs.background import queue
        from tests.base import build_cast

        seed_kinds(OrgLevel, OrgKind)  # a TransactionTestCase before this one may have emptied them
        seed_document_kinds(DocumentKind)
        build_cast(self)
        reorg = do_create_reorganization(
            unit=self.tinh_a, title="Giải thể", effective_on=JULY_2025, acting_user=self.alice
        )
        do_add_operation(reorg, kind="rename", units=[self.huyen_a2], new_name="Thị ủy A2", acting_user=self.alice)
        tasks = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
        with override_settings(TASKS=tasks):
            from django_tasks import task_backends

            task_backends._settings = None  # the backends are built from settings once
            self.addCleanup(setattr, task_backends, "_settings", None)
            self.assertEqual(queue(reorg, acting_user=self.alice).status, ReorgStatus.APPLYING)
            call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)
        self.assertEqual(Reorganization.objects.get(pk=reorg.pk).status, ReorgStatus.APPLIED)
        self.assertEqual(Organization.objects.get(pk=self.huyen_a2.pk).name, "Thị ủy A2")


class StalledRunLockTestCase(TransactionTestCase):
    """On PostgreSQL a run is alive while its worker holds the decision's row, however long."""

    def test_it_leaves_a_run_whose_worker_holds_the_row(self):
        import threading

        from django.db import connection, connections, transaction

        if not connection.features.has_select_for_update_skip_locked:
            self.skipTest("SQLite has no row locks; the age alone decides there")
        from hienthuc.orgs.models import OrgKind, OrgLevel

        # Rows of its own: a TransactionTestCase may run after another emptied the tables.
        level, _ = OrgLevel.objects.get_or_create(code="lock-test", defaults={"name": "Cấp thử"})
        org_kind, _ = OrgKind.objects.get_or_create(code="lock-test", defaults={"name": "Loại thử", "level": level})
        root = Organization.objects.add_root({"code": "LOCK", "name": "Đơn vị thử", "kind": org_kind})
        reorg = Reorganization.objects.create(
            unit=root, title="X", effective_on=JULY_2025, status=ReorgStatus.APPLYING,
            queued_at=timezone.now() - datetime.timedelta(hours=2),
        )  # fmt: skip
        locked, release = threading.Event(), threading.Event()

        def worker():
            try:
                with transaction.atomic():
                    Reorganization.objects.select_for_update().get(pk=reorg.pk)
                    locked.set()
                    release.wait(10)
            finally:
                connections.close_all()

        thread = threading.Thread(target=worker)
        thread.start()
        locked.wait(10)
        try:
            self.assertEqual(Reorganization.objects.fail_stalled(), 0)
        finally:
            release.set()
            thread.join()
        self.assertEqual(Reorganization.objects.fail_stalled(), 1)
        self.assertEqual(Reorganization.objects.get(pk=reorg.pk).status, ReorgStatus.DRAFT)


class ReorganizationApiTestCase(PlanBase):
    def token_for(self, username: str) -> str:
        from tests.base import PASSWORD

        response = self.client.post(
            "/api/auth/token", {"username": username, "password": PASSWORD, "name": "thử"},
            content_type="application/json",
        )  # fmt: skip
        return response.json()["token"]

    def test_it_lists_previews_and_applies_a_decision_through_the_api(self):
        reorg = do_create_reorganization(
            unit=self.tinh_a, title="Sắp xếp", effective_on=JULY_2025, acting_user=self.alice
        )
        do_add_operation(reorg, kind="dissolve", units=[self.huyen_a1], target=self.tinh_a, acting_user=self.alice)
        headers = {"Authorization": f"Bearer {self.token_for('alice')}"}
        listed = self.client.get("/api/reorgs", headers=headers).json()
        self.assertEqual([r["title"] for r in listed["items"]], ["Sắp xếp"])
        page = self.client.get(f"/api/reorgs/{reorg.pk}/preview", headers=headers).json()
        self.assertEqual(page["ceases_on"], "2025-06-30")
        self.assertIn("không được đặt dưới", page["errors"][0])  # A1's communes under the province
        refused = self.client.post(f"/api/reorgs/{reorg.pk}/apply", headers=headers)
        self.assertEqual(refused.status_code, 400)
        self.assertIsNone(self.refresh(self.huyen_a1).valid_to)
        do_add_operation(
            reorg, kind="merge", units=[self.xa_a1a, self.xa_a1b], new_code="A-X1", new_name="Đảng ủy xã Đông Tây",
            new_kind=kind("dang_uy_xa"), new_parent=self.tinh_a, acting_user=self.alice,
        )  # fmt: skip
        applied = self.client.post(f"/api/reorgs/{reorg.pk}/apply", headers=headers)
        self.assertEqual(applied.status_code, 200, applied.content)
        self.assertEqual(applied.json()["status"], "applied")
        viewer = {"Authorization": f"Bearer {self.token_for('charlie')}"}
        self.assertEqual(self.client.post(f"/api/reorgs/{reorg.pk}/apply", headers=viewer).status_code, 403)
        outsider = {"Authorization": f"Bearer {self.token_for('oscar')}"}
        self.assertEqual(self.client.get(f"/api/reorgs/{reorg.pk}", headers=outsider).status_code, 404)

    def test_it_divides_a_split_unit_s_past_by_the_units_each_part_took(self):
        import json

        from hienthuc.indicators.actions import do_create_indicator
        from hienthuc.indicators.importing import do_import_values
        from hienthuc.indicators.tallies import comparable_figures

        members = do_create_indicator(
            owner=self.tinh_a, code="KN", name="Kết nạp đảng viên", measure="người", acting_user=self.alice
        )
        rows = [
            {"unit": "A1a", "indicator": "KN", "period": "2023", "value": 12},
            {"unit": "A1b", "indicator": "KN", "period": "2023", "value": 30},
        ]
        do_import_values(json.dumps(rows).encode(), acting_user=self.alice)
        split_a1(self)
        for code, expected in (("A1-D", 12), ("A1-T", 30)):
            part = Organization.objects.current().get(code=code)
            figures, recomputed = comparable_figures(part, [members], ["2023"])
            self.assertEqual(figures[(members.pk, "2023")], expected)
            self.assertEqual(recomputed, {(members.pk, "2023")})
