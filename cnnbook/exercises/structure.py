"""Exercises for the pages on how a network is built.

Layers, channels, the backward pass, the cost of a convolution, normalisation, residual
connections, pooling and dense layers.

Every answer is computed with ``cnnbook`` when the exercise is built; each generator has a
JavaScript port in ``docs/assets/exercises/structure.js`` (same name, same plain text).

Examples
--------
>>> GENERATORS["conv-layer-parameters"].build({"c_in": 3, "c_out": 16, "k": 5}).answer
1216
>>> sorted(len(PAGES[page]()) >= 3 for page in PAGES)[0]
True
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from cnnbook import (
    conv2d,
    conv2d_backward,
    conv2d_macs,
    conv2d_parameter_count,
    conv_output_size,
    convolve2d,
    correlate2d,
    linear_parameter_count,
    max_pool2d,
    nn,
    pool_output_size,
    two_layer_network,
)
from cnnbook.exercises.exercise import (
    ChoiceExercise,
    Exercise,
    Generator,
    GridExercise,
    NumberExercise,
)
from cnnbook.exercises.plain_numbers import (
    factor_text,
    grid_mistakes,
    kept_mistakes,
    number_text,
    numbers_text,
)
from cnnbook.models import BasicBlock

__all__ = ["GENERATORS", "PAGES"]

_CHANNELS = (1, 3, 4, 8, 16, 32, 64)
_WIDTHS = (16, 32, 64, 128)


def _ints(rng: np.random.Generator, lo: int, hi: int, shape: tuple[int, ...]) -> list[Any]:
    """Integers in [lo, hi] as nested lists (JSON parameters)."""
    return list(rng.integers(lo, hi + 1, size=shape).tolist())


def _linear(weight: list[list[float]], bias: list[float]) -> nn.Linear:
    """Return an ``nn.Linear`` (float64) holding ``weight`` and ``bias``."""
    layer = nn.Linear(len(weight[0]), len(weight), dtype=np.float64)
    layer.weight.data[...] = weight
    assert layer.bias is not None  # bias=True by default
    layer.bias.data[...] = bias
    return layer


# --- Deep Learning -------------------------------------------------------------------


def _neuron_draw(rng: np.random.Generator) -> dict[str, Any]:
    return {
        "x": _ints(rng, -3, 3, (3,)),
        "w": _ints(rng, -3, 3, (3,)),
        "b": int(rng.choice([-3, -2, -1, 1, 2, 3])),
    }


def _neuron_build(p: dict[str, Any]) -> NumberExercise:
    x, w, b = p["x"], p["w"], p["b"]
    z = float(_linear([w], [b])(np.array([x], dtype=float))[0, 0])
    answer = float(nn.ReLU()(np.array([z]))[0])
    terms = " + ".join(f"{factor_text(wi)}×{factor_text(xi)}" for wi, xi in zip(w, x, strict=True))
    return NumberExercise(
        question=(
            f"A neuron has weights w = ({numbers_text(w)}), bias b = {number_text(b)} and a ReLU "
            f"activation. Its input is x = ({numbers_text(x)}). What does it output?"
        ),
        answer=answer,
        solution=(
            f"Weighted sum plus bias: {terms} + {factor_text(b)} = {number_text(z)}. "
            f"ReLU: max(0, {number_text(z)}) = {number_text(answer)}."
        ),
        mistakes=kept_mistakes(
            answer,
            [
                (max(0.0, z - b), "Forgot the bias: add b to the weighted sum before the ReLU."),
                (z, "Forgot the ReLU: a negative weighted sum comes out as 0."),
            ],
        ),
        generator="neuron-relu",
        params=p,
    )


def deep_learning() -> list[Exercise]:
    """Exercises: a neuron's output, a network's parameter count, why activations."""
    net = two_layer_network(hidden=8, rng=0)
    total = sum(q.data.size for q in net.parameters())
    weights_only = sum(q.data.size for q in net.parameters() if q.data.ndim == 2)
    return [
        GENERATORS["neuron-relu"](0),
        NumberExercise(
            question=(
                "The XOR network of this page, `two_layer_network(hidden=8)`, maps 2 inputs to "
                "8 tanh neurons and then to 2 class scores. How many parameters does it learn?"
            ),
            answer=total,
            solution=(
                "Layer 1: $2 \\times 8$ weights $+ 8$ biases; layer 2: $8 \\times 2$ weights "
                f"$+ 2$ biases; in all {total}."
            ),
            mistakes=kept_mistakes(
                total, [(weights_only, "Forgot the biases: every neuron has one.")]
            ),
        ),
        ChoiceExercise(
            question=(
                "Why does a stack of `Linear` layers need an activation function between them?"
            ),
            options=(
                "Without it the stack collapses into a single linear map, however deep.",
                "Without it gradient descent cannot compute gradients.",
                "It turns the outputs into probabilities.",
                "It makes each layer cheaper to compute.",
            ),
            correct=0,
            explanations=(
                "Right: a product of matrices is a matrix, so depth adds nothing without a "
                "non-linearity.",
                "Linear layers have perfectly good gradients; the problem is what they can "
                "represent.",
                "That is the softmax at the end, not the hidden activations.",
                "An activation adds work; it is there for what the network can represent.",
            ),
        ),
    ]


# --- Convolutional Layers ------------------------------------------------------------


def _conv_params_draw(rng: np.random.Generator) -> dict[str, Any]:
    return {
        "c_in": int(rng.choice(_CHANNELS)),
        "c_out": int(rng.choice(_CHANNELS[1:])),
        "k": int(rng.choice([1, 3, 5, 7])),
    }


def _conv_params_build(p: dict[str, Any]) -> NumberExercise:
    c_in, c_out, k = p["c_in"], p["c_out"], p["k"]
    answer = conv2d_parameter_count(c_in, c_out, k)
    return NumberExercise(
        question=(
            f"A Conv2d layer maps {c_in} input channels to {c_out} output channels with "
            f"{k}×{k} kernels and a bias. How many parameters does it have?"
        ),
        answer=answer,
        solution=(
            f"Each of the {c_out} filters spans all {c_in} input channels: {c_in}×{k}×{k} "
            f"weights plus 1 bias. {c_out}×({c_in}×{k}×{k} + 1) = {answer}."
        ),
        mistakes=kept_mistakes(
            answer,
            [
                (c_out * c_in * k * k, "Forgot the bias: one per filter."),
                (
                    c_out * (k * k + 1),
                    "Forgot the input channels: a filter has a k×k kernel for every input channel.",
                ),
                (c_out * (c_in * k + 1), "Counted k weights per kernel instead of k×k."),
            ],
        ),
        generator="conv-layer-parameters",
        params=p,
    )


def convolutional_layers() -> list[Exercise]:
    """Parameters of a layer, its output size, what it computes."""
    size = conv_output_size(32, 5, stride=2, padding=2)
    return [
        GENERATORS["conv-layer-parameters"](0),
        NumberExercise(
            question=(
                "`Conv2d(3, 8, 5, stride=2, padding=2)` on a batch of shape $(4, 3, 32, 32)$: "
                "what is the height of its output?"
            ),
            answer=size,
            solution=(
                "$\\lfloor (32 + 2 \\cdot 2 - 5) / 2 \\rfloor + 1 = $ "
                f"{size}; the output is $(4, 8, {size}, {size})$."
            ),
            mistakes=kept_mistakes(
                size,
                [
                    (
                        (32 + 2 * 2 - 5) // 2,
                        "Forgot the +1 (or counted the padding once: `padding=2` adds two "
                        "rows on each side).",
                    ),
                    ((32 + 2 - 5) // 2 + 1, "Used the total padding instead of per side."),
                    (32 + 2 * 2 - 5 + 1, "Ignored the stride: divide by 2 before adding 1."),
                    (8, "That is the number of output channels, not the height."),
                ],
            ),
        ),
        ChoiceExercise(
            question="What does `Conv2d` compute between a window and its kernel?",
            options=(
                "A cross-correlation: the window times the kernel as stored, no flip.",
                "A convolution in the mathematical sense: the kernel is flipped first.",
                "The maximum of the window, weighted by the kernel.",
                "A product of the window and the kernel as matrices.",
            ),
            correct=0,
            explanations=(
                "Right: deep-learning libraries correlate; since the kernel is learned, a "
                "flip would change nothing but its storage order.",
                "That is the textbook convolution; `Conv2d` does not flip (see Cross-"
                "Correlation and Convolution).",
                "That is max pooling, which has no weights.",
                "It is an element-wise product, summed over the window and the channels.",
            ),
        ),
    ]


# --- Channels and 1x1 Convolutions ---------------------------------------------------


def _multichannel_draw(rng: np.random.Generator) -> dict[str, Any]:
    return {
        "x": _ints(rng, 0, 3, (2, 3, 3)),
        "w": _ints(rng, -1, 2, (2, 2, 2)),
        "b": int(rng.integers(-2, 3)),
    }


def _multichannel_build(p: dict[str, Any]) -> GridExercise:
    x, w, b = np.array(p["x"], float), np.array(p["w"], float), float(p["b"])
    answer = conv2d(x, w[None], np.array([b]))[0]
    per_channel = [correlate2d(x[c], w[c]) for c in range(2)]
    return GridExercise(
        question=(
            "A Conv2d filter over two input channels holds one 2×2 kernel per channel (shown) "
            f"and the bias b = {number_text(b)}. Fill in its 2×2 output (stride 1, no padding)."
        ),
        shown={
            "input channel 0": x[0],
            "input channel 1": x[1],
            "kernel for channel 0": w[0],
            "kernel for channel 1": w[1],
        },
        answer=answer,
        solution=(
            "Correlate each channel with its own kernel, add the two results position by "
            f"position, then add the bias. Top-left: ({number_text(per_channel[0][0, 0])}) + "
            f"({number_text(per_channel[1][0, 0])}) + {factor_text(b)} = "
            f"{number_text(answer[0, 0])}."
        ),
        mistakes=grid_mistakes(
            answer,
            [
                (answer - b, "Forgot the bias: it is added to every output value."),
                (per_channel[0] + b, "Used channel 0 only: a filter sums over every channel."),
                (
                    convolve2d(x[0], w[0]) + convolve2d(x[1], w[1]) + b,
                    "Flipped the kernels: a convolutional layer correlates, no flip.",
                ),
            ],
        ),
        generator="multichannel-output",
        params=p,
    )


def channels() -> list[Exercise]:
    """Exercises: a two-channel output, a 1x1 layer's parameters, what a 1x1 convolution does."""
    count = conv2d_parameter_count(256, 64, 1)
    return [
        GENERATORS["multichannel-output"](0),
        NumberExercise(
            question=("A 1×1 convolution maps 256 channels to 64 (bias on). How many parameters?"),
            answer=count,
            solution=(
                f"$64 \\times (256 \\times 1 \\times 1 + 1) = $ {count}, whatever the image size."
            ),
            mistakes=kept_mistakes(
                count,
                [
                    (conv2d_parameter_count(256, 64, 1, bias=False), "Forgot the bias."),
                    (conv2d_parameter_count(256, 64, 3), "That is a 3×3 layer; here k = 1."),
                    (
                        conv2d_parameter_count(1, 64, 1),
                        "Forgot the input channels: each output has a weight per input channel.",
                    ),
                ],
            ),
        ),
        ChoiceExercise(
            question="What does a 1×1 convolution do to a feature map of shape $(C, H, W)$?",
            options=(
                "Multiplies every pixel by one constant, so it changes nothing useful.",
                "Mixes the channels at each pixel: a Linear layer applied to every pixel's "
                "channel vector.",
                "Blurs each channel by one pixel.",
                "Halves the height and width.",
            ),
            correct=1,
            explanations=(
                "With one input channel it would; with many it has a weight per (output, "
                "input) channel pair and mixes them.",
                "Right: $y[i, j] = W x[i, j] + b$, the same dense layer at every pixel.",
                "A 1×1 window sees one pixel: it cannot mix neighbours.",
                "With stride 1 the size is unchanged: $I - 1 + 1 = I$.",
            ),
        ),
    ]


# --- Backpropagation Through a Convolution -------------------------------------------


def _kernel_gradient_draw(rng: np.random.Generator) -> dict[str, Any]:
    return {"x": _ints(rng, 0, 3, (4, 4)), "g": _ints(rng, -2, 2, (2, 2))}


def _kernel_gradient_build(p: dict[str, Any]) -> GridExercise:
    x, g = np.array(p["x"], float), np.array(p["g"], float)
    _, grad_w, _ = conv2d_backward(g[None, None], x[None, None], np.zeros((1, 1, 3, 3)))
    answer = grad_w[0, 0]
    return GridExercise(
        question=(
            "y is the valid correlation of the 4×4 input x with a 3×3 kernel w (stride 1, no "
            "padding). Given the output gradient g = dL/dy (2×2), fill in dL/dw (3×3)."
        ),
        shown={"input x": x, "output gradient g": g},
        answer=answer,
        solution=(
            "dL/dw[a, c] = Σ g[i, j] × x[i + a, j + c]: the valid correlation of x with g. "
            f"Top-left: {factor_text(g[0, 0])}×{factor_text(x[0, 0])} + {factor_text(g[0, 1])}×"
            f"{factor_text(x[0, 1])} + {factor_text(g[1, 0])}×{factor_text(x[1, 0])} + "
            f"{factor_text(g[1, 1])}×{factor_text(x[1, 1])} = {number_text(answer[0, 0])}."
        ),
        mistakes=grid_mistakes(
            answer,
            [
                (
                    convolve2d(x, g),
                    "Flipped the output gradient: dL/dw is a correlation of x with g, no flip.",
                )
            ],
        ),
        generator="conv-kernel-gradient",
        params=p,
    )


def backpropagation() -> list[Exercise]:
    """Exercises: a kernel gradient, an input gradient, where max pooling sends its gradient."""
    w = np.array([[1.0, 2.0, 0.0], [-1.0, 3.0, 1.0], [2.0, 0.0, -2.0]])
    g = np.array([[1.0, -1.0], [2.0, 1.0]])
    grad_x, _, _ = conv2d_backward(g[None, None], np.zeros((1, 1, 4, 4)), w[None, None])
    answer = float(grad_x[0, 0, 1, 1])
    unflipped = float(correlate2d(g, w, "full")[1, 1])
    return [
        GENERATORS["conv-kernel-gradient"](0),
        NumberExercise(
            question=(
                "A 4×4 input is correlated (valid, stride 1) with the kernel "
                "$w = \\begin{pmatrix} 1 & 2 & 0 \\\\ -1 & 3 & 1 \\\\ 2 & 0 & -2 \\end{pmatrix}$; "
                "the output gradient is "
                "$g = \\begin{pmatrix} 1 & -1 \\\\ 2 & 1 \\end{pmatrix}$. "
                "What is $\\partial L / \\partial x$ at row 1, column 1 (counting from 0)?"
            ),
            answer=answer,
            solution=(
                "Pixel $(1, 1)$ is read by all four windows, by the tap $w_{1-i,\\,1-j}$ of "
                "window $(i, j)$: $g_{00} w_{11} + g_{01} w_{10} + g_{10} w_{01} + g_{11} w_{00}$"
                f" = {answer:g} — the full convolution of $g$ with $w$."
            ),
            mistakes=kept_mistakes(
                answer,
                [
                    (
                        unflipped,
                        "Used the kernel unflipped: the input gradient is a full "
                        "*convolution* of g with w.",
                    ),
                ],
            ),
        ),
        ChoiceExercise(
            question=(
                "In the backward pass of 2×2 max pooling (stride 2), where does a window's "
                "output gradient go?"
            ),
            options=(
                "All of it to the cell that held the window's maximum; the others get 0.",
                "A quarter of it to each of the four cells.",
                "All of it to every cell of the window.",
                "Nowhere: pooling has no weights, so it has no gradient.",
            ),
            correct=0,
            explanations=(
                "Right: only the winner affected the output.",
                "That is average pooling's backward.",
                "That would count the gradient four times.",
                "It has no weight gradient, but it must pass an input gradient to the layer below.",
            ),
        ),
    ]


# --- How Convolution Is Computed (im2col) --------------------------------------------


def _im2col_draw(rng: np.random.Generator) -> dict[str, Any]:
    return {
        "c": int(rng.integers(1, 9)),
        "size": int(rng.integers(5, 13)),
        "k": int(rng.choice([1, 3, 5])),
    }


def _im2col_build(p: dict[str, Any]) -> NumberExercise:
    c, size, k = p["c"], p["size"], p["k"]
    out = conv_output_size(size, k)
    answer = c * k * k * out * out
    return NumberExercise(
        question=(
            f"im2col for one image of {c} channels of {size}×{size} and a {k}×{k} kernel "
            "(stride 1, no padding): how many numbers does the matrix hold?"
        ),
        answer=answer,
        solution=(
            f"One column per output pixel: {size} − {k} + 1 = {out}, so {out}×{out} = "
            f"{out * out} columns. Each column is a window of {c}×{k}×{k} = {c * k * k} "
            f"numbers. {c * k * k}×{out * out} = {answer}."
        ),
        mistakes=kept_mistakes(
            answer,
            [
                (k * k * out * out, "Forgot the channels: a window spans all of them."),
                (
                    c * k * k * size * size,
                    "Used the input size: there is one column per output pixel.",
                ),
                (
                    c * size * size,
                    "Counted each pixel once: im2col copies it into every window that contains it.",
                ),
            ],
        ),
        generator="im2col-size",
        params=p,
    )


def how_convolution_is_computed() -> list[Exercise]:
    """Exercises: the im2col matrix, a layer's multiply-adds, why the matrix product is faster."""
    macs = conv2d_macs(16, 32, 3, conv_output_size(30, 3, padding=1))
    return [
        GENERATORS["im2col-size"](0),
        NumberExercise(
            question=(
                "A convolution maps 16 channels of 30×30 to 32 channels with 3×3 kernels and "
                "`padding=1`. How many multiply-adds does it do for one image?"
            ),
            answer=macs,
            solution=(
                "Output $32 \\times 30 \\times 30$ values, each a window sum of "
                f"$16 \\times 3 \\times 3$ products: {macs:,}."
            ),
            mistakes=kept_mistakes(
                macs,
                [
                    (32 * 28 * 28 * 16 * 9, "Used 28 × 28 outputs: `padding=1` keeps 30 × 30."),
                    (32 * 30 * 30 * 9, "Forgot the input channels."),
                    (2 * macs, "That counts FLOPs (two per multiply-add)."),
                ],
            ),
        ),
        ChoiceExercise(
            question=(
                "im2col copies every pixel up to $k^2$ times, yet im2col + one matrix product "
                "is far faster than the four nested loops. Why?"
            ),
            options=(
                "It does fewer multiply-adds.",
                "The same multiply-adds run in one call to compiled, vectorised BLAS code "
                "instead of one interpreted Python step each.",
                "It uses the FFT.",
                "It skips the zeros of the padding.",
            ),
            correct=1,
            explanations=(
                "The count is the same: every window times every filter.",
                "Right: where the work runs is what changes.",
                "No Fourier transform is involved; that is another method (Convolution "
                "Beyond Images).",
                "It copies the padding zeros into the columns like any other value.",
            ),
        ),
    ]


# --- Batch Normalization -------------------------------------------------------------


def _bn_draw(rng: np.random.Generator) -> dict[str, Any]:
    values = _ints(rng, 0, 9, (4,))
    while len(set(values)) == 1:
        values = _ints(rng, 0, 9, (4,))
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
        mistakes=kept_mistakes(
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


def batch_normalization() -> list[Exercise]:
    """Exercises: the running variance, a normalised value, training against evaluation mode."""
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
            mistakes=kept_mistakes(
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


# --- Residual Connections ------------------------------------------------------------


def _block_draw(rng: np.random.Generator) -> dict[str, Any]:
    c_in = int(rng.choice(_WIDTHS))
    stride = int(rng.integers(1, 3))
    c_out = c_in * 2 if stride == 2 else int(rng.choice([c_in, c_in * 2]))
    return {"c_in": c_in, "c_out": c_out, "stride": stride}


def _block_build(p: dict[str, Any]) -> NumberExercise:
    c_in, c_out, stride = p["c_in"], p["c_out"], p["stride"]
    block = BasicBlock(c_in, c_out, stride=stride, rng=np.random.default_rng(0))
    answer = sum(q.data.size for q in block.parameters())
    body = 9 * c_in * c_out + 9 * c_out * c_out
    projected = stride != 1 or c_in != c_out
    projection = c_in * c_out + 2 * c_out if projected else 0
    shortcut = (
        f"the 1×1 projection shortcut, {c_in}×{c_out} weights + 2×{c_out} for its batch norm"
        f" = {projection}"
        if projected
        else "an identity shortcut, no parameters"
    )
    return NumberExercise(
        question=(
            f"A ResNet BasicBlock maps {c_in} channels to {c_out} with stride {stride}: two "
            "3×3 convolutions without bias, each followed by a batch norm, and a projection "
            "shortcut when the shape changes. How many parameters does it have?"
        ),
        answer=answer,
        solution=(
            f"Convolutions: 3×3×{c_in}×{c_out} + 3×3×{c_out}×{c_out} = {body}. Batch norms: "
            f"2×2×{c_out} = {4 * c_out} (γ and β). Shortcut: {shortcut}. In all {answer}."
        ),
        mistakes=kept_mistakes(
            answer,
            [
                (
                    answer - projection,
                    "Forgot the projection shortcut: the channels or the "
                    "size change, so the shortcut needs a 1×1 convolution and its batch norm.",
                ),
                (
                    answer - 4 * c_out - (2 * c_out if projected else 0),
                    "Forgot the batch norms' γ and β.",
                ),
                (
                    answer + 2 * c_out + (c_out if projected else 0),
                    "Counted conv biases: the convolutions before a batch norm have none.",
                ),
            ],
        ),
        generator="basic-block-parameters",
        params=p,
    )


def _residual_stack_gradient(weights: list[float], residual: bool) -> float:
    """dL/dx of a stack of 1-to-1 Linear blocks (with or without identity paths), dL/dy = 1."""
    layers = []
    for w in weights:
        layer = nn.Linear(1, 1, bias=False, dtype=np.float64)
        layer.weight.data[...] = w
        layers.append(layer)
    x = np.ones((1, 1))
    for layer in layers:
        x = x + layer(x) if residual else layer(x)
    grad = np.ones((1, 1))
    for layer in reversed(layers):
        back = layer.backward(grad)
        assert back is not None  # a Linear layer always returns its input gradient
        grad = grad + back if residual else back
    return float(grad[0, 0])


def residual_connections() -> list[Exercise]:
    """Exercises: a block's parameters, the gradient through identity paths, why they help."""
    weights = [0.5, -0.5, 0.5]
    answer = _residual_stack_gradient(weights, residual=True)
    plain = _residual_stack_gradient(weights, residual=False)
    return [
        GENERATORS["basic-block-parameters"](0),
        NumberExercise(
            question=(
                "Three scalar blocks $F_\\ell(x) = w_\\ell x$ with $w = 0.5, -0.5, 0.5$, each "
                "wrapped in an identity path: $x_{\\ell+1} = x_\\ell + F_\\ell(x_\\ell)$. With "
                "$\\partial L / \\partial x_3 = 1$, what is $\\partial L / \\partial x_0$?"
            ),
            answer=answer,
            solution=(
                "Each block multiplies the gradient by $1 + w_\\ell$: "
                f"$1.5 \\times 0.5 \\times 1.5 = $ {answer:g}. Without the identity paths it "
                f"would be $0.5 \\times (-0.5) \\times 0.5 = $ {plain:g}."
            ),
            mistakes=kept_mistakes(
                answer,
                [
                    (plain, "Forgot the identity paths: each block multiplies by 1 + w."),
                    (
                        1 + sum(weights),
                        "Added the weights: the factors of the chain rule multiply.",
                    ),
                ],
            ),
            tolerance=1e-9,
        ),
        ChoiceExercise(
            question="Why can a network with residual connections be trained much deeper?",
            options=(
                "The identity paths carry the gradient back unchanged, so it does not fade "
                "through the product of many layers.",
                "Residual blocks have fewer parameters than plain ones.",
                "The shortcut normalises the activations, like batch normalization.",
                "The network skips layers at run time, so it is really shallower.",
            ),
            correct=0,
            explanations=(
                "Right: $\\partial L/\\partial x = g + J_F^\\top g$, the $g$ term survives.",
                "An identity shortcut adds no parameter and removes none.",
                "The shortcut adds the input back; it does not rescale it.",
                "Every layer still runs; the sum just adds a short path for the gradient.",
            ),
        ),
    ]


# --- Understanding Pooling Layers ----------------------------------------------------


def _max_pool_draw(rng: np.random.Generator) -> dict[str, Any]:
    return {"x": _ints(rng, 0, 9, (4, 4)), "stride": int(rng.integers(1, 3))}


def _max_pool_build(p: dict[str, Any]) -> GridExercise:
    x, stride = np.array(p["x"], float), p["stride"]
    answer = max_pool2d(x[None, None], 2, stride=stride)[0, 0]
    size = pool_output_size(4, 2, stride)
    windows = [
        x[i * stride : i * stride + 2, j * stride : j * stride + 2]
        for i in range(size)
        for j in range(size)
    ]
    mean = np.array([w.mean() for w in windows]).reshape(size, size)
    return GridExercise(
        question=(
            f"Max pooling with a 2×2 window and stride {stride} on the 4×4 input: fill in the "
            f"{size}×{size} output."
        ),
        shown={"input": x},
        answer=answer,
        solution=(
            f"⌊(4 − 2) / {stride}⌋ + 1 = {size} windows per axis, {stride} apart; each output "
            f"is its window's largest value. Top-left window: {numbers_text(windows[0].ravel())}"
            f" → {number_text(answer[0, 0])}."
        ),
        mistakes=grid_mistakes(
            answer, [(mean, "Took each window's mean: that is average pooling.")]
        ),
        generator="max-pool-output",
        params=p,
    )


def pooling() -> list[Exercise]:
    """Exercises: a max-pooled grid, the default stride, what a shift does to the pooled map."""
    size = pool_output_size(9, 3)
    return [
        GENERATORS["max-pool-output"](0),
        NumberExercise(
            question="`MaxPool2d(3)` on a 9×9 feature map: what is the output's width?",
            answer=size,
            solution=(
                "The stride defaults to the kernel size, 3: "
                f"$\\lfloor (9 - 3) / 3 \\rfloor + 1 = $ {size}."
            ),
            mistakes=kept_mistakes(
                size,
                [
                    (
                        pool_output_size(9, 3, 1),
                        "Assumed stride 1: pooling's stride defaults to the kernel size.",
                    ),
                    ((9 - 3) // 3, "Forgot the +1."),
                ],
            ),
        ),
        ChoiceExercise(
            question=(
                "The input of a 2×2, stride-2 max pooling is shifted right by 2 pixels "
                "(circularly). What happens to the pooled map?"
            ),
            options=(
                "Nothing: pooling makes the network translation invariant.",
                "It shifts right by one cell: pooling is equivariant at the coarser scale.",
                "It shifts right by 2 cells.",
                "It changes unpredictably.",
            ),
            correct=1,
            explanations=(
                "Only an isolated feature moving within its window leaves the maximum "
                "unchanged; a shift by the stride moves the whole map.",
                "Right: shifting by the stride moves every window onto the next one.",
                "The pooled map has half the resolution: 2 pixels are one cell.",
                "A shift by a multiple of the stride is exactly one of cells.",
            ),
        ),
    ]


# --- Fully Connected Layers ----------------------------------------------------------


def _dense_draw(rng: np.random.Generator) -> dict[str, Any]:
    return {
        "c": int(rng.choice([4, 8, 16, 32, 64])),
        "size": int(rng.integers(2, 8)),
        "n_out": int(rng.choice([2, 10, 100])),
    }


def _dense_build(p: dict[str, Any]) -> NumberExercise:
    c, size, n_out = p["c"], p["size"], p["n_out"]
    n_in = c * size * size
    answer = linear_parameter_count(n_in, n_out)
    return NumberExercise(
        question=(
            f"{c} feature maps of {size}×{size} are flattened and fed to a dense layer with "
            f"{n_out} outputs. How many parameters does the layer have?"
        ),
        answer=answer,
        solution=(
            f"Flattened: {c}×{size}×{size} = {n_in} inputs. Weights {n_in}×{n_out} plus "
            f"{n_out} biases = {answer}."
        ),
        mistakes=kept_mistakes(
            answer,
            [
                (n_in * n_out, "Forgot the bias: one per output."),
                (
                    size * size * n_out + n_out,
                    "Forgot the channels: flattening keeps every map, so there are C×H×W inputs.",
                ),
                (n_in + n_out, "Counted one weight per input: every output has its own."),
            ],
        ),
        generator="dense-parameters",
        params=p,
    )


def fully_connected_layers() -> list[Exercise]:
    """Exercises: a dense layer's parameters, one output by hand, what its size depends on."""
    dense = _linear([[1.0, -2.0, 0.5], [0.0, 1.0, 3.0]], [1.0, -1.0])
    x = np.array([[2.0, 1.0, 4.0]])
    y = dense(x)[0]
    return [
        GENERATORS["dense-parameters"](0),
        NumberExercise(
            question=(
                "A dense layer has $W = \\begin{pmatrix} 1 & -2 & 0.5 \\\\ 0 & 1 & 3 "
                "\\end{pmatrix}$ and $b = (1, -1)$. For $x = (2, 1, 4)$, what is its first "
                "output $y_0$?"
            ),
            answer=float(y[0]),
            solution=f"$y_0 = 1 \\cdot 2 - 2 \\cdot 1 + 0.5 \\cdot 4 + 1 = $ {y[0]:g}.",
            mistakes=kept_mistakes(
                float(y[0]),
                [
                    (float(y[0] - 1), "Forgot the bias."),
                    (float(y[1]), "That is $y_1$, the second output (row 1 of $W$)."),
                ],
            ),
        ),
        ChoiceExercise(
            question=(
                "Why do many networks replace the large dense layers at the end with global "
                "average pooling?"
            ),
            options=(
                "A dense layer on flattened maps has a weight per (input, output) pair, so its "
                "parameters grow with the maps' height × width × channels.",
                "Dense layers cannot be trained by backpropagation.",
                "Dense layers are translation equivariant, which a classifier does not want.",
                "A convolution's parameter count also grows with the image size.",
            ),
            correct=0,
            explanations=(
                "Right: in VGG-16 the dense layers hold most of the parameters.",
                "They train like any other layer: the gradients are two matrix products.",
                "They are not: they have a separate weight for every position.",
                "It does not: a convolution's count depends on its channels and kernel only.",
            ),
        ),
    ]


GENERATORS: dict[str, Generator] = {
    g.name: g
    for g in (
        Generator("neuron-relu", _neuron_draw, _neuron_build),
        Generator("conv-layer-parameters", _conv_params_draw, _conv_params_build),
        Generator("multichannel-output", _multichannel_draw, _multichannel_build),
        Generator("conv-kernel-gradient", _kernel_gradient_draw, _kernel_gradient_build),
        Generator("im2col-size", _im2col_draw, _im2col_build),
        Generator("bn-running-var", _bn_draw, _bn_build),
        Generator("basic-block-parameters", _block_draw, _block_build),
        Generator("max-pool-output", _max_pool_draw, _max_pool_build),
        Generator("dense-parameters", _dense_draw, _dense_build),
    )
}

PAGES: dict[str, Callable[[], list[Exercise]]] = {
    "deep-learning": deep_learning,
    "convolutional-layers": convolutional_layers,
    "channels-and-1x1-convolutions": channels,
    "backpropagation-through-a-convolution": backpropagation,
    "how-convolution-is-computed": how_convolution_is_computed,
    "batch-normalization": batch_normalization,
    "residual-connections": residual_connections,
    "understanding-pooling-layers": pooling,
    "fully-connected-layers": fully_connected_layers,
}
