from django.core.management.base import BaseCommand

from bench.generators.plans import generate_plans


class Command(BaseCommand):
    help = "Generate a resolution cascaded down the generated tree, with tasks for every unit (for benchmarks)."

    def add_arguments(self, parser):
        parser.add_argument("--per-unit", type=int, default=15, help="tasks led by each unit")
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, per_unit, seed, **options):
        counts = generate_plans(per_unit=per_unit, seed=seed, out=self.stdout)
        self.stdout.write(f"Đã sinh {counts['plans']:,} kế hoạch và {counts['tasks']:,} nhiệm vụ.")
