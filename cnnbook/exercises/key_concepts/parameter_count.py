"""Exercises of the page Parameter Count (``docs/parameter-count.md``)."""

from __future__ import annotations

import numpy as np

from cnnbook.exercises import ChoiceExercise, Exercise, Generator, NumberExercise
from cnnbook.exercises.exercise import Params
from cnnbook.exercises.plain_text import number_mistakes
from cnnbook.parameters import conv2d_parameter_count, linear_parameter_count

__all__ = ["GENERATORS", "PAGE", "exercises"]

PAGE = "parameter-count"


def _draw_conv_count(rng: np.random.Generator) -> Params:
    c_in = int(rng.choice([1, 3, 4, 8, 16, 32, 64]))
    c_out = int(rng.choice([4, 8, 16, 32, 64, 128]))
    groups = [g for g in (1, 2, 4) if c_in % g == 0 and c_out % g == 0]
    return {
        "c_in": c_in,
        "c_out": c_out,
        "k1": int(rng.choice([1, 3, 5, 7])),
        "k2": int(rng.choice([1, 3, 5, 7])),
        "groups": int(rng.choice(groups)),
    }


def _build_conv_count(p: Params) -> NumberExercise:
    c_in, c_out, k1, k2, g = p["c_in"], p["c_out"], p["k1"], p["k2"], p["groups"]
    answer = conv2d_parameter_count(c_in, c_out, (k1, k2), groups=g)
    mistakes = number_mistakes(
        answer,
        [
            (
                conv2d_parameter_count(c_in, c_out, (k1, k2), bias=False, groups=g),
                "Forgot the bias: one per filter.",
            ),
            (
                conv2d_parameter_count(c_in, c_out, (k1, k2)),
                "Ignored the groups: each filter sees only C_in / groups channels.",
            ),
            (
                conv2d_parameter_count(1, c_out, (k1, k2)),
                "Forgot the input channels: a filter has a k1×k2 slice per channel it sees.",
            ),
            (
                conv2d_parameter_count(c_in, c_out, (k1, k2), bias=False, groups=g) + c_in,
                "Gave a bias to each input channel: there is one per filter (output channel).",
            ),
        ],
    )
    return NumberExercise(
        question=(
            f"A Conv2d layer with {c_in} input channels, {c_out} filters of {k1}×{k2}, "
            f"groups={g} and a bias. How many parameters does it have?"
        ),
        answer=answer,
        solution=(
            f"C_out × (C_in / groups) × k1 × k2 + C_out = {c_out} × ({c_in} / {g}) × "
            f"{k1} × {k2} + {c_out} = {answer}."
        ),
        mistakes=mistakes,
        generator="conv-parameter-count",
        params=p,
    )


CONV_COUNT = Generator("conv-parameter-count", _draw_conv_count, _build_conv_count)


def exercises() -> list[Exercise]:
    """Return the page's exercises, in the order the page shows them."""
    dense = linear_parameter_count(28 * 28, 10)
    depthwise = conv2d_parameter_count(64, 64, 3, groups=64)
    return [
        CONV_COUNT(0),
        NumberExercise(
            question=(
                "A dense layer maps a flattened 28 × 28 grey image to 10 class scores. "
                "How many parameters does it have?"
            ),
            answer=dense,
            solution=f"28 × 28 × 10 weights and 10 biases: {dense}.",
            mistakes=number_mistakes(
                dense,
                [
                    (linear_parameter_count(784, 10, bias=False), "Forgot the bias."),
                    (linear_parameter_count(784, 1), "Counted one output instead of ten."),
                ],
            ),
        ),
        NumberExercise(
            question=(
                "A depthwise 3 × 3 convolution, 64 channels in and out, `groups=64`, with "
                "bias. How many parameters?"
            ),
            answer=depthwise,
            solution=f"Each of the 64 filters sees one channel: 64 × 1 × 3 × 3 + 64 = {depthwise}.",
            mistakes=number_mistakes(
                depthwise,
                [
                    (
                        conv2d_parameter_count(64, 64, 3),
                        "Ignored the groups: each filter sees 64 / 64 = 1 channel.",
                    ),
                    (conv2d_parameter_count(64, 64, 3, bias=False, groups=64), "Forgot the bias."),
                ],
            ),
        ),
        ChoiceExercise(
            question="Which change alters the parameter count of a convolutional layer?",
            options=(
                "Doubling the stride.",
                "Padding by 2 instead of 0.",
                "Doubling the size of the input image.",
                "Doubling the number of input channels.",
            ),
            correct=3,
            explanations=(
                "The stride changes where the filter is applied, not its weights.",
                "Padding adds input cells, not weights.",
                "The same filters are reused at every position (weight sharing): the image "
                "size does not appear in the count.",
                "Right: every filter gets a k1 × k2 slice for each new channel.",
            ),
        ),
    ]


GENERATORS: dict[str, Generator] = {g.name: g for g in (CONV_COUNT,)}
