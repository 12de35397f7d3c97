import time

from django.core.management.base import BaseCommand

from bench.generators.tree import TIERS, generate


class Command(BaseCommand):
    help = "Generate a synthetic province or national tree with people (DESIGN §5), for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("tier", choices=sorted(TIERS))
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, tier, seed, **options):
        started = time.perf_counter()
        self.stdout.write(f"Đang sinh dữ liệu cấp {tier} (seed {seed})…")
        totals = generate(tier, seed=seed, out=self.stdout)
        elapsed = time.perf_counter() - started
        self.stdout.write(f"Xong: {totals['units']:,} đơn vị, {totals['people']:,} người trong {elapsed:.0f} giây.")
