"""Exercises of the page Translation Invariance (``docs/translation-invariance.md``)."""

from __future__ import annotations

import numpy as np

from cnnbook.exercises import ChoiceExercise, Exercise, Generator, GridExercise, NumberExercise
from cnnbook.exercises.exercise import Params
from cnnbook.exercises.plain_text import grid, grid_mistakes, number_mistakes
from cnnbook.global_invariance import total_stride
from cnnbook.pooling import max_pool2d

__all__ = ["GENERATORS", "PAGE", "exercises"]

PAGE = "translation-invariance"


def _draw_total_stride(rng: np.random.Generator) -> Params:
    layers = []
    for _ in range(3):
        if rng.random() < 0.5:
            layers.append(["conv", int(rng.integers(1, 3))])
        else:
            layers.append(["max_pool", int(rng.integers(2, 4))])
    if all(s == 1 for _, s in layers):
        layers[1] = ["max_pool", 2]
    return {"layers": layers}


def _layer_text(kind: str, s: int) -> str:
    return f"a 3×3 convolution with stride {s}" if kind == "conv" else f"a {s}×{s} max pool"


def _build_total_stride(p: Params) -> NumberExercise:
    layers = [(str(kind), int(s)) for kind, s in p["layers"]]
    answer = total_stride(layers)
    strides = [s for _, s in layers]
    mistakes = number_mistakes(
        answer,
        [
            (sum(strides), "Added the strides: the total stride is their product."),
            (
                strides[-1],
                "Used only the last layer's stride: every stride before global pooling multiplies.",
            ),
            (
                1,
                "Global pooling is exactly invariant to every shift only when the total "
                "stride is 1.",
            ),
            (max(strides), "Took the largest stride: the strides multiply."),
        ],
    )
    described = ", ".join(_layer_text(kind, s) for kind, s in layers)
    return NumberExercise(
        question=(
            f"A network with circular padding: {described}, each followed by a ReLU, then "
            "global average pooling. What is the smallest positive horizontal circular "
            "shift of the input that leaves its output exactly unchanged for any weights?"
        ),
        answer=answer,
        solution=(
            "A shift passes through exactly only if every strided layer can match it by a "
            "whole shift of its output, i.e. if it is a multiple of the total stride, the "
            f"product of the strides (a pool's stride is its size): "
            f"{' × '.join(map(str, strides))} = {answer}."
        ),
        mistakes=mistakes,
        generator="total-stride",
        params={"layers": [list(layer) for layer in layers]},
    )


TOTAL_STRIDE = Generator("total-stride", _draw_total_stride, _build_total_stride)


def _draw_pooled_shift(rng: np.random.Generator) -> Params:
    return {"x": rng.integers(0, 10, size=(4, 6)).tolist()}


def _build_pooled_shift(p: Params) -> GridExercise:
    x = np.asarray(p["x"], dtype=float)
    pooled = max_pool2d(x[None, None], 2)[0, 0]
    answer = max_pool2d(np.roll(x, 2, axis=-1)[None, None], 2)[0, 0]
    mistakes = grid_mistakes(
        answer,
        [
            (
                pooled,
                "That is the pooled map of the original: pooling is not invariant, its map moves.",
            ),
            (
                np.roll(pooled, 2, axis=-1),
                "Moved the pooled map by 2 cells: it moves by shift ÷ stride = 1 cell.",
            ),
        ],
    )
    return GridExercise(
        question=(
            "The 4×6 map x is max pooled with 2×2 windows and stride 2 (a 2×3 result). Now "
            "x is shifted circularly two columns to the right. Fill in the pooled map of "
            "the shifted x."
        ),
        shown={"x": x},
        answer=answer,
        solution=(
            "A 2-column shift moves every 2×2 window onto the next window: the pooled map "
            "moves by 2 ÷ 2 = 1 cell (equivariance at the coarser scale), its last column "
            f"wrapping to the front: {grid(answer)}."
        ),
        mistakes=mistakes,
        generator="pooled-shift",
        params=p,
    )


POOLED_SHIFT = Generator("pooled-shift", _draw_pooled_shift, _build_pooled_shift)


def exercises() -> list[Exercise]:
    """Return the page's exercises, in the order the page shows them."""
    return [
        TOTAL_STRIDE(0),
        POOLED_SHIFT(0),
        ChoiceExercise(
            question=(
                "A circularly padded network: 3 × 3 convolution, 2 × 2 max pool, 3 × 3 "
                "convolution, global average pooling. The input is shifted by one pixel. "
                "Is the output exactly unchanged?"
            ),
            options=(
                "Yes: global pooling forgets position, so every shift is removed.",
                "No: the pool samples on a grid of step 2; only even shifts are removed exactly.",
                "No: no network with global pooling is invariant to any shift.",
                "Yes, because convolutions are invariant.",
            ),
            correct=1,
            explanations=(
                "Global pooling removes a shift only if the maps it pools have just "
                "shifted; the stride-2 pool turns an odd shift into different values.",
                "Right: exact invariance holds for multiples of the total stride, here "
                f"{total_stride([('conv', 1), ('max_pool', 2), ('conv', 1)])}.",
                "With total stride 1 (and circular padding) every shift is removed "
                "exactly; with stride S, the multiples of S.",
                "Convolutions are equivariant: their maps move with the input.",
            ),
        ),
        ChoiceExercise(
            question="A 2 × 2 max pool with stride 2 applied to a feature map is…",
            options=(
                "invariant: a shifted input gives the same pooled map.",
                "equivariant at a coarser scale: a 2-pixel shift moves the pooled map by one cell.",
                "equivariant with the same scale as the input.",
                "neither invariant nor equivariant for any shift.",
            ),
            correct=1,
            explanations=(
                "The pooled map moves; moving is not staying the same.",
                "Right: shifts that are multiples of the stride move the map by shift ÷ 2.",
                "Its output has half the resolution, so a 1-pixel shift has no matching "
                "shift of the pooled map.",
                "Shifts by multiples of 2 are matched exactly, one cell per 2 pixels.",
            ),
        ),
    ]


GENERATORS: dict[str, Generator] = {g.name: g for g in (TOTAL_STRIDE, POOLED_SHIFT)}
