r"""One problem of the Problem Set: the record, and its arrays written as KaTeX.

A [`Problem`][cnnbook.exercises.problem.Problem] holds a statement and a solution in
Markdown (math as ``$...$``) and the answers the package computed; `katex_matrix` and
`katex_vector` write the givens and results into that Markdown.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = ["Problem", "katex_matrix", "katex_vector"]


@dataclass(frozen=True)
class Problem:
    """One problem: its givens and question, its computed solution and answers.

    ``statement`` and ``solution`` are Markdown (math as ``$...$``); ``answers`` holds the
    computed results by name, for the tests; ``pages`` names the site pages it draws on.
    """

    title: str
    pages: tuple[str, ...]
    statement: str
    solution: str
    answers: Mapping[str, Any] = field(default_factory=dict)


def katex_matrix(a: Any, digits: int | None = None) -> str:
    r"""Format an array as an inline KaTeX matrix (integers as they are, floats to `digits`).

    Examples
    --------
    >>> print(katex_matrix([[1, 2], [3, 4]]))
    $\begin{bmatrix} 1 & 2 \\ 3 & 4 \end{bmatrix}$
    """
    a = np.atleast_2d(np.asarray(a))

    def cell(v: Any) -> str:
        if digits is None or float(v).is_integer():
            return str(int(v)) if float(v).is_integer() else repr(float(v))
        return f"{float(v):.{digits}f}"

    rows = r" \\ ".join(" & ".join(cell(v) for v in row) for row in a)
    return rf"$\begin{{bmatrix}} {rows} \end{{bmatrix}}$"


def katex_vector(a: Any, digits: int = 4) -> str:
    """Format an array as an inline KaTeX tuple, each value to `digits` decimals.

    Examples
    --------
    >>> katex_vector([0.5, 1], digits=2)
    '$(0.50, 1.00)$'
    """
    return "$(" + ", ".join(f"{float(v):.{digits}f}" for v in np.ravel(a)) + ")$"
