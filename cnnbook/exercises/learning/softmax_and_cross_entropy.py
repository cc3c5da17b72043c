"""Exercises of the page Softmax and Cross-Entropy (``docs/softmax-and-cross-entropy.md``)."""

from __future__ import annotations

import numpy as np

from cnnbook import nn
from cnnbook.exercises import ChoiceExercise, Exercise, Generator, NumberExercise
from cnnbook.exercises.exercise import THREE_DECIMALS, Params
from cnnbook.exercises.plain_text import fixed, num, number_mistakes

__all__ = ["GENERATORS", "PAGE", "exercises"]

PAGE = "softmax-and-cross-entropy"


def _draw_cross_entropy(rng: np.random.Generator) -> Params:
    return {"logits": rng.integers(-3, 4, size=3).tolist(), "target": int(rng.integers(0, 3))}


def _probabilities(z: np.ndarray) -> np.ndarray:
    return np.exp(nn.log_softmax(z))


def _build_cross_entropy(p: Params) -> NumberExercise:
    z = np.asarray(p["logits"], dtype=float)
    y = int(p["target"])
    answer = float(nn.CrossEntropyLoss()(z[None], np.array([y])))
    prob = _probabilities(z)
    wrong = [
        (
            float(-np.log(prob[c])),
            f"Used the log of the wrong class: that is −ln p{c}; the correct class is {y}.",
        )
        for c in range(3)
        if c != y
    ]
    mistakes = number_mistakes(
        answer,
        [
            *wrong,
            (float(np.log(prob[y])), "Forgot the minus sign: the loss is −ln p, never negative."),
            (
                float(-np.log10(prob[y])),
                "Used the base-10 log: cross-entropy uses the natural log.",
            ),
            (
                float(np.log(np.exp(z).sum())),
                "Forgot to subtract the correct class's logit: L = ln Σ e^z − z_y.",
            ),
        ],
        THREE_DECIMALS,
    )
    lse = float(np.log(np.exp(z).sum()))
    return NumberExercise(
        question=(
            f"A classifier outputs the logits ({', '.join(num(v) for v in z)}) for the classes "
            f"0, 1, 2; the correct class is {y}. What is the cross-entropy loss (natural log, "
            "to 3 decimals)?"
        ),
        answer=answer,
        tolerance=THREE_DECIMALS,
        solution=(
            f"softmax gives p = ({', '.join(fixed(v, 3) for v in prob)}); "
            f"L = −ln p{y} = ln(Σ e^z) − z{y} = {fixed(lse, 3)} − {num(z[y])} = "
            f"{fixed(answer, 3)}."
        ),
        mistakes=mistakes,
        generator="cross-entropy",
        params=p,
    )


CROSS_ENTROPY = Generator("cross-entropy", _draw_cross_entropy, _build_cross_entropy)


def exercises() -> list[Exercise]:
    """Return the page's exercises, in the order the page shows them."""
    z = np.array([[2.0, 1.0, -1.0]])
    loss = nn.CrossEntropyLoss()
    loss(z, np.array([0]))
    gradient = float(loss.backward()[0, 0])
    p0 = float(_probabilities(z[0])[0])
    big = np.array([1000.0, 999.0, 998.0])
    top = float(_probabilities(big)[0])
    return [
        CROSS_ENTROPY(0),
        NumberExercise(
            question=(
                "Logits $(2, 1, -1)$, correct class 0. What is $\\partial L / \\partial z_0$, "
                "the gradient of the cross-entropy with respect to the correct class's logit? "
                "(to 3 decimals)"
            ),
            answer=gradient,
            tolerance=THREE_DECIMALS,
            solution=(
                f"$\\partial L/\\partial z_c = p_c - [c = y]$: $p_0 - 1 = {fixed(p0, 3)} - 1 = "
                f"{fixed(gradient, 3)}$. Negative: raising the correct logit lowers the loss."
            ),
            mistakes=number_mistakes(
                gradient,
                [
                    (p0, "Forgot to subtract the one-hot target: the correct class gets $p - 1$."),
                    (-gradient, "The sign is flipped: it is $p_0 - 1$, not $1 - p_0$."),
                ],
                THREE_DECIMALS,
            ),
        ),
        NumberExercise(
            question=(
                "What is the softmax probability of the first class for the logits "
                "$(1000, 999, 998)$? (to 3 decimals)"
            ),
            answer=top,
            tolerance=THREE_DECIMALS,
            solution=(
                "Subtract the largest logit first (nothing changes): $(0, -1, -2)$, so "
                f"$p_0 = 1 / (1 + e^{{-1}} + e^{{-2}}) = {fixed(top, 3)}$."
            ),
            mistakes=number_mistakes(
                top,
                [
                    (
                        float(big[0] / big.sum()),
                        "Divided the logits, not their exponentials.",
                    ),
                    (1.0, "Only the differences of the logits matter: they are 0, −1, −2."),
                ],
                THREE_DECIMALS,
            ),
        ),
        ChoiceExercise(
            question="Every logit of a classifier is increased by 5. The softmax probabilities…",
            options=(
                "all increase.",
                "stay exactly the same.",
                "move toward equal probabilities.",
                "overflow.",
            ),
            correct=1,
            explanations=(
                "They always sum to one, so they cannot all increase.",
                "Right: $e^{z+5} = e^5 e^z$, and the $e^5$ cancels in the ratio — the reason "
                "the log-sum-exp trick may subtract the largest logit.",
                "Only scaling the logits down (a temperature) does that; adding keeps the "
                "differences.",
                "Computed with the largest logit subtracted, nothing overflows.",
            ),
        ),
    ]


GENERATORS: dict[str, Generator] = {g.name: g for g in (CROSS_ENTROPY,)}
