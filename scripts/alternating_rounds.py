"""The benchmarks' shared timer: medians of calls timed in rounds that alternate the functions.

Alternating rounds spread the other processes' load over every function alike, and torch's
spinning worker threads do not inflate NumPy's times: each block of back-to-back calls
starts with one untimed call, so the previous library's still-spinning workers (OpenMP,
OpenBLAS busy-wait after a call) do not steal a core from the first timed one. On these
shared machines one row's ratio moves by up to 40 % between runs of 3 rounds, so every
bench takes ``ROUNDS`` rounds of ``REPEATS // ROUNDS`` calls per function. Not a benchmark
itself (``scripts/bench.py`` runs only ``bench_*.py``).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

#: Rounds per measurement, and timed calls per function over all rounds (the default).
ROUNDS = 5
REPEATS = 25


def median_seconds(
    fns: dict[str, Callable[[], object]], repeats: int = REPEATS, rounds: int = ROUNDS
) -> dict[str, float]:
    """Median time (s) of each function over `repeats` calls in `rounds` alternating rounds."""
    times: dict[str, list[float]] = {k: [] for k in fns}
    for fn in fns.values():  # warm up (allocator, oneDNN primitive cache, scratch buffers)
        fn()
    for _ in range(rounds):
        for name, fn in fns.items():
            fn()
            for _ in range(max(1, repeats // rounds)):
                t0 = time.perf_counter()
                fn()
                times[name].append(time.perf_counter() - t0)
    return {k: statistics.median(v) for k, v in times.items()}


def median_ms(
    fns: dict[str, Callable[[], object]], repeats: int = REPEATS, rounds: int = ROUNDS
) -> dict[str, float]:
    """`median_seconds` in milliseconds."""
    return {k: 1e3 * v for k, v in median_seconds(fns, repeats, rounds).items()}
