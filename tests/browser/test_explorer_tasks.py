"""The Convolution Explorer's guided tasks are checked live, with the explorer's own sizes.

Each task's computed solution is typed into the explorer's controls: the task turns
"correct", and the explorer's displayed output size is the target, which ``cnnbook``'s
formulas give for those settings too. A known wrong turn turns it "wrong" with its hint.
"""

from __future__ import annotations

from typing import Any

import pytest

from cnnbook import conv_output_size, transposed_conv_output_size
from cnnbook.exercises import catalog
from cnnbook.exercises.exercise import TaskExercise
from tests.browser.conftest import open_page

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("site")]

TASKS: list[TaskExercise] = [t for t in catalog.exercises_for("explorer")]  # type: ignore[misc]
ORDER = ["mode", "H", "W", "kh", "kw", "sh", "sw", "dh", "dw", "oph", "opw", "preset"]
ORDER += ["pt", "pb", "pl", "pr"]

# Wrong turns, one per task: settings that change from the solution, and the hint's words.
WRONG_TURNS = [
    ({"pt": 0, "pb": 0, "pl": 0, "pr": 0}, "pad the input"),
    ({"pt": 2, "pb": 2, "pl": 2, "pr": 2}, "one too many"),
    ({"dh": 1, "dw": 1, "kh": 5, "kw": 5}, "spread its taps"),
    ({"oph": 0, "opw": 0}, "output padding adds"),
]


def package_size(s: dict[str, Any]) -> tuple[int, int]:
    """The output size cnnbook computes for explorer settings ``s`` (per-side padding)."""
    if s["mode"] == "transposed":
        assert s["pt"] == s["pb"] and s["pl"] == s["pr"]
        return tuple(  # type: ignore[return-value]
            transposed_conv_output_size(n, k, stride=st, padding=p, output_padding=o)
            for n, k, st, p, o in (
                (s["H"], s["kh"], s["sh"], s["pt"], s["oph"]),
                (s["W"], s["kw"], s["sw"], s["pl"], s["opw"]),
            )
        )
    return (
        conv_output_size(
            s["H"] + s["pt"] + s["pb"], s["kh"], stride=s["sh"], dilation=s.get("dh", 1)
        ),
        conv_output_size(
            s["W"] + s["pl"] + s["pr"], s["kw"], stride=s["sw"], dilation=s.get("dw", 1)
        ),
    )


@pytest.fixture
def explorer_page(explorer_site: str, chromium: Any) -> Any:
    page, watch = open_page(chromium, width=1200)
    page.goto(explorer_site + "explorer/")
    page.wait_for_selector('[data-kind="task"][data-cnbx-ready]')
    page.wait_for_selector(".cnn-explorer[data-cnnx-ready] .cnnx-result")
    yield page
    watch.assert_clean()
    page.context.close()


def set_controls(page: Any, settings: dict[str, Any]) -> None:
    root = page.locator(".cnn-explorer").first
    for name in sorted(settings, key=ORDER.index):
        field = root.locator(f'[data-field="{name}"]')
        if name in ("mode", "preset"):
            field.select_option(str(settings[name]))
        else:
            field.fill(str(settings[name]))


def shown_size(page: Any) -> tuple[int, int]:
    root = page.locator(".cnn-explorer").first
    return (
        int(root.locator(".cnnx-size-oh .cnnx-result").get_attribute("data-value")),
        int(root.locator(".cnnx-size-ow .cnnx-result").get_attribute("data-value")),
    )


def test_the_explorer_page_has_its_tasks_as_exercises() -> None:
    assert len(TASKS) >= 3 and all(isinstance(t, TaskExercise) for t in TASKS)
    assert len(WRONG_TURNS) == len(TASKS)


@pytest.mark.parametrize("n", range(len(TASKS)))
def test_the_computed_solution_completes_the_task_live(explorer_page: Any, n: int) -> None:
    task = TASKS[n]
    box = explorer_page.locator(f'[data-exercise="explorer/{n + 1}"]')
    assert box.get_attribute("data-state") is None  # nothing done yet
    set_controls(explorer_page, dict(task.settings))
    assert box.get_attribute("data-state") == "correct", box.inner_text()
    size = shown_size(explorer_page)
    assert size == (task.target["OH"], task.target["OW"])
    assert package_size(dict(task.settings)) == size  # the explorer's size is cnnbook's
    assert task.check({**task.settings, "OH": size[0], "OW": size[1]})


@pytest.mark.parametrize("n", range(len(TASKS)))
def test_a_known_wrong_turn_is_wrong_and_named(explorer_page: Any, n: int) -> None:
    task, (change, words) = TASKS[n], WRONG_TURNS[n]
    box = explorer_page.locator(f'[data-exercise="explorer/{n + 1}"]')
    settings = {**task.settings, **change}
    set_controls(explorer_page, settings)
    assert box.get_attribute("data-state") == "wrong"
    assert shown_size(explorer_page) == package_size(settings)
    hint = box.locator('[data-role="feedback"] [data-role="hint"]')
    assert hint.is_visible() and words in hint.inner_text()
    set_controls(explorer_page, dict(task.settings))  # and back: correct again
    assert box.get_attribute("data-state") == "correct"


def test_a_task_solution_is_revealed_by_keyboard(explorer_page: Any) -> None:
    box = explorer_page.locator('[data-exercise="explorer/1"]')
    button = box.locator('[data-role="show-solution"]')
    button.focus()
    explorer_page.keyboard.press("Enter")
    assert box.locator('[data-role="solution"]').is_visible()
    assert button.get_attribute("aria-expanded") == "true"
    assert box.locator('[data-role="feedback"]').get_attribute("aria-live") == "polite"
