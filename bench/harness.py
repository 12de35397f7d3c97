"""A tiny benchmark harness: time a callable, report p50/p95 beside a budget and a baseline
measured in the same run, so every figure is a ratio and not a stopwatch reading."""

import statistics
import time
from collections.abc import Callable


def measure(fn: Callable[[], object], *, runs: int = 50, warmup: int = 5) -> dict[str, float]:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return {
        "p50": statistics.median(samples),
        "p95": samples[min(len(samples) - 1, int(round(0.95 * len(samples))) - 1)],
        "max": samples[-1],
    }


class Report:
    def __init__(self, title: str):
        self.title = title
        self.rows: list[tuple] = []
        self.failed = False

    def add(self, name: str, result: dict, *, budget_ms: float | None, baseline: dict | None, max_ratio: float | None):
        ratio = result["p95"] / baseline["p95"] if baseline else None
        ok = True
        if budget_ms is not None and result["p95"] > budget_ms:
            ok = False
        if max_ratio is not None and ratio is not None and ratio > max_ratio:
            ok = False
        self.failed |= not ok
        self.rows.append((name, result, budget_ms, baseline, ratio, max_ratio, ok))

    def info(self, name: str, result: dict, baseline: dict | None = None):
        ratio = result["p95"] / baseline["p95"] if baseline else None
        self.rows.append((name, result, None, baseline, ratio, None, None))

    def print(self) -> None:
        print(f"\n{self.title}")
        columns = ("p50 ms", "p95 ms", "budget", "baseline p95", "ratio", "max")
        widths = (9, 9, 9, 13, 7, 5)
        header = f"{'benchmark':<52} " + " ".join(f"{c:>{w}}" for c, w in zip(columns, widths, strict=True))
        header += "  result"
        print(header)
        print("-" * len(header))
        for name, result, budget, baseline, ratio, max_ratio, ok in self.rows:
            budget_s = f"{budget:.0f}" if budget is not None else "—"
            base_s = f"{baseline['p95']:.2f}" if baseline else "—"
            ratio_s = f"{ratio:.2f}×" if ratio is not None else "—"
            max_s = f"{max_ratio:g}×" if max_ratio is not None else "—"
            verdict = "info" if ok is None else ("OK" if ok else "OVER BUDGET")
            name = name if len(name) <= 52 else name[:51] + "…"
            cells = (f"{result['p50']:.2f}", f"{result['p95']:.2f}", budget_s, base_s, ratio_s, max_s)
            print(f"{name:<52} " + " ".join(f"{c:>{w}}" for c, w in zip(cells, widths, strict=True)) + f"  {verdict}")
