"""Exercises of the page Convolutional Layers (``docs/convolutional-layers.md``).

Every answer is computed with ``cnnbook`` when the exercise is built; each generator
has a JavaScript port in ``docs/assets/exercises/structure.js`` (same name, same plain text).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from cnnbook import conv2d, conv2d_parameter_count, conv_output_size, correlate2d
from cnnbook.exercises import ChoiceExercise, Exercise, Generator, NumberExercise
from cnnbook.exercises.plain_text import number_mistakes

__all__ = ["GENERATORS", "PAGE", "exercises"]

PAGE = "convolutional-layers"

_CHANNELS = (1, 3, 4, 8, 16, 32, 64)


def _conv_params_draw(rng: np.random.Generator) -> dict[str, Any]:
    return {
        "c_in": int(rng.choice(_CHANNELS)),
        "c_out": int(rng.choice(_CHANNELS[1:])),
        "k": int(rng.choice([1, 3, 5, 7])),
    }


def _conv_params_build(p: dict[str, Any]) -> NumberExercise:
    c_in, c_out, k = p["c_in"], p["c_out"], p["k"]
    answer = conv2d_parameter_count(c_in, c_out, k)
    return NumberExercise(
        question=(
            f"A Conv2d layer maps {c_in} input channels to {c_out} output channels with "
            f"{k}×{k} kernels and a bias. How many parameters does it have?"
        ),
        answer=answer,
        solution=(
            f"Each of the {c_out} filters spans all {c_in} input channels: {c_in}×{k}×{k} "
            f"weights plus 1 bias. {c_out}×({c_in}×{k}×{k} + 1) = {answer}."
        ),
        mistakes=number_mistakes(
            answer,
            [
                (c_out * c_in * k * k, "Forgot the bias: one per filter."),
                (
                    c_out * (k * k + 1),
                    "Forgot the input channels: a filter has a k×k kernel for every input channel.",
                ),
                (c_out * (c_in * k + 1), "Counted k weights per kernel instead of k×k."),
            ],
        ),
        generator="conv-layer-parameters",
        params=p,
    )


def convolutional_layers() -> list[Exercise]:
    """Parameters of a layer, its output size, what it computes."""
    # The right option is a fact of the package: conv2d correlates (an asymmetric kernel).
    x, w = np.arange(16.0).reshape(4, 4), np.array([[1.0, 2.0], [0.0, -1.0]])
    if not np.allclose(conv2d(x[None, None], w[None, None])[0, 0], correlate2d(x, w)):
        raise RuntimeError("conv2d does not correlate: the choice's right option is wrong")

    size = conv_output_size(32, 5, stride=2, padding=2)
    return [
        GENERATORS["conv-layer-parameters"](0),
        NumberExercise(
            question=(
                "`Conv2d(3, 8, 5, stride=2, padding=2)` on a batch of shape $(4, 3, 32, 32)$: "
                "what is the height of its output?"
            ),
            answer=size,
            solution=(
                "$\\lfloor (32 + 2 \\cdot 2 - 5) / 2 \\rfloor + 1 = $ "
                f"{size}; the output is $(4, 8, {size}, {size})$."
            ),
            mistakes=number_mistakes(
                size,
                [
                    (
                        (32 + 2 * 2 - 5) // 2,
                        "Forgot the +1 (or counted the padding once: `padding=2` adds two "
                        "rows on each side).",
                    ),
                    ((32 + 2 - 5) // 2 + 1, "Used the total padding instead of per side."),
                    (32 + 2 * 2 - 5 + 1, "Ignored the stride: divide by 2 before adding 1."),
                    (8, "That is the number of output channels, not the height."),
                ],
            ),
        ),
        ChoiceExercise(
            question="What does `Conv2d` compute between a window and its kernel?",
            options=(
                "A cross-correlation: the window times the kernel as stored, no flip.",
                "A convolution in the mathematical sense: the kernel is flipped first.",
                "The maximum of the window, weighted by the kernel.",
                "A product of the window and the kernel as matrices.",
            ),
            correct=0,
            explanations=(
                "Right: deep-learning libraries correlate; since the kernel is learned, a "
                "flip would change nothing but its storage order.",
                "That is the textbook convolution; `Conv2d` does not flip (see Cross-"
                "Correlation and Convolution).",
                "That is max pooling, which has no weights.",
                "It is an element-wise product, summed over the window and the channels.",
            ),
        ),
    ]


exercises = convolutional_layers

GENERATORS: dict[str, Generator] = {
    g.name: g for g in (Generator("conv-layer-parameters", _conv_params_draw, _conv_params_build),)
}
