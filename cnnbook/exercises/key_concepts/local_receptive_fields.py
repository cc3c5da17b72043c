"""Exercises of the page Local Receptive Fields (``docs/local-receptive-fields.md``)."""

from __future__ import annotations

import numpy as np

from cnnbook.exercises import ChoiceExercise, Exercise, Generator, NumberExercise
from cnnbook.exercises.exercise import Params
from cnnbook.exercises.plain_text import channels, number_mistakes
from cnnbook.parameters import (
    connectivity_savings,
    conv2d_parameter_count,
    linear_parameter_count,
    locally_connected_parameter_count,
)

__all__ = ["GENERATORS", "PAGE", "exercises"]

PAGE = "local-receptive-fields"


def _draw_locally_connected(rng: np.random.Generator) -> Params:
    return {
        "c_in": int(rng.choice([1, 3])),
        "c_out": int(rng.integers(2, 9)),
        "size": int(rng.integers(6, 17)),
        "k": int(rng.choice([3, 5])),
    }


def _build_locally_connected(p: Params) -> NumberExercise:
    c_in, c_out, size, k = p["c_in"], p["c_out"], p["size"], p["k"]
    s = connectivity_savings(c_in, c_out, size, k)
    o = s.output_shape[1]
    answer = locally_connected_parameter_count(c_in, c_out, k, o)
    conv = conv2d_parameter_count(c_in, c_out, k)
    no_bias = locally_connected_parameter_count(c_in, c_out, k, o, bias=False)
    mistakes = number_mistakes(
        answer,
        [
            (
                conv,
                "That is the convolution: without sharing, every output position has its "
                "own copy of the filters.",
            ),
            (
                no_bias,
                "Forgot the bias: every output unit of a locally connected layer has a "
                "bias of its own.",
            ),
            (
                size * size * conv,
                "Counted one copy per input position: the copies are one per output "
                "position, and the output is smaller than the input.",
            ),
            (
                s.dense_parameters,
                "That is the dense layer: locality keeps only each unit's window.",
            ),
        ],
    )
    return NumberExercise(
        question=(
            f"A convolution with {c_out} filters of {k}×{k} maps {channels(c_in)} of "
            f"{size}×{size} pixels to {c_out} channels (stride 1, no padding). A locally "
            "connected layer has the same windows, but every output position has weights "
            "and a bias of its own. How many parameters does it have?"
        ),
        answer=answer,
        solution=(
            f"The output is {o}×{o} ({size} − {k} + 1). One set of filters has "
            f"{c_out} × ({c_in} × {k} × {k} + 1) = {conv} parameters; without sharing there "
            f"is one set per output position: {o} × {o} × {conv} = {answer}."
        ),
        mistakes=mistakes,
        generator="locally-connected-count",
        params=p,
    )


LOCALLY_CONNECTED = Generator(
    "locally-connected-count", _draw_locally_connected, _build_locally_connected
)


def exercises() -> list[Exercise]:
    """Return the page's exercises, in the order the page shows them."""
    seen = conv2d_parameter_count(3, 1, 5, bias=False)  # one unit's weights: one per input
    return [
        LOCALLY_CONNECTED(0),
        NumberExercise(
            question=(
                "A convolution with 5 × 5 kernels reads a colour image of 3 channels, "
                "32 × 32 pixels. How many input values does one output unit see?"
            ),
            answer=seen,
            solution=(
                f"Its window: 5 × 5 positions in each of the 3 channels, {seen} values "
                "(the weights of one filter). A dense unit would see all 3 × 32 × 32."
            ),
            mistakes=number_mistakes(
                seen,
                [
                    (
                        conv2d_parameter_count(1, 1, 5, bias=False),
                        "Forgot the channels: the window spans every input channel.",
                    ),
                    (
                        linear_parameter_count(3 * 32 * 32, 1, bias=False),
                        "That is what a unit of a dense layer sees: every input value.",
                    ),
                    (
                        conv2d_parameter_count(3, 1, 5),
                        "Counted the bias: it is a parameter, not an input value.",
                    ),
                ],
            ),
        ),
        ChoiceExercise(
            question=(
                "A locally connected layer and a convolution use the same windows. "
                "What does weight sharing add?"
            ),
            options=(
                "Nothing in connections: both compute the same sums of the same windows; "
                "the convolution has one filter set instead of one per output position.",
                "It removes the connections outside each window.",
                "It removes connections and parameters in equal measure.",
                "It makes the layer invariant to shifts of the input.",
            ),
            correct=0,
            explanations=(
                "Right: sharing divides the parameters by the number of output positions "
                "and saves no connection.",
                "That is locality, the other saving: both layers already have it.",
                "Sharing saves parameters only: the connections are the same windows.",
                "Sharing makes the layer equivariant (the map shifts with the input), not "
                "invariant.",
            ),
        ),
    ]


GENERATORS: dict[str, Generator] = {g.name: g for g in (LOCALLY_CONNECTED,)}
