"""Exercises of the page Fully Connected Layers (``docs/fully-connected-layers.md``).

Every answer is computed with ``cnnbook`` when the exercise is built; each generator
has a JavaScript port in ``docs/assets/exercises/structure.js`` (same name, same plain text).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from cnnbook import linear_parameter_count, nn
from cnnbook.exercises import ChoiceExercise, Exercise, Generator, NumberExercise
from cnnbook.exercises.plain_text import number_mistakes

__all__ = ["GENERATORS", "PAGE", "exercises"]

PAGE = "fully-connected-layers"


def _linear(weight: list[list[float]], bias: list[float]) -> nn.Linear:
    """Return an ``nn.Linear`` (float64) holding ``weight`` and ``bias``."""
    layer = nn.Linear(len(weight[0]), len(weight), dtype=np.float64)
    layer.weight.data[...] = weight
    assert layer.bias is not None  # bias=True by default
    layer.bias.data[...] = bias
    return layer


def _dense_draw(rng: np.random.Generator) -> dict[str, Any]:
    return {
        "c": int(rng.choice([4, 8, 16, 32, 64])),
        "size": int(rng.integers(2, 8)),
        "n_out": int(rng.choice([2, 10, 100])),
    }


def _dense_build(p: dict[str, Any]) -> NumberExercise:
    c, size, n_out = p["c"], p["size"], p["n_out"]
    n_in = c * size * size
    answer = linear_parameter_count(n_in, n_out)
    return NumberExercise(
        question=(
            f"{c} feature maps of {size}×{size} are flattened and fed to a dense layer with "
            f"{n_out} outputs. How many parameters does the layer have?"
        ),
        answer=answer,
        solution=(
            f"Flattened: {c}×{size}×{size} = {n_in} inputs. Weights {n_in}×{n_out} plus "
            f"{n_out} biases = {answer}."
        ),
        mistakes=number_mistakes(
            answer,
            [
                (n_in * n_out, "Forgot the bias: one per output."),
                (
                    size * size * n_out + n_out,
                    "Forgot the channels: flattening keeps every map, so there are C×H×W inputs.",
                ),
                (n_in + n_out, "Counted one weight per input: every output has its own."),
            ],
        ),
        generator="dense-parameters",
        params=p,
    )


def fully_connected_layers() -> list[Exercise]:
    """Exercises: a dense layer's parameters, one output by hand, what its size depends on."""
    dense = _linear([[1.0, -2.0, 0.5], [0.0, 1.0, 3.0]], [1.0, -1.0])
    x = np.array([[2.0, 1.0, 4.0]])
    y = dense(x)[0]
    return [
        GENERATORS["dense-parameters"](0),
        NumberExercise(
            question=(
                "A dense layer has $W = \\begin{pmatrix} 1 & -2 & 0.5 \\\\ 0 & 1 & 3 "
                "\\end{pmatrix}$ and $b = (1, -1)$. For $x = (2, 1, 4)$, what is its first "
                "output $y_0$?"
            ),
            answer=float(y[0]),
            solution=f"$y_0 = 1 \\cdot 2 - 2 \\cdot 1 + 0.5 \\cdot 4 + 1 = $ {y[0]:g}.",
            mistakes=number_mistakes(
                float(y[0]),
                [
                    (float(y[0] - 1), "Forgot the bias."),
                    (float(y[1]), "That is $y_1$, the second output (row 1 of $W$)."),
                ],
            ),
        ),
        ChoiceExercise(
            question=(
                "Why do many networks replace the large dense layers at the end with global "
                "average pooling?"
            ),
            options=(
                "A dense layer on flattened maps has a weight per (input, output) pair, so its "
                "parameters grow with the maps' height × width × channels.",
                "Dense layers cannot be trained by backpropagation.",
                "Dense layers are translation equivariant, which a classifier does not want.",
                "A convolution's parameter count also grows with the image size.",
            ),
            correct=0,
            explanations=(
                "Right: in VGG-16 the dense layers hold most of the parameters.",
                "They train like any other layer: the gradients are two matrix products.",
                "They are not: they have a separate weight for every position.",
                "It does not: a convolution's count depends on its channels and kernel only.",
            ),
        ),
    ]


exercises = fully_connected_layers

GENERATORS: dict[str, Generator] = {
    g.name: g for g in (Generator("dense-parameters", _dense_draw, _dense_build),)
}
