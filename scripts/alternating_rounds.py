"""The benchmarks' shared timer: medians of calls timed in rounds that alternate the libraries.

Alternating rounds spread the other processes' load over every function alike. On these
shared machines one row's ratio moves by up to 40 % between runs of 3 rounds, so every
bench takes ``ROUNDS`` rounds of ``REPEATS // ROUNDS`` calls per function.

Each library's functions run undisturbed by the other library's threads. After a call,
both libraries keep their worker threads busy-waiting for the next one: torch's OpenMP
threads (libgomp spins before it sleeps) and OpenBLAS's (they spin in user space for
about 0.1 s). Timed right after the other library, a function shares the second core with those
spinning threads. Measured on (64,8,14,14)->16, 3x3 forward, 2 threads: cnnbook took
1.9-2.3 ms right after torch and 1.2-1.4 ms alone; with torch's threads made passive
(``OMP_WAIT_POLICY=passive``) it took 1.1 ms either way. torch suffered the same after
NumPy: (32,3,32,32)->32 took 12.8 ms right after cnnbook and 6.6 ms alone. A learner runs
one library, not both interleaved, so each round runs every function of one library (the
functions whose name holds "torch" are torch's), then pauses ``IDLE_SECONDS`` for the
spinning threads to go to sleep before the other library's. Each block of back-to-back
calls still starts with one untimed call (the library's own threads wake up in it). Not a
benchmark itself (``scripts/bench.py`` runs only ``bench_*.py``).

Examples
--------
>>> order = library_order({"np_fwd": int, "torch_fwd": int, "np_fb": int, "torch_fb": int})
>>> order
['np_fwd', 'np_fb', 'torch_fwd', 'torch_fb']
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

#: Rounds per measurement, and timed calls per function over all rounds (the default).
ROUNDS = 5
REPEATS = 25
#: Seconds of pause before each library's block: longer than OpenBLAS's busy-wait (2**28
#: cycles by default, ~0.1 s) and libgomp's spin (300,000 pauses, ~10 ms).
IDLE_SECONDS = 0.25


def is_torch(name: str) -> bool:
    """Tell whether the function called `name` is torch's (its name holds "torch")."""
    return "torch" in name


def library_order(fns: dict[str, Callable[[], object]]) -> list[str]:
    """Return the names of `fns`, NumPy's first and torch's last."""
    return sorted(fns, key=is_torch)


def median_seconds(
    fns: dict[str, Callable[[], object]], repeats: int = REPEATS, rounds: int = ROUNDS
) -> dict[str, float]:
    """Median time (s) of each function over `repeats` calls in `rounds` alternating rounds."""
    times: dict[str, list[float]] = {k: [] for k in fns}
    for fn in fns.values():  # warm up (allocator, oneDNN primitive cache, scratch buffers)
        fn()
    order = library_order(fns)
    for _ in range(rounds):
        previous: bool | None = None
        for name in order:
            library = is_torch(name)
            if library != previous:
                time.sleep(IDLE_SECONDS)  # the other library's threads stop spinning
                previous = library
            fn = fns[name]
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
