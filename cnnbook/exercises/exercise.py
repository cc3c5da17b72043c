"""Self-checking exercises: a question, its answer computed by the package, and a solution.

Three kinds, one dataclass each. The site renders every exercise as an element with a
``data-exercise`` attribute that the browser checks with no server (see the page-author
guide). An answer is never typed: the function that builds an exercise computes it with
``cnnbook``. A ``Generator`` draws fresh parameters ("new numbers"); its JavaScript port
on the site recomputes the answer, and the browser tests prove the port equal to
``Generator.build`` on random parameters.

Examples
--------
>>> from cnnbook import conv_output_size
>>> ex = NumberExercise(
...     question="A 7×7 input, a 3×3 kernel, stride 2, no padding: output width?",
...     answer=conv_output_size(7, 3, stride=2),
...     solution="floor((7 − 3) / 2) + 1 = 3",
...     mistakes={5: "That is the stride-1 size: divide I − k by the stride."},
... )
>>> ex.answer, ex.check(5), ex.check(3)
(3, False, True)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from cnnbook._validation import as_numeric_array, finite_real

__all__ = [
    "TASK_FIELDS",
    "THREE_DECIMALS",
    "ChoiceExercise",
    "Exercise",
    "Generator",
    "GridExercise",
    "NumberExercise",
    "Params",
    "TaskExercise",
]


#: A generator's parameters: plain JSON (the page stores them, the JavaScript port reads them).
Params = dict[str, Any]

#: The tolerance of an answer asked "to 3 decimals": a value rounded to 3 decimals is within
#: half a unit of the last one.
THREE_DECIMALS = 0.0005


def _text(name: str, value: Any) -> None:
    if not isinstance(value, str) or not value.strip():
        raise TypeError(f"{name} (={value!r}) must be a non-empty str (Markdown)")


def _hints(name: str, items: Any) -> None:
    for hint in items:
        _text(f"a hint of {name}", hint)


def _grids(name: str, arrays: Any) -> None:
    if not isinstance(arrays, Mapping):
        raise TypeError(f"{name} must map names to 2-D arrays, got {type(arrays).__name__}")
    for key, array in arrays.items():
        _text(f"a name of {name}", key)
        as_numeric_array(f"{name}[{key!r}]", array, ndim=2)


@dataclass(frozen=True)
class NumberExercise:
    """A question whose answer is one number.

    Parameters
    ----------
    question, solution : str
        Markdown (inline math ``$...$`` allowed). The solution is shown on request.
    answer : float
        Computed by the package.
    mistakes : mapping of float to str
        Known wrong answers and a hint that names the mistake (e.g. forgot the bias).
    tolerance : float
        Absolute tolerance of the check (0 for counts and sizes).
    generator : str or None
        Name of the :class:`Generator` that drew this exercise; the page's "new numbers"
        button then draws a fresh variant with its JavaScript port.
    params : mapping
        The parameters ``generator`` drew (JSON-serialisable).
    shown : mapping of str to 2-D array
        Arrays printed with the question as small tables (e.g. ``{"patch": x}``), as for
        a :class:`GridExercise`.
    """

    question: str
    answer: float
    solution: str
    mistakes: Mapping[float, str] = field(default_factory=dict)
    tolerance: float = 0.0
    generator: str | None = None
    params: Mapping[str, Any] = field(default_factory=dict)
    shown: Mapping[str, np.ndarray] = field(default_factory=dict)

    def __post_init__(self) -> None:
        _text("question", self.question)
        _text("solution", self.solution)
        finite_real("answer", self.answer)
        finite_real("tolerance", self.tolerance, minimum=0.0)
        if not isinstance(self.mistakes, Mapping):
            raise TypeError(f"mistakes must map wrong values to hints, got {self.mistakes!r}")
        for value in self.mistakes:
            finite_real("a mistaken value", value)
        _hints("mistakes", self.mistakes.values())
        _grids("shown", self.shown)

    def check(self, value: float) -> bool:
        """Whether ``value`` is the answer, within ``tolerance``."""
        return bool(abs(float(value) - float(self.answer)) <= self.tolerance)


@dataclass(frozen=True)
class GridExercise:
    """A question whose answer is a small 2-D array, filled in cell by cell.

    ``shown`` holds the arrays printed with the question (e.g. ``{"input": x, "kernel": k}``);
    ``mistakes`` pairs known wrong grids (e.g. the convolution when the correlation was
    asked) with a hint.
    """

    question: str
    shown: Mapping[str, np.ndarray]
    answer: np.ndarray
    solution: str
    mistakes: tuple[tuple[np.ndarray, str], ...] = ()
    tolerance: float = 0.0
    generator: str | None = None
    params: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        _text("question", self.question)
        _text("solution", self.solution)
        answer = as_numeric_array("answer", self.answer, ndim=2)
        if not np.all(np.isfinite(answer)):
            raise ValueError("answer must be finite in every cell")
        finite_real("tolerance", self.tolerance, minimum=0.0)
        _grids("shown", self.shown)
        for grid, hint in self.mistakes:
            wrong = as_numeric_array("a mistaken grid", grid, ndim=2)
            if wrong.shape != answer.shape:
                raise ValueError(
                    f"a mistaken grid has shape {wrong.shape}; the answer's is {answer.shape}"
                )
            _text("a hint of mistakes", hint)

    def check(self, grid: np.ndarray) -> bool:
        """Whether every cell of ``grid`` is the answer's, within ``tolerance``."""
        grid = np.asarray(grid, dtype=float)
        return grid.shape == np.shape(self.answer) and bool(
            np.all(np.abs(grid - self.answer) <= self.tolerance)
        )


@dataclass(frozen=True)
class ChoiceExercise:
    """Multiple choice aimed at a real misconception.

    ``explanations[i]`` says why option ``i`` is right or wrong; the page shows it after
    the learner picks ``i``.
    """

    question: str
    options: tuple[str, ...]
    correct: int
    explanations: tuple[str, ...]

    def __post_init__(self) -> None:
        _text("question", self.question)
        if isinstance(self.options, str) or len(self.options) < 2:
            raise ValueError(f"options (={self.options!r}) must be at least two answers")
        for option in self.options:
            _text("an option", option)
        if isinstance(self.correct, bool) or not isinstance(self.correct, int | np.integer):
            raise TypeError(f"correct (={self.correct!r}) must be an int, an option's index")
        if not 0 <= self.correct < len(self.options):
            raise ValueError(
                f"correct (={self.correct}) must index options (0 to {len(self.options) - 1})"
            )
        if isinstance(self.explanations, str) or len(self.explanations) != len(self.options):
            raise ValueError(
                f"explanations must hold one explanation per option ({len(self.options)}), "
                f"got {self.explanations!r}"
            )
        _hints("explanations", self.explanations)

    def check(self, choice: int) -> bool:
        """Whether option ``choice`` is the right one."""
        return int(choice) == self.correct


#: What a task may constrain: the Convolution Explorer's controls and its output size.
TASK_FIELDS = frozenset(
    "mode preset H W kh kw pt pb pl pr sh sw dh dw oph opw cin cout groups OH OW".split()
)


@dataclass(frozen=True)
class TaskExercise:
    """A goal reached by moving the controls of the Convolution Explorer, checked live.

    ``target`` maps explorer fields (``mode``, ``H``, ``kh``, ``pt``, ``sh``, ``dh``,
    ``oph``...; see :data:`TASK_FIELDS`) and its output size (``OH``, ``OW``) to the values
    the learner must reach. ``settings`` is one setting of the controls that reaches it,
    computed by the package (the worked solution); ``mistakes`` pairs partial states
    (e.g. ``{"OH": 3, "sh": 2}``) with a hint naming the mistake.
    """

    question: str
    target: Mapping[str, int | str]
    settings: Mapping[str, int | str]
    solution: str
    mistakes: tuple[tuple[Mapping[str, int | str], str], ...] = ()

    def __post_init__(self) -> None:
        _text("question", self.question)
        _text("solution", self.solution)
        for name, fields in (("target", self.target), ("settings", self.settings)):
            if not isinstance(fields, Mapping) or not fields:
                raise TypeError(f"{name} must be a non-empty mapping of explorer fields")
            unknown = sorted(set(fields) - TASK_FIELDS)
            if unknown:
                raise ValueError(f"{name} names unknown explorer fields {unknown}")
        for state, hint in self.mistakes:
            unknown = sorted(set(state) - TASK_FIELDS)
            if unknown:
                raise ValueError(f"a mistake names unknown explorer fields {unknown}")
            _text("a hint of mistakes", hint)

    def check(self, state: Mapping[str, int | str]) -> bool:
        """Whether the explorer ``state`` (its fields and output size) reaches the target."""
        return all(state.get(key) == value for key, value in self.target.items())


Exercise = NumberExercise | GridExercise | ChoiceExercise | TaskExercise


@dataclass(frozen=True)
class Generator:
    """Draws fresh parameters and builds the exercise for them.

    ``draw(rng)`` returns a JSON-serialisable dict of parameters; ``build(params)`` returns
    the exercise, its answer computed by the package. The site's JavaScript port of the
    generator (same ``name``) must give the same answer for the same parameters.
    """

    name: str
    draw: Callable[[np.random.Generator], dict[str, Any]]
    build: Callable[[dict[str, Any]], NumberExercise | GridExercise]

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise TypeError(f"name (={self.name!r}) must be a non-empty str")
        for what in ("draw", "build"):
            if not callable(getattr(self, what)):
                raise TypeError(f"{what} (={getattr(self, what)!r}) must be callable")

    def __call__(self, seed: int = 0) -> NumberExercise | GridExercise:
        """Build the exercise for the parameters drawn with ``seed``.

        The exercise carries ``generator=self.name`` and the drawn ``params`` (unless
        ``build`` set them), so the page gets its "New numbers" button.
        """
        params = self.draw(np.random.default_rng(seed))
        exercise = self.build(params)
        if exercise.generator is None:
            exercise = replace(exercise, generator=self.name, params=params)
        return exercise
