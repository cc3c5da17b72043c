"""How many threads cnnbook's large element-wise passes use: torch's `set_num_threads`, for NumPy.

NumPy runs every element-wise pass (``x - mean``, ``y *= scale``) on one thread, while
torch splits such passes over its intra-op threads. BLAS already uses every core for the
matrix products; `parallel_batches` gives the memory-bound passes of a large layer
(`cnnbook.nn.BatchNorm2d`) the same: it cuts the batch into `get_num_threads` contiguous
parts and runs one per thread. NumPy releases the GIL inside its loops, so the parts run
at once. Each part computes exactly what the whole would for its images (element-wise
results and per-image reductions do not depend on the cut), so results are the same bits
for any thread count.

The default follows torch's: ``OMP_NUM_THREADS`` if set (``make test`` sets 1, as its two
pytest workers share two cores), else the CPUs this process may run on.

Public names
------------
- `get_num_threads()` -> int, `set_num_threads(n)`: as `torch.get_num_threads` /
  `torch.set_num_threads`.
- `parallel_batches(n, fn, min_bytes=MIN_PART_BYTES, nbytes=0)`: call ``fn(batch_slice)``
  for parts of ``range(n)``, one per thread (one part when `nbytes` is small).
"""

from __future__ import annotations

import itertools
import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from cnnbook._validation import positive_int

__all__ = ["get_num_threads", "parallel_batches", "set_num_threads"]

#: Below this many bytes per part a pass stays on one thread: handing work to another
#: thread costs ~50 us, a 1 MB pass ~0.2 ms.
MIN_PART_BYTES = 1 << 20

_lock = threading.Lock()
_threads: int | None = None  # None: not chosen yet (read from the environment on first use)
_pool: ThreadPoolExecutor | None = None


def _default_threads() -> int:
    value = os.environ.get("OMP_NUM_THREADS", "").strip()
    if value.isdigit() and int(value) >= 1:
        return int(value)
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def get_num_threads() -> int:
    """Return the number of threads `parallel_batches` uses (torch's `get_num_threads`).

    Examples
    --------
    >>> get_num_threads() >= 1
    True
    """
    global _threads
    if _threads is None:
        _threads = _default_threads()
    return _threads


def set_num_threads(n: int) -> None:
    """Use `n` threads for cnnbook's large element-wise passes (torch's `set_num_threads`).

    BLAS keeps its own setting (``OPENBLAS_NUM_THREADS``, or threadpoolctl).

    Raises
    ------
    ValueError, TypeError
        If `n` is not a positive int.

    Examples
    --------
    >>> before = get_num_threads()
    >>> set_num_threads(1); get_num_threads()
    1
    >>> set_num_threads(before)
    """
    global _threads, _pool
    n = positive_int("n", n)
    with _lock:
        if _pool is not None:
            _pool.shutdown(wait=True)
            _pool = None
        _threads = n


def _forget_pool() -> None:
    # A forked child has none of the parent's threads: a pool inherited from it would
    # queue work that no thread ever runs.
    global _pool
    _pool = None


os.register_at_fork(after_in_child=_forget_pool)


_inside = threading.local()  # .part is True while this thread runs a part


def _run_part(fn: Callable[[slice], object], part: slice) -> None:
    _inside.part = True
    try:
        fn(part)
    finally:
        _inside.part = False


def parallel_batches(
    n: int, fn: Callable[[slice], object], min_bytes: int = MIN_PART_BYTES, nbytes: int = 0
) -> None:
    """Call ``fn(part)`` for contiguous parts of ``range(n)``, one per thread, and wait.

    Parameters
    ----------
    n : int
        The number of images (the batch axis to cut).
    fn : callable
        Called as ``fn(slice(start, stop))``; must only write to its part of any output.
    min_bytes : int, default MIN_PART_BYTES
        The fewest bytes worth a part of its own: ``nbytes // min_bytes`` parts at most
        (0: one part per thread, whatever the size).
    nbytes : int, default 0
        The bytes the pass touches over the whole batch.

    Raises
    ------
    Exception
        Whatever `fn` raises (the first part's error, after every part has finished).

    Examples
    --------
    >>> out = [0] * 8
    >>> def double(part): out[part] = [2 * i for i in range(8)[part]]
    >>> parallel_batches(8, double, min_bytes=0)
    >>> out
    [0, 2, 4, 6, 8, 10, 12, 14]
    """
    by_size = nbytes // min_bytes if min_bytes > 0 else n
    parts = min(get_num_threads(), n, max(1, by_size))
    # A part that itself calls parallel_batches runs the inner call whole: queueing it
    # behind the busy workers could wait forever.
    if parts <= 1 or getattr(_inside, "part", False):
        fn(slice(0, n))
        return
    global _pool
    with _lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(get_num_threads() - 1, thread_name_prefix="cnnbook")
        pool = _pool
    bounds = [n * k // parts for k in range(parts + 1)]
    slices = [slice(a, b) for a, b in itertools.pairwise(bounds)]
    futures = [pool.submit(_run_part, fn, part) for part in slices[1:]]
    try:
        _run_part(fn, slices[0])  # the calling thread does one part itself
    finally:
        errors = [f.exception() for f in futures]
    for error in errors:
        if error is not None:
            raise error
