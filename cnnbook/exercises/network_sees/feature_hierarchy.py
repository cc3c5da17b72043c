"""Exercises of the page Feature Hierarchy (``docs/feature-hierarchy.md``)."""

from __future__ import annotations

from typing import cast

import numpy as np

from cnnbook import nn
from cnnbook.exercises import ChoiceExercise, Exercise, Generator, NumberExercise
from cnnbook.exercises.exercise import Params
from cnnbook.exercises.plain_text import number_mistakes
from cnnbook.feature_hierarchy import feature_network
from cnnbook.receptive_field import receptive_field

__all__ = ["GENERATORS", "PAGE", "exercises"]

PAGE = "feature-hierarchy"


def _draw_field(rng: np.random.Generator) -> Params:
    return {
        "k1": int(rng.choice([3, 5, 7])),
        "pool": int(rng.choice([2, 3])),
        "k2": int(rng.choice([3, 5])),
    }


def _build_field(p: Params) -> NumberExercise:
    k1, pool, k2 = p["k1"], p["pool"], p["k2"]
    layers = [{"kernel_size": k1}, {"kernel_size": pool, "stride": pool}, {"kernel_size": k2}]
    answer = receptive_field(layers)[-1].size[0]
    mistakes = number_mistakes(
        answer,
        [
            (
                k1 + k2 - 1,
                "Forgot the pool: its window widens the field, and its stride multiplies the "
                "jump, so the second kernel's k − 1 counts pool times.",
            ),
            (
                k1 + (pool - 1) + (k2 - 1),
                "Forgot the jump/stride product: after the pool, neighbouring units are "
                f"{pool} pixels apart, so the second kernel adds ({k2} − 1) × {pool}.",
            ),
            (k1 + (k2 - 1) * pool, "Forgot the pool's own window: it adds pool − 1 cells."),
            (k2, "That is the kernel of the second layer alone: it reads first-layer units."),
        ],
    )
    return NumberExercise(
        question=(
            f"A {k1}×{k1} convolution, a {pool}×{pool} max pool with stride {pool}, then a "
            f"{k2}×{k2} convolution (all unpadded). How many input pixels wide is the "
            "receptive field of a unit of the second convolution?"
        ),
        answer=answer,
        solution=(
            f"r = 1 + ({k1} − 1) × 1 + ({pool} − 1) × 1 + ({k2} − 1) × {pool} = {answer}: "
            f"after the pool the jump is {pool}."
        ),
        mistakes=mistakes,
        generator="conv-pool-conv-field",
        params=p,
    )


FIELD = Generator("conv-pool-conv-field", _draw_field, _build_field)


def exercises() -> list[Exercise]:
    """Return the page's exercises, in the order the page shows them."""
    net = feature_network(np.random.default_rng(0))
    conv1, conv2 = cast(nn.Conv2d, net[0]), cast(nn.Conv2d, net[3])
    weights = int(conv2.weight.data[0].size)
    k = conv2.kernel_size[0]
    return [
        FIELD(0),
        NumberExercise(
            question=(
                f"The page's network has {conv1.out_channels} filters of "
                f"{conv1.kernel_size[0]} × {conv1.kernel_size[0]} in layer 1 and "
                f"{conv2.out_channels} filters of {k} × {k} in layer 2. How many weights "
                "(without the bias) does one layer-2 filter have?"
            ),
            answer=weights,
            solution=(
                f"A layer-2 filter reads all {conv2.in_channels} maps of layer 1: "
                f"{conv2.in_channels} × {k} × {k} = {weights}. That is how a deeper unit "
                "combines the simpler features below it."
            ),
            mistakes=number_mistakes(
                weights,
                [
                    (k * k, "Forgot the channels: a layer-2 filter has a slice per layer-1 map."),
                    (weights + 1, "Counted the bias: the question asks for the weights."),
                    (
                        conv2.out_channels * k * k,
                        "Used the layer's own number of filters: a filter's slices are one per "
                        "input map.",
                    ),
                ],
            ),
        ),
        ChoiceExercise(
            question="Why can only the first layer's filters be read directly as pictures?",
            options=(
                "They act on pixels; a deeper filter weighs the maps of the layer below, "
                "not pixels.",
                "Deeper filters stay random: only the first layer learns.",
                "Deeper filters are too large to draw.",
                "Deeper filters have no spatial extent.",
            ),
            correct=0,
            explanations=(
                "Right: that is why the page shows top patches and activation maximisation "
                "for deeper units.",
                "Every layer learns; backpropagation reaches every kernel.",
                "They are 5 × 5 too, only with more channels — the channels are the problem.",
                "They are 5 × 5 windows over the maps below.",
            ),
        ),
        ChoiceExercise(
            question=("Activation maximisation blurs the image lightly every few steps. What for?"),
            options=(
                "To speed up the gradient ascent.",
                "As a regulariser: without it the ascent finds high-frequency patterns that "
                "no digit contains.",
                "To keep the pixels in the range [0, 1].",
                "To make the result match the top patches exactly.",
            ),
            correct=1,
            explanations=(
                "It slows the ascent if anything; it changes what the ascent finds.",
                "Right: the unit responds strongly to pixel-level noise too; the blur keeps "
                "the image to shapes a digit could have.",
                "That is the clipping, a separate step.",
                "The two methods agree in kind, not pixel for pixel.",
            ),
        ),
    ]


GENERATORS: dict[str, Generator] = {FIELD.name: FIELD}
