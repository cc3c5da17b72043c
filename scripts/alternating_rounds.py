"""The benchmarks' shared timer: medians of calls timed in rounds that alternate the functions.

Alternating rounds spread the other processes' load over every function alike, and torch's
spinning worker threads do not inflate NumPy's times (as ``bench_conv2d.py``). Not a
benchmark itself (``scripts/bench.py`` runs only ``bench_*.py``).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def median_ms(fns: dict[str, Callable[[], object]], repeats: int = 15) -> dict[str, float]:
    """Median time (ms) of each function, timed in 3 alternating rounds (one untimed call first)."""
    times: dict[str, list[float]] = {k: [] for k in fns}
    rounds = 3
    for _ in range(rounds):
        for name, fn in fns.items():
            fn()
            for _ in range(max(1, repeats // rounds)):
                t0 = time.perf_counter()
                fn()
                times[name].append(time.perf_counter() - t0)
    return {k: 1e3 * statistics.median(v) for k, v in times.items()}
