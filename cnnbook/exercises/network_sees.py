"""Exercises of the pages on what a trained network sees.

The pages: the feature hierarchy, the CNN in your browser and where the network looks.
Every answer is computed by ``cnnbook`` (``receptive_field``, the pages' own network
builders ``feature_network`` and ``lenet_like``, ``avg_pool2d``, ``saliency_map``,
``occlusion_map``); no network is trained here. The generators' JavaScript ports are in
``docs/assets/exercises/network_sees.js``.

Examples
--------
>>> sorted(PAGES)
['cnn-in-your-browser', 'feature-hierarchy', 'where-the-network-looks']
>>> GENERATORS["block-average"](0).answer.shape
(2, 2)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

import numpy as np

from cnnbook import nn
from cnnbook.exercises.exercise import (
    ChoiceExercise,
    Exercise,
    Generator,
    GridExercise,
    NumberExercise,
)
from cnnbook.exercises.plain_text import fixed, grid, grid_mistakes, num, number_mistakes
from cnnbook.feature_hierarchy import feature_network
from cnnbook.models import lenet_like
from cnnbook.pooling import avg_pool2d, max_pool2d
from cnnbook.receptive_field import receptive_field
from cnnbook.saliency import occlusion_map, saliency_map
from cnnbook.usecases.classification import CANVAS

__all__ = ["GENERATORS", "PAGES"]

Params = dict[str, Any]
THREE_DECIMALS = 0.0005


# --- feature hierarchy ---------------------------------------------------------------------


def _draw_field(rng: np.random.Generator) -> Params:
    return {
        "k1": int(rng.choice([3, 5, 7])),
        "pool": int(rng.choice([2, 3])),
        "k2": int(rng.choice([3, 5])),
    }


def _build_field(p: Params) -> NumberExercise:
    k1, pool, k2 = p["k1"], p["pool"], p["k2"]
    layers = [{"kernel_size": k1}, {"kernel_size": pool, "stride": pool}, {"kernel_size": k2}]
    answer = receptive_field(layers)[-1].size[0]
    mistakes = number_mistakes(
        answer,
        [
            (
                k1 + k2 - 1,
                "Forgot the pool: its window widens the field, and its stride multiplies the "
                "jump, so the second kernel's k − 1 counts pool times.",
            ),
            (
                k1 + (pool - 1) + (k2 - 1),
                "Forgot the jump/stride product: after the pool, neighbouring units are "
                f"{pool} pixels apart, so the second kernel adds ({k2} − 1) × {pool}.",
            ),
            (k1 + (k2 - 1) * pool, "Forgot the pool's own window: it adds pool − 1 cells."),
            (k2, "That is the kernel of the second layer alone: it reads first-layer units."),
        ],
    )
    return NumberExercise(
        question=(
            f"A {k1}×{k1} convolution, a {pool}×{pool} max pool with stride {pool}, then a "
            f"{k2}×{k2} convolution (all unpadded). How many input pixels wide is the "
            "receptive field of a unit of the second convolution?"
        ),
        answer=answer,
        solution=(
            f"r = 1 + ({k1} − 1) × 1 + ({pool} − 1) × 1 + ({k2} − 1) × {pool} = {answer}: "
            f"after the pool the jump is {pool}."
        ),
        mistakes=mistakes,
        generator="conv-pool-conv-field",
        params=p,
    )


FIELD = Generator("conv-pool-conv-field", _draw_field, _build_field)


def _feature_hierarchy() -> list[Exercise]:
    net = feature_network(np.random.default_rng(0))
    conv1, conv2 = cast(nn.Conv2d, net[0]), cast(nn.Conv2d, net[3])
    weights = int(conv2.weight.data[0].size)
    k = conv2.kernel_size[0]
    return [
        FIELD(0),
        NumberExercise(
            question=(
                f"The page's network has {conv1.out_channels} filters of "
                f"{conv1.kernel_size[0]} × {conv1.kernel_size[0]} in layer 1 and "
                f"{conv2.out_channels} filters of {k} × {k} in layer 2. How many weights "
                "(without the bias) does one layer-2 filter have?"
            ),
            answer=weights,
            solution=(
                f"A layer-2 filter reads all {conv2.in_channels} maps of layer 1: "
                f"{conv2.in_channels} × {k} × {k} = {weights}. That is how a deeper unit "
                "combines the simpler features below it."
            ),
            mistakes=number_mistakes(
                weights,
                [
                    (k * k, "Forgot the channels: a layer-2 filter has a slice per layer-1 map."),
                    (weights + 1, "Counted the bias: the question asks for the weights."),
                    (
                        conv2.out_channels * k * k,
                        "Used the layer's own number of filters: a filter's slices are one per "
                        "input map.",
                    ),
                ],
            ),
        ),
        ChoiceExercise(
            question="Why can only the first layer's filters be read directly as pictures?",
            options=(
                "They act on pixels; a deeper filter weighs the maps of the layer below, "
                "not pixels.",
                "Deeper filters stay random: only the first layer learns.",
                "Deeper filters are too large to draw.",
                "Deeper filters have no spatial extent.",
            ),
            correct=0,
            explanations=(
                "Right: that is why the page shows top patches and activation maximisation "
                "for deeper units.",
                "Every layer learns; backpropagation reaches every kernel.",
                "They are 5 × 5 too, only with more channels — the channels are the problem.",
                "They are 5 × 5 windows over the maps below.",
            ),
        ),
        ChoiceExercise(
            question=("Activation maximisation blurs the image lightly every few steps. What for?"),
            options=(
                "To speed up the gradient ascent.",
                "As a regulariser: without it the ascent finds high-frequency patterns that "
                "no digit contains.",
                "To keep the pixels in the range [0, 1].",
                "To make the result match the top patches exactly.",
            ),
            correct=1,
            explanations=(
                "It slows the ascent if anything; it changes what the ascent finds.",
                "Right: the unit responds strongly to pixel-level noise too; the blur keeps "
                "the image to shapes a digit could have.",
                "That is the clipping, a separate step.",
                "The two methods agree in kind, not pixel for pixel.",
            ),
        ),
    ]


# --- a CNN in your browser -----------------------------------------------------------------


def _draw_blocks(rng: np.random.Generator) -> Params:
    return {"bitmap": (rng.random((8, 8)) < 0.45).astype(int).tolist()}


def _build_blocks(p: Params) -> GridExercise:
    bitmap = np.asarray(p["bitmap"], dtype=float)
    answer = avg_pool2d(bitmap[None, None], 4)[0, 0]  # count / 16
    mistakes = grid_mistakes(
        answer,
        [
            (16 * answer, "Forgot to divide the count by 16."),
            (
                max_pool2d(bitmap[None, None], 4)[0, 0],
                "Took the maximum of each block: the pixel is the share of ink, the count "
                "divided by 16.",
            ),
        ],
    )
    return GridExercise(
        question=(
            "The pad turns a drawing into the digits' format by counting the ink pixels of "
            "each 4×4 block of a bitmap and dividing by 16. Fill in the 2×2 result for this "
            "8×8 bitmap (1: ink), exactly (e.g. 0.4375)."
        ),
        shown={"bitmap": bitmap},
        answer=answer,
        solution=(
            "Each output pixel is its block's ink count over 16: the counts are "
            f"{grid(16 * answer)}, so the pixels are {grid(answer)}."
        ),
        mistakes=mistakes,
        generator="block-average",
        params=p,
    )


BLOCKS = Generator("block-average", _draw_blocks, _build_blocks)


def _cnn_in_your_browser() -> list[Exercise]:
    net = lenet_like(np.random.default_rng(0), image_size=CANVAS, padding=1)
    features = cast(nn.Linear, net[-1]).in_features
    unpadded_net = lenet_like(np.random.default_rng(0), image_size=CANVAS, padding=0)
    unpadded = cast(nn.Linear, unpadded_net[-1]).in_features
    channels = cast(nn.Conv2d, net[3]).out_channels
    one_pool = channels * (CANVAS // 2) ** 2  # the padded 3 × 3 convolutions keep the size
    first = sum(p.data.size for p in net[0].parameters())
    first_weights = int(cast(nn.Conv2d, net[0]).weight.data.size)
    return [
        BLOCKS(0),
        NumberExercise(
            question=(
                f"The page's network reads a {CANVAS} × {CANVAS} canvas: 3 × 3 convolution "
                "(8 maps, padding 1), ReLU, 2 × 2 max pool, 3 × 3 convolution "
                f"({channels} maps, padding 1), ReLU, 2 × 2 max pool, flatten. How many "
                "values does the flatten hand to the final linear layer?"
            ),
            answer=features,
            solution=(
                f"Padding 1 keeps a 3 × 3 convolution's size; each pool halves it (rounding "
                f"down): {CANVAS} → {CANVAS // 2} → {CANVAS // 2 // 2}, so "
                f"{channels} × {CANVAS // 2 // 2} × {CANVAS // 2 // 2} = {features}."
            ),
            mistakes=number_mistakes(
                features,
                [
                    (unpadded, "Forgot the padding: with it the convolutions keep the size."),
                    (one_pool, "Forgot the second pooling."),
                    (channels * CANVAS * CANVAS, "Forgot both poolings."),
                ],
            ),
        ),
        NumberExercise(
            question=(
                "How many parameters does the first convolution of that network have "
                "(1 input channel, 8 filters of 3 × 3, with bias)?"
            ),
            answer=first,
            solution=f"8 × 1 × 3 × 3 weights and 8 biases: {first}.",
            mistakes=number_mistakes(
                first,
                [
                    (first_weights, "Forgot the bias: one per filter."),
                    (first_weights + 1, "One bias per filter, not one for the layer."),
                ],
            ),
        ),
        ChoiceExercise(
            question=(
                "You draw a crossed seven in an unusual style and the network answers "
                '"3" with 97 % probability. What does the 97 % tell you?'
            ),
            options=(
                "That the drawing is almost surely a 3.",
                "Little: the softmax always sums to one over the ten digits, and the drawing "
                "is outside everything the network learned.",
                "That the network is broken.",
                "That the probability of a 7 is exactly 3 %.",
            ),
            correct=1,
            explanations=(
                "The probability is calibrated, at best, on drawings like the training "
                "digits; outside them it says nothing about being right.",
                "Right: the network must spread its probability over the ten classes it "
                "knows, whatever it is shown.",
                "It does what it was trained to do; the input is the problem.",
                "The remaining 3 % is spread over nine classes.",
            ),
        ),
    ]


# --- where the network looks ---------------------------------------------------------------


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


def _where_the_network_looks() -> list[Exercise]:
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


PAGES: dict[str, Callable[[], list[Exercise]]] = {
    "feature-hierarchy": _feature_hierarchy,
    "cnn-in-your-browser": _cnn_in_your_browser,
    "where-the-network-looks": _where_the_network_looks,
}

GENERATORS: dict[str, Generator] = {g.name: g for g in (FIELD, BLOCKS, SALIENCY)}
