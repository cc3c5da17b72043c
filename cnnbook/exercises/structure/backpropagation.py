"""Exercises of the page ``docs/backpropagation-through-a-convolution.md``.

Every answer is computed with ``cnnbook`` when the exercise is built; each generator
has a JavaScript port in ``docs/assets/exercises/structure.js`` (same name, same plain text).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from cnnbook import conv2d_backward, convolve2d, correlate2d
from cnnbook.exercises import ChoiceExercise, Exercise, Generator, GridExercise, NumberExercise
from cnnbook.exercises.draws import int_list
from cnnbook.exercises.plain_text import factor_text, grid_mistakes, number_mistakes, number_text

__all__ = ["GENERATORS", "PAGE", "exercises"]

PAGE = "backpropagation-through-a-convolution"


def _kernel_gradient_draw(rng: np.random.Generator) -> dict[str, Any]:
    return {"x": int_list(rng, 0, 3, (4, 4)), "g": int_list(rng, -2, 2, (2, 2))}


def _kernel_gradient_build(p: dict[str, Any]) -> GridExercise:
    x, g = np.array(p["x"], float), np.array(p["g"], float)
    _, grad_w, _ = conv2d_backward(g[None, None], x[None, None], np.zeros((1, 1, 3, 3)))
    answer = grad_w[0, 0]
    return GridExercise(
        question=(
            "y is the valid correlation of the 4×4 input x with a 3×3 kernel w (stride 1, no "
            "padding). Given the output gradient g = dL/dy (2×2), fill in dL/dw (3×3)."
        ),
        shown={"input x": x, "output gradient g": g},
        answer=answer,
        solution=(
            "dL/dw[a, c] = Σ g[i, j] × x[i + a, j + c]: the valid correlation of x with g. "
            f"Top-left: {factor_text(g[0, 0])}×{factor_text(x[0, 0])} + {factor_text(g[0, 1])}×"
            f"{factor_text(x[0, 1])} + {factor_text(g[1, 0])}×{factor_text(x[1, 0])} + "
            f"{factor_text(g[1, 1])}×{factor_text(x[1, 1])} = {number_text(answer[0, 0])}."
        ),
        mistakes=grid_mistakes(
            answer,
            [
                (
                    convolve2d(x, g),
                    "Flipped the output gradient: dL/dw is a correlation of x with g, no flip.",
                )
            ],
        ),
        generator="conv-kernel-gradient",
        params=p,
    )


def backpropagation() -> list[Exercise]:
    """Exercises: a kernel gradient, an input gradient, where max pooling sends its gradient."""
    w = np.array([[1.0, 2.0, 0.0], [-1.0, 3.0, 1.0], [2.0, 0.0, -2.0]])
    g = np.array([[1.0, -1.0], [2.0, 1.0]])
    grad_x, _, _ = conv2d_backward(g[None, None], np.zeros((1, 1, 4, 4)), w[None, None])
    answer = float(grad_x[0, 0, 1, 1])
    unflipped = float(correlate2d(g, w, "full")[1, 1])
    return [
        GENERATORS["conv-kernel-gradient"](0),
        NumberExercise(
            question=(
                "A 4×4 input is correlated (valid, stride 1) with the kernel "
                "$w = \\begin{pmatrix} 1 & 2 & 0 \\\\ -1 & 3 & 1 \\\\ 2 & 0 & -2 \\end{pmatrix}$; "
                "the output gradient is "
                "$g = \\begin{pmatrix} 1 & -1 \\\\ 2 & 1 \\end{pmatrix}$. "
                "What is $\\partial L / \\partial x$ at row 1, column 1 (counting from 0)?"
            ),
            answer=answer,
            solution=(
                "Pixel $(1, 1)$ is read by all four windows, by the tap $w_{1-i,\\,1-j}$ of "
                "window $(i, j)$: $g_{00} w_{11} + g_{01} w_{10} + g_{10} w_{01} + g_{11} w_{00}$"
                f" = {answer:g} — the full convolution of $g$ with $w$."
            ),
            mistakes=number_mistakes(
                answer,
                [
                    (
                        unflipped,
                        "Used the kernel unflipped: the input gradient is a full "
                        "*convolution* of g with w.",
                    ),
                ],
            ),
        ),
        ChoiceExercise(
            question=(
                "In the backward pass of 2×2 max pooling (stride 2), where does a window's "
                "output gradient go?"
            ),
            options=(
                "All of it to the cell that held the window's maximum; the others get 0.",
                "A quarter of it to each of the four cells.",
                "All of it to every cell of the window.",
                "Nowhere: pooling has no weights, so it has no gradient.",
            ),
            correct=0,
            explanations=(
                "Right: only the winner affected the output.",
                "That is average pooling's backward.",
                "That would count the gradient four times.",
                "It has no weight gradient, but it must pass an input gradient to the layer below.",
            ),
        ),
    ]


exercises = backpropagation

GENERATORS: dict[str, Generator] = {
    g.name: g
    for g in (Generator("conv-kernel-gradient", _kernel_gradient_draw, _kernel_gradient_build),)
}
