"""Numbers, grids and known mistakes written the same way in Python and in the JS ports.

A generator's question, solution and hints are plain text that its JavaScript port must
reproduce byte for byte, so numbers are never written with ``str`` (``4.0`` in Python is
``4`` in JavaScript). Every helper here is mirrored once, under the same name in camelCase,
in ``docs/assets/exercises/plain_text.js`` (``window.cnnbookExercises.plainText``), which
the ports of every section share. Two number styles are in use, by section:

- :func:`num` (at most six decimals, no trailing zeros, a real minus sign ``−``, rounded as
  Python's ``format`` and JavaScript's ``toFixed`` round), with :func:`operand`,
  :func:`fixed` and :func:`grid`: the Key Concepts, Learning and What a Network Sees
  sections.
- :func:`number_text` (four decimals by default, rounded half up with integer arithmetic),
  with :func:`numbers_text` and :func:`factor_text`: the Convolution and Structure sections.

Known mistakes that coincide with the answer (or with an earlier mistake) are dropped by
:func:`number_mistakes` / :func:`grid_mistakes`, in the same order in both languages.

Examples
--------
>>> num(2.0), num(-0.25), num(1 / 3), fixed(-2 / 3, 3)
('2', '−0.25', '0.333333', '−0.667')
>>> grid([[1, -2], [0.5, 3]])
'[[1, −2], [0.5, 3]]'
>>> number_mistakes(4, [(4, "same as the answer"), (5, "a"), (5, "b")])
{5.0: 'a'}
>>> number_text(4.0), number_text(-3), number_text(0.9 + 0.1 * 4 / 3), number_text(2.5)
('4', '−3', '1.0333', '2.5')

Integer-only helpers (the Convolution basics section): :func:`integer`, :func:`paren`,
:func:`products` (``a·k + b·l``), :func:`rows` and :func:`first_wins` (the mistakes as
given, keys unchanged).

>>> products(np.array([[2, -1]]), np.array([[3, 4]])), rows(np.array([[1, -2]]))
('2·3 + (−1)·4', '[1, −2]')
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import numpy as np

__all__ = [
    "channels",
    "factor_text",
    "first_wins",
    "fixed",
    "grid",
    "grid_mistakes",
    "int_grid",
    "integer",
    "num",
    "number_mistakes",
    "number_text",
    "numbers_text",
    "operand",
    "paren",
    "products",
    "rows",
]

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


def number_text(value: float, decimals: int = 4) -> str:
    """Write ``value`` as an integer when it is one, else rounded to ``decimals`` places.

    Rounded half up with integer arithmetic (as the JavaScript port does); trailing zeros
    are dropped; a negative value gets the Unicode minus sign (U+2212).
    """
    scale = 10**decimals
    scaled = math.floor(abs(float(value)) * scale + 0.5)
    whole, frac = divmod(scaled, scale)
    text = str(whole) if frac == 0 else f"{whole}.{str(frac).zfill(decimals).rstrip('0')}"
    return (MINUS if value < 0 and scaled else "") + text


def numbers_text(values: Iterable[float]) -> str:
    """:func:`number_text` of each value, joined by ``", "``."""
    return ", ".join(number_text(v) for v in values)


def factor_text(value: float) -> str:
    """Write a factor of a written product by :func:`number_text`: negative in parentheses."""
    return f"({number_text(value)})" if value < 0 else number_text(value)


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
    answer: Any, pairs: Iterable[tuple[Any, str]], tolerance: float = 0.0
) -> tuple[tuple[np.ndarray, str], ...]:
    """Keep the known grid mistakes that differ from the answer and every earlier one."""
    answer = np.asarray(answer, dtype=float)
    kept: list[tuple[np.ndarray, str]] = []

    def same(a: np.ndarray, b: np.ndarray) -> bool:
        return a.shape == b.shape and bool(np.all(np.abs(a - b) <= tolerance))

    for value, hint in pairs:
        v = np.asarray(value, dtype=float)
        if same(v, answer) or any(same(v, k) for k, _ in kept):
            continue
        kept.append((v, hint))
    return tuple(kept)


def channels(count: int) -> str:
    """Write a number of channels: ``1 channel``, ``3 channels``."""
    return f"{count} channel" + ("" if count == 1 else "s")


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


def first_wins(answer: Any, pairs: Iterable[tuple[Any, str]]) -> dict[Any, str]:
    """Keep known mistaken values that are not the answer, each once (first hint stays)."""
    out: dict[Any, str] = {}
    for value, hint in pairs:
        if value != answer and value not in out:
            out[value] = hint
    return out
