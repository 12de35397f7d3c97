from django.core.management.base import BaseCommand, CommandError

from bench.generators.plans import generate_plans
from hienthuc.orgs.models import Organization


class Command(BaseCommand):
    help = "Generate a resolution cascaded down the generated tree, with tasks for every unit (for benchmarks)."

    def add_arguments(self, parser):
        parser.add_argument("--per-unit", type=int, default=15, help="tasks led by each unit")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--root", default="", help="code of the root to fill (default: the largest root)")

    def handle(self, *args, per_unit, seed, root, **options):
        top = None
        if root:
            top = Organization.objects.current().filter(code=root, depth=1).first()
            if top is None:
                raise CommandError(f"Không có đơn vị gốc mã “{root}”.")
        counts = generate_plans(per_unit=per_unit, seed=seed, top=top, out=self.stdout)
        self.stdout.write(f"Đã sinh {counts['plans']:,} kế hoạch và {counts['tasks']:,} nhiệm vụ.")
