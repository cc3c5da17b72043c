"""How generated exercises write their numbers: plain text that JavaScript can reproduce.

A generator's question, solution and hints are compared byte for byte with its JavaScript
port, so they use only integers printed by ``str`` with the typographic minus (U+2212),
products written ``a·b`` with negative factors in parentheses, and rows ``[1, −2]``. Known
mistakes drop a value equal to the answer and keep the first hint of a repeated value.
The ports in ``docs/assets/exercises/*.js`` mirror these helpers.

Examples
--------
>>> import numpy as np
>>> products(np.array([[2, -1]]), np.array([[3, 4]])), rows(np.array([[1, -2]]))
('2·3 + (−1)·4', '[1, −2]')
>>> first_wins(5, [(4, "forgot the +1"), (5, "not a mistake"), (4, "again")])
{4: 'forgot the +1'}
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

__all__ = [
    "MINUS",
    "first_wins",
    "grid_mistakes",
    "int_grid",
    "integer",
    "paren",
    "products",
    "rows",
]

MINUS = "\u2212"


def integer(value: float) -> str:
    """Print an integer as the questions do (typographic minus, as the JS port)."""
    return str(int(value)).replace("-", MINUS)


def paren(value: float) -> str:
    """Print an integer factor of a written-out product: negative ones in parentheses."""
    return f"({integer(value)})" if value < 0 else integer(value)


def products(window: np.ndarray, kernel: np.ndarray) -> str:
    """Write ``a·k + b·l + …`` of a window and a kernel, row-major, as a solution does."""
    return " + ".join(
        f"{paren(a)}·{paren(b)}" for a, b in zip(window.ravel(), kernel.ravel(), strict=True)
    )


def rows(grid: np.ndarray) -> str:
    """Write the rows of an integer grid: ``[1, −2], [3, 4]``."""
    return ", ".join("[" + ", ".join(integer(v) for v in row) + "]" for row in grid)


def int_grid(
    rng: np.random.Generator, n_rows: int, n_cols: int, lo: int, hi: int
) -> list[list[int]]:
    """Draw an ``n_rows × n_cols`` grid of integers in ``[lo, hi]`` as plain JSON lists."""
    grid = rng.integers(lo, hi, size=(n_rows, n_cols), endpoint=True)
    return [[int(v) for v in row] for row in grid]


def grid_mistakes(
    answer: np.ndarray, pairs: Iterable[tuple[np.ndarray, str]]
) -> tuple[tuple[np.ndarray, str], ...]:
    """Keep known wrong grids that are not the answer, each once (the first hint stays)."""
    out: list[tuple[np.ndarray, str]] = []
    for grid, hint in pairs:
        if not np.array_equal(grid, answer) and not any(np.array_equal(grid, g) for g, _ in out):
            out.append((grid, hint))
    return tuple(out)


def first_wins(answer: Any, pairs: Iterable[tuple[Any, str]]) -> dict[Any, str]:
    """Keep known mistaken values that are not the answer, each once (first hint stays)."""
    out: dict[Any, str] = {}
    for value, hint in pairs:
        if value != answer and value not in out:
            out[value] = hint
    return out
