"""Exercises of the key-concept pages, from local receptive fields to translation invariance.

The pages: local receptive fields, the receptive field, the effective receptive field,
weight sharing, parameter counts and translation invariance.

Every answer is computed by ``cnnbook`` (``connectivity_savings``, ``receptive_field``,
``conv2d_backward``, ``conv2d_circular``, ``max_pool2d``, ``total_stride``...); the
generators' JavaScript ports are in ``docs/assets/exercises/key_concepts.js``.

Examples
--------
>>> sorted(PAGES)[:2]
['effective-receptive-field', 'local-receptive-fields']
>>> GENERATORS["receptive-field-stack"](0).answer > 1
True
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from cnnbook.conv2d import conv2d_backward
from cnnbook.effective_receptive_field import effective_receptive_field
from cnnbook.equivariance import conv2d_circular
from cnnbook.exercises.exercise import (
    ChoiceExercise,
    Exercise,
    Generator,
    GridExercise,
    NumberExercise,
)
from cnnbook.exercises.plain_text import grid, grid_mistakes, num, number_mistakes
from cnnbook.global_invariance import total_stride
from cnnbook.parameters import (
    connectivity_savings,
    conv2d_parameter_count,
    linear_parameter_count,
    locally_connected_parameter_count,
)
from cnnbook.pooling import max_pool2d
from cnnbook.receptive_field import receptive_field

__all__ = ["GENERATORS", "PAGES"]

Params = dict[str, Any]


def _round_half_up(x: float) -> int:
    """Round as JavaScript's ``Math.round`` does (ties up), so both ports agree."""
    return math.floor(x + 0.5)


def _channels(c: int) -> str:
    return f"{c} channel" + ("" if c == 1 else "s")


# --- local receptive fields ------------------------------------------------------------


def _draw_locally_connected(rng: np.random.Generator) -> Params:
    return {
        "c_in": int(rng.choice([1, 3])),
        "c_out": int(rng.integers(2, 9)),
        "size": int(rng.integers(6, 17)),
        "k": int(rng.choice([3, 5])),
    }


def _build_locally_connected(p: Params) -> NumberExercise:
    c_in, c_out, size, k = p["c_in"], p["c_out"], p["size"], p["k"]
    s = connectivity_savings(c_in, c_out, size, k)
    o = s.output_shape[1]
    answer = locally_connected_parameter_count(c_in, c_out, k, o)
    conv = conv2d_parameter_count(c_in, c_out, k)
    no_bias = locally_connected_parameter_count(c_in, c_out, k, o, bias=False)
    mistakes = number_mistakes(
        answer,
        [
            (
                conv,
                "That is the convolution: without sharing, every output position has its "
                "own copy of the filters.",
            ),
            (
                no_bias,
                "Forgot the bias: every output unit of a locally connected layer has a "
                "bias of its own.",
            ),
            (
                size * size * conv,
                "Counted one copy per input position: the copies are one per output "
                "position, and the output is smaller than the input.",
            ),
            (
                s.dense_parameters,
                "That is the dense layer: locality keeps only each unit's window.",
            ),
        ],
    )
    return NumberExercise(
        question=(
            f"A convolution with {c_out} filters of {k}×{k} maps {_channels(c_in)} of "
            f"{size}×{size} pixels to {c_out} channels (stride 1, no padding). A locally "
            "connected layer has the same windows, but every output position has weights "
            "and a bias of its own. How many parameters does it have?"
        ),
        answer=answer,
        solution=(
            f"The output is {o}×{o} ({size} − {k} + 1). One set of filters has "
            f"{c_out} × ({c_in} × {k} × {k} + 1) = {conv} parameters; without sharing there "
            f"is one set per output position: {o} × {o} × {conv} = {answer}."
        ),
        mistakes=mistakes,
        generator="locally-connected-count",
        params=p,
    )


LOCALLY_CONNECTED = Generator(
    "locally-connected-count", _draw_locally_connected, _build_locally_connected
)


def _local_receptive_fields() -> list[Exercise]:
    seen = conv2d_parameter_count(3, 1, 5, bias=False)  # one unit's weights: one per input
    return [
        LOCALLY_CONNECTED(0),
        NumberExercise(
            question=(
                "A convolution with 5 × 5 kernels reads a colour image of 3 channels, "
                "32 × 32 pixels. How many input values does one output unit see?"
            ),
            answer=seen,
            solution=(
                f"Its window: 5 × 5 positions in each of the 3 channels, {seen} values "
                "(the weights of one filter). A dense unit would see all 3 × 32 × 32."
            ),
            mistakes=number_mistakes(
                seen,
                [
                    (
                        conv2d_parameter_count(1, 1, 5, bias=False),
                        "Forgot the channels: the window spans every input channel.",
                    ),
                    (
                        linear_parameter_count(3 * 32 * 32, 1, bias=False),
                        "That is what a unit of a dense layer sees: every input value.",
                    ),
                    (
                        conv2d_parameter_count(3, 1, 5),
                        "Counted the bias: it is a parameter, not an input value.",
                    ),
                ],
            ),
        ),
        ChoiceExercise(
            question=(
                "A locally connected layer and a convolution use the same windows. "
                "What does weight sharing add?"
            ),
            options=(
                "Nothing in connections: both compute the same sums of the same windows; "
                "the convolution has one filter set instead of one per output position.",
                "It removes the connections outside each window.",
                "It removes connections and parameters in equal measure.",
                "It makes the layer invariant to shifts of the input.",
            ),
            correct=0,
            explanations=(
                "Right: sharing divides the parameters by the number of output positions "
                "and saves no connection.",
                "That is locality, the other saving: both layers already have it.",
                "Sharing saves parameters only: the connections are the same windows.",
                "Sharing makes the layer equivariant (the map shifts with the input), not "
                "invariant.",
            ),
        ),
    ]


# --- the receptive field of the neuron -------------------------------------------------


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


def _receptive_field_of_the_neuron() -> list[Exercise]:
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


# --- effective receptive field ---------------------------------------------------------


def _draw_gradient_map(rng: np.random.Generator) -> Params:
    return {
        "w1": rng.integers(-2, 3, size=(2, 2)).tolist(),
        "w2": rng.integers(-2, 3, size=(2, 2)).tolist(),
    }


def _build_gradient_map(p: Params) -> GridExercise:
    w1 = np.asarray(p["w1"], dtype=float)
    w2 = np.asarray(p["w2"], dtype=float)
    x = np.zeros((1, 1, 3, 3))  # the stack is linear: its gradient does not depend on x
    h = np.zeros((1, 1, 2, 2))
    grad_h = conv2d_backward(np.ones((1, 1, 1, 1)), h, w2[None, None])[0]
    answer = conv2d_backward(grad_h, x, w1[None, None])[0][0, 0]
    flipped = np.zeros((3, 3))  # a kernel flipped: the correlation of the kernels
    for a in range(2):
        for b in range(2):
            flipped[a : a + 2, b : b + 2] += w1[a, b] * w2[::-1, ::-1]
    mistakes = grid_mistakes(
        answer,
        [
            (
                flipped,
                "Flipped the second kernel: a path through w1[a][b] continues through "
                "w2[i − a][j − b], a convolution of the kernels with no flip.",
            ),
        ],
    )
    return GridExercise(
        question=(
            "A 3×3 input x goes through two 2×2 convolutions (cross-correlations, no "
            "padding, no bias, no nonlinearity) with the kernels w1 then w2, giving a "
            "single output y. Fill in the gradient map ∂y/∂x[i][j]."
        ),
        shown={"w1": w1, "w2": w2},
        answer=answer,
        solution=(
            "Every path from x[i][j] to y goes through one tap w1[a][b] and one tap "
            "w2[i − a][j − b]; summing over the paths gives the full convolution of the "
            f"two kernels: {grid(answer)}."
        ),
        mistakes=mistakes,
        generator="two-layer-gradient-map",
        params=p,
    )


GRADIENT_MAP = Generator("two-layer-gradient-map", _draw_gradient_map, _build_gradient_map)


def _equal_weight_stack(n: int) -> Any:
    from cnnbook import nn

    convs = [nn.Conv2d(1, 1, 3, padding=1, bias=False, dtype=np.float64) for _ in range(n)]
    for conv in convs:
        conv.weight.data[:] = 1.0
    return nn.Sequential(*convs)


def _effective_receptive_field() -> list[Exercise]:
    n = 4
    size = 2 * n + 3
    field = effective_receptive_field(_equal_weight_stack(n), size, samples=1).magnitude
    centre = float(field[size // 2, size // 2])
    box = receptive_field([{"kernel_size": 3, "padding": 1}] * n)[-1].size[0]
    return [
        GRADIENT_MAP(0),
        NumberExercise(
            question=(
                f"{n} stacked 3 × 3 convolutions, every weight 1, no bias, no nonlinearity. "
                "The gradient of the centre output unit with respect to an input cell "
                "counts the paths from that cell to the unit. How large is it at the "
                "centre cell?"
            ),
            answer=centre,
            solution=(
                "The map is the box [1, 1, 1] convolved with itself "
                f"{n} times along each axis; its middle entry along one axis is "
                f"{num(math.sqrt(centre))}, so the centre of the 2-D map is "
                f"{num(math.sqrt(centre))}² = {num(centre)}. The corners of the "
                f"{box} × {box} box get 1."
            ),
            mistakes=number_mistakes(
                centre,
                [
                    (
                        float(field.sum()),
                        "That is the number of all paths, from every input cell (the sum "
                        "of the map).",
                    ),
                    (9.0**n / box**2, "Spread the paths evenly over the box: they are not even."),
                    (
                        math.sqrt(centre),
                        "That is the count along one axis: the 2-D map is its square.",
                    ),
                ],
            ),
        ),
        ChoiceExercise(
            question=(
                "A stack of stride-1 3 × 3 convolutions is made four times deeper. What "
                "happens to the theoretical receptive field (the box) and to the spread of "
                "the effective receptive field?"
            ),
            options=(
                "Both grow about four times.",
                "The box grows about four times, the effective spread about twice (√4).",
                "The box grows four times, the effective field stays the same.",
                "The effective field grows faster than the box.",
            ),
            correct=1,
            explanations=(
                "Only the box grows linearly with depth; the effective field is a sum of "
                "n small random steps.",
                "Right: r = n(k − 1) + 1, σ = √(n(k² − 1)/12), so the effective field fills "
                "a shrinking fraction of the box.",
                "It does grow, like √n, as a repeated convolution spreads.",
                "It cannot: nothing outside the box moves the unit.",
            ),
        ),
    ]


# --- weight sharing ----------------------------------------------------------------------


def _draw_sharing(rng: np.random.Generator) -> Params:
    k = int(rng.choice([3, 5]))
    return {
        "c_in": int(rng.choice([1, 3])),
        "c_out": int(rng.choice([4, 6, 8, 16])),
        "size": int(rng.integers(8, 33)),
        "k": k,
        "padding": int(rng.choice([0, (k - 1) // 2])),
    }


def _build_sharing(p: Params) -> NumberExercise:
    c_in, c_out, size, k, pad = p["c_in"], p["c_out"], p["size"], p["k"], p["padding"]
    s = connectivity_savings(c_in, c_out, size, k, padding=pad)
    answer = _round_half_up(s.sharing_factor)  # exactly O_H × O_W
    o = s.output_shape[1]
    mistakes = number_mistakes(
        answer,
        [
            (
                _round_half_up(s.total_factor),
                "Counted locality and sharing together: that is the dense layer over the "
                "convolution.",
            ),
            (
                _round_half_up(s.locality_factor),
                "That is locality's saving (dense over locally connected), not sharing's.",
            ),
            (size * size, "Used the input size: one copy per output position is shared."),
            (
                s.conv_parameters,
                "That is the convolution's parameter count, not the factor.",
            ),
        ],
    )
    return NumberExercise(
        question=(
            f"{c_out} filters of {k}×{k} on {_channels(c_in)} of {size}×{size}, stride 1, "
            f"padding {pad}. By what factor does weight sharing divide the parameters of "
            "the locally connected layer with the same windows?"
        ),
        answer=answer,
        solution=(
            f"The output is {o}×{o} ({size} + 2 × {pad} − {k} + 1). The locally connected "
            f"layer has one copy of the {s.conv_parameters} parameters per output position, "
            f"{s.locally_connected_parameters} in all; sharing keeps one copy: a factor of "
            f"{o} × {o} = {answer}, whatever the channels."
        ),
        mistakes=mistakes,
        generator="sharing-factor",
        params=p,
    )


SHARING = Generator("sharing-factor", _draw_sharing, _build_sharing)


def _draw_shifted_map(rng: np.random.Generator) -> Params:
    return {
        "x": rng.integers(0, 3, size=(4, 4)).tolist(),
        "w": rng.integers(-1, 2, size=(2, 2)).tolist(),
    }


def _build_shifted_map(p: Params) -> GridExercise:
    x = np.asarray(p["x"], dtype=float)[None, None]
    w = np.asarray(p["w"], dtype=float)[None, None]
    y = conv2d_circular(x, w)[0, 0]
    answer = conv2d_circular(np.roll(x, 1, axis=-1), w)[0, 0]
    mistakes = grid_mistakes(
        answer,
        [
            (
                y,
                "That is the map of the original input: convolution is equivariant, not "
                "invariant; its map moves with the input.",
            ),
            (np.roll(y, -1, axis=-1), "Shifted the map to the left: it moves as the input does."),
        ],
    )
    return GridExercise(
        question=(
            "The 4×4 input x is convolved (cross-correlation with circular padding: the "
            "map keeps x's size and the image wraps around at its edges) with the 2×2 "
            "kernel w, giving the feature map y. Now x is shifted circularly one column "
            "to the right. Fill in the new feature map."
        ),
        shown={"x": x[0, 0], "w": w[0, 0], "y": y},
        answer=answer,
        solution=(
            "Every position uses the same weights, so the map shifts with the input: each "
            "column of y moves one place right and the last one wraps around to the "
            f"front: {grid(answer)}."
        ),
        mistakes=mistakes,
        generator="shifted-feature-map",
        params=p,
    )


SHIFTED_MAP = Generator("shifted-feature-map", _draw_shifted_map, _build_shifted_map)


def _weight_sharing() -> list[Exercise]:
    s = connectivity_savings(1, 6, 28, 5)
    return [
        SHARING(0),
        SHIFTED_MAP(0),
        NumberExercise(
            question=(
                "LeNet-5's first layer, six 5 × 5 filters on a 28 × 28 grey image, is run "
                "on a 56 × 56 image instead. How many parameters does it have now?"
            ),
            answer=connectivity_savings(1, 6, 56, 5).conv_parameters,
            solution=(
                "The same: 6 × (5 × 5 + 1) = "
                f"{connectivity_savings(1, 6, 56, 5).conv_parameters}. The shared filters "
                "do not depend on the image size."
            ),
            mistakes=number_mistakes(
                connectivity_savings(1, 6, 56, 5).conv_parameters,
                [
                    (
                        4 * s.conv_parameters,
                        "Scaled with the image area: shared weights do not depend on it.",
                    ),
                    (
                        connectivity_savings(1, 6, 56, 5).locally_connected_parameters,
                        "That is the locally connected layer, which has a copy per output "
                        "position.",
                    ),
                    (6 * 5 * 5, "Forgot the bias: one per filter."),
                ],
            ),
        ),
        ChoiceExercise(
            question="Weight sharing makes a convolutional layer…",
            options=(
                "translation invariant: a shifted input gives the same feature map.",
                "translation equivariant: a shifted input gives the shifted feature map.",
                "invariant to rotations.",
                "neither: it only saves parameters.",
            ),
            correct=1,
            explanations=(
                "The note's wording, but the map moves: invariance needs pooling over "
                "positions (global pooling).",
                "Right: the same filter everywhere means the same response wherever the "
                "pattern is, at the shifted place.",
                "A rotated pattern meets the same, unrotated filter: no rotation property.",
                "It also gives equivariance, because every position uses the same weights.",
            ),
        ),
    ]


# --- parameter count ---------------------------------------------------------------------


def _draw_conv_count(rng: np.random.Generator) -> Params:
    c_in = int(rng.choice([1, 3, 4, 8, 16, 32, 64]))
    c_out = int(rng.choice([4, 8, 16, 32, 64, 128]))
    groups = [g for g in (1, 2, 4) if c_in % g == 0 and c_out % g == 0]
    return {
        "c_in": c_in,
        "c_out": c_out,
        "k1": int(rng.choice([1, 3, 5, 7])),
        "k2": int(rng.choice([1, 3, 5, 7])),
        "groups": int(rng.choice(groups)),
    }


def _build_conv_count(p: Params) -> NumberExercise:
    c_in, c_out, k1, k2, g = p["c_in"], p["c_out"], p["k1"], p["k2"], p["groups"]
    answer = conv2d_parameter_count(c_in, c_out, (k1, k2), groups=g)
    mistakes = number_mistakes(
        answer,
        [
            (
                conv2d_parameter_count(c_in, c_out, (k1, k2), bias=False, groups=g),
                "Forgot the bias: one per filter.",
            ),
            (
                conv2d_parameter_count(c_in, c_out, (k1, k2)),
                "Ignored the groups: each filter sees only C_in / groups channels.",
            ),
            (
                conv2d_parameter_count(1, c_out, (k1, k2)),
                "Forgot the input channels: a filter has a k1×k2 slice per channel it sees.",
            ),
            (
                conv2d_parameter_count(c_in, c_out, (k1, k2), bias=False, groups=g) + c_in,
                "Gave a bias to each input channel: there is one per filter (output channel).",
            ),
        ],
    )
    return NumberExercise(
        question=(
            f"A Conv2d layer with {c_in} input channels, {c_out} filters of {k1}×{k2}, "
            f"groups={g} and a bias. How many parameters does it have?"
        ),
        answer=answer,
        solution=(
            f"C_out × (C_in / groups) × k1 × k2 + C_out = {c_out} × ({c_in} / {g}) × "
            f"{k1} × {k2} + {c_out} = {answer}."
        ),
        mistakes=mistakes,
        generator="conv-parameter-count",
        params=p,
    )


CONV_COUNT = Generator("conv-parameter-count", _draw_conv_count, _build_conv_count)


def _parameter_count() -> list[Exercise]:
    dense = linear_parameter_count(28 * 28, 10)
    depthwise = conv2d_parameter_count(64, 64, 3, groups=64)
    return [
        CONV_COUNT(0),
        NumberExercise(
            question=(
                "A dense layer maps a flattened 28 × 28 grey image to 10 class scores. "
                "How many parameters does it have?"
            ),
            answer=dense,
            solution=f"28 × 28 × 10 weights and 10 biases: {dense}.",
            mistakes=number_mistakes(
                dense,
                [
                    (linear_parameter_count(784, 10, bias=False), "Forgot the bias."),
                    (linear_parameter_count(784, 1), "Counted one output instead of ten."),
                ],
            ),
        ),
        NumberExercise(
            question=(
                "A depthwise 3 × 3 convolution, 64 channels in and out, `groups=64`, with "
                "bias. How many parameters?"
            ),
            answer=depthwise,
            solution=f"Each of the 64 filters sees one channel: 64 × 1 × 3 × 3 + 64 = {depthwise}.",
            mistakes=number_mistakes(
                depthwise,
                [
                    (
                        conv2d_parameter_count(64, 64, 3),
                        "Ignored the groups: each filter sees 64 / 64 = 1 channel.",
                    ),
                    (conv2d_parameter_count(64, 64, 3, bias=False, groups=64), "Forgot the bias."),
                ],
            ),
        ),
        ChoiceExercise(
            question="Which change alters the parameter count of a convolutional layer?",
            options=(
                "Doubling the stride.",
                "Padding by 2 instead of 0.",
                "Doubling the size of the input image.",
                "Doubling the number of input channels.",
            ),
            correct=3,
            explanations=(
                "The stride changes where the filter is applied, not its weights.",
                "Padding adds input cells, not weights.",
                "The same filters are reused at every position (weight sharing): the image "
                "size does not appear in the count.",
                "Right: every filter gets a k1 × k2 slice for each new channel.",
            ),
        ),
    ]


# --- translation invariance ------------------------------------------------------------


def _draw_total_stride(rng: np.random.Generator) -> Params:
    layers = []
    for _ in range(3):
        if rng.random() < 0.5:
            layers.append(["conv", int(rng.integers(1, 3))])
        else:
            layers.append(["max_pool", int(rng.integers(2, 4))])
    if all(s == 1 for _, s in layers):
        layers[1] = ["max_pool", 2]
    return {"layers": layers}


def _layer_text(kind: str, s: int) -> str:
    return f"a 3×3 convolution with stride {s}" if kind == "conv" else f"a {s}×{s} max pool"


def _build_total_stride(p: Params) -> NumberExercise:
    layers = [(str(kind), int(s)) for kind, s in p["layers"]]
    answer = total_stride(layers)
    strides = [s for _, s in layers]
    mistakes = number_mistakes(
        answer,
        [
            (sum(strides), "Added the strides: the total stride is their product."),
            (
                strides[-1],
                "Used only the last layer's stride: every stride before global pooling multiplies.",
            ),
            (
                1,
                "Global pooling is exactly invariant to every shift only when the total "
                "stride is 1.",
            ),
            (max(strides), "Took the largest stride: the strides multiply."),
        ],
    )
    described = ", ".join(_layer_text(kind, s) for kind, s in layers)
    return NumberExercise(
        question=(
            f"A network with circular padding: {described}, each followed by a ReLU, then "
            "global average pooling. What is the smallest positive horizontal circular "
            "shift of the input that leaves its output exactly unchanged for any weights?"
        ),
        answer=answer,
        solution=(
            "A shift passes through exactly only if every strided layer can match it by a "
            "whole shift of its output, i.e. if it is a multiple of the total stride, the "
            f"product of the strides (a pool's stride is its size): "
            f"{' × '.join(map(str, strides))} = {answer}."
        ),
        mistakes=mistakes,
        generator="total-stride",
        params={"layers": [list(layer) for layer in layers]},
    )


TOTAL_STRIDE = Generator("total-stride", _draw_total_stride, _build_total_stride)


def _draw_pooled_shift(rng: np.random.Generator) -> Params:
    return {"x": rng.integers(0, 10, size=(4, 6)).tolist()}


def _build_pooled_shift(p: Params) -> GridExercise:
    x = np.asarray(p["x"], dtype=float)
    pooled = max_pool2d(x[None, None], 2)[0, 0]
    answer = max_pool2d(np.roll(x, 2, axis=-1)[None, None], 2)[0, 0]
    mistakes = grid_mistakes(
        answer,
        [
            (
                pooled,
                "That is the pooled map of the original: pooling is not invariant, its map moves.",
            ),
            (
                np.roll(pooled, 2, axis=-1),
                "Moved the pooled map by 2 cells: it moves by shift ÷ stride = 1 cell.",
            ),
        ],
    )
    return GridExercise(
        question=(
            "The 4×6 map x is max pooled with 2×2 windows and stride 2 (a 2×3 result). Now "
            "x is shifted circularly two columns to the right. Fill in the pooled map of "
            "the shifted x."
        ),
        shown={"x": x},
        answer=answer,
        solution=(
            "A 2-column shift moves every 2×2 window onto the next window: the pooled map "
            "moves by 2 ÷ 2 = 1 cell (equivariance at the coarser scale), its last column "
            f"wrapping to the front: {grid(answer)}."
        ),
        mistakes=mistakes,
        generator="pooled-shift",
        params=p,
    )


POOLED_SHIFT = Generator("pooled-shift", _draw_pooled_shift, _build_pooled_shift)


def _translation_invariance() -> list[Exercise]:
    return [
        TOTAL_STRIDE(0),
        POOLED_SHIFT(0),
        ChoiceExercise(
            question=(
                "A circularly padded network: 3 × 3 convolution, 2 × 2 max pool, 3 × 3 "
                "convolution, global average pooling. The input is shifted by one pixel. "
                "Is the output exactly unchanged?"
            ),
            options=(
                "Yes: global pooling forgets position, so every shift is removed.",
                "No: the pool samples on a grid of step 2; only even shifts are removed exactly.",
                "No: no network with global pooling is invariant to any shift.",
                "Yes, because convolutions are invariant.",
            ),
            correct=1,
            explanations=(
                "Global pooling removes a shift only if the maps it pools have just "
                "shifted; the stride-2 pool turns an odd shift into different values.",
                "Right: exact invariance holds for multiples of the total stride, here "
                f"{total_stride([('conv', 1), ('max_pool', 2), ('conv', 1)])}.",
                "With total stride 1 (and circular padding) every shift is removed "
                "exactly; with stride S, the multiples of S.",
                "Convolutions are equivariant: their maps move with the input.",
            ),
        ),
        ChoiceExercise(
            question="A 2 × 2 max pool with stride 2 applied to a feature map is…",
            options=(
                "invariant: a shifted input gives the same pooled map.",
                "equivariant at a coarser scale: a 2-pixel shift moves the pooled map by one cell.",
                "equivariant with the same scale as the input.",
                "neither invariant nor equivariant for any shift.",
            ),
            correct=1,
            explanations=(
                "The pooled map moves; moving is not staying the same.",
                "Right: shifts that are multiples of the stride move the map by shift ÷ 2.",
                "Its output has half the resolution, so a 1-pixel shift has no matching "
                "shift of the pooled map.",
                "Shifts by multiples of 2 are matched exactly, one cell per 2 pixels.",
            ),
        ),
    ]


PAGES: dict[str, Callable[[], list[Exercise]]] = {
    "local-receptive-fields": _local_receptive_fields,
    "the-receptive-field-of-the-neuron": _receptive_field_of_the_neuron,
    "effective-receptive-field": _effective_receptive_field,
    "weight-sharing": _weight_sharing,
    "parameter-count": _parameter_count,
    "translation-invariance": _translation_invariance,
}

GENERATORS: dict[str, Generator] = {
    g.name: g
    for g in (
        LOCALLY_CONNECTED,
        RECEPTIVE_FIELD,
        GRADIENT_MAP,
        SHARING,
        SHIFTED_MAP,
        CONV_COUNT,
        TOTAL_STRIDE,
        POOLED_SHIFT,
    )
}
