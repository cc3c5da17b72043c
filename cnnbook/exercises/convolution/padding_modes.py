"""Exercises of the page Padding Modes (``docs/padding-modes.md``).

Every answer is computed with ``cnnbook`` when the exercise is built; each generator
has a JavaScript port in ``docs/assets/exercises/convolution.js`` (same name, same plain text).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from cnnbook import conv2d, pad, pad_backward
from cnnbook.exercises import ChoiceExercise, Exercise, Generator, GridExercise, NumberExercise
from cnnbook.exercises.plain_text import grid_mistakes, number_mistakes, numbers_text

__all__ = ["GENERATORS", "PAGE", "exercises"]

PAGE = "padding-modes"

_PAD_MODES = ("reflect", "replicate", "circular")


_PAD_RULES = {
    "reflect": "reflect mirrors the row about its border pixel, which is not repeated",
    "replicate": "replicate repeats the border pixel",
    "circular": "circular wraps the opposite end around",
}
_PAD_HINTS = {
    "constant": "That is zero padding (mode constant).",
    "reflect": "That is reflect: mirrored about the border pixel, which is not repeated.",
    "replicate": "That is replicate: the border pixel repeated.",
    "circular": "That is circular: the opposite end wrapped around.",
}


def _pad_row_draw(rng: np.random.Generator) -> dict[str, Any]:
    n = int(rng.integers(4, 6))
    row = (rng.permutation(9)[:n] + 1).tolist()
    return {
        "row": row,
        "mode": str(rng.choice(_PAD_MODES)),
        "left": int(rng.integers(1, n)),
        "right": int(rng.integers(1, n)),
    }


def _pad_row_build(p: dict[str, Any]) -> GridExercise:
    row, mode, left, right = np.array(p["row"], float), p["mode"], p["left"], p["right"]

    def padded(m: str) -> np.ndarray:
        return np.asarray(pad(row[None, None, None], (left, right, 0, 0), m)[0, 0])

    answer = padded(mode)
    candidates = [(padded(m), _PAD_HINTS[m]) for m in _PAD_HINTS if m != mode]
    if mode == "reflect":
        candidates.append(
            (
                np.pad(row, (left, right), "symmetric")[None],
                "Repeated the border pixel in the mirror (NumPy's symmetric): reflect "
                "mirrors about it.",
            )
        )
    return GridExercise(
        question=(
            f"Pad the row {numbers_text(row)} with {left} cell(s) on the left and {right} on the "
            f"right in mode {mode}. Fill in the padded row."
        ),
        shown={"row": row[None]},
        answer=answer,
        solution=(
            f"{_PAD_RULES[mode][0].upper()}{_PAD_RULES[mode][1:]}: "
            f"{numbers_text(answer[0, :left])} | {numbers_text(row)} | "
            f"{numbers_text(answer[0, left + len(row) :])}."
        ),
        mistakes=grid_mistakes(answer, candidates),
        generator="pad-row",
        params=p,
    )


def padding_modes() -> list[Exercise]:
    """Exercises: a padded row, the gradient a copied pixel receives, exact equivariance."""
    # The right option is a fact: with circular padding, convolution commutes with a shift.
    x = np.random.default_rng(0).standard_normal((1, 1, 5, 6))
    w = np.random.default_rng(1).standard_normal((1, 1, 3, 3))

    def conv(v: np.ndarray) -> np.ndarray:
        return np.asarray(conv2d(pad(v, (1, 1, 1, 1), "circular"), w))

    if not np.allclose(conv(np.roll(x, 2, -1)), np.roll(conv(x), 2, -1)):
        raise RuntimeError("circular padding does not make the convolution equivariant")

    row = np.array([[[[1.0, 2.0, 3.0, 4.0]]]])
    grad = pad_backward(np.ones((1, 1, 1, 9)), row.shape, (3, 2, 0, 0), "reflect")
    answer = float(grad[0, 0, 0, 1])
    return [
        GENERATORS["pad-row"](0),
        NumberExercise(
            question=(
                "The row 1, 2, 3, 4 is padded in reflect mode with 3 cells on the left and 2 on "
                "the right, and every cell of the padded row receives gradient 1. How much "
                "gradient reaches the pixel 2?"
            ),
            answer=answer,
            solution=(
                "The padded row is 4, 3, 2 | 1, 2, 3, 4 | 3, 2: the pixel 2 appears once in the "
                f"image and once in each mirror, so it collects {answer:g}."
            ),
            mistakes=number_mistakes(
                answer,
                [
                    (
                        1.0,
                        "Forgot the copies: each padded cell sends its gradient back to the "
                        "pixel it copies.",
                    ),
                    (2.0, "Counted one side only: both mirrors copy this pixel."),
                ],
            ),
        ),
        ChoiceExercise(
            question=(
                "Under which padding is a stride-1 convolution exactly equivariant to circular "
                "shifts of its input, borders included?"
            ),
            options=("zeros", "reflect", "replicate", "circular"),
            correct=3,
            explanations=(
                "Zeros change what the border windows see when the image moves.",
                "A mirror at the border moves with the image's content only in the interior.",
                "The repeated border pixel changes when the image shifts.",
                "Right: the padding is the wrapped image itself, so shifting and convolving "
                "commute.",
            ),
        ),
    ]


exercises = padding_modes

GENERATORS: dict[str, Generator] = {
    g.name: g for g in (Generator("pad-row", _pad_row_draw, _pad_row_build),)
}
