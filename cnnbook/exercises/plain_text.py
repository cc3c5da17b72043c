"""Numbers, grids and known mistakes written the same way in Python and in the JS ports.

A generator's question, solution and hints are plain text that its JavaScript port must
reproduce byte for byte, so every number goes through :func:`num` (at most six decimals,
no trailing zeros, a real minus sign ``−``) and every grid through :func:`grid`; the
ports in ``docs/assets/exercises/*.js`` define the same two functions. Known mistakes
that coincide with the answer (or with an earlier mistake) are dropped by
:func:`number_mistakes` / :func:`grid_mistakes`, in the same order in both languages.

Examples
--------
>>> num(2.0), num(-0.25), num(1 / 3), fixed(-2 / 3, 3)
('2', '−0.25', '0.333333', '−0.667')
>>> grid([[1, -2], [0.5, 3]])
'[[1, −2], [0.5, 3]]'
>>> number_mistakes(4, [(4, "same as the answer"), (5, "a"), (5, "b")])
{5.0: 'a'}
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

__all__ = ["fixed", "grid", "grid_mistakes", "num", "number_mistakes", "operand"]

MINUS = "\u2212"


def num(x: float) -> str:
    """Write ``x`` with at most six decimals, no trailing zeros and a Unicode minus."""
    text = f"{float(x):.6f}".rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    return text.replace("-", MINUS)


def operand(x: float) -> str:
    """Write ``x`` by :func:`num`, in parentheses when negative (``2 × (−3)``)."""
    text = num(x)
    return f"({text})" if text.startswith(MINUS) else text


def fixed(x: float, decimals: int) -> str:
    """Write ``x`` with exactly ``decimals`` decimals (JavaScript's ``toFixed``) and ``−``."""
    text = f"{float(x):.{decimals}f}"
    if float(text) == 0:
        text = text.lstrip("-")
    return text.replace("-", MINUS)


def grid(a: Any) -> str:
    """Write a 2-D array row by row, ``[[1, 2], [3, 4]]``, each entry by :func:`num`."""
    rows = np.asarray(a, dtype=float)
    return "[" + ", ".join("[" + ", ".join(num(v) for v in row) + "]" for row in rows) + "]"


def number_mistakes(
    answer: float, pairs: Iterable[tuple[float, str]], tolerance: float = 0.0
) -> dict[float, str]:
    """Keep the known mistakes that differ from the answer and from every earlier mistake."""
    kept: dict[float, str] = {}
    for value, hint in pairs:
        v = float(value)
        if abs(v - answer) <= tolerance or any(abs(v - k) <= tolerance for k in kept):
            continue
        kept[v] = hint
    return kept


def grid_mistakes(
    answer: np.ndarray, pairs: Iterable[tuple[Any, str]], tolerance: float = 0.0
) -> tuple[tuple[np.ndarray, str], ...]:
    """Keep the known grid mistakes that differ from the answer and every earlier one."""
    kept: list[tuple[np.ndarray, str]] = []

    def same(a: np.ndarray, b: np.ndarray) -> bool:
        return a.shape == b.shape and bool(np.all(np.abs(a - b) <= tolerance))

    for value, hint in pairs:
        v = np.asarray(value, dtype=float)
        if same(v, answer) or any(same(v, k) for k, _ in kept):
            continue
        kept.append((v, hint))
    return tuple(kept)
