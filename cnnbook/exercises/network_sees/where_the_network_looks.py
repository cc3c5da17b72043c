"""Exercises of the page Where the Network Looks (``docs/where-the-network-looks.md``)."""

from __future__ import annotations

import numpy as np

from cnnbook import nn
from cnnbook.exercises import ChoiceExercise, Exercise, Generator, GridExercise, NumberExercise
from cnnbook.exercises.exercise import THREE_DECIMALS, Params
from cnnbook.exercises.plain_text import fixed, grid, grid_mistakes, num, number_mistakes
from cnnbook.saliency import occlusion_map, saliency_map

__all__ = ["GENERATORS", "PAGE", "exercises"]

PAGE = "where-the-network-looks"


def _draw_saliency(rng: np.random.Generator) -> Params:
    return {
        "x": rng.integers(-2, 3, size=(3, 3)).tolist(),
        "w": rng.integers(-2, 3, size=(2, 2)).tolist(),
    }


def _relu_model(w: np.ndarray) -> nn.Sequential:
    """Score z = sum of ReLU(x ⋆ w): a convolution, a ReLU and a linear layer of ones."""
    conv = nn.Conv2d(1, 1, 2, bias=False, dtype=np.float64)
    conv.weight.data[...] = w
    head = nn.Linear(4, 1, bias=False, dtype=np.float64)
    head.weight.data[...] = 1.0
    return nn.Sequential(conv, nn.ReLU(), nn.Flatten(), head)


def _build_saliency(p: Params) -> GridExercise:
    x = np.asarray(p["x"], dtype=float)
    w = np.asarray(p["w"], dtype=float)
    gradient = saliency_map(_relu_model(w), x[None], 0)[0]
    answer = np.abs(gradient)
    no_relu = np.zeros((3, 3))
    for i in range(2):
        for j in range(2):
            no_relu[i : i + 2, j : j + 2] += w
    mistakes = grid_mistakes(
        answer,
        [
            (
                np.abs(no_relu),
                "Ignored the ReLU: a unit whose input is not positive is switched off and "
                "passes no gradient back.",
            ),
            (gradient, "Forgot the absolute value: saliency is |∂z/∂x|."),
            (np.abs(gradient * x), "Multiplied by the input: saliency is the gradient alone."),
        ],
    )
    return GridExercise(
        question=(
            "A tiny network scores a 3×3 image x: z = Σ ReLU(x ⋆ w) over the four positions of "
            "the 2×2 kernel w (valid cross-correlation, no bias). Fill in the saliency map "
            "|∂z/∂x|."
        ),
        shown={"x": x, "w": w},
        answer=answer,
        solution=(
            f"The four pre-activations x ⋆ w are {grid(_preactivations(x, w))}; "
            "each positive one adds w at its window to ∂z/∂x, the others add nothing: "
            f"∂z/∂x = {grid(gradient)}, so |∂z/∂x| = {grid(answer)}."
        ),
        mistakes=mistakes,
        generator="relu-saliency",
        params=p,
    )


def _preactivations(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    return _relu_model(w)[0](x[None, None])[0, 0]


SALIENCY = Generator("relu-saliency", _draw_saliency, _build_saliency)


def exercises() -> list[Exercise]:
    """Return the page's exercises, in the order the page shows them."""
    linear = nn.Linear(4, 2, dtype=np.float64)
    linear.weight.data[...] = [[1.0, 2.0, 0.0, -1.0], [0.0, -1.0, 1.0, 1.0]]
    assert linear.bias is not None
    linear.bias.data[...] = 0.0
    model = nn.Sequential(nn.Flatten(), linear)
    x = np.array([[[1.0, 1.0], [0.0, 1.0]]])
    drop = float(occlusion_map(model, x, 0, patch=1)[0, 0])
    logits = model(x[None])[0]
    covered = x.copy()
    covered[0, 0, 0] = 0.0
    logit_drop = float(logits[0] - model(covered[None])[0, 0])
    return [
        SALIENCY(0),
        NumberExercise(
            question=(
                "A linear classifier of 2 × 2 images has the class scores "
                "$z_0 = x_{00} + 2x_{01} - x_{11}$ and $z_1 = -x_{01} + x_{10} + x_{11}$. For "
                "the image with $x_{00} = x_{01} = x_{11} = 1$ and $x_{10} = 0$, occluding "
                "the pixel $x_{00}$ (setting it to 0) lowers the softmax probability of "
                "class 0 by how much? (to 3 decimals)"
            ),
            answer=drop,
            tolerance=THREE_DECIMALS,
            solution=(
                f"Before: $z = ({num(logits[0])}, {num(logits[1])})$; after: "
                f"$z_0$ falls by {num(logit_drop)}. The occlusion value is "
                f"$p_0(x) - p_0(x_\\text{{occluded}}) = {fixed(drop, 3)}$."
            ),
            mistakes=number_mistakes(
                drop,
                [
                    (logit_drop, "That is the fall of the score $z_0$, not of its probability."),
                    (-drop, "The sign is reversed: the map is $p(x) - p(\\text{occluded})$."),
                ],
                THREE_DECIMALS,
            ),
        ),
        ChoiceExercise(
            question=(
                "A saliency method gives almost the same map for a trained network and for "
                "the same network with random weights. What does that tell you?"
            ),
            options=(
                "The method is robust: a good sign.",
                "The map shows the input (its edges, its ink) more than what the network "
                "learned: it fails the randomisation check.",
                "The training failed.",
                "Random networks look at the same pixels as trained ones.",
            ),
            correct=1,
            explanations=(
                "Insensitivity to the weights means the map cannot explain the weights.",
                "Right: Adebayo et al.'s sanity check; the page's maps pass it because the "
                "rank correlation falls when the weights are re-drawn.",
                "The check is about the explanation method, not about the accuracy.",
                "A random network has learned nothing to look for; the map comes from the input.",
            ),
        ),
        ChoiceExercise(
            question="What does a saliency map $|\\partial z_k / \\partial x|$ measure?",
            options=(
                "Which region the network attends to, as a person would.",
                "How much the class score would change for a tiny change of each pixel.",
                "How much the probability falls when a patch is covered.",
                "Which pixels are bright in the input.",
            ),
            correct=1,
            explanations=(
                "A gradient is a local sensitivity, not an attention region; on this page the "
                "maps are speckled.",
                "Right: the first-order sensitivity of the score at this very image.",
                "That is occlusion sensitivity, a large (not tiny) change.",
                "A dark pixel can have a large gradient too.",
            ),
        ),
    ]


GENERATORS: dict[str, Generator] = {SALIENCY.name: SALIENCY}
