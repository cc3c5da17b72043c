"""The HTML of a page's exercises: the markup contract the browser engine and the tests drive.

Every exercise becomes one element ``data-exercise="<page>/<n>"`` with ``data-kind``
(``number``, ``grid`` or ``choice``) and its answer key embedded as data attributes (the
site is static: checking happens in the browser, with no server). Question, solution and
hints are Markdown, turned into HTML by the ``markdown`` callable the site hook passes in
(the site's own Markdown extensions, so ``$math$`` renders); without it they are escaped
plain text, which is what a :class:`~cnnbook.exercises.exercise.Generator` builds anyway.
``docs/assets/exercises/exercises.js`` wires the controls; ``cnnbook/site/README.md``
("Exercises") describes the contract for page authors.

Examples
--------
>>> from cnnbook.exercises import NumberExercise
>>> html = render_exercises("output-size", [NumberExercise("2 + 2?", 4, "4")])
>>> 'data-exercise="output-size/1"' in html, 'data-kind="number"' in html
(True, True)
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Sequence
from html import escape
from typing import Any

import numpy as np

from cnnbook.exercises.exercise import (
    ChoiceExercise,
    Exercise,
    GridExercise,
    NumberExercise,
)

__all__ = ["format_value", "render_exercises"]

Markdown = Callable[[str], str]
_PAGE_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*(/[a-z0-9][a-z0-9_-]*)*$")
_MINUS = "\u2212"


def format_value(value: float) -> str:
    """Print a number as the exercises do: integers bare, others to 4 significant digits.

    The minus is the typographic one (U+2212); the JavaScript engine prints the same.

    Examples
    --------
    >>> format_value(3.0), format_value(-2), format_value(0.125), format_value(1 / 3)
    ('3', '−2', '0.125', '0.3333')
    """
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"value must be a real number, got {type(value).__name__}")
    v = float(value)
    if not math.isfinite(v):
        raise ValueError(f"value (={v}) must be finite")
    text = str(int(v)) if v == int(v) else f"{v:.4g}"
    return text.replace("-", _MINUS)


def _plain(text: str) -> str:
    return "<p>" + escape(text) + "</p>"


def _inline(html: str) -> str:
    """Drop the one paragraph Markdown wraps a short fragment in (an option, a label)."""
    stripped = html.strip()
    if stripped.startswith("<p>") and stripped.endswith("</p>") and stripped.count("<p>") == 1:
        return stripped[3:-4]
    return stripped


def _attr(value: Any) -> str:
    """JSON for a data attribute (brackets as entities: wiki-link and Markdown passes skip them)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return escape(text, quote=True).replace("[", "&#91;").replace("]", "&#93;")


def _grid_list(grid: Any) -> list[list[float]]:
    a = np.asarray(grid, dtype=float)
    if a.ndim != 2:
        raise ValueError(f"a grid must be 2-D, got shape {a.shape}")
    return [[_json_number(v) for v in row] for row in a]


def _json_number(v: Any) -> float:
    f = float(v)
    return int(f) if f == int(f) and abs(f) < 2**53 else f


def _table(name: str, grid: Any, cls: str) -> str:
    rows = "".join(
        "<tr>" + "".join(f"<td>{format_value(v)}</td>" for v in row) + "</tr>"
        for row in _grid_list(grid)
    )
    a = np.asarray(grid)
    caption = f"{escape(name)} ({a.shape[0]} \u00d7 {a.shape[1]})"
    return f'<table class="{cls}"><caption>{caption}</caption><tbody>{rows}</tbody></table>'


def _shown(arrays: Any) -> str:
    tables = "".join(_table(name, a, "cnbx-array") for name, a in arrays.items())
    return f'<div class="cnbx-shown" data-role="shown">{tables}</div>'


def _buttons(uid: str, generator: str | None) -> str:
    new = (
        '<button type="button" class="cnbx-btn" data-role="new-numbers">New numbers</button>'
        if generator
        else ""
    )
    return (
        '<div class="cnbx-buttons">'
        '<button type="submit" class="cnbx-btn cnbx-primary" data-role="check">Check</button>'
        f'<button type="button" class="cnbx-btn" data-role="show-solution" aria-expanded="false" '
        f'aria-controls="{uid}-solution">Show solution</button>{new}</div>'
    )


def _number_form(uid: str) -> str:
    return (
        f'<label for="{uid}-answer">Your answer</label> '
        f'<input id="{uid}-answer" class="cnbx-input" type="text" inputmode="decimal" '
        'autocomplete="off" spellcheck="false" data-role="answer">'
    )


def _grid_form(uid: str, rows: int, cols: int) -> str:
    body = "".join(
        "<tr>"
        + "".join(
            f'<td><input class="cnbx-cell" type="text" inputmode="decimal" autocomplete="off" '
            f'data-row="{i}" data-col="{j}" aria-label="row {i + 1}, column {j + 1}"></td>'
            for j in range(cols)
        )
        + "</tr>"
        for i in range(rows)
    )
    return (
        f'<table class="cnbx-grid" data-role="grid" id="{uid}-grid">'
        f"<caption>Your answer ({rows} \u00d7 {cols})</caption><tbody>{body}</tbody></table>"
    )


def _choice_form(uid: str, options: Sequence[str], md: Markdown) -> str:
    items = "".join(
        f'<div class="cnbx-option"><input type="radio" id="{uid}-o{i}" name="{uid}-choice" '
        f'value="{i}" data-role="option"><label for="{uid}-o{i}">{_inline(md(o))}</label></div>'
        for i, o in enumerate(options)
    )
    return f'<fieldset class="cnbx-options"><legend>Choose one</legend>{items}</fieldset>'


def _templates(role: str, items: Sequence[tuple[Any, str]], md: Markdown) -> str:
    if not items:
        return ""
    inner = "".join(
        f'<div data-role="{role}" data-value="{_attr(value)}">{md(text)}</div>'
        for value, text in items
    )
    return f'<div class="cnbx-templates" hidden>{inner}</div>'


def _kind(ex: Exercise) -> str:
    if isinstance(ex, NumberExercise):
        return "number"
    if isinstance(ex, GridExercise):
        return "grid"
    if isinstance(ex, ChoiceExercise):
        return "choice"
    raise TypeError(
        "an exercise must be a NumberExercise, GridExercise or ChoiceExercise, "
        f"got {type(ex).__name__}"
    )


def _render_one(page: str, n: int, ex: Exercise, md: Markdown) -> str:
    kind = _kind(ex)
    if getattr(ex, "generator", None):
        # A generator's text is plain (its JavaScript port re-renders it with textContent).
        md = _plain
    uid = "ex-" + re.sub(r"[^a-z0-9]+", "-", page) + f"-{n}"
    attrs = [f'data-exercise="{escape(page)}/{n}"', f'data-kind="{kind}"']
    shown = ""
    if isinstance(ex, NumberExercise):
        answer = _json_number(ex.answer)
        if not math.isfinite(float(answer)):
            raise ValueError(f"{page}/{n}: answer (={answer}) must be finite")
        attrs += [f'data-answer="{_attr(answer)}"', f'data-tolerance="{_attr(ex.tolerance)}"']
        form = _number_form(uid)
        shown = _shown(ex.shown)
        hints = _templates("mistake", [(_json_number(v), h) for v, h in ex.mistakes.items()], md)
    elif isinstance(ex, GridExercise):
        grid = _grid_list(ex.answer)
        attrs += [f'data-answer="{_attr(grid)}"', f'data-tolerance="{_attr(ex.tolerance)}"']
        shown = (
            '<div class="cnbx-shown" data-role="shown">'
            + "".join(_table(name, a, "cnbx-array") for name, a in ex.shown.items())
            + "</div>"
        )
        form = _grid_form(uid, len(grid), len(grid[0]))
        hints = _templates("mistake", [(_grid_list(g), h) for g, h in ex.mistakes], md)
    else:
        if not 0 <= ex.correct < len(ex.options) or len(ex.explanations) != len(ex.options):
            raise ValueError(
                f"{page}/{n}: correct (={ex.correct}) must index options (={len(ex.options)}), "
                f"with one explanation per option (got {len(ex.explanations)})"
            )
        attrs.append(f'data-answer="{ex.correct}"')
        form = _choice_form(uid, ex.options, md)
        hints = _templates("explanation-template", list(enumerate(ex.explanations)), md)
    # A choice's worked solution is the right option and why.
    solution = (
        ex.solution
        if not isinstance(ex, ChoiceExercise)
        else f"**{ex.options[ex.correct]}.** {ex.explanations[ex.correct]}"
    )
    generator = getattr(ex, "generator", None)
    if generator:
        params = getattr(ex, "params", {})
        attrs += [f'data-generator="{escape(generator)}"', f'data-params="{_attr(dict(params))}"']
    return (
        f'<div class="cnbx" id="{uid}" role="group" aria-labelledby="{uid}-title" '
        + " ".join(attrs)
        + ">"
        f'<p class="cnbx-title" id="{uid}-title"><strong>Exercise {n}</strong></p>'
        f'<div class="cnbx-question" data-role="question">{md(ex.question)}</div>{shown}'
        f'<form class="cnbx-form" data-role="form" novalidate>{form}{_buttons(uid, generator)}'
        "</form>"
        f'<div class="cnbx-feedback" data-role="feedback" role="status" aria-live="polite"></div>'
        f"{hints}"
        f'<div class="cnbx-solution" id="{uid}-solution" data-role="solution" hidden>'
        f'<p class="cnbx-solution-title"><strong>Solution</strong></p>'
        f'<div data-role="solution-text">{md(solution)}</div></div>'
        "</div>"
    )


def render_exercises(
    page: str, exercises: Sequence[Exercise], markdown: Markdown | None = None
) -> str:
    """Return the HTML of ``exercises`` for page ``page``, numbered from 1.

    Parameters
    ----------
    page : str
        The page's file name without ``.md`` (``"output-size"``, ``"use-cases/video"``):
        the exercises are ``data-exercise="<page>/1"``, ``"<page>/2"``...
    exercises : sequence of Exercise
        What :func:`cnnbook.exercises.catalog.exercises_for` returns; at least one.
    markdown : callable, optional
        Turns a Markdown fragment into HTML (the site hook passes the site's Markdown);
        without it text is escaped and shown as a plain paragraph.

    Returns
    -------
    str
        One ``<div class="cnbx-set">`` holding every exercise, on one line (so Markdown
        keeps it as a raw HTML block).

    Examples
    --------
    >>> from cnnbook.exercises import ChoiceExercise
    >>> ex = ChoiceExercise("Which?", ("a", "b"), 1, ("No.", "Yes."))
    >>> 'data-kind="choice"' in render_exercises("kernel", [ex])
    True
    """
    if not isinstance(page, str) or not _PAGE_RE.match(page):
        raise ValueError(
            f"page (={page!r}) must be a page's file name without .md, such as 'output-size'"
        )
    if isinstance(exercises, (str, bytes)) or not isinstance(exercises, Sequence):
        raise TypeError(f"exercises must be a list of exercises, got {type(exercises).__name__}")
    if len(exercises) == 0:
        raise ValueError(f"exercises for page {page!r} must not be empty")
    md: Markdown = markdown if markdown is not None else _plain
    body = "".join(_render_one(page, n, ex, md) for n, ex in enumerate(exercises, start=1))
    return f'<div class="cnbx-set" data-page="{escape(page)}">{body}</div>'
