"""Exercises of the page A CNN in Your Browser (``docs/cnn-in-your-browser.md``)."""

from __future__ import annotations

from typing import cast

import numpy as np

from cnnbook import nn
from cnnbook.exercises import ChoiceExercise, Exercise, Generator, GridExercise, NumberExercise
from cnnbook.exercises.exercise import Params
from cnnbook.exercises.plain_text import grid, grid_mistakes, number_mistakes
from cnnbook.models import lenet_like
from cnnbook.pooling import avg_pool2d, max_pool2d
from cnnbook.usecases.classification import CANVAS

__all__ = ["GENERATORS", "PAGE", "exercises"]

PAGE = "cnn-in-your-browser"


def _draw_blocks(rng: np.random.Generator) -> Params:
    return {"bitmap": (rng.random((8, 8)) < 0.45).astype(int).tolist()}


def _build_blocks(p: Params) -> GridExercise:
    bitmap = np.asarray(p["bitmap"], dtype=float)
    answer = avg_pool2d(bitmap[None, None], 4)[0, 0]  # count / 16
    mistakes = grid_mistakes(
        answer,
        [
            (16 * answer, "Forgot to divide the count by 16."),
            (
                max_pool2d(bitmap[None, None], 4)[0, 0],
                "Took the maximum of each block: the pixel is the share of ink, the count "
                "divided by 16.",
            ),
        ],
    )
    return GridExercise(
        question=(
            "The pad turns a drawing into the digits' format by counting the ink pixels of "
            "each 4×4 block of a bitmap and dividing by 16. Fill in the 2×2 result for this "
            "8×8 bitmap (1: ink), exactly (e.g. 0.4375)."
        ),
        shown={"bitmap": bitmap},
        answer=answer,
        solution=(
            "Each output pixel is its block's ink count over 16: the counts are "
            f"{grid(16 * answer)}, so the pixels are {grid(answer)}."
        ),
        mistakes=mistakes,
        generator="block-average",
        params=p,
    )


BLOCKS = Generator("block-average", _draw_blocks, _build_blocks)


def exercises() -> list[Exercise]:
    """Return the page's exercises, in the order the page shows them."""
    net = lenet_like(np.random.default_rng(0), image_size=CANVAS, padding=1)
    features = cast(nn.Linear, net[-1]).in_features
    unpadded_net = lenet_like(np.random.default_rng(0), image_size=CANVAS, padding=0)
    unpadded = cast(nn.Linear, unpadded_net[-1]).in_features
    channels = cast(nn.Conv2d, net[3]).out_channels
    one_pool = channels * (CANVAS // 2) ** 2  # the padded 3 × 3 convolutions keep the size
    first = sum(p.data.size for p in net[0].parameters())
    first_weights = int(cast(nn.Conv2d, net[0]).weight.data.size)
    return [
        BLOCKS(0),
        NumberExercise(
            question=(
                f"The page's network reads a {CANVAS} × {CANVAS} canvas: 3 × 3 convolution "
                "(8 maps, padding 1), ReLU, 2 × 2 max pool, 3 × 3 convolution "
                f"({channels} maps, padding 1), ReLU, 2 × 2 max pool, flatten. How many "
                "values does the flatten hand to the final linear layer?"
            ),
            answer=features,
            solution=(
                f"Padding 1 keeps a 3 × 3 convolution's size; each pool halves it (rounding "
                f"down): {CANVAS} → {CANVAS // 2} → {CANVAS // 2 // 2}, so "
                f"{channels} × {CANVAS // 2 // 2} × {CANVAS // 2 // 2} = {features}."
            ),
            mistakes=number_mistakes(
                features,
                [
                    (unpadded, "Forgot the padding: with it the convolutions keep the size."),
                    (one_pool, "Forgot the second pooling."),
                    (channels * CANVAS * CANVAS, "Forgot both poolings."),
                ],
            ),
        ),
        NumberExercise(
            question=(
                "How many parameters does the first convolution of that network have "
                "(1 input channel, 8 filters of 3 × 3, with bias)?"
            ),
            answer=first,
            solution=f"8 × 1 × 3 × 3 weights and 8 biases: {first}.",
            mistakes=number_mistakes(
                first,
                [
                    (first_weights, "Forgot the bias: one per filter."),
                    (first_weights + 1, "One bias per filter, not one for the layer."),
                ],
            ),
        ),
        ChoiceExercise(
            question=(
                "You draw a crossed seven in an unusual style and the network answers "
                '"3" with 97 % probability. What does the 97 % tell you?'
            ),
            options=(
                "That the drawing is almost surely a 3.",
                "Little: the softmax always sums to one over the ten digits, and the drawing "
                "is outside everything the network learned.",
                "That the network is broken.",
                "That the probability of a 7 is exactly 3 %.",
            ),
            correct=1,
            explanations=(
                "The probability is calibrated, at best, on drawings like the training "
                "digits; outside them it says nothing about being right.",
                "Right: the network must spread its probability over the ten classes it "
                "knows, whatever it is shown.",
                "It does what it was trained to do; the input is the problem.",
                "The remaining 3 % is spread over nine classes.",
            ),
        ),
    ]


GENERATORS: dict[str, Generator] = {BLOCKS.name: BLOCKS}
