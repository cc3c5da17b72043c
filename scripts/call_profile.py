"""The per-call profiles' shared parts: a CPU-time timer and the rows of a Markdown table.

``scripts/profile_conv2d.py`` and its table modules (``transposed_conv_profile.py``) time
each part of one call in CPU time of the calling thread (``time.thread_time``): on a
shared machine the wall clock also counts the time other processes hold the core; CPU
time does not, though shared caches still add noise. Not a benchmark itself
(``scripts/bench.py`` runs only ``bench_*.py``; the benchmarks share
``alternating_rounds.py``).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

import numpy as np


def cpu_us(fn: Callable[[], object], repeats: int, statistic: Callable = np.median) -> float:
    """Median (or `statistic`) CPU time of the calling thread per call, in us (after a warm-up)."""
    fn()
    times = []
    for _ in range(repeats):
        start = time.thread_time()
        fn()
        times.append(time.thread_time() - start)
    return 1e6 * float(statistic(times))


def row(cells: Sequence[str]) -> str:
    """Return ``cells`` as one row of a Markdown table."""
    return "| " + " | ".join(cells) + " |"


def print_head(head: Sequence[str]) -> None:
    """Print a Markdown table's head: the column titles and the separator line."""
    print(row(head))
    print("|" + "---|" * len(head))
