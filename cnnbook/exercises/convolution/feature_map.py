"""Exercises of the page Feature Map (``docs/feature-map.md``).

Every answer is computed with ``cnnbook`` when the exercise is built; each generator
has a JavaScript port in ``docs/assets/exercises/convolution.js`` (same name, same plain text).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from cnnbook import conv2d, correlate2d
from cnnbook.exercises import ChoiceExercise, Exercise, Generator, GridExercise, NumberExercise
from cnnbook.exercises.draws import int_list
from cnnbook.exercises.plain_text import factor_text, grid_mistakes, number_mistakes, number_text

__all__ = ["GENERATORS", "PAGE", "exercises"]

PAGE = "feature-map"


def _feature_map_draw(rng: np.random.Generator) -> dict[str, Any]:
    return {
        "x": int_list(rng, 0, 2, (5, 5)),
        "w": int_list(rng, -1, 1, (3, 3)),
        "b": int(rng.integers(-2, 3)),
    }


def _feature_map_build(p: dict[str, Any]) -> GridExercise:
    x, w, b = np.array(p["x"], float), np.array(p["w"], float), float(p["b"])
    answer = conv2d(x[None, None], w[None, None], np.array([b]))[0, 0]
    return GridExercise(
        question=(
            "A Conv2d layer with one 3×3 kernel (shown) and bias b = "
            f"{number_text(b)} reads the 5×5 input (stride 1, no padding). Fill in its 3×3 "
            "feature map."
        ),
        shown={"input": x, "kernel": w},
        answer=answer,
        solution=(
            "Slide the kernel over the 3×3 positions where it fits; at each, multiply the "
            "window by the kernel as stored (no flip), add the nine products and the bias. "
            f"Top-left: {number_text(answer[0, 0] - b)} + {factor_text(b)} = "
            f"{number_text(answer[0, 0])}."
        ),
        mistakes=grid_mistakes(
            answer,
            [
                (answer - b, "Forgot the bias: it is added at every position."),
                (
                    correlate2d(x, w[::-1, ::-1]) + b,
                    "Flipped the kernel: a convolutional layer correlates.",
                ),
            ],
        ),
        generator="feature-map-values",
        params=p,
    )


def feature_map() -> list[Exercise]:
    """Exercises: a feature map by hand, the size of a layer's output, maps per filter."""
    # The right option is a fact: 16 filters over 8 channels make 16 maps.
    if conv2d(np.zeros((1, 8, 5, 5)), np.zeros((16, 8, 3, 3))).shape[1] != 16:
        raise RuntimeError("a layer does not make one map per filter")

    values = conv2d(np.zeros((1, 1, 32, 32)), np.zeros((8, 1, 5, 5))).size
    return [
        GENERATORS["feature-map-values"](0),
        NumberExercise(
            question=(
                "A layer with 8 kernels of 5×5 (stride 1, no padding) reads one 32×32 "
                "grayscale image. How many values do its feature maps hold in all?"
            ),
            answer=values,
            solution=f"8 maps of $(32 - 5 + 1)^2 = 28^2$ values: {values}.",
            mistakes=number_mistakes(
                values,
                [
                    (8 * 27 * 27, "Forgot the +1: each map is 32 − 5 + 1 wide."),
                    (28 * 28, "Counted one map: the layer makes one per kernel."),
                    (8 * 32 * 32, "Kept the input size: without padding the maps shrink."),
                ],
            ),
        ),
        ChoiceExercise(
            question="A layer with 16 filters reads an input of 8 channels. How many feature maps "
            "does it output?",
            options=("8", "16", "128", "24"),
            correct=1,
            explanations=(
                "The input's channel count sets the depth of each filter, not the output's.",
                "Right: one map per filter; each filter sums over all 8 input channels.",
                "A filter does not make one map per input channel: it adds them up.",
                "Channels are not added to filters.",
            ),
        ),
    ]


exercises = feature_map

GENERATORS: dict[str, Generator] = {
    g.name: g for g in (Generator("feature-map-values", _feature_map_draw, _feature_map_build),)
}
