"""Exercises of the page Deep Learning (``docs/deep-learning.md``).

Every answer is computed with ``cnnbook`` when the exercise is built; each generator
has a JavaScript port in ``docs/assets/exercises/structure.js`` (same name, same plain text).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from cnnbook import nn, two_layer_network
from cnnbook.exercises import ChoiceExercise, Exercise, Generator, NumberExercise
from cnnbook.exercises.draws import int_list
from cnnbook.exercises.plain_text import factor_text, number_mistakes, number_text, numbers_text

__all__ = ["GENERATORS", "PAGE", "exercises"]

PAGE = "deep-learning"


def _linear(weight: list[list[float]], bias: list[float]) -> nn.Linear:
    """Return an ``nn.Linear`` (float64) holding ``weight`` and ``bias``."""
    layer = nn.Linear(len(weight[0]), len(weight), dtype=np.float64)
    layer.weight.data[...] = weight
    assert layer.bias is not None  # bias=True by default
    layer.bias.data[...] = bias
    return layer


def _neuron_draw(rng: np.random.Generator) -> dict[str, Any]:
    return {
        "x": int_list(rng, -3, 3, (3,)),
        "w": int_list(rng, -3, 3, (3,)),
        "b": int(rng.choice([-3, -2, -1, 1, 2, 3])),
    }


def _neuron_build(p: dict[str, Any]) -> NumberExercise:
    x, w, b = p["x"], p["w"], p["b"]
    z = float(_linear([w], [b])(np.array([x], dtype=float))[0, 0])
    answer = float(nn.ReLU()(np.array([z]))[0])
    terms = " + ".join(f"{factor_text(wi)}×{factor_text(xi)}" for wi, xi in zip(w, x, strict=True))
    return NumberExercise(
        question=(
            f"A neuron has weights w = ({numbers_text(w)}), bias b = {number_text(b)} and a ReLU "
            f"activation. Its input is x = ({numbers_text(x)}). What does it output?"
        ),
        answer=answer,
        solution=(
            f"Weighted sum plus bias: {terms} + {factor_text(b)} = {number_text(z)}. "
            f"ReLU: max(0, {number_text(z)}) = {number_text(answer)}."
        ),
        mistakes=number_mistakes(
            answer,
            [
                (max(0.0, z - b), "Forgot the bias: add b to the weighted sum before the ReLU."),
                (z, "Forgot the ReLU: a negative weighted sum comes out as 0."),
            ],
        ),
        generator="neuron-relu",
        params=p,
    )


def deep_learning() -> list[Exercise]:
    """Exercises: a neuron's output, a network's parameter count, why activations."""
    net = two_layer_network(hidden=8, rng=0)
    total = sum(q.data.size for q in net.parameters())
    weights_only = sum(q.data.size for q in net.parameters() if q.data.ndim == 2)
    return [
        GENERATORS["neuron-relu"](0),
        NumberExercise(
            question=(
                "The XOR network of this page, `two_layer_network(hidden=8)`, maps 2 inputs to "
                "8 tanh neurons and then to 2 class scores. How many parameters does it learn?"
            ),
            answer=total,
            solution=(
                "Layer 1: $2 \\times 8$ weights $+ 8$ biases; layer 2: $8 \\times 2$ weights "
                f"$+ 2$ biases; in all {total}."
            ),
            mistakes=number_mistakes(
                total, [(weights_only, "Forgot the biases: every neuron has one.")]
            ),
        ),
        ChoiceExercise(
            question=(
                "Why does a stack of `Linear` layers need an activation function between them?"
            ),
            options=(
                "Without it the stack collapses into a single linear map, however deep.",
                "Without it gradient descent cannot compute gradients.",
                "It turns the outputs into probabilities.",
                "It makes each layer cheaper to compute.",
            ),
            correct=0,
            explanations=(
                "Right: a product of matrices is a matrix, so depth adds nothing without a "
                "non-linearity.",
                "Linear layers have perfectly good gradients; the problem is what they can "
                "represent.",
                "That is the softmax at the end, not the hidden activations.",
                "An activation adds work; it is there for what the network can represent.",
            ),
        ),
    ]


exercises = deep_learning

GENERATORS: dict[str, Generator] = {
    g.name: g for g in (Generator("neuron-relu", _neuron_draw, _neuron_build),)
}
