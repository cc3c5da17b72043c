"""Exercises of the page Batch Normalization (``docs/batch-normalization.md``).

Every answer is computed with ``cnnbook`` when the exercise is built; each generator
has a JavaScript port in ``docs/assets/exercises/structure.js`` (same name, same plain text).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from cnnbook import nn
from cnnbook.exercises import ChoiceExercise, Exercise, Generator, NumberExercise
from cnnbook.exercises.draws import int_list
from cnnbook.exercises.plain_text import number_mistakes, number_text, numbers_text

__all__ = ["GENERATORS", "PAGE", "exercises"]

PAGE = "batch-normalization"


def _bn_draw(rng: np.random.Generator) -> dict[str, Any]:
    values = int_list(rng, 0, 9, (4,))
    while len(set(values)) == 1:
        values = int_list(rng, 0, 9, (4,))
    return {"values": values}


def _bn_build(p: dict[str, Any]) -> NumberExercise:
    values = p["values"]
    bn = nn.BatchNorm2d(1, dtype=np.float64)
    bn(np.array(values, dtype=float).reshape(4, 1, 1, 1))
    assert bn.running_var is not None  # tracked by default
    answer = float(bn.running_var[0])
    mean = sum(values) / 4
    biased = sum((v - mean) ** 2 for v in values) / 4
    unbiased = biased * (4 / 3)
    return NumberExercise(
        question=(
            "A fresh BatchNorm2d(1) (running mean 0, running variance 1, momentum 0.1) in "
            "training mode receives a batch of 4 samples whose channel holds "
            f"{numbers_text(values)} (one pixel each). What is its running variance afterwards?"
            " (4 decimals)"
        ),
        answer=answer,
        solution=(
            f"Batch mean {number_text(mean)}; biased variance {number_text(biased)}. The "
            f"running variance is fed the unbiased one, {number_text(biased)}×4/3 = "
            f"{number_text(unbiased)}, and moves a tenth of the way: 0.9×1 + 0.1×"
            f"{number_text(unbiased)} = {number_text(answer)}."
        ),
        mistakes=number_mistakes(
            answer,
            [
                (
                    0.9 + 0.1 * biased,
                    "Used the biased variance: the running variance is fed the unbiased one "
                    "(divided by m − 1).",
                ),
                (unbiased, "Forgot the momentum: the running variance moves a tenth of the way."),
                (0.1 * unbiased, "Started from 0: the running variance starts at 1."),
            ],
        ),
        tolerance=0.001,
        generator="bn-running-var",
        params=p,
    )


def _evaluation_value() -> NumberExercise:
    """One sample through a trained BatchNorm2d in evaluation mode."""
    bn = nn.BatchNorm2d(1, dtype=np.float64)
    # affine and tracked by default: every buffer and parameter exists
    assert bn.running_mean is not None and bn.running_var is not None
    assert bn.weight is not None and bn.bias is not None
    bn.running_mean[...], bn.running_var[...] = 2.0, 4.0
    bn.weight.data[...], bn.bias.data[...] = 1.5, -1.0
    bn.eval()
    answer = float(bn(np.full((1, 1, 1, 1), 6.0))[0, 0, 0, 0])
    return NumberExercise(
        question=(
            "A trained `BatchNorm2d(1)` holds $\\gamma = 1.5$, $\\beta = -1$ and the running "
            "statistics $\\bar\\mu = 2$, $\\bar\\sigma^2 = 4$. In evaluation mode, a single "
            "one-pixel image with value 6 goes through it. What comes out (2 decimals)?"
        ),
        answer=answer,
        solution=(
            "Evaluation mode uses the running statistics: "
            f"$1.5 \\cdot (6 - 2) / \\sqrt{{4 + \\epsilon}} - 1 \\approx$ {answer:.2f}."
        ),
        mistakes=number_mistakes(
            answer,
            [
                (
                    -1.0,
                    "Normalised with the batch's own statistics (one value: mean 6, "
                    "variance 0): evaluation mode uses the running ones.",
                ),
                (3.0, "Forgot the shift $\\beta$."),
                (1.0, "Forgot the scale $\\gamma$."),
                (0.5, "Divided by the variance instead of the standard deviation."),
            ],
        ),
        tolerance=0.01,
    )


def batch_normalization() -> list[Exercise]:
    """Exercises: the running variance, a normalised value, training against evaluation mode."""
    # The right option is a fact: in training mode a sample depends on its batch-mates,
    # in evaluation mode it does not.
    check = nn.BatchNorm2d(1, dtype=np.float64)
    sample, mates = np.ones((1, 1, 2, 2)), np.arange(8.0).reshape(2, 1, 2, 2)
    trained = [check(np.concatenate([sample, m]))[0] for m in (mates, -mates)]
    check.eval()
    evaluated = [check(np.concatenate([sample, m]))[0] for m in (mates, -mates)]
    if np.allclose(*trained) or not np.allclose(*evaluated):
        raise RuntimeError("batch norm's train/eval behaviour is not what the choice says")

    batch = np.array([2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0])
    bn = nn.BatchNorm2d(1, dtype=np.float64)
    answer = float(bn(batch.reshape(8, 1, 1, 1))[-1, 0, 0, 0])
    unbiased = float((batch[-1] - batch.mean()) / np.sqrt(batch.var(ddof=1)))
    return [
        GENERATORS["bn-running-var"](0),
        NumberExercise(
            question=(
                "A fresh `BatchNorm2d(1)` in training mode normalises a batch of 8 one-pixel "
                "samples: 2, 4, 4, 4, 5, 5, 7, 9. What does the sample 9 become ($\\gamma = 1$, "
                "$\\beta = 0$; 2 decimals)?"
            ),
            answer=answer,
            solution=(
                "Mean 5, biased variance 4, so $(9 - 5) / \\sqrt{4 + \\epsilon} \\approx$ "
                f"{answer:.2f}."
            ),
            mistakes=number_mistakes(
                answer,
                [
                    (
                        round(unbiased, 2),
                        "Used the unbiased variance: the normalisation divides by m, not m − 1.",
                    ),
                    (9 / 2, "Forgot to subtract the mean."),
                    (1.0, "Divided by the variance instead of the standard deviation."),
                ],
            ),
            tolerance=0.01,
        ),
        _evaluation_value(),
        ChoiceExercise(
            question=(
                "A trained network with batch normalization classifies the same photograph "
                "differently depending on which other photographs are in its batch. Why?"
            ),
            options=(
                "It is still in training mode, normalising with each batch's own statistics; "
                "call `model.eval()` to use the running statistics.",
                "Batch normalization is random, like dropout.",
                "The running statistics are updated in evaluation mode too.",
                "The learned scale and shift differ per batch.",
            ),
            correct=0,
            explanations=(
                "Right: in evaluation mode every sample is normalised with constants.",
                "Nothing is random in it; the batch's statistics are what change.",
                "In evaluation mode they are constants; only training mode updates them.",
                "$\\gamma$ and $\\beta$ are parameters, the same for every batch.",
            ),
        ),
    ]


exercises = batch_normalization

GENERATORS: dict[str, Generator] = {
    g.name: g for g in (Generator("bn-running-var", _bn_draw, _bn_build),)
}
