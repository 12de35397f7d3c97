from django.apps import AppConfig


class BenchConfig(AppConfig):
    """Synthetic data at the DESIGN tiers and the benchmarks that read it: not the product.
    Installed so that its generate_* commands run (make bench, tests/test_generate.py)."""

    name = "bench"
    label = "bench"
