"""Exercises of the page Understanding Pooling Layers (``docs/understanding-pooling-layers.md``).

Every answer is computed with ``cnnbook`` when the exercise is built; each generator
has a JavaScript port in ``docs/assets/exercises/structure.js`` (same name, same plain text).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from cnnbook import avg_pool2d_backward, max_pool2d, max_pool2d_backward, pool_output_size
from cnnbook.exercises import ChoiceExercise, Exercise, Generator, GridExercise, NumberExercise
from cnnbook.exercises.draws import int_list
from cnnbook.exercises.plain_text import grid_mistakes, number_mistakes, number_text, numbers_text

__all__ = ["GENERATORS", "PAGE", "exercises"]

PAGE = "understanding-pooling-layers"


def _max_pool_draw(rng: np.random.Generator) -> dict[str, Any]:
    return {"x": int_list(rng, 0, 9, (4, 4)), "stride": int(rng.integers(1, 3))}


def _max_pool_build(p: dict[str, Any]) -> GridExercise:
    x, stride = np.array(p["x"], float), p["stride"]
    answer = max_pool2d(x[None, None], 2, stride=stride)[0, 0]
    size = pool_output_size(4, 2, stride)
    windows = [
        x[i * stride : i * stride + 2, j * stride : j * stride + 2]
        for i in range(size)
        for j in range(size)
    ]
    mean = np.array([w.mean() for w in windows]).reshape(size, size)
    return GridExercise(
        question=(
            f"Max pooling with a 2×2 window and stride {stride} on the 4×4 input: fill in the "
            f"{size}×{size} output."
        ),
        shown={"input": x},
        answer=answer,
        solution=(
            f"⌊(4 − 2) / {stride}⌋ + 1 = {size} windows per axis, {stride} apart; each output "
            f"is its window's largest value. Top-left window: {numbers_text(windows[0].ravel())}"
            f" → {number_text(answer[0, 0])}."
        ),
        mistakes=grid_mistakes(
            answer, [(mean, "Took each window's mean: that is average pooling.")]
        ),
        generator="max-pool-output",
        params=p,
    )


def _tie_gradient() -> GridExercise:
    """Max pooling's backward on windows with ties: the first maximum (row-major) wins."""
    x = np.array(
        [[2.0, 5.0, 1.0, 1.0], [5.0, 0.0, 3.0, 0.0], [4.0, 1.0, 6.0, 2.0], [0.0, 3.0, 2.0, 6.0]]
    )
    g = np.array([[1.0, 2.0], [3.0, 4.0]])
    answer = max_pool2d_backward(g[None, None], x[None, None], 2)[0, 0]
    every_tie = np.zeros_like(x)
    for i in range(2):
        for j in range(2):
            window = x[2 * i : 2 * i + 2, 2 * j : 2 * j + 2]
            every_tie[2 * i : 2 * i + 2, 2 * j : 2 * j + 2] += g[i, j] * (window == window.max())
    return GridExercise(
        question=(
            "2×2 max pooling with stride 2 reads the 4×4 input; the gradient of its 2×2 "
            "output is $g$. Fill in the gradient of the input (ties go as in PyTorch)."
        ),
        shown={"input": x, "output gradient g": g},
        answer=answer,
        solution=(
            "Each window sends its whole gradient to its maximum, the others get 0. Two windows "
            "hold a tie (the 5s at the top left, the 6s at the bottom right): the gradient goes "
            "to the first maximum in row-major order, as in PyTorch."
        ),
        mistakes=grid_mistakes(
            answer,
            [
                (every_tie, "Gave the gradient to every tied cell: only the first one gets it."),
                (
                    avg_pool2d_backward(g[None, None], x[None, None], 2)[0, 0],
                    "Spread it over the window: that is average pooling's backward.",
                ),
            ],
        ),
    )


def pooling() -> list[Exercise]:
    """Exercises: a max-pooled grid, the default stride, what a shift does to the pooled map."""
    # The right option is a fact: a circular shift by the stride moves the map one cell.
    x = np.random.default_rng(0).standard_normal((1, 1, 6, 6))
    if not np.array_equal(max_pool2d(np.roll(x, 2, -1), 2), np.roll(max_pool2d(x, 2), 1, -1)):
        raise RuntimeError("max pooling is not equivariant at its stride")

    size = pool_output_size(9, 3)
    return [
        GENERATORS["max-pool-output"](0),
        NumberExercise(
            question="`MaxPool2d(3)` on a 9×9 feature map: what is the output's width?",
            answer=size,
            solution=(
                "The stride defaults to the kernel size, 3: "
                f"$\\lfloor (9 - 3) / 3 \\rfloor + 1 = $ {size}."
            ),
            mistakes=number_mistakes(
                size,
                [
                    (
                        pool_output_size(9, 3, 1),
                        "Assumed stride 1: pooling's stride defaults to the kernel size.",
                    ),
                    ((9 - 3) // 3, "Forgot the +1."),
                ],
            ),
        ),
        _tie_gradient(),
        ChoiceExercise(
            question=(
                "The input of a 2×2, stride-2 max pooling is shifted right by 2 pixels "
                "(circularly). What happens to the pooled map?"
            ),
            options=(
                "Nothing: pooling makes the network translation invariant.",
                "It shifts right by one cell: pooling is equivariant at the coarser scale.",
                "It shifts right by 2 cells.",
                "It changes unpredictably.",
            ),
            correct=1,
            explanations=(
                "Only an isolated feature moving within its window leaves the maximum "
                "unchanged; a shift by the stride moves the whole map.",
                "Right: shifting by the stride moves every window onto the next one.",
                "The pooled map has half the resolution: 2 pixels are one cell.",
                "A shift by a multiple of the stride moves the map by whole cells.",
            ),
        ),
    ]


exercises = pooling

GENERATORS: dict[str, Generator] = {
    g.name: g for g in (Generator("max-pool-output", _max_pool_draw, _max_pool_build),)
}
