"""Exercises of the page Learning a Kernel (``docs/learning-a-kernel.md``)."""

from __future__ import annotations

import numpy as np

from cnnbook import nn
from cnnbook.conv2d import conv2d, conv2d_backward
from cnnbook.exercises import ChoiceExercise, Exercise, Generator, GridExercise, NumberExercise
from cnnbook.exercises.exercise import THREE_DECIMALS, Params
from cnnbook.exercises.plain_text import grid, grid_mistakes, num, number_mistakes
from cnnbook.optim import SGD, optimizer_path

__all__ = ["GENERATORS", "PAGE", "exercises"]

PAGE = "learning-a-kernel"


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


def exercises() -> list[Exercise]:
    """Return the page's exercises, in the order the page shows them."""
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


GENERATORS: dict[str, Generator] = {g.name: g for g in (KERNEL_GRADIENT,)}
