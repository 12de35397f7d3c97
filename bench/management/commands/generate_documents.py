from django.core.management.base import BaseCommand

from bench.generators.documents import generate_documents


class Command(BaseCommand):
    help = "Generate a synthetic document register in the largest province's subtree (for benchmarks)."

    def add_arguments(self, parser):
        parser.add_argument("count", type=int, nargs="?", default=50_000)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, count, seed, **options):
        generate_documents(count, seed=seed)
        self.stdout.write(f"Đã sinh {count:,} văn bản.")
