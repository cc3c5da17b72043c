"""Exercises of the page Residual Connections (``docs/residual-connections.md``).

Every answer is computed with ``cnnbook`` when the exercise is built; each generator
has a JavaScript port in ``docs/assets/exercises/structure.js`` (same name, same plain text).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from cnnbook import nn
from cnnbook.exercises import ChoiceExercise, Exercise, Generator, NumberExercise
from cnnbook.exercises.plain_text import number_mistakes
from cnnbook.models import BasicBlock

__all__ = ["GENERATORS", "PAGE", "exercises"]

PAGE = "residual-connections"

_WIDTHS = (16, 32, 64, 128)


def _block_draw(rng: np.random.Generator) -> dict[str, Any]:
    c_in = int(rng.choice(_WIDTHS))
    stride = int(rng.integers(1, 3))
    c_out = c_in * 2 if stride == 2 else int(rng.choice([c_in, c_in * 2]))
    return {"c_in": c_in, "c_out": c_out, "stride": stride}


def _block_build(p: dict[str, Any]) -> NumberExercise:
    c_in, c_out, stride = p["c_in"], p["c_out"], p["stride"]
    block = BasicBlock(c_in, c_out, stride=stride, rng=np.random.default_rng(0))
    answer = sum(q.data.size for q in block.parameters())
    body = 9 * c_in * c_out + 9 * c_out * c_out
    projected = stride != 1 or c_in != c_out
    projection = c_in * c_out + 2 * c_out if projected else 0
    shortcut = (
        f"the 1×1 projection shortcut, {c_in}×{c_out} weights + 2×{c_out} for its batch norm"
        f" = {projection}"
        if projected
        else "an identity shortcut, no parameters"
    )
    return NumberExercise(
        question=(
            f"A ResNet BasicBlock maps {c_in} channels to {c_out} with stride {stride}: two "
            "3×3 convolutions without bias, each followed by a batch norm, and a projection "
            "shortcut when the shape changes. How many parameters does it have?"
        ),
        answer=answer,
        solution=(
            f"Convolutions: 3×3×{c_in}×{c_out} + 3×3×{c_out}×{c_out} = {body}. Batch norms: "
            f"2×2×{c_out} = {4 * c_out} (γ and β). Shortcut: {shortcut}. In all {answer}."
        ),
        mistakes=number_mistakes(
            answer,
            [
                (
                    answer - projection,
                    "Forgot the projection shortcut: the channels or the "
                    "size change, so the shortcut needs a 1×1 convolution and its batch norm.",
                ),
                (
                    answer - 4 * c_out - (2 * c_out if projected else 0),
                    "Forgot the batch norms' γ and β.",
                ),
                (
                    answer + 2 * c_out + (c_out if projected else 0),
                    "Counted conv biases: the convolutions before a batch norm have none.",
                ),
            ],
        ),
        generator="basic-block-parameters",
        params=p,
    )


def _residual_stack_gradient(weights: list[float], residual: bool) -> float:
    """dL/dx of a stack of 1-to-1 Linear blocks (with or without identity paths), dL/dy = 1."""
    layers = []
    for w in weights:
        layer = nn.Linear(1, 1, bias=False, dtype=np.float64)
        layer.weight.data[...] = w
        layers.append(layer)
    x = np.ones((1, 1))
    for layer in layers:
        x = x + layer(x) if residual else layer(x)
    grad = np.ones((1, 1))
    for layer in reversed(layers):
        back = layer.backward(grad)
        assert back is not None  # a Linear layer always returns its input gradient
        grad = grad + back if residual else back
    return float(grad[0, 0])


def residual_connections() -> list[Exercise]:
    """Exercises: a block's parameters, the gradient through identity paths, why they help."""
    weights = [0.5, -0.5, 0.5]
    answer = _residual_stack_gradient(weights, residual=True)
    plain = _residual_stack_gradient(weights, residual=False)
    return [
        GENERATORS["basic-block-parameters"](0),
        NumberExercise(
            question=(
                "Three scalar blocks $F_\\ell(x) = w_\\ell x$ with $w = 0.5, -0.5, 0.5$, each "
                "wrapped in an identity path: $x_{\\ell+1} = x_\\ell + F_\\ell(x_\\ell)$. With "
                "$\\partial L / \\partial x_3 = 1$, what is $\\partial L / \\partial x_0$?"
            ),
            answer=answer,
            solution=(
                "Each block multiplies the gradient by $1 + w_\\ell$: "
                f"$1.5 \\times 0.5 \\times 1.5 = $ {answer:g}. Without the identity paths it "
                f"would be $0.5 \\times (-0.5) \\times 0.5 = $ {plain:g}."
            ),
            mistakes=number_mistakes(
                answer,
                [
                    (plain, "Forgot the identity paths: each block multiplies by 1 + w."),
                    (
                        1 + sum(weights),
                        "Added the weights: the factors of the chain rule multiply.",
                    ),
                ],
            ),
            tolerance=1e-9,
        ),
        ChoiceExercise(
            question="Why can a network with residual connections be trained much deeper?",
            options=(
                "The identity paths carry the gradient back unchanged, so it does not fade "
                "through the product of many layers.",
                "Residual blocks have fewer parameters than plain ones.",
                "The shortcut normalises the activations, like batch normalization.",
                "The network skips layers at run time, so it is really shallower.",
            ),
            correct=0,
            explanations=(
                "Right: $\\partial L/\\partial x = g + J_F^\\top g$, the $g$ term survives.",
                "An identity shortcut adds no parameter and removes none.",
                "The shortcut adds the input back; it does not rescale it.",
                "Every layer still runs; the sum just adds a short path for the gradient.",
            ),
        ),
    ]


exercises = residual_connections

GENERATORS: dict[str, Generator] = {
    g.name: g for g in (Generator("basic-block-parameters", _block_draw, _block_build),)
}
