"""Exercises of the page Effective Receptive Field (``docs/effective-receptive-field.md``)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from cnnbook.conv2d import conv2d_backward
from cnnbook.effective_receptive_field import effective_receptive_field
from cnnbook.exercises import ChoiceExercise, Exercise, Generator, GridExercise, NumberExercise
from cnnbook.exercises.exercise import Params
from cnnbook.exercises.plain_text import grid, grid_mistakes, num, number_mistakes
from cnnbook.receptive_field import receptive_field

__all__ = ["GENERATORS", "PAGE", "exercises"]

PAGE = "effective-receptive-field"


def _draw_gradient_map(rng: np.random.Generator) -> Params:
    return {
        "w1": rng.integers(-2, 3, size=(2, 2)).tolist(),
        "w2": rng.integers(-2, 3, size=(2, 2)).tolist(),
    }


def _build_gradient_map(p: Params) -> GridExercise:
    w1 = np.asarray(p["w1"], dtype=float)
    w2 = np.asarray(p["w2"], dtype=float)
    x = np.zeros((1, 1, 3, 3))  # the stack is linear: its gradient does not depend on x
    h = np.zeros((1, 1, 2, 2))
    grad_h = conv2d_backward(np.ones((1, 1, 1, 1)), h, w2[None, None])[0]
    answer = conv2d_backward(grad_h, x, w1[None, None])[0][0, 0]
    flipped = np.zeros((3, 3))  # a kernel flipped: the correlation of the kernels
    for a in range(2):
        for b in range(2):
            flipped[a : a + 2, b : b + 2] += w1[a, b] * w2[::-1, ::-1]
    mistakes = grid_mistakes(
        answer,
        [
            (
                flipped,
                "Flipped the second kernel: a path through w1[a][b] continues through "
                "w2[i − a][j − b], a convolution of the kernels with no flip.",
            ),
        ],
    )
    return GridExercise(
        question=(
            "A 3×3 input x goes through two 2×2 convolutions (cross-correlations, no "
            "padding, no bias, no nonlinearity) with the kernels w1 then w2, giving a "
            "single output y. Fill in the gradient map ∂y/∂x[i][j]."
        ),
        shown={"w1": w1, "w2": w2},
        answer=answer,
        solution=(
            "Every path from x[i][j] to y goes through one tap w1[a][b] and one tap "
            "w2[i − a][j − b]; summing over the paths gives the full convolution of the "
            f"two kernels: {grid(answer)}."
        ),
        mistakes=mistakes,
        generator="two-layer-gradient-map",
        params=p,
    )


GRADIENT_MAP = Generator("two-layer-gradient-map", _draw_gradient_map, _build_gradient_map)


def _equal_weight_stack(n: int) -> Any:
    from cnnbook import nn

    convs = [nn.Conv2d(1, 1, 3, padding=1, bias=False, dtype=np.float64) for _ in range(n)]
    for conv in convs:
        conv.weight.data[:] = 1.0
    return nn.Sequential(*convs)


def exercises() -> list[Exercise]:
    """Return the page's exercises, in the order the page shows them."""
    n = 4
    size = 2 * n + 3
    field = effective_receptive_field(_equal_weight_stack(n), size, samples=1).magnitude
    centre = float(field[size // 2, size // 2])
    box = receptive_field([{"kernel_size": 3, "padding": 1}] * n)[-1].size[0]
    return [
        GRADIENT_MAP(0),
        NumberExercise(
            question=(
                f"{n} stacked 3 × 3 convolutions, every weight 1, no bias, no nonlinearity. "
                "The gradient of the centre output unit with respect to an input cell "
                "counts the paths from that cell to the unit. How large is it at the "
                "centre cell?"
            ),
            answer=centre,
            solution=(
                "The map is the box [1, 1, 1] convolved with itself "
                f"{n} times along each axis; its middle entry along one axis is "
                f"{num(math.sqrt(centre))}, so the centre of the 2-D map is "
                f"{num(math.sqrt(centre))}² = {num(centre)}. The corners of the "
                f"{box} × {box} box get 1."
            ),
            mistakes=number_mistakes(
                centre,
                [
                    (
                        float(field.sum()),
                        "That is the number of all paths, from every input cell (the sum "
                        "of the map).",
                    ),
                    (9.0**n / box**2, "Spread the paths evenly over the box: they are not even."),
                    (
                        math.sqrt(centre),
                        "That is the count along one axis: the 2-D map is its square.",
                    ),
                ],
            ),
        ),
        ChoiceExercise(
            question=(
                "A stack of stride-1 3 × 3 convolutions is made four times deeper. What "
                "happens to the theoretical receptive field (the box) and to the spread of "
                "the effective receptive field?"
            ),
            options=(
                "Both grow about four times.",
                "The box grows about four times, the effective spread about twice (√4).",
                "The box grows four times, the effective field stays the same.",
                "The effective field grows faster than the box.",
            ),
            correct=1,
            explanations=(
                "Only the box grows linearly with depth; the effective field is a sum of "
                "n small random steps.",
                "Right: r = n(k − 1) + 1, σ = √(n(k² − 1)/12), so the effective field fills "
                "a shrinking fraction of the box.",
                "It does grow, like √n, as a repeated convolution spreads.",
                "It cannot: nothing outside the box moves the unit.",
            ),
        ),
    ]


GENERATORS: dict[str, Generator] = {g.name: g for g in (GRADIENT_MAP,)}
