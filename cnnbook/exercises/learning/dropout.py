"""Exercises of the page Dropout (``docs/dropout.md``)."""

from __future__ import annotations

import numpy as np

from cnnbook import nn
from cnnbook.exercises import ChoiceExercise, Exercise, Generator, GridExercise, NumberExercise
from cnnbook.exercises.exercise import THREE_DECIMALS, Params
from cnnbook.exercises.plain_text import fixed, grid, grid_mistakes, num, number_mistakes

__all__ = ["GENERATORS", "PAGE", "exercises"]

PAGE = "dropout"


DROP_PROBABILITIES = (0.1, 0.2, 0.25, 0.4, 0.5, 0.6, 0.75, 0.8, 0.9)


def _draw_dropout(rng: np.random.Generator) -> Params:
    return {"p": float(rng.choice(DROP_PROBABILITIES)), "x": int(rng.integers(1, 31)) / 10}


def _build_dropout(p: Params) -> NumberExercise:
    prob, x = float(p["p"]), float(p["x"])
    layer = nn.Dropout(prob)
    answer = float(layer(np.array([x]), mask=np.array([True]))[0])
    mistakes = number_mistakes(
        answer,
        [
            (
                x * (1 - prob),
                "Scaled by 1 − p: that is the original paper's rule at evaluation; inverted "
                "dropout divides by 1 − p in training.",
            ),
            (x / prob, "Divided by p: the survivors are divided by the keep probability 1 − p."),
            (x, "Forgot the scale 1/(1 − p): the kept units are scaled up in training."),
            (0.0, "The unit was kept, not dropped."),
        ],
        THREE_DECIMALS,
    )
    return NumberExercise(
        question=(
            f"A unit's value is {num(x)}. In training mode, nn.Dropout(p={num(prob)}) keeps it "
            "(it is not dropped). What does the layer output for it? (to 3 decimals)"
        ),
        answer=answer,
        tolerance=THREE_DECIMALS,
        solution=(
            f"Inverted dropout divides the kept units by 1 − p = {num(1 - prob)}: "
            f"{num(x)} / {num(1 - prob)} = {fixed(answer, 3)}, so the expected output "
            f"(1 − p) × {fixed(answer, 3)} + p × 0 equals the input."
        ),
        mistakes=mistakes,
        generator="dropout-scale",
        params=p,
    )


DROPOUT = Generator("dropout-scale", _draw_dropout, _build_dropout)


def exercises() -> list[Exercise]:
    """Return the page's exercises, in the order the page shows them."""
    x = np.array([[0.2, 1.0, 0.6], [0.4, 0.8, 0.3]])
    mask = np.array([[True, False, True], [False, True, True]])
    p = 0.25
    layer = nn.Dropout(p)
    answer = layer(x, mask=mask)
    gradient = layer.backward(np.ones_like(x))
    return [
        DROPOUT(0),
        GridExercise(
            question=(
                f"In training mode, `nn.Dropout(p={p})` receives the activations x and draws "
                "the mask shown (1: kept, 0: dropped). Fill in its output (to 3 decimals)."
            ),
            shown={"x": x, "mask": mask.astype(float)},
            answer=answer,
            solution=(
                f"Dropped units give 0; kept ones are divided by $1 - p = {num(1 - p)}$: "
                f"{grid(answer)}. The backward pass multiplies the gradient by the same "
                f"mask and scale (a gradient of ones becomes {grid(gradient)})."
            ),
            mistakes=grid_mistakes(
                answer,
                [
                    (x * mask, "Forgot the scale $1/(1 - p)$ of the kept units."),
                    (x / (1 - p), "Scaled every unit, but the dropped ones must be 0."),
                    (x * mask * (1 - p), "Multiplied by $1 - p$: inverted dropout divides."),
                ],
                THREE_DECIMALS,
            ),
            tolerance=THREE_DECIMALS,
        ),
        ChoiceExercise(
            question="What does `nn.Dropout(p=0.5)` do in evaluation mode (`model.eval()`)?",
            options=(
                "It drops half of the units, as in training.",
                "It multiplies every unit by 0.5.",
                "Nothing: it returns its input unchanged.",
                "It multiplies every unit by 2.",
            ),
            correct=2,
            explanations=(
                "Evaluation must be deterministic: nothing is dropped.",
                "That was the original paper's rule; inverted dropout already scaled the "
                "kept units in training.",
                "Right: the $1/(1-p)$ of training keeps every expected value equal to the "
                "input, so evaluation is the identity.",
                "The scale is applied only to the kept units in training.",
            ),
        ),
    ]


GENERATORS: dict[str, Generator] = {g.name: g for g in (DROPOUT,)}
