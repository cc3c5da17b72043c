"""The exercises' HTML carries the markup contract, and the site hook places it."""

from __future__ import annotations

import json
import re
from html import unescape

import numpy as np
import pytest

from cnnbook.exercises import ChoiceExercise, Generator, GridExercise, NumberExercise
from cnnbook.exercises.render import format_value, render_exercises
from cnnbook.site import exercise_pages


def attr(html: str, ident: str, name: str) -> str:
    tag = re.search(rf'<div [^>]*data-exercise="{re.escape(ident)}"[^>]*>', html)
    assert tag, ident
    value = re.search(rf'\b{name}="([^"]*)"', tag.group(0))
    assert value, (ident, name)
    return unescape(value.group(1))


def test_each_exercise_is_numbered_with_its_page_kind_and_key() -> None:
    exercises = [
        NumberExercise("How many?", 7, "Seven.", mistakes={6: "Forgot the +1."}),
        GridExercise("Fill in.", {"x": np.eye(2)}, np.array([[1, -2], [3, 4]]), "So."),
        ChoiceExercise("Which?", ("a", "b", "c"), 2, ("no", "no", "yes")),
    ]
    html = render_exercises("use-cases/video", exercises)
    assert [m for m in re.findall(r'data-exercise="([^"]+)"', html)] == [
        "use-cases/video/1",
        "use-cases/video/2",
        "use-cases/video/3",
    ]
    assert re.findall(r'data-kind="(\w+)"', html) == ["number", "grid", "choice"]
    assert json.loads(attr(html, "use-cases/video/1", "data-answer")) == 7
    assert json.loads(attr(html, "use-cases/video/2", "data-answer")) == [[1, -2], [3, 4]]
    assert json.loads(attr(html, "use-cases/video/3", "data-answer")) == 2
    assert 'data-role="mistake" data-value="6"' in html
    assert html.count('aria-live="polite"') == 3
    assert html.count('data-role="solution"') == 3
    assert "new-numbers" not in html  # no generator, no button


def test_grid_brackets_are_entities_so_wiki_links_and_markdown_leave_them() -> None:
    html = render_exercises("kernel", [GridExercise("Q", {}, np.ones((2, 2)), "S")])
    assert "[[" not in html and "&#91;&#91;" in html


def test_a_generated_exercise_carries_its_generator_params_and_plain_text() -> None:
    gen = Generator(
        "double",
        lambda rng: {"n": int(rng.integers(1, 9))},
        lambda p: NumberExercise(f"Twice {p['n']}? *not emphasis*", 2 * p["n"], "2n."),
    )
    ex = gen(seed=1)
    assert ex.generator == "double" and ex.params["n"] * 2 == ex.answer
    seen = []
    html = render_exercises("kernel", [ex], markdown=lambda t: seen.append(t) or f"<p>{t}</p>")
    assert seen == []  # a generator's text is never run through Markdown: the JS port re-renders it
    assert json.loads(attr(html, "kernel/1", "data-params")) == ex.params
    assert attr(html, "kernel/1", "data-generator") == "double"
    assert 'data-role="new-numbers"' in html and "*not emphasis*" in html


def test_markdown_text_goes_through_the_callable() -> None:
    ex = ChoiceExercise("Is $x$ **bold**?", ("yes", "no"), 0, ("Right.", "Wrong."))
    html = render_exercises("kernel", [ex], markdown=lambda t: "<p>MD(" + t + ")</p>")
    assert "MD(Is $x$ **bold**?)" in html
    assert ">MD(yes)</label>" in html  # an option's one paragraph is unwrapped


def test_format_value_prints_integers_bare_and_the_typographic_minus() -> None:
    assert [format_value(v) for v in (3.0, -2, 0.5, -0.125, 2 / 3, np.int64(12))] == [
        "3",
        "\u22122",
        "0.5",
        "\u22120.125",
        "0.6667",
        "12",
    ]


def test_expand_puts_the_exercises_where_the_placeholder_was() -> None:
    slots: dict[str, str] = {}
    text, errors = exercise_pages.expand("a\n\n{{ exercises }}\n\nb", "output-size", slots)
    assert errors == []
    assert "{{" not in text and 'data-cnbx-slot="output-size"' in text
    html = exercise_pages.fill("<p>a</p>" + text.split("\n\n")[1] + "<p>b</p>", slots)
    assert html.count('data-exercise="output-size/') >= 3


@pytest.mark.parametrize(
    ("markdown", "page", "message"),
    [
        ("{{ exercises }}", "no-such-page", r"catalog has no exercises for page 'no-such-page'"),
        ("no placeholder", "output-size", r"has no '\{\{ exercises \}\}' line"),
        ("{{ exercises }} {{exercises}}", "output-size", r"appears 2 times"),
    ],
)
def test_expand_reports_a_missing_or_stray_placeholder(
    markdown: str, page: str, message: str
) -> None:
    text, errors = exercise_pages.expand(markdown, page, {})
    assert len(errors) == 1 and re.search(message, errors[0]), errors
    assert text == markdown


def test_a_page_without_exercises_and_placeholder_is_left_alone() -> None:
    assert exercise_pages.expand("plain page", "glossary", {}) == ("plain page", [])
