"""Bad input to the exercise data model and renderer names the argument and the rule."""

import numpy as np
import pytest

from cnnbook.exercises import ChoiceExercise, Generator, GridExercise, NumberExercise
from cnnbook.exercises.catalog import exercises_for
from cnnbook.exercises.render import format_value, render_exercises


def _number(**kw):
    return NumberExercise(**{"question": "Q?", "answer": 1, "solution": "S.", **kw})


CASES = [  # (public dotted name, zero-arg call, exception type, regex the message matches)
    (
        "cnnbook.exercises.NumberExercise",
        lambda: _number(answer=float("nan")),
        ValueError,
        r"answer \(=nan\) must be finite",
    ),
    (
        "cnnbook.exercises.NumberExercise",
        lambda: _number(question=""),
        TypeError,
        r"question \(=''\) must be a non-empty str",
    ),
    (
        "cnnbook.exercises.NumberExercise",
        lambda: _number(tolerance=-1),
        ValueError,
        r"tolerance \(=-1\) must be >= 0",
    ),
    (
        "cnnbook.exercises.NumberExercise",
        lambda: _number(mistakes={"2": "x"}),
        TypeError,
        r"a mistaken value \(='2'\) must be a real number",
    ),
    (
        "cnnbook.exercises.NumberExercise",
        lambda: _number(shown={"x": [1, 2]}),
        ValueError,
        r"shown\['x'\] has ndim 1",
    ),
    (
        "cnnbook.exercises.GridExercise",
        lambda: GridExercise("Q", {}, [1, 2], "S"),
        ValueError,
        r"answer has ndim 1 .* expected ndim 2",
    ),
    (
        "cnnbook.exercises.GridExercise",
        lambda: GridExercise("Q", {}, np.ones((2, 2)), "S", mistakes=((np.ones((3, 3)), "h"),)),
        ValueError,
        r"a mistaken grid has shape \(3, 3\); the answer's is \(2, 2\)",
    ),
    (
        "cnnbook.exercises.GridExercise",
        lambda: GridExercise("Q", {}, [[1, np.inf]], "S"),
        ValueError,
        r"answer must be finite",
    ),
    (
        "cnnbook.exercises.ChoiceExercise",
        lambda: ChoiceExercise("Q", ("a", "b"), 2, ("x", "y")),
        ValueError,
        r"correct \(=2\) must index options \(0 to 1\)",
    ),
    (
        "cnnbook.exercises.ChoiceExercise",
        lambda: ChoiceExercise("Q", ("a", "b"), 0, ("x",)),
        ValueError,
        r"explanations must hold one explanation per option \(2\)",
    ),
    (
        "cnnbook.exercises.ChoiceExercise",
        lambda: ChoiceExercise("Q", "ab", 0, ("x", "y")),
        ValueError,
        r"options \(='ab'\) must be at least two answers",
    ),
    (
        "cnnbook.exercises.ChoiceExercise",
        lambda: ChoiceExercise("Q", ("a", "b"), True, ("x", "y")),
        TypeError,
        r"correct \(=True\) must be an int",
    ),
    (
        "cnnbook.exercises.Generator",
        lambda: Generator("", dict, dict),
        TypeError,
        r"name \(=''\) must be a non-empty str",
    ),
    (
        "cnnbook.exercises.Generator",
        lambda: Generator("g", 3, dict),
        TypeError,
        r"draw \(=3\) must be callable",
    ),
    (
        "cnnbook.exercises.catalog.exercises_for",
        lambda: exercises_for(3),
        TypeError,
        r"page must be a str such as 'output-size', got int",
    ),
    (
        "cnnbook.exercises.render.render_exercises",
        lambda: render_exercises("Output Size", [_number()]),
        ValueError,
        r"page \(='Output Size'\) must be a page's file name without .md",
    ),
    (
        "cnnbook.exercises.render.render_exercises",
        lambda: render_exercises("kernel", []),
        ValueError,
        r"exercises for page 'kernel' must not be empty",
    ),
    (
        "cnnbook.exercises.render.render_exercises",
        lambda: render_exercises("kernel", [object()]),
        TypeError,
        r"an exercise must be a NumberExercise, GridExercise or ChoiceExercise, got object",
    ),
    (
        "cnnbook.exercises.render.render_exercises",
        lambda: render_exercises("kernel", _number()),
        TypeError,
        r"exercises must be a list of exercises, got NumberExercise",
    ),
    (
        "cnnbook.exercises.render.format_value",
        lambda: format_value("3"),
        TypeError,
        r"value must be a real number, got str",
    ),
    (
        "cnnbook.exercises.render.format_value",
        lambda: format_value(float("inf")),
        ValueError,
        r"value \(=inf\) must be finite",
    ),
]


@pytest.mark.parametrize(("name", "call", "exc", "match"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_named(name, call, exc, match):
    with pytest.raises(exc, match=match):
        call()
