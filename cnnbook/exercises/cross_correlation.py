"""Exercises of the page Cross-Correlation and Convolution: the flip, and equivariance.

Examples
--------
>>> ex = CONVOLVE.build({"image": [[1, 0, 0], [0, 0, 0], [0, 0, 0]],
...                      "kernel": [[0, 0, 0], [0, 0, 0], [0, 0, 7]]})
>>> ex.answer, len(cross_correlation_and_convolution()) >= 3
(7.0, True)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from cnnbook.conv2d import conv2d
from cnnbook.correlation import convolve2d, correlate2d
from cnnbook.exercises.exercise import (
    ChoiceExercise,
    Exercise,
    Generator,
    GridExercise,
    NumberExercise,
)
from cnnbook.exercises.plain_text import (
    first_wins,
    grid_mistakes,
    int_grid,
    integer,
    products,
    rows,
)

__all__ = ["CONVOLVE", "CORRELATE", "cross_correlation_and_convolution"]


def _draw_correlate(rng: np.random.Generator) -> dict[str, Any]:
    return {"image": int_grid(rng, 4, 4, -2, 3), "kernel": int_grid(rng, 2, 2, -1, 2)}


def _build_correlate(p: dict[str, Any]) -> GridExercise:
    x, k = np.array(p["image"], dtype=float), np.array(p["kernel"], dtype=float)
    y = correlate2d(x, k)
    h, w = y.shape
    question = (
        f"Fill in the valid cross-correlation of the {x.shape[0]} × {x.shape[1]} input with the "
        f"{k.shape[0]} × {k.shape[1]} kernel, as a convolutional layer computes it: "
        f"a {h} × {w} output."
    )
    solution = (
        f"Each output cell is the sum of the {k.shape[0]} × {k.shape[1]} window under the kernel "
        f"times the kernel, cell by cell, the kernel as it is (no flip). Top-left: "
        f"{products(x[: k.shape[0], : k.shape[1]], k)} = {integer(y[0, 0])}. "
        f"Sliding one cell at a time gives the rows {rows(y)}."
    )
    mistakes = grid_mistakes(
        y,
        [
            (
                convolve2d(x, k),
                "You flipped the kernel: that is the convolution. A convolutional layer "
                "(and correlate2d) slides the kernel as it is.",
            ),
            (
                correlate2d(x, k.T),
                "You transposed the kernel (swapped its rows and columns): lay it on the "
                "window as it is printed.",
            ),
        ],
    )
    return GridExercise(
        question=question,
        shown={"input": x, "kernel": k},
        answer=y,
        solution=solution,
        mistakes=mistakes,
    )


CORRELATE = Generator("correlate-grid", _draw_correlate, _build_correlate)


def _draw_convolve(rng: np.random.Generator) -> dict[str, Any]:
    return {"image": int_grid(rng, 3, 3, -3, 5), "kernel": int_grid(rng, 3, 3, -2, 2)}


def _build_convolve(p: dict[str, Any]) -> NumberExercise:
    x, k = np.array(p["image"], dtype=float), np.array(p["kernel"], dtype=float)
    y = float(convolve2d(x, k)[0, 0])
    flipped = k[::-1, ::-1]
    question = (
        "What is the true convolution (x * k)[0, 0] of this 3 × 3 patch with this 3 × 3 "
        "kernel, as scipy.signal.convolve2d computes it?"
    )
    solution = (
        f"Flip the kernel in both axes (rotate it by 180°): its rows become {rows(flipped)}. "
        f"Then multiply cell by cell and add: {products(x, flipped)} = {integer(y)}."
    )
    mistakes = first_wins(
        y,
        [
            (
                float(correlate2d(x, k)[0, 0]),
                "You did not flip the kernel: that is the cross-correlation. Convolution "
                "rotates the kernel by 180° first.",
            ),
            (
                float(correlate2d(x, k[::-1, :])[0, 0]),
                "You flipped only the rows: a 180° rotation flips the columns too.",
            ),
            (
                float(correlate2d(x, k[:, ::-1])[0, 0]),
                "You flipped only the columns: a 180° rotation flips the rows too.",
            ),
            (
                float(correlate2d(x, k.T)[0, 0]),
                "You transposed the kernel: a flip reverses both axes, a transpose swaps them.",
            ),
        ],
    )
    return NumberExercise(
        question=question,
        answer=y,
        solution=solution,
        mistakes=mistakes,
        shown={"x": x, "k": k},
    )


CONVOLVE = Generator("convolve-entry", _draw_convolve, _build_convolve)


def _what_conv2d_computes() -> ChoiceExercise:
    rng = np.random.default_rng(15)
    x, w = rng.normal(size=(1, 1, 5, 5)), rng.normal(size=(1, 1, 3, 3))
    layer = conv2d(x, w)[0, 0]
    correlates = np.allclose(layer, correlate2d(x[0, 0], w[0, 0]))
    convolves = np.allclose(layer, convolve2d(x[0, 0], w[0, 0]))
    if correlates == convolves:  # cannot happen for a random kernel; never a silent key
        raise RuntimeError("conv2d matched both or neither of correlate2d and convolve2d")
    correct = 0 if correlates else 1
    return ChoiceExercise(
        question=(
            "A convolutional layer (PyTorch's `conv2d`, `cnnbook.conv2d`) with weight $k$ "
            "computes, at each position, which of these?"
        ),
        options=(
            "The cross-correlation with $k$: the kernel slides as it is",
            "The convolution with $k$: the kernel is flipped by 180° first",
            "The convolution, but only for odd kernel sizes",
            "Either, decided at random when the layer is created",
        ),
        correct=correct,
        explanations=(
            "Right: deep-learning libraries call it convolution but compute the "
            "cross-correlation (checked here: `conv2d` equals `correlate2d` on a random "
            "input). Since the kernel is learned, the flip would not change what a network "
            "can learn.",
            "That is `scipy.signal.convolve2d`, which flips. A layer does not flip: compare "
            "[[Cross-Correlation and Convolution#The formula|the two formulas]].",
            "The kernel size decides nothing here: no library flips odd kernels only.",
            "The operation is fixed by the library: cross-correlation, every time.",
        ),
    )


def _shift_equivariance() -> ChoiceExercise:
    rng = np.random.default_rng(3)
    x = np.zeros((8, 8))
    x[2:5, 1:4] = rng.integers(1, 5, size=(3, 3))
    k = rng.integers(-2, 3, size=(3, 3)).astype(float)
    shifted = np.roll(x, 1, axis=1)  # the content stays inside the zero border
    y, y_shifted = correlate2d(x, k), correlate2d(shifted, k)
    moves_with = np.array_equal(y_shifted[:, 1:], y[:, :-1])
    stays = np.array_equal(y_shifted, y)
    if not moves_with or stays:
        raise RuntimeError("the example does not show shift equivariance")
    return ChoiceExercise(
        question=(
            "An image holds a small object on a zero background. Shift the image one pixel "
            "to the right and correlate it with the same kernel. What happens to the output?"
        ),
        options=(
            "The same output, shifted one pixel to the right (equivariance)",
            "Exactly the same output: the convolution does not notice the shift (invariance)",
            "A different output with no simple relation to the first",
            "The same output, shifted one pixel to the left",
        ),
        correct=0,
        explanations=(
            "Right: the same weights at every position make correlation shift-*equivariant* "
            "(checked here with `correlate2d` on a shifted image). Invariance comes later, "
            "from pooling over positions.",
            "That is invariance, which a convolution alone does not have: the output map "
            "moves with the object. Pooling (global pooling most of all) adds invariance; "
            "see [[Translation Invariance]].",
            "Weight sharing makes the relation exact: the output moves with the input.",
            "The window at output position $j$ reads input positions $j$ to $j + k - 1$: "
            "moving the input right moves the output right, not left.",
        ),
    )


def cross_correlation_and_convolution() -> list[Exercise]:
    """Return the exercises of the page Cross-Correlation and Convolution."""
    return [
        CORRELATE(seed=2),
        _what_conv2d_computes(),
        CONVOLVE(seed=5),
        _shift_equivariance(),
    ]
