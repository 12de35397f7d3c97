"""The synthetic data behind `make bench`, on a tiny tier: what the benchmarks measure must be right."""

from unittest import mock

from django.test import TestCase
from django.utils import timezone

from bench.generators.plans import generate_plans
from bench.generators.tree import TIERS, Tier, generate
from hienthuc.orgs.models import Organization
from hienthuc.plans import tallies
from hienthuc.plans.models import Plan, Task


class GenerateTestCase(TestCase):
    def test_it_cascades_a_resolution_down_a_generated_tree_with_exact_tallies(self):
        from bench.dashboard import baseline_dashboard, ours

        with mock.patch.dict(TIERS, {"tiny": Tier(2, (3, 3), (2, 2), (2, 2), (1, 1), (1, 1))}):
            generate("tiny")
        counts = generate_plans(per_unit=4)
        units = Organization.objects.count()
        self.assertEqual(counts["tasks"], units * 4)
        self.assertEqual(Task.objects.count(), units * 4)
        self.assertGreater(Plan.objects.filter(parent_plan__isnull=False).count(), 2)
        self.assertEqual(tallies.stored(), tallies.expected())
        root = Organization.objects.get(depth=1)
        today = timezone.localdate()
        for unit in (root, Organization.objects.children_of(root).first()):
            self.assertEqual(
                ours(unit, today),
                {k: v for k, v in baseline_dashboard(unit, today).items() if k in ("totals", "overdue")},
            )

    def test_it_generates_quarterly_reports_and_counts_the_indicator_tallies_in_sql(self):
        from bench.generators.indicators import generate_indicator_data
        from hienthuc.indicators import tallies as indicator_tallies
        from hienthuc.indicators.models import Submission, Value

        with mock.patch.dict(TIERS, {"tiny": Tier(2, (3, 3), (2, 2), (2, 2), (1, 1), (1, 1))}):
            generate("tiny")
        counts = generate_indicator_data(indicators=6, grassroots_indicators=2)
        self.assertEqual(Value.objects.count(), counts["values"])
        self.assertTrue(Submission.objects.filter(first_submitted_at__isnull=False).exists())
        # A weighted average, counted by the same SQL.
        from hienthuc.indicators.models import Indicator

        weight = Indicator.objects.get(code="BENCH_001")
        weighted = Indicator.objects.create(
            code="W", name="Tỷ lệ", measure="%", aggregation="weighted", weight=weight, owner=weight.owner, decimals=1
        )
        for value in Value.objects.filter(indicator=weight)[:50]:
            Value.objects.create(indicator=weighted, unit_id=value.unit_id, period=value.period, value=50)
        indicator_tallies.rebuild()
        stored, expected = indicator_tallies.stored(), indicator_tallies.expected()
        for got, want in zip(stored, expected, strict=True):
            self.assertEqual(got, want)


class NationalReorganizationTestCase(TestCase):
    def test_it_reorganizes_a_generated_pre_2025_country_as_on_1_july_2025(self):
        """The national reorganization benchmark's decision (bench/reorg.py) on a tiny country:
        valid under the kind rules, applied with every count right."""
        from bench.reorg import NATIONAL_2024_ROOT, national_decision
        from hienthuc.accounts.system import system_user
        from hienthuc.orgs import aggregates, counts
        from hienthuc.reorgs.actions import do_apply_reorganization, do_set_carry_choices, preview

        tiny = Tier(7, (4, 5), (1, 2), (1, 2), (1, 1), (1, 2), districts=(2, 2), code_prefix="H")
        with mock.patch.dict(TIERS, {"tiny-2024": tiny}):
            generate("tiny-2024")
        top = Organization.objects.get(code=NATIONAL_2024_ROOT)
        generate_plans(per_unit=2, top=top)
        actor = system_user()
        reorg, _what, (staying, merged) = national_decision(top, actor)
        reorg = do_set_carry_choices(reorg, carry={}, move_roles=True, reports_confirmed="", acting_user=actor)
        page = preview(reorg, actor)
        self.assertEqual(page.errors, [])
        open_before = Task.objects.filter(lead_path__startswith=top.path, completed_on__isnull=True).count()
        do_apply_reorganization(reorg, acting_user=actor)
        self.assertEqual(counts.differences(), {})
        self.assertEqual(aggregates.rebuild(), 0)
        current = Organization.objects.current().filter(path__startswith=top.path)
        # 7 provinces → round(7 × 34 / 63) = 4; no district left; 2 districts × 4–5 communes
        # per province merged three into one; every open task led by a unit that is current.
        self.assertEqual(current.filter(kind__code="tinh_uy").count(), 4)
        self.assertFalse(current.filter(kind__code="huyen_uy").exists())
        self.assertEqual(current.filter(kind__code="dang_uy_xa").count(), 7 * 2)
        self.assertFalse(current.filter(depth=top.depth + 3, name__startswith="Đảng ủy xã").exists())
        open_tasks = Task.objects.filter(completed_on__isnull=True, lead_path__startswith=top.path)
        self.assertEqual(open_tasks.count(), open_before)
        self.assertFalse(open_tasks.filter(lead_unit__valid_to__isnull=False).exists())
        merged.refresh_from_db()
        self.assertIsNotNone(merged.valid_to)
        self.assertTrue(Organization.objects.children_of(staying).filter(kind__code="dang_uy_xa").exists())

    def test_it_merges_a_generated_province_s_communes_for_the_sqlite_leg(self):
        from bench.reorg import province_decision
        from hienthuc.accounts.system import system_user
        from hienthuc.orgs import counts
        from hienthuc.reorgs.actions import do_apply_reorganization, do_set_carry_choices

        with mock.patch.dict(TIERS, {"tiny": Tier(1, (7, 7), (1, 1), (1, 1), (1, 1), (1, 1))}):
            generate("tiny")
        root = Organization.objects.get(depth=1)
        actor = system_user()
        reorg, _what, (staying, merged) = province_decision(root, actor)
        reorg = do_set_carry_choices(reorg, carry={}, move_roles=True, reports_confirmed="", acting_user=actor)
        do_apply_reorganization(reorg, acting_user=actor)
        self.assertEqual(counts.differences(), {})
        # Seven communes in two mergers (three, and four: none is left alone).
        self.assertEqual(Organization.objects.current().children_of(root).count(), 2)
