"""The build's one way to use every core: run independent calls in worker processes.

`make figures` trains the use-case demonstrations (`cnnbook.site.demonstrations`) and
renders the figures (`cnnbook.site.render`) this way. With one job, or one call, everything
runs in this process, in order.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Any, TypeVar

__all__ = ["default_jobs", "results_as_completed"]

T = TypeVar("T")


def default_jobs() -> int:
    """Return the number of cores this process may use (at least 1)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def results_as_completed(
    function: Callable[..., T], calls: Sequence[tuple[Any, ...]], jobs: int
) -> Iterator[T]:
    """Yield ``function(*args)`` for every `args` of `calls`, in up to `jobs` processes.

    Results come as the calls finish (in order when they run here). The first call that
    raises stops the rest: calls not yet started are cancelled and the error propagates.
    """
    if jobs <= 1 or len(calls) <= 1:
        for args in calls:
            yield function(*args)
        return
    # fork: the children inherit the imported package instead of importing it again
    context = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
    with ProcessPoolExecutor(max_workers=min(jobs, len(calls)), mp_context=context) as pool:
        futures = [pool.submit(function, *args) for args in calls]
        try:
            for future in as_completed(futures):
                yield future.result()
        except BaseException:
            for future in futures:
                future.cancel()
            raise
