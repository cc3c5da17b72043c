"""Train every use-case demonstration the site shows, on every core, before the figures.

A clean build needs all nine demonstrations (seed 0, full size): their figures, the
numbers of their pages and the Use Cases hub read them. Each trains a small network with
one BLAS thread, so on a machine with two cores two demonstrations train at once, the
longest first. Each result lands in the demonstration cache (`cnnbook.usecases.cache`,
written atomically), where the figures and pages then load it; a demonstration whose cache
entry matches is only loaded, so a warm build pays nothing here.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from cnnbook.site.worker_processes import default_jobs, results_as_completed

__all__ = ["train_all"]

#: Demonstrations in order of their cold training time, longest first (measured with
#: ``scripts/time_build.py``), so the last one to start is a short one.
LONGEST_FIRST = (
    "super-resolution",
    "denoising",
    "segmentation",
    "autoencoder",
    "verification",
    "inductive-bias",
    "detection",
    "video",
    "classification",
)


def _run(name: str) -> tuple[str, bool, float]:
    from cnnbook import usecases

    start = time.perf_counter()
    result = usecases.run(name)
    return name, result.cached, time.perf_counter() - start


def _order(names: Sequence[str]) -> list[str]:
    rank = {name: i for i, name in enumerate(LONGEST_FIRST)}
    return sorted(names, key=lambda name: rank.get(name, -1))  # unknown (new) ones first


def train_all(
    names: Sequence[str] | None = None,
    jobs: int | None = None,
    *,
    log: Callable[[str], None] = print,
) -> dict[str, float | None]:
    """Train (or load) the demonstrations `names` (default: all) in `jobs` processes.

    Parameters
    ----------
    names : sequence of str, optional
        Demonstrations to prepare; default every one of `cnnbook.usecases.names`.
    jobs : int, optional
        Processes; default `cnnbook.site.worker_processes.default_jobs`. With 1,
        everything runs in this process.
    log : callable, default print
        Receives one line per demonstration.

    Returns
    -------
    dict
        ``{name: seconds}`` spent training each, in its process; None when the cache
        already held the result.

    Raises
    ------
    ValueError
        If `jobs` is not a positive int or a name is not a demonstration.
    """
    from cnnbook import usecases
    from cnnbook._validation import positive_int
    from cnnbook.usecases.cache import is_cached

    jobs = default_jobs() if jobs is None else positive_int("jobs", jobs)
    names = usecases.names() if names is None else list(names)
    for name in names:
        usecases.module(name)  # a ValueError lists the known names before any work starts
    done: dict[str, float | None] = {}
    cached = [name for name in names if is_cached(name)]
    for name in cached:  # nothing to train: the figures and pages load these themselves
        done[name] = None
        log(f"demonstration {name}: cached")
    todo = [name for name in names if name not in cached]

    calls = [(name,) for name in _order(todo)]
    for name, was_cached, seconds in results_as_completed(_run, calls, jobs):
        done[name] = None if was_cached else seconds
        log(f"demonstration {name}: {'loaded' if was_cached else f'trained in {seconds:.0f} s'}")
    return {name: done[name] for name in names}
