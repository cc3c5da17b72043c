"""The benchmarks' timer (scripts/alternating_rounds.py): the order of turns and the pauses.

Never the timings: which functions run in which order, and where the timer pauses so that
one library's spinning worker threads are asleep before the other library's turn.
"""

from __future__ import annotations

from types import ModuleType

import pytest

from tests.script_module import fresh_script


@pytest.fixture
def rounds() -> ModuleType:
    return fresh_script("alternating_rounds")


def test_numpy_functions_run_first_and_keep_their_order(rounds: ModuleType) -> None:
    fns = {"np_fwd": int, "torch_fwd": int, "np_fb": int, "torch_fb": int}
    assert rounds.library_order(fns) == ["np_fwd", "np_fb", "torch_fwd", "torch_fb"]
    assert rounds.library_order({"slices": int, "torch": int, "cnnbook": int}) == [
        "slices",
        "cnnbook",
        "torch",
    ]


def test_each_turn_starts_with_a_pause_and_one_untimed_call(
    rounds: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    events: list[str] = []
    monkeypatch.setattr(rounds.time, "sleep", lambda s: events.append(f"pause {s}"))
    fns = {
        name: (lambda name=name: events.append(name))
        for name in ("np_fwd", "torch_fwd", "np_fb", "torch_fb")
    }
    medians = rounds.median_seconds(fns, repeats=4, rounds=2)
    assert set(medians) == set(fns)
    warm_up = ["np_fwd", "torch_fwd", "np_fb", "torch_fb"]
    pause = f"pause {rounds.IDLE_SECONDS}"
    # Per round: NumPy's turn, then torch's; 1 untimed + 2 timed calls per function.
    turn = [pause, *["np_fwd"] * 3, *["np_fb"] * 3, pause, *["torch_fwd"] * 3]
    turn += ["torch_fb"] * 3
    assert events == warm_up + turn + turn
    assert rounds.IDLE_SECONDS > 0.1  # OpenBLAS's busy-wait lasts ~0.1 s
