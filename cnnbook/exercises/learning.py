"""Exercises of the pages on how a network learns.

The pages: learning a kernel, softmax and cross-entropy, optimizers and dropout. Every
answer is computed by ``cnnbook`` (``conv2d_backward`` with ``nn.MSELoss``,
``nn.CrossEntropyLoss``, ``optim.SGD`` / ``optim.Adam`` through ``optimizer_path``,
``nn.Dropout``); the generators' JavaScript ports are in
``docs/assets/exercises/learning.js``.

Examples
--------
>>> sorted(PAGES)
['dropout', 'learning-a-kernel', 'optimizers', 'softmax-and-cross-entropy']
>>> GENERATORS["dropout-scale"](0).tolerance
0.0005
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from cnnbook import nn
from cnnbook.conv2d import conv2d, conv2d_backward
from cnnbook.exercises.exercise import (
    ChoiceExercise,
    Exercise,
    Generator,
    GridExercise,
    NumberExercise,
)
from cnnbook.exercises.plain_text import (
    fixed,
    grid,
    grid_mistakes,
    num,
    number_mistakes,
    operand,
)
from cnnbook.optim import SGD, Adam, optimizer_path

__all__ = ["GENERATORS", "PAGES"]

Params = dict[str, Any]
#: "to 3 decimals": a value rounded to 3 decimals is within half a unit of the last one.
THREE_DECIMALS = 0.0005


# --- learning a kernel ---------------------------------------------------------------------


def _draw_kernel_gradient(rng: np.random.Generator) -> Params:
    return {
        "x": rng.integers(-2, 3, size=(3, 3)).tolist(),
        "w": rng.integers(-1, 2, size=(2, 2)).tolist(),
        "t": rng.integers(-3, 4, size=(2, 2)).tolist(),
    }


def _kernel_gradient(x: np.ndarray, w: np.ndarray, t: np.ndarray) -> np.ndarray:
    """∂L/∂w of L = mean((x ⋆ w − t)²), by nn.MSELoss's backward and conv2d_backward."""
    loss = nn.MSELoss()
    loss(conv2d(x[None, None], w[None, None]), t[None, None])
    return conv2d_backward(loss.backward(), x[None, None], w[None, None])[1][0, 0]


def _build_kernel_gradient(p: Params) -> GridExercise:
    x, w, t = (np.asarray(p[k], dtype=float) for k in ("x", "w", "t"))
    y = conv2d(x[None, None], w[None, None])[0, 0]
    answer = _kernel_gradient(x, w, t)
    error = y - t
    mistakes = grid_mistakes(
        answer,
        [
            (
                2 * answer,
                "Forgot the factor 2/M (M = 4 outputs): the loss is the mean, and the square "
                "brings down a 2.",
            ),
            (-answer, "Used t − x ⋆ w: the error is the output minus the target."),
            (
                answer[::-1, ::-1],
                "Flipped the gradient: it is the correlation of x with the error, in the "
                "kernel's own orientation.",
            ),
        ],
    )
    return GridExercise(
        question=(
            "A 2×2 kernel w is learned from one 3×3 image x and its 2×2 target t, with the "
            "loss L = (1/4) Σ ((x ⋆ w)[i][j] − t[i][j])² (⋆: valid cross-correlation). "
            "Fill in the gradient ∂L/∂w."
        ),
        shown={"x": x, "w": w, "t": t},
        answer=answer,
        solution=(
            f"The output x ⋆ w is {grid(y)}; the error e = x ⋆ w − t is {grid(error)}; "
            f"∂L/∂w = (2/4) x ⋆ e, entry [a][b] being (1/2) Σ x[i + a][j + b] e[i][j]: "
            f"{grid(answer)}."
        ),
        mistakes=mistakes,
        generator="kernel-gradient",
        params=p,
    )


KERNEL_GRADIENT = Generator("kernel-gradient", _draw_kernel_gradient, _build_kernel_gradient)


def _bowl(p: np.ndarray) -> tuple[float, np.ndarray]:
    """|w − w*|² around w* = 0: the Hessian 2I of white-noise images."""
    return float(p @ p), 2 * p


def _learning_a_kernel() -> list[Exercise]:
    path = optimizer_path(SGD, _bowl, [2.0], 5, lr=0.1)
    answer = float(path[-1, 0])
    slow = optimizer_path(SGD, lambda q: (float(q @ q) / 2, q), [2.0], 5, lr=0.1)
    return [
        KERNEL_GRADIENT(0),
        NumberExercise(
            question=(
                "On white-noise images the loss is close to $|w - w^*|^2$, Hessian $2I$. "
                "One kernel entry starts 2 away from its target. How far away is it after "
                "5 SGD steps with $\\eta = 0.1$? (to 3 decimals)"
            ),
            answer=answer,
            tolerance=THREE_DECIMALS,
            solution=(
                "Each step multiplies the error by $1 - 2\\eta = 0.8$: "
                f"$2 \\times 0.8^5 = {num(answer)}$."
            ),
            mistakes=number_mistakes(
                answer,
                [
                    (
                        float(slow[-1, 0]),
                        "Used the factor $1 - \\eta$: the Hessian is $2I$, so each step "
                        "multiplies the error by $1 - 2\\eta$.",
                    ),
                    (float(path[1, 0]), "That is after one step; there are five."),
                    (
                        0.0,
                        "Gradient descent shrinks the error by a factor per step; it does "
                        "not reach zero in finitely many steps here.",
                    ),
                ],
                THREE_DECIMALS,
            ),
        ),
        ChoiceExercise(
            question=(
                "The same learner (Hessian $2I$) is run with a learning rate $\\eta = 1.2$. "
                "What happens to the kernel error?"
            ),
            options=(
                "It shrinks faster than with $\\eta = 0.2$.",
                "It flips sign and grows every step: the learning diverges.",
                "It stays where it is.",
                "It reaches zero in one step.",
            ),
            correct=1,
            explanations=(
                "A larger step is faster only while $|1 - 2\\eta| < 1$, i.e. $\\eta < 1$.",
                "Right: each step multiplies the error by $1 - 2\\eta = -1.4$.",
                "The gradient is not zero away from $w^*$, so the kernel moves.",
                "That is $\\eta = 0.5$, where $1 - 2\\eta = 0$.",
            ),
        ),
    ]


# --- softmax and cross-entropy -------------------------------------------------------------


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


def _softmax_and_cross_entropy() -> list[Exercise]:
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


# --- optimizers ----------------------------------------------------------------------------


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


def _optimizers() -> list[Exercise]:
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


# --- dropout -------------------------------------------------------------------------------

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


def _dropout() -> list[Exercise]:
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


PAGES: dict[str, Callable[[], list[Exercise]]] = {
    "learning-a-kernel": _learning_a_kernel,
    "softmax-and-cross-entropy": _softmax_and_cross_entropy,
    "optimizers": _optimizers,
    "dropout": _dropout,
}

GENERATORS: dict[str, Generator] = {
    g.name: g for g in (KERNEL_GRADIENT, CROSS_ENTROPY, MOMENTUM, ADAM, DROPOUT)
}
