"""Numbers written the same way by a generator in Python and by its JavaScript port.

A generator's question, solution and hints are plain text that must be byte-identical in
both languages, so numbers are never written with ``str`` (``4.0`` in Python is ``4`` in
JavaScript): :func:`number_text` rounds with integer arithmetic and uses the Unicode minus.
The JavaScript ports carry the same function (``num`` in ``docs/assets/exercises/*.js``).

Examples
--------
>>> number_text(4.0), number_text(-3), number_text(0.9 + 0.1 * 4 / 3), number_text(2.5)
('4', '−3', '1.0333', '2.5')
>>> kept_mistakes(3, [(3, "same as the answer"), (5, "a"), (5, "b"), (7, "c")])
{5.0: 'a', 7.0: 'c'}
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np

__all__ = ["factor_text", "grid_mistakes", "kept_mistakes", "number_text", "numbers_text"]


def number_text(value: float, decimals: int = 4) -> str:
    """Write ``value`` as an integer when it is one, else rounded to ``decimals`` places.

    Trailing zeros are dropped; a negative value gets the Unicode minus sign (U+2212).
    """
    scale = 10**decimals
    scaled = math.floor(abs(float(value)) * scale + 0.5)
    whole, frac = divmod(scaled, scale)
    text = str(whole) if frac == 0 else f"{whole}.{str(frac).zfill(decimals).rstrip('0')}"
    return ("−" if value < 0 and scaled else "") + text


def numbers_text(values: Iterable[float]) -> str:
    """``number_text`` of each value, joined by ``", "``."""
    return ", ".join(number_text(v) for v in values)


def factor_text(value: float) -> str:
    """Write a factor of a written product: a negative number in parentheses, ``(−2)``."""
    return f"({number_text(value)})" if value < 0 else number_text(value)


def kept_mistakes(answer: float, candidates: Iterable[tuple[float, str]]) -> dict[float, str]:
    """Keep the known mistakes that are really wrong, in order.

    A value equal to the answer or to an earlier mistake is dropped (the first hint wins).
    """
    kept: dict[float, str] = {}
    for value, hint in candidates:
        value = float(value)
        if value != float(answer) and value not in kept:
            kept[value] = hint
    return kept


def grid_mistakes(
    answer: np.ndarray, candidates: Iterable[tuple[np.ndarray, str]]
) -> tuple[tuple[np.ndarray, str], ...]:
    """Keep the grids that are really wrong: :func:`kept_mistakes` for grids."""
    kept: list[tuple[np.ndarray, str]] = []
    for grid, hint in candidates:
        grid = np.asarray(grid, dtype=float)
        same = [grid.shape == np.shape(g) and np.array_equal(grid, g) for g, _ in kept]
        if not (grid.shape == np.shape(answer) and np.array_equal(grid, answer)) and not any(same):
            kept.append((grid, hint))
    return tuple(kept)
