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
