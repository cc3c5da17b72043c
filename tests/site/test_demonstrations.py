"""`make figures` trains the demonstrations first, several at once, longest first."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cnnbook import usecases
from cnnbook.site import demonstrations
from cnnbook.usecases.cache import is_cached


def _fake_run(name: str) -> tuple[str, bool, float]:
    # Runs in the worker (fork inherits this patch): report the worker's pid as "seconds".
    return name, False, float(os.getpid())


def test_every_demonstration_has_a_place_in_the_longest_first_order() -> None:
    assert sorted(demonstrations.LONGEST_FIRST) == sorted(usecases.names())


def test_uncached_demonstrations_are_trained_in_worker_processes(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("CNNBOOK_CACHE", str(tmp_path))
    monkeypatch.setattr(demonstrations, "_run", _fake_run)
    lines: list[str] = []
    names = ["video", "detection", "classification"]
    done = demonstrations.train_all(names, jobs=2, log=lines.append)
    assert list(done) == names
    pids = {int(seconds) for seconds in done.values() if seconds is not None}
    assert os.getpid() not in pids and 1 <= len(pids) <= 2
    assert len(lines) == 3


def test_a_cached_demonstration_is_not_run_again(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("CNNBOOK_CACHE", str(tmp_path))
    # Make the real cache entry of "video" (seed 0, full size) exist, with the current key.
    usecases.cached_run("video", 0, False, lambda: ({"score": 1.0}, {}))
    assert is_cached("video") and not is_cached("video", 1)
    monkeypatch.setattr(demonstrations, "_run", _fake_run)
    done = demonstrations.train_all(["video", "classification"], jobs=2, log=lambda line: None)
    assert done["video"] is None and done["classification"] is not None


def test_one_job_runs_in_this_process_in_longest_first_order(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("CNNBOOK_CACHE", str(tmp_path))
    order: list[str] = []

    def run(name: str) -> tuple[str, bool, float]:
        order.append(name)
        return name, False, float(os.getpid())

    monkeypatch.setattr(demonstrations, "_run", run)
    done = demonstrations.train_all(["video", "detection"], jobs=1, log=lambda line: None)
    assert order == ["detection", "video"]
    assert set(done.values()) == {float(os.getpid())}


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"jobs": 0}, ValueError, r"jobs \(=0\)"),
        (
            {"names": ["no-such-demo"]},
            ValueError,
            r"name \(='no-such-demo'\) is not a demonstration",
        ),
    ],
)
def test_bad_arguments_are_named(kwargs: dict, error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        demonstrations.train_all(**kwargs, log=lambda line: None)
