"""Exercises of the page Edge Detection (``docs/edge-detection.md``).

Every answer is computed with ``cnnbook`` when the exercise is built; each generator
has a JavaScript port in ``docs/assets/exercises/convolution.js`` (same name, same plain text).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from cnnbook import edge_detect
from cnnbook.exercises import ChoiceExercise, Exercise, Generator, NumberExercise
from cnnbook.exercises.draws import int_list
from cnnbook.exercises.plain_text import number_mistakes, number_text

__all__ = ["GENERATORS", "PAGE", "exercises"]

PAGE = "edge-detection"


def _grid_text(grid: np.ndarray) -> str:
    """Rows of a small grid, ``1 2 / 3 4``."""
    return " / ".join(" ".join(number_text(v) for v in row) for row in grid)


def _sobel_draw(rng: np.random.Generator) -> dict[str, Any]:
    return {"patch": int_list(rng, 0, 9, (3, 3))}


def _sobel_build(p: dict[str, Any]) -> NumberExercise:
    patch = np.array(p["patch"], float)
    answer = float(edge_detect(patch, mode="valid").gx[0, 0])
    right, left = patch[:, 2], patch[:, 0]
    return NumberExercise(
        question=(
            "Apply sobel_x (rows: −1 0 1 / −2 0 2 / −1 0 1) by cross-correlation to the 3×3 "
            f"patch with rows {_grid_text(patch)}. What is g_x at its centre?"
        ),
        answer=answer,
        solution=(
            "Right column minus left column, the middle row counted twice: "
            f"({number_text(right[0])} + 2×{number_text(right[1])} + {number_text(right[2])}) − "
            f"({number_text(left[0])} + 2×{number_text(left[1])} + {number_text(left[2])}) = "
            f"{number_text(answer)}."
        ),
        mistakes=number_mistakes(
            answer,
            [
                (-answer, "Flipped the kernel (convolution): the sign of g_x is reversed."),
                (
                    float(edge_detect(patch, mode="valid").gy[0, 0]),
                    "Used sobel_y: that is the derivative down the rows.",
                ),
                (
                    float(edge_detect(patch, operator="prewitt", mode="valid").gx[0, 0]),
                    "Weighted the three rows equally (Prewitt): Sobel counts the middle row twice.",
                ),
            ],
        ),
        shown={"patch": patch},
        generator="sobel-gx",
        params=p,
    )


def edge_detection() -> list[Exercise]:
    """Exercises: g_x of a patch, the gain on a ramp, which way the gradient points."""
    # The right option is a fact: an image brighter below has direction +90 degrees.
    below = np.repeat(np.arange(5.0)[:, None], 5, axis=1)
    if not np.allclose(edge_detect(below, mode="valid").direction, np.pi / 2):
        raise RuntimeError("brighter below is not theta = +90 degrees")

    ramp = np.tile(2.0 * np.arange(6.0), (6, 1))
    gain = float(edge_detect(ramp, mode="valid").gx[0, 0])
    return [
        GENERATORS["sobel-gx"](0),
        NumberExercise(
            question=(
                "An image is a ramp whose brightness rises by 2 per pixel to the right. What "
                "does `edge_detect` (Sobel) give for $g_x$ inside it?"
            ),
            answer=gain,
            solution=(
                "The kernel's gain is the sum of its smoothing weights (1 + 2 + 1) times the "
                f"two-pixel span of the difference, 8; times the slope 2: {gain:g}."
            ),
            mistakes=number_mistakes(
                gain,
                [
                    (
                        2.0,
                        "Read it as the derivative: Sobel has a gain of 8 that `edge_detect` "
                        "does not divide out.",
                    ),
                    (
                        float(edge_detect(ramp, operator="prewitt", mode="valid").gx[0, 0]),
                        "That is Prewitt's response (gain 6).",
                    ),
                    (8.0, "That is a ramp of 1 per pixel: multiply by the slope."),
                ],
            ),
        ),
        ChoiceExercise(
            question=(
                "At a pixel, `edge_detect` returns a direction $\\theta = +90°$. What does the "
                "image do there?"
            ),
            options=(
                "It gets brighter downward.",
                "It gets brighter upward.",
                "It gets brighter to the right.",
                "It is flat: the gradient is zero.",
            ),
            correct=0,
            explanations=(
                "Right: $\\theta$ is measured from the $+j$ axis (right) towards $+i$, and rows "
                "point down.",
                "That would be $-90°$: the row index $i$ points down, not up.",
                "That is $\\theta = 0$.",
                "A zero gradient has no meaningful direction.",
            ),
        ),
    ]


exercises = edge_detection

GENERATORS: dict[str, Generator] = {
    g.name: g for g in (Generator("sobel-gx", _sobel_draw, _sobel_build),)
}
