from django.core.management.base import BaseCommand

from bench.generators.indicators import generate_indicator_data


class Command(BaseCommand):
    help = "Generate indicators, quarterly reports and values over the generated tree (for benchmarks)."

    def add_arguments(self, parser):
        parser.add_argument("--indicators", type=int, default=100)
        parser.add_argument("--grassroots-indicators", type=int, default=20)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, indicators, grassroots_indicators, seed, **options):
        counts = generate_indicator_data(
            indicators=indicators, grassroots_indicators=grassroots_indicators, seed=seed, out=self.stdout
        )
        self.stdout.write(f"Đã sinh {counts['values']:,} giá trị chỉ tiêu.")
