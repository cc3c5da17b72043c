"""cnnbook.threads: parts cover the batch once, errors surface, thread count like torch's."""

from __future__ import annotations

import multiprocessing
import threading

import pytest

from cnnbook import threads
from cnnbook.threads import get_num_threads, parallel_batches, set_num_threads


@pytest.fixture
def three_threads():
    before = get_num_threads()
    set_num_threads(3)
    yield
    set_num_threads(before)


@pytest.mark.parametrize("n", [1, 2, 3, 7, 64])
def test_parts_cover_every_image_exactly_once_in_contiguous_slices(three_threads, n):
    seen: list[slice] = []
    lock = threading.Lock()

    def record(part: slice) -> None:
        with lock:
            seen.append(part)

    parallel_batches(n, record, min_bytes=0)
    covered = sorted(i for part in seen for i in range(n)[part])
    assert covered == list(range(n))
    assert len(seen) == min(3, n)
    assert all(part.step is None and part.stop > part.start for part in seen)


def test_parts_run_on_several_threads(three_threads):
    names: set[str] = set()
    barrier = threading.Barrier(3, timeout=30)

    def meet(part: slice) -> None:
        names.add(threading.current_thread().name)
        barrier.wait()  # only returns if all three parts run at the same time

    parallel_batches(9, meet, min_bytes=0)
    assert len(names) == 3


def test_a_small_pass_stays_whole(three_threads):
    seen: list[slice] = []
    parallel_batches(64, seen.append, nbytes=threads.MIN_PART_BYTES - 1)
    assert seen == [slice(0, 64)]
    seen.clear()
    parallel_batches(64, seen.append, nbytes=2 * threads.MIN_PART_BYTES)
    assert len(seen) == 2


def test_an_error_in_any_part_is_raised_after_every_part_finished(three_threads):
    finished: list[int] = []

    def fail_in_the_last(part: slice) -> None:
        if part.stop == 9:
            raise ValueError("boom")
        finished.append(part.start)

    with pytest.raises(ValueError, match="boom"):
        parallel_batches(9, fail_in_the_last, min_bytes=0)
    assert sorted(finished) == [0, 3]


def test_one_thread_calls_once_on_the_calling_thread():
    before = get_num_threads()
    set_num_threads(1)
    try:
        seen: list[tuple[slice, str]] = []
        parallel_batches(
            10, lambda p: seen.append((p, threading.current_thread().name)), min_bytes=0
        )
        assert seen == [(slice(0, 10), threading.current_thread().name)]
    finally:
        set_num_threads(before)


def test_the_default_follows_omp_num_threads_like_torch(monkeypatch):
    monkeypatch.setenv("OMP_NUM_THREADS", "3")
    assert threads._default_threads() == 3
    monkeypatch.setenv("OMP_NUM_THREADS", "not a number")
    assert threads._default_threads() >= 1


@pytest.mark.parametrize(("n", "exc"), [(0, ValueError), (-2, ValueError), (1.5, TypeError)])
def test_set_num_threads_refuses_what_is_not_a_positive_int(n, exc):
    with pytest.raises(exc, match=r"n \(="):
        set_num_threads(n)


def _in_child(queue) -> None:
    out: list[int] = []
    lock = threading.Lock()

    def add(part: slice) -> None:
        with lock:
            out.extend(range(6)[part])

    parallel_batches(6, add, min_bytes=0)
    queue.put(sorted(out))


def test_a_forked_child_gets_a_pool_of_its_own(three_threads):
    parallel_batches(6, lambda part: None, min_bytes=0)  # the parent's pool exists
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    child = context.Process(target=_in_child, args=(queue,))
    child.start()
    child.join(60)
    alive = child.is_alive()
    if alive:
        child.kill()
    assert not alive, "the child hung on the parent's (threadless) pool"
    assert queue.get(timeout=5) == list(range(6))


def test_a_part_that_calls_parallel_batches_again_runs_the_inner_call_whole(three_threads):
    inner: list[list[slice]] = []

    def outer(part: slice) -> None:
        seen: list[slice] = []
        parallel_batches(4, seen.append, min_bytes=0)
        inner.append(seen)

    parallel_batches(6, outer, min_bytes=0)  # would deadlock if parts queued behind parts
    assert inner == [[slice(0, 4)]] * 3
