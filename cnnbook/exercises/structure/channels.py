"""Exercises of the page Channels and 1x1 Convolutions (``docs/channels-and-1x1-convolutions.md``).

Every answer is computed with ``cnnbook`` when the exercise is built; each generator
has a JavaScript port in ``docs/assets/exercises/structure.js`` (same name, same plain text).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from cnnbook import conv2d, conv2d_parameter_count, convolve2d, correlate2d
from cnnbook.exercises import ChoiceExercise, Exercise, Generator, GridExercise, NumberExercise
from cnnbook.exercises.draws import int_list
from cnnbook.exercises.plain_text import factor_text, grid_mistakes, number_mistakes, number_text

__all__ = ["GENERATORS", "PAGE", "exercises"]

PAGE = "channels-and-1x1-convolutions"


def _multichannel_draw(rng: np.random.Generator) -> dict[str, Any]:
    return {
        "x": int_list(rng, 0, 3, (2, 3, 3)),
        "w": int_list(rng, -1, 2, (2, 2, 2)),
        "b": int(rng.integers(-2, 3)),
    }


def _multichannel_build(p: dict[str, Any]) -> GridExercise:
    x, w, b = np.array(p["x"], float), np.array(p["w"], float), float(p["b"])
    answer = conv2d(x, w[None], np.array([b]))[0]
    per_channel = [correlate2d(x[c], w[c]) for c in range(2)]
    return GridExercise(
        question=(
            "A Conv2d filter over two input channels holds one 2×2 kernel per channel (shown) "
            f"and the bias b = {number_text(b)}. Fill in its 2×2 output (stride 1, no padding)."
        ),
        shown={
            "input channel 0": x[0],
            "input channel 1": x[1],
            "kernel for channel 0": w[0],
            "kernel for channel 1": w[1],
        },
        answer=answer,
        solution=(
            "Correlate each channel with its own kernel, add the two results position by "
            f"position, then add the bias. Top-left: ({number_text(per_channel[0][0, 0])}) + "
            f"({number_text(per_channel[1][0, 0])}) + {factor_text(b)} = "
            f"{number_text(answer[0, 0])}."
        ),
        mistakes=grid_mistakes(
            answer,
            [
                (answer - b, "Forgot the bias: it is added to every output value."),
                (per_channel[0] + b, "Used channel 0 only: a filter sums over every channel."),
                (
                    convolve2d(x[0], w[0]) + convolve2d(x[1], w[1]) + b,
                    "Flipped the kernels: a convolutional layer correlates, no flip.",
                ),
            ],
        ),
        generator="multichannel-output",
        params=p,
    )


def channels() -> list[Exercise]:
    """Exercises: a two-channel output, a 1x1 layer's parameters, what a 1x1 convolution does."""
    # The right option is a fact: a 1x1 convolution is a Linear layer at every pixel.
    x, w = np.arange(18.0).reshape(2, 3, 3), np.array([[1.0, -2.0], [0.5, 3.0]])
    if not np.allclose(conv2d(x, w[:, :, None, None]), np.einsum("oc,chw->ohw", w, x)):
        raise RuntimeError("a 1x1 convolution is not a Linear layer per pixel")

    count = conv2d_parameter_count(256, 64, 1)
    return [
        GENERATORS["multichannel-output"](0),
        NumberExercise(
            question=("A 1×1 convolution maps 256 channels to 64 (bias on). How many parameters?"),
            answer=count,
            solution=(
                f"$64 \\times (256 \\times 1 \\times 1 + 1) = $ {count}, whatever the image size."
            ),
            mistakes=number_mistakes(
                count,
                [
                    (conv2d_parameter_count(256, 64, 1, bias=False), "Forgot the bias."),
                    (conv2d_parameter_count(256, 64, 3), "That is a 3×3 layer; here k = 1."),
                    (
                        conv2d_parameter_count(1, 64, 1),
                        "Forgot the input channels: each output has a weight per input channel.",
                    ),
                ],
            ),
        ),
        ChoiceExercise(
            question="What does a 1×1 convolution do to a feature map of shape $(C, H, W)$?",
            options=(
                "Multiplies every pixel by one constant, so it changes nothing useful.",
                "Mixes the channels at each pixel: a Linear layer applied to every pixel's "
                "channel vector.",
                "Blurs each channel by one pixel.",
                "Halves the height and width.",
            ),
            correct=1,
            explanations=(
                "With one input channel it would; with many it has a weight per (output, "
                "input) channel pair and mixes them.",
                "Right: $y[i, j] = W x[i, j] + b$, the same dense layer at every pixel.",
                "A 1×1 window sees one pixel: it cannot mix neighbours.",
                "With stride 1 the size is unchanged: $I - 1 + 1 = I$.",
            ),
        ),
    ]


exercises = channels

GENERATORS: dict[str, Generator] = {
    g.name: g for g in (Generator("multichannel-output", _multichannel_draw, _multichannel_build),)
}
