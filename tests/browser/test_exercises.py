"""The exercises' markup contract, driven in Chromium like a learner would.

Answers are read from the page's key (``data-answer``) and, independently, recomputed by
the package: the key on the page must be ``cnnbook``'s answer, and typing it must be
checked as correct; typing a known mistake must be "wrong" with that mistake's hint.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from cnnbook.exercises import catalog
from cnnbook.exercises.exercise import ChoiceExercise, GridExercise, NumberExercise
from cnnbook.exercises.render import format_value
from tests.browser.conftest import open_page

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("site")]


@pytest.fixture
def browse(explorer_site: str, chromium: Any) -> Any:
    """Open a page of the site by its key ("output-size"); the page's errors are asserted."""
    opened: list[tuple[Any, Any]] = []

    def go(key: str) -> Any:
        p, watch = open_page(chromium)
        p.goto(explorer_site + key + "/")
        p.wait_for_selector("[data-exercise][data-cnbx-ready]")
        opened.append((p, watch))
        return p

    yield go
    for p, watch in opened:
        watch.assert_clean()
        p.context.close()


def exercise(p: Any, ident: str) -> Any:
    return p.locator(f'[data-exercise="{ident}"]')


def first(page_key: str, kind: type) -> tuple[str, Any]:
    """The first exercise of ``kind`` on a page: its id and the package's exercise."""
    for n, ex in enumerate(catalog.exercises_for(page_key), start=1):
        if isinstance(ex, kind):
            return f"{page_key}/{n}", ex
    raise AssertionError(f"{page_key} has no {kind.__name__}")


def typed(value: float) -> str:
    return format_value(value)


def test_the_right_number_is_correct_and_the_key_is_the_packages(browse: Any) -> None:
    ident, ex = first("output-size", NumberExercise)
    p = browse("output-size")
    box = exercise(p, ident)
    assert json.loads(box.get_attribute("data-answer")) == ex.answer
    box.locator('[data-role="answer"]').fill(typed(ex.answer))
    box.locator('[data-role="check"]').click()
    assert box.get_attribute("data-state") == "correct"
    assert box.locator('[data-role="feedback"]').get_attribute("aria-live") == "polite"
    assert "Correct" in box.locator('[data-role="feedback"]').inner_text()


def test_a_known_mistake_is_wrong_and_shows_its_hint(browse: Any) -> None:
    page_key = "output-size"
    found = [
        (n, ex)
        for n, ex in enumerate(catalog.exercises_for(page_key), start=1)
        if isinstance(ex, NumberExercise) and ex.mistakes
    ]
    assert found, "no number exercise with known mistakes on output-size"
    n, ex = found[0]
    p = browse(page_key)
    box = exercise(p, f"{page_key}/{n}")
    for value, hint in ex.mistakes.items():
        box.locator('[data-role="answer"]').fill(typed(value))
        box.locator('[data-role="check"]').click()
        assert box.get_attribute("data-state") == "wrong"
        shown = box.locator('[data-role="feedback"] [data-role="hint"]')
        assert shown.is_visible()
        # The hint is the mistake's own (Markdown rendered: compare its words).
        words = [w for w in hint.replace("$", " ").split() if w.isalpha() and len(w) > 3]
        text = shown.inner_text()
        assert all(w in text for w in words[:5]), (hint, text)
    box.locator('[data-role="answer"]').fill(typed(ex.answer + 1000))
    box.locator('[data-role="check"]').click()
    assert box.get_attribute("data-state") == "wrong"
    assert box.locator('[data-role="feedback"] [data-role="hint"]').count() == 0


def test_a_choice_names_the_misconception_and_accepts_the_right_option(browse: Any) -> None:
    ident, ex = first("output-size", ChoiceExercise)
    p = browse("output-size")
    box = exercise(p, ident)
    wrong = next(i for i in range(len(ex.options)) if i != ex.correct)
    box.locator(f'[data-role="option"][value="{wrong}"]').check()
    box.locator('[data-role="check"]').click()
    assert box.get_attribute("data-state") == "wrong"
    assert box.locator('[data-role="feedback"] [data-role="hint"]').is_visible()
    box.locator(f'[data-role="option"][value="{ex.correct}"]').check()
    assert box.get_attribute("data-state") is None  # a new attempt clears the verdict
    box.locator('[data-role="check"]').click()
    assert box.get_attribute("data-state") == "correct"


def test_the_solution_is_revealed_and_hidden_again(browse: Any) -> None:
    ident, ex = first("output-size", NumberExercise)
    p = browse("output-size")
    box = exercise(p, ident)
    solution = box.locator('[data-role="solution"]')
    button = box.locator('[data-role="show-solution"]')
    assert not solution.is_visible()
    button.click()
    assert solution.is_visible()
    assert button.get_attribute("aria-expanded") == "true"
    assert str(ex.answer) in solution.inner_text()
    button.click()
    assert not solution.is_visible()


def test_new_numbers_change_the_question_and_the_new_answer_checks(browse: Any) -> None:
    p = browse("output-size")
    box = p.locator("[data-exercise][data-generator]").first
    name = box.get_attribute("data-generator")
    generator = catalog.GENERATORS[name]
    for _ in range(3):
        before = box.locator('[data-role="question"]').inner_text()
        box.locator('[data-role="new-numbers"]').click()
        after = box.locator('[data-role="question"]').inner_text()
        assert after != before
        params = json.loads(box.get_attribute("data-params"))
        fresh = generator.build(params)  # the package's exercise for the browser's numbers
        assert after.strip() == fresh.question
        assert json.loads(box.get_attribute("data-answer")) == pytest.approx(fresh.answer)
        box.locator('[data-role="answer"]').fill(typed(fresh.answer))
        box.locator('[data-role="check"]').click()
        assert box.get_attribute("data-state") == "correct"


def test_a_grid_is_checked_cell_by_cell(browse: Any) -> None:
    ident, ex = first("cross-correlation-and-convolution", GridExercise)
    p = browse("cross-correlation-and-convolution")
    box = exercise(p, ident)
    cells = box.locator(".cnbx-cell")
    rows, cols = ex.answer.shape
    assert cells.count() == rows * cols
    for grid, _hint in ex.mistakes[:1]:  # a known wrong grid: wrong, with its hint
        for i in range(rows):
            for j in range(cols):
                cells.nth(i * cols + j).fill(typed(grid[i][j]))
        box.locator('[data-role="check"]').click()
        assert box.get_attribute("data-state") == "wrong"
        assert box.locator('[data-role="feedback"] [data-role="hint"]').is_visible()
    for i in range(rows):
        for j in range(cols):
            cells.nth(i * cols + j).fill(typed(ex.answer[i][j]))
    box.locator('[data-role="check"]').click()
    assert box.get_attribute("data-state") == "correct"


def test_keyboard_alone_answers_checks_and_reveals(browse: Any) -> None:
    ident, ex = first("output-size", NumberExercise)
    p = browse("output-size")
    box = exercise(p, ident)
    # Tab into the field from the exercise's title, as a keyboard user arrives.
    box.locator(".cnbx-title").click()
    p.keyboard.press("Tab")
    field = box.locator('[data-role="answer"]')
    assert field.evaluate("e => e === document.activeElement")
    p.keyboard.type(typed(ex.answer))
    p.keyboard.press("Enter")
    assert box.get_attribute("data-state") == "correct"
    p.keyboard.press("Tab")  # Check
    p.keyboard.press("Tab")  # Show solution
    button = box.locator('[data-role="show-solution"]')
    assert button.evaluate("e => e === document.activeElement")
    outline = button.evaluate("e => getComputedStyle(e).outlineStyle")
    assert outline != "none", "the focused button shows no focus ring"
    p.keyboard.press("Space")
    assert box.locator('[data-role="solution"]').is_visible()
    assert box.get_attribute("data-state") == "correct"  # leaving the field kept the verdict
    # A choice: Tab to the options, arrows pick, Enter checks.
    ident, choice = first("output-size", ChoiceExercise)
    cbox = exercise(p, ident)
    cbox.locator(".cnbx-title").click()
    p.keyboard.press("Tab")
    for _ in range(choice.correct):
        p.keyboard.press("ArrowDown")
    p.keyboard.press("Space")
    p.keyboard.press("Enter")
    assert cbox.get_attribute("data-state") == "correct"


def test_every_control_is_labelled_and_every_button_is_a_button(browse: Any) -> None:
    p = browse("output-size")
    unlabelled = p.evaluate(
        """() => Array.from(document.querySelectorAll('[data-exercise] input')).filter(
             i => !(i.labels && i.labels.length) && !i.getAttribute('aria-label')).length"""
    )
    assert unlabelled == 0
    roles = ["check", "show-solution", "new-numbers"]
    for role in roles:
        tags = p.eval_on_selector_all(
            f'[data-exercise] [data-role="{role}"]', "els => els.map(e => e.tagName)"
        )
        assert tags and set(tags) == {"BUTTON"}, (role, tags)
