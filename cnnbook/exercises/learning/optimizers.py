"""Exercises of the page Optimizers (``docs/optimizers.md``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import numpy as np

from cnnbook.exercises import ChoiceExercise, Exercise, Generator, NumberExercise
from cnnbook.exercises.exercise import THREE_DECIMALS, Params
from cnnbook.exercises.plain_text import num, number_mistakes, operand
from cnnbook.optim import SGD, Adam, optimizer_path

__all__ = ["GENERATORS", "PAGE", "exercises"]

PAGE = "optimizers"


def _gradients(*values: float) -> Callable[[np.ndarray], tuple[float, np.ndarray]]:
    """Return a loss function whose gradient at step t is values[t] (its value unused)."""
    it: Iterator[float] = iter(values)
    return lambda point: (0.0, np.full_like(point, next(it)))


def _draw_momentum(rng: np.random.Generator) -> Params:
    def nonzero() -> int:
        return int(rng.choice([-4, -3, -2, -1, 1, 2, 3, 4]))

    return {
        "theta": int(rng.integers(-3, 4)),
        "g1": nonzero(),
        "g2": nonzero(),
        "lr": float(rng.choice([0.1, 0.2, 0.5])),
        "mu": float(rng.choice([0.5, 0.9])),
    }


def _build_momentum(p: Params) -> NumberExercise:
    theta, g1, g2, lr, mu = p["theta"], p["g1"], p["g2"], p["lr"], p["mu"]
    path = optimizer_path(SGD, _gradients(g1, g2), [float(theta)], 2, lr=lr, momentum=mu)
    theta1, answer = float(path[1, 0]), float(path[2, 0])
    plain = optimizer_path(SGD, _gradients(g1, g2), [float(theta)], 2, lr=lr)
    nesterov = optimizer_path(
        SGD, _gradients(g1, g2), [float(theta)], 2, lr=lr, momentum=mu, nesterov=True
    )
    averaged = optimizer_path(
        SGD, _gradients(g1, g2), [float(theta)], 2, lr=lr, momentum=mu, dampening=mu
    )
    b2 = mu * g1 + g2
    mistakes = number_mistakes(
        answer,
        [
            (float(plain[2, 0]), "Forgot the momentum buffer: that is plain SGD."),
            (float(nesterov[2, 0]), "That is Nesterov's update; this is plain momentum."),
            (
                float(averaged[2, 0]),
                "Averaged the gradients (b = μb + (1 − μ)g): torch's momentum adds the whole "
                "new gradient to μb.",
            ),
            (theta1, "Stopped after the first step."),
        ],
        THREE_DECIMALS,
    )
    return NumberExercise(
        question=(
            f"SGD with momentum μ = {num(mu)} and learning rate {num(lr)} (torch's rule: "
            "b = μb + g, θ = θ − lr·b, the buffer b starting at the first gradient) starts "
            f"at θ = {num(theta)}. The first gradient is {num(g1)}, the second {num(g2)}. "
            "What is θ after the two steps? (to 3 decimals)"
        ),
        answer=answer,
        tolerance=THREE_DECIMALS,
        solution=(
            f"Step 1: b = {num(g1)}, θ = {num(theta)} − {num(lr)} × {operand(g1)} = "
            f"{num(theta1)}. Step 2: b = {num(mu)} × {operand(g1)} + {operand(g2)} = "
            f"{num(b2)}, θ = {num(theta1)} − {num(lr)} × {operand(b2)} = {num(answer)}."
        ),
        mistakes=mistakes,
        generator="momentum-two-steps",
        params=p,
    )


MOMENTUM = Generator("momentum-two-steps", _draw_momentum, _build_momentum)


def _draw_adam(rng: np.random.Generator) -> Params:
    return {
        "theta": int(rng.integers(-3, 4)),
        "g": int(rng.choice([-50, -8, -3, -1, 1, 2, 5, 20, 100])),
        "lr": float(rng.choice([0.01, 0.1, 0.3])),
    }


def _build_adam(p: Params) -> NumberExercise:
    theta, g, lr = p["theta"], p["g"], p["lr"]
    answer = float(optimizer_path(Adam, _gradients(g), [float(theta)], 1, lr=lr)[1, 0])
    sgd = float(optimizer_path(SGD, _gradients(g), [float(theta)], 1, lr=lr)[1, 0])
    mistakes = number_mistakes(
        answer,
        [
            (
                sgd,
                "That is the SGD step lr × g: Adam divides by the root-mean-square of the "
                "gradient, so its first step has size lr whatever g.",
            ),
            (
                theta - lr * 0.1 * g / abs(g) / np.sqrt(0.001),
                "Forgot the bias correction: m and v start at zero and are divided by "
                "1 − β1 and 1 − β2.",
            ),
            (
                2 * theta - answer,
                "Stepped uphill: Adam moves against the gradient's sign.",
            ),
        ],
        THREE_DECIMALS,
    )
    return NumberExercise(
        question=(
            f"Adam (β1 = 0.9, β2 = 0.999, ε = 1e−8) with learning rate {num(lr)} takes its "
            f"first step from θ = {num(theta)}, where the gradient is {num(g)}. What is θ "
            "after the step? (to 3 decimals)"
        ),
        answer=answer,
        tolerance=THREE_DECIMALS,
        solution=(
            f"m = 0.1 × {operand(g)}, v = 0.001 × {operand(g)}²; bias-corrected "
            f"m̂ = {num(g)}, v̂ = {operand(g)}², so the step is lr × m̂ / (√v̂ + ε) = "
            f"{num(lr)} × sign(g): θ = {num(answer)}."
        ),
        mistakes=mistakes,
        generator="adam-first-step",
        params=p,
    )


ADAM = Generator("adam-first-step", _draw_adam, _build_adam)


def exercises() -> list[Exercise]:
    """Return the page's exercises, in the order the page shows them."""
    return [
        MOMENTUM(0),
        ADAM(0),
        ChoiceExercise(
            question="What distinguishes AdamW from Adam with `weight_decay`?",
            options=(
                "Nothing: both add $\\lambda\\theta$ to the gradient.",
                "AdamW shrinks the weights by $\\eta\\lambda\\theta$ directly, outside the "
                "adaptive scaling; Adam adds $\\lambda\\theta$ to the gradient, where the "
                "division by $\\sqrt{v}$ weakens it.",
                "AdamW has no momentum.",
                "AdamW decays the learning rate, not the weights.",
            ),
            correct=1,
            explanations=(
                "That is Adam's (coupled) weight decay only.",
                "Right: decoupled weight decay (Loshchilov & Hutter).",
                "AdamW keeps Adam's first and second moments.",
                "Learning-rate decay is a scheduler's job; AdamW decays the weights.",
            ),
        ),
    ]


GENERATORS: dict[str, Generator] = {g.name: g for g in (MOMENTUM, ADAM)}
