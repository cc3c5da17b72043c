"""Exercises of the page Weight Sharing (``docs/weight-sharing.md``)."""

from __future__ import annotations

import math

import numpy as np

from cnnbook.equivariance import conv2d_circular
from cnnbook.exercises import ChoiceExercise, Exercise, Generator, GridExercise, NumberExercise
from cnnbook.exercises.exercise import Params
from cnnbook.exercises.plain_text import channels, grid, grid_mistakes, number_mistakes
from cnnbook.parameters import connectivity_savings

__all__ = ["GENERATORS", "PAGE", "exercises"]

PAGE = "weight-sharing"


def _round_half_up(x: float) -> int:
    """Round as JavaScript's ``Math.round`` does (ties up), so both ports agree."""
    return math.floor(x + 0.5)


def _draw_sharing(rng: np.random.Generator) -> Params:
    k = int(rng.choice([3, 5]))
    return {
        "c_in": int(rng.choice([1, 3])),
        "c_out": int(rng.choice([4, 6, 8, 16])),
        "size": int(rng.integers(8, 33)),
        "k": k,
        "padding": int(rng.choice([0, (k - 1) // 2])),
    }


def _build_sharing(p: Params) -> NumberExercise:
    c_in, c_out, size, k, pad = p["c_in"], p["c_out"], p["size"], p["k"], p["padding"]
    s = connectivity_savings(c_in, c_out, size, k, padding=pad)
    answer = _round_half_up(s.sharing_factor)  # exactly O_H × O_W
    o = s.output_shape[1]
    mistakes = number_mistakes(
        answer,
        [
            (
                _round_half_up(s.total_factor),
                "Counted locality and sharing together: that is the dense layer over the "
                "convolution.",
            ),
            (
                _round_half_up(s.locality_factor),
                "That is locality's saving (dense over locally connected), not sharing's.",
            ),
            (size * size, "Used the input size: one copy per output position is shared."),
            (
                s.conv_parameters,
                "That is the convolution's parameter count, not the factor.",
            ),
        ],
    )
    return NumberExercise(
        question=(
            f"{c_out} filters of {k}×{k} on {channels(c_in)} of {size}×{size}, stride 1, "
            f"padding {pad}. By what factor does weight sharing divide the parameters of "
            "the locally connected layer with the same windows?"
        ),
        answer=answer,
        solution=(
            f"The output is {o}×{o} ({size} + 2 × {pad} − {k} + 1). The locally connected "
            f"layer has one copy of the {s.conv_parameters} parameters per output position, "
            f"{s.locally_connected_parameters} in all; sharing keeps one copy: a factor of "
            f"{o} × {o} = {answer}, whatever the channels."
        ),
        mistakes=mistakes,
        generator="sharing-factor",
        params=p,
    )


SHARING = Generator("sharing-factor", _draw_sharing, _build_sharing)


def _draw_shifted_map(rng: np.random.Generator) -> Params:
    return {
        "x": rng.integers(0, 3, size=(4, 4)).tolist(),
        "w": rng.integers(-1, 2, size=(2, 2)).tolist(),
    }


def _build_shifted_map(p: Params) -> GridExercise:
    x = np.asarray(p["x"], dtype=float)[None, None]
    w = np.asarray(p["w"], dtype=float)[None, None]
    y = conv2d_circular(x, w)[0, 0]
    answer = conv2d_circular(np.roll(x, 1, axis=-1), w)[0, 0]
    mistakes = grid_mistakes(
        answer,
        [
            (
                y,
                "That is the map of the original input: convolution is equivariant, not "
                "invariant; its map moves with the input.",
            ),
            (np.roll(y, -1, axis=-1), "Shifted the map to the left: it moves as the input does."),
        ],
    )
    return GridExercise(
        question=(
            "The 4×4 input x is convolved (cross-correlation with circular padding: the "
            "map keeps x's size and the image wraps around at its edges) with the 2×2 "
            "kernel w, giving the feature map y. Now x is shifted circularly one column "
            "to the right. Fill in the new feature map."
        ),
        shown={"x": x[0, 0], "w": w[0, 0], "y": y},
        answer=answer,
        solution=(
            "Every position uses the same weights, so the map shifts with the input: each "
            "column of y moves one place right and the last one wraps around to the "
            f"front: {grid(answer)}."
        ),
        mistakes=mistakes,
        generator="shifted-feature-map",
        params=p,
    )


SHIFTED_MAP = Generator("shifted-feature-map", _draw_shifted_map, _build_shifted_map)


def exercises() -> list[Exercise]:
    """Return the page's exercises, in the order the page shows them."""
    s = connectivity_savings(1, 6, 28, 5)
    return [
        SHARING(0),
        SHIFTED_MAP(0),
        NumberExercise(
            question=(
                "LeNet-5's first layer, six 5 × 5 filters on a 28 × 28 grey image, is run "
                "on a 56 × 56 image instead. How many parameters does it have now?"
            ),
            answer=connectivity_savings(1, 6, 56, 5).conv_parameters,
            solution=(
                "The same: 6 × (5 × 5 + 1) = "
                f"{connectivity_savings(1, 6, 56, 5).conv_parameters}. The shared filters "
                "do not depend on the image size."
            ),
            mistakes=number_mistakes(
                connectivity_savings(1, 6, 56, 5).conv_parameters,
                [
                    (
                        4 * s.conv_parameters,
                        "Scaled with the image area: shared weights do not depend on it.",
                    ),
                    (
                        connectivity_savings(1, 6, 56, 5).locally_connected_parameters,
                        "That is the locally connected layer, which has a copy per output "
                        "position.",
                    ),
                    (6 * 5 * 5, "Forgot the bias: one per filter."),
                ],
            ),
        ),
        ChoiceExercise(
            question="Weight sharing makes a convolutional layer…",
            options=(
                "translation invariant: a shifted input gives the same feature map.",
                "translation equivariant: a shifted input gives the shifted feature map.",
                "invariant to rotations.",
                "neither: it only saves parameters.",
            ),
            correct=1,
            explanations=(
                "The note's wording, but the map moves: invariance needs pooling over "
                "positions (global pooling).",
                "Right: the same filter everywhere means the same response wherever the "
                "pattern is, at the shifted place.",
                "A rotated pattern meets the same, unrotated filter: no rotation property.",
                "It also gives equivariance, because every position uses the same weights.",
            ),
        ),
    ]


GENERATORS: dict[str, Generator] = {g.name: g for g in (SHARING, SHIFTED_MAP)}
