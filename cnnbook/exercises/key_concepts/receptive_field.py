"""Exercises of the page The Receptive Field of the Neuron.

The page is ``docs/the-receptive-field-of-the-neuron.md``.
"""

from __future__ import annotations

import numpy as np

from cnnbook.exercises import ChoiceExercise, Exercise, Generator, NumberExercise
from cnnbook.exercises.exercise import Params
from cnnbook.exercises.plain_text import number_mistakes
from cnnbook.receptive_field import receptive_field

__all__ = ["GENERATORS", "PAGE", "exercises"]

PAGE = "the-receptive-field-of-the-neuron"


def _draw_receptive_field(rng: np.random.Generator) -> Params:
    layers = []
    for _ in range(3):
        k = int(rng.integers(2, 6))
        s = int(rng.integers(1, min(k, 3) + 1))
        layers.append([k, s])
    if layers[0][1] == 1 and layers[1][1] == 1:
        layers[0][1] = 2  # a stride before the last layer, so the jump matters
    return {"layers": layers}


def _build_receptive_field(p: Params) -> NumberExercise:
    layers = [(int(k), int(s)) for k, s in p["layers"]]
    fields = receptive_field([{"kernel_size": k, "stride": s} for k, s in layers])
    answer = fields[-1].size[0]
    jumps = [1] + [rf.jump[0] for rf in fields]
    no_jump = 1 + sum(k - 1 for k, _ in layers)
    own_stride = 1 + sum((k - 1) * jumps[i + 1] for i, (k, _) in enumerate(layers))
    mistakes = number_mistakes(
        answer,
        [
            (
                no_jump,
                "Forgot the jump/stride product: each layer adds k − 1 times the product "
                "of the strides before it.",
            ),
            (
                sum(k for k, _ in layers),
                "Added the kernel sizes: neighbouring windows overlap; each layer adds "
                "(k − 1) × jump.",
            ),
            (
                own_stride,
                "Multiplied by the layer's own stride as well: only the strides of the "
                "layers before it count.",
            ),
        ],
    )
    described = ", then ".join(f"{k}×{k} with stride {s}" for k, s in layers)
    terms = " + ".join(f"({k} − 1) × {jumps[i]}" for i, (k, _) in enumerate(layers))
    return NumberExercise(
        question=(
            f"Three layers are stacked: {described} (no dilation). How many input cells "
            "wide is the receptive field of one unit of the third layer?"
        ),
        answer=answer,
        solution=(
            f"r = 1 + Σ (k − 1) × jump, the jump being the product of the earlier strides "
            f"({', '.join(str(j) for j in jumps[:3])}): 1 + {terms} = {answer}."
        ),
        mistakes=mistakes,
        generator="receptive-field-stack",
        params={"layers": [list(layer) for layer in layers]},
    )


RECEPTIVE_FIELD = Generator("receptive-field-stack", _draw_receptive_field, _build_receptive_field)


def exercises() -> list[Exercise]:
    """Return the page's exercises, in the order the page shows them."""
    conv = {"kernel_size": 3, "padding": 1}
    two = receptive_field([conv, conv])[-1].size[0]
    stack = [
        {"kernel_size": 3, "stride": 2},
        {"kernel_size": 2, "stride": 2},
        {"kernel_size": 3, "stride": 1},
        {"kernel_size": 3, "stride": 3},
    ]
    jump = receptive_field(stack)[-1].jump[0]
    strides = [layer["stride"] for layer in stack]
    return [
        RECEPTIVE_FIELD(0),
        NumberExercise(
            question=(
                "A 3 × 3 convolution with stride 2, a 2 × 2 pool with stride 2, a 3 × 3 "
                "convolution with stride 1 and a 3 × 3 convolution with stride 3. How many "
                "input cells apart are the fields of two neighbouring units of the last "
                "layer (the jump)?"
            ),
            answer=jump,
            solution=(
                "The jump is the product of all the strides: "
                f"{' × '.join(map(str, strides))} = {jump}."
            ),
            mistakes=number_mistakes(
                jump,
                [
                    (sum(strides), "Added the strides: the jump is their product."),
                    (strides[-1], "Used only the last layer's stride: every stride multiplies."),
                ],
            ),
        ),
        ChoiceExercise(
            question="Two 3 × 3 convolutions (stride 1) are stacked. Which statement is right?",
            options=(
                "A unit of the second layer sees a 3 × 3 block of the image: every kernel "
                "is 3 × 3.",
                f"It sees a {two} × {two} block: the receptive field follows from the "
                "kernels and strides of every layer; it is not a hyper-parameter of its own.",
                "It sees a 9 × 9 block: the kernel sizes multiply.",
                "The receptive field is a hyper-parameter chosen before training.",
            ),
            correct=1,
            explanations=(
                "Only in the first layer does the field equal the kernel: the second layer "
                "reads a window of windows.",
                f"Right: 1 + (3 − 1) + (3 − 1) = {two}.",
                "Sizes grow by k − 1 per layer (times the jump), they do not multiply.",
                "The hyper-parameters are each layer's kernel size, stride, padding and "
                "dilation; the field follows from them.",
            ),
        ),
    ]


GENERATORS: dict[str, Generator] = {g.name: g for g in (RECEPTIVE_FIELD,)}
