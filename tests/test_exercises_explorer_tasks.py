"""Every guided task of the Convolution Explorer is solved by its computed settings (torch)."""

from __future__ import annotations

import pytest

from cnnbook.exercises import TaskExercise
from cnnbook.exercises.explorer_tasks import explorer

torch = pytest.importorskip("torch")
F = torch.nn.functional

TASKS = explorer()


def torch_size(s: dict) -> tuple[int, int]:
    """The spatial output shape PyTorch gives for explorer settings ``s``."""
    x = torch.zeros(1, 1, s["H"], s["W"])
    w = torch.zeros(1, 1, s["kh"], s["kw"])
    stride, dilation = (s["sh"], s["sw"]), (s.get("dh", 1), s.get("dw", 1))
    if s["mode"] == "transposed":
        assert s["pt"] == s["pb"] and s["pl"] == s["pr"]  # torch crops symmetrically
        y = F.conv_transpose2d(
            x,
            w,
            stride=stride,
            padding=(s["pt"], s["pl"]),
            output_padding=(s["oph"], s["opw"]),
            dilation=dilation,
        )
    else:
        y = F.conv2d(
            F.pad(x, (s["pl"], s["pr"], s["pt"], s["pb"])), w, stride=stride, dilation=dilation
        )
    return tuple(y.shape[2:])


@pytest.mark.parametrize("task", TASKS, ids=[t.question[:40] for t in TASKS])
def test_the_computed_settings_reach_the_target_in_torch(task: TaskExercise) -> None:
    settings = {"sh": 1, "sw": 1, "pt": 0, "pb": 0, "pl": 0, "pr": 0, **task.settings}
    oh, ow = torch_size(settings)
    assert (oh, ow) == (task.target["OH"], task.target["OW"])
    assert task.check({**settings, "OH": oh, "OW": ow})


def test_the_first_task_is_the_issues_seven_to_four() -> None:
    t = TASKS[0].target
    assert (t["H"], t["W"], t["kh"], t["kw"], t["OH"], t["OW"]) == (7, 7, 3, 3, 4, 4)


# A wrong turn per task: the controls a learner changes from the solution.
WRONG_TURNS = [
    {"pt": 0, "pb": 0, "pl": 0, "pr": 0},
    {"pt": 2, "pb": 2, "pl": 2, "pr": 2},
    {"dh": 1, "dw": 1, "kh": 5, "kw": 5},
    {"oph": 0, "opw": 0},
]


@pytest.mark.parametrize("n", range(len(TASKS)))
def test_a_wrong_turn_misses_the_target_and_meets_a_hint(n: int) -> None:
    task = TASKS[n]
    settings = {"sh": 1, "sw": 1, "pt": 0, "pb": 0, "pl": 0, "pr": 0, **task.settings}
    settings.update(WRONG_TURNS[n])
    oh, ow = torch_size(settings)
    reached = {**settings, "OH": oh, "OW": ow}
    assert not task.check(reached)
    hinted = [h for state, h in task.mistakes if all(reached.get(k) == v for k, v in state.items())]
    assert hinted, f"no hint for {reached}"
