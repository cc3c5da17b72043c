"""Problems of the Problem Set on convolutions and the layers built from them.

Sizes through a network, parameter counts, receptive fields, correlation by hand, pooling
gradients, transposed convolution, invariance to shifts and the design of a stack; each
solution computed by ``cnnbook`` (`cnnbook.exercises.problem_set` orders the set).
"""

from __future__ import annotations

import numpy as np

import cnnbook
from cnnbook.exercises.problem import Problem, katex_matrix

__all__ = [
    "correlation_by_hand",
    "design_a_stack",
    "global_pool_invariance_with_strides",
    "parameters_with_and_without_sharing",
    "pooling_backward",
    "receptive_field_of_a_stack",
    "sizes_through_a_network",
    "transposed_convolution_output",
]


def sizes_through_a_network() -> Problem:
    """Shapes of a LeNet-like stack on a 3×32×32 image, and the flattened length."""
    c, size = 3, 32
    layers = [("conv", 6, 5), ("pool", 6, 2), ("conv", 16, 5), ("pool", 16, 2)]
    shapes, lines = [], []
    for kind, channels, k in layers:
        if kind == "conv":
            new = cnnbook.conv_output_size(size, k)
            how = f"$\\lfloor ({size} - {k}) / 1 \\rfloor + 1 = {new}$"
        else:
            new = cnnbook.pool_output_size(size, k)
            how = f"$\\lfloor ({size} - {k}) / {k} \\rfloor + 1 = {new}$"
        size, c = new, channels
        shapes.append((c, size, size))
        lines.append(
            f"After the {kind} ({k}×{k}): {how}, shape ${c} \\times {size} \\times {size}$."
        )
    flat = c * size * size
    lines.append(f"Flattened: ${c} \\times {size} \\times {size} = {flat}$ features.")
    return Problem(
        "Sizes through a network",
        ("Output Size", "Understanding Pooling Layers"),
        "A $3 \\times 32 \\times 32$ image goes through conv 5×5 (6 channels, stride 1, no "
        "padding) → max pool 2×2 (stride 2) → conv 5×5 (16 channels) → max pool 2×2 → "
        "flatten. Give the shape after every layer and the length of the flattened vector.",
        "\n\n".join(lines),
        {"shapes": shapes, "flattened": flat},
    )


def parameters_with_and_without_sharing() -> Problem:
    """Count a 5×5 conv layer 3 → 16 on 32×32: shared, unshared and dense parameters."""
    cin, cout, k, size = 3, 16, 5, 32
    out = cnnbook.conv_output_size(size, k)
    shared = cnnbook.conv2d_parameter_count(cin, cout, k)
    local = cnnbook.locally_connected_parameter_count(cin, cout, k, out)
    dense = cnnbook.linear_parameter_count(cin * size * size, cout * out * out)
    return Problem(
        "Parameters with and without weight sharing",
        ("Parameter Count", "Weight Sharing"),
        f"A layer maps a ${cin} \\times {size} \\times {size}$ input to {cout} channels with "
        f"{k}×{k} windows, stride 1, no padding, with biases. Count its parameters (a) as a "
        "convolution (weights shared across positions), (b) as a locally connected layer "
        "(one kernel and one bias per output position), (c) as a fully connected layer "
        "between the same input and output maps.",
        f"The output is {out}×{out}. (a) $C_{{out}}(C_{{in}} k^2 + 1) = {shared}$. "
        f"(b) every one of the ${out}^2$ positions has its own: {local:,}. "
        f"(c) every output unit sees every input: {dense:,}, "
        f"{dense // shared:,} times the convolution's count (integer part).",
        {"shared": shared, "locally_connected": local, "dense": dense},
    )


def receptive_field_of_a_stack() -> Problem:
    """Receptive field size and jump after each layer of a mixed stack."""
    layers = [
        {"kernel_size": 3, "padding": 1},
        {"kernel_size": 3, "stride": 2, "padding": 1},
        {"kernel_size": 3, "padding": 1},
        {"kernel_size": 2, "stride": 2},
        {"kernel_size": 3, "padding": 2, "dilation": 2},
    ]
    fields = cnnbook.receptive_field(layers)
    names = ["conv 3×3", "conv 3×3 stride 2", "conv 3×3", "max pool 2×2 stride 2",
             "conv 3×3 dilation 2"]  # fmt: skip
    rows = [
        f"After {name}: size {rf.size[0]}, jump {rf.jump[0]}."
        for name, rf in zip(names, fields, strict=True)
    ]
    return Problem(
        "Receptive field of a stack",
        ("The Receptive Field of the Neuron", "Local Receptive Fields"),
        "Find the receptive field (size and jump between neighbouring units, in input pixels) "
        "after each layer of: " + " → ".join(names) + ".",
        "Use $r_l = r_{l-1} + (k'_l - 1) j_{l-1}$ and $j_l = j_{l-1} s_l$, with the dilated "
        "kernel $k' = d(k - 1) + 1$.\n\n" + "\n\n".join(rows),
        {"sizes": [rf.size[0] for rf in fields], "jumps": [rf.jump[0] for rf in fields]},
    )


def correlation_by_hand() -> Problem:
    """Correlate and convolve small integer arrays by hand (valid mode)."""
    rng = np.random.default_rng(15)
    x = rng.integers(0, 5, size=(4, 4))
    k = rng.integers(-1, 2, size=(3, 3))
    corr, conv = cnnbook.correlate2d(x, k), cnnbook.convolve2d(x, k)
    top_left = int(np.sum(x[:3, :3] * k))
    return Problem(
        "A correlation by hand",
        ("Cross-Correlation and Convolution", "Full, Same and Valid Convolution"),
        f"Input $X =$ {katex_matrix(x)}, kernel $K =$ {katex_matrix(k)}. Compute (a) the valid "
        "cross-correlation $X \\star K$ (what a convolutional layer computes) and (b) the "
        "valid convolution $X \\ast K$.",
        f"(a) The top-left output is the sum of the top-left 3×3 window times $K$, "
        f"elementwise: {top_left}. All of it: {katex_matrix(corr)}. "
        f"(b) Convolution flips the kernel both ways first: {katex_matrix(conv)}.",
        {"correlation": corr, "convolution": conv},
    )


def pooling_backward() -> Problem:
    """Max-pool gradients, non-overlapping and overlapping windows."""
    x = np.array([[1, 5, 2, 0], [3, 4, 8, 6], [7, 2, 9, 1], [0, 6, 3, 4]], dtype=float)
    g = np.array([[1, 2], [3, 4]], dtype=float)
    x4 = x[None, None]
    a = cnnbook.max_pool2d_backward(g[None, None], x4, 2)[0, 0]
    b = cnnbook.max_pool2d_backward(np.ones((1, 1, 2, 2)), x4, 3, stride=1)[0, 0]
    pooled = cnnbook.max_pool2d(x4, 3, stride=1)[0, 0]
    return Problem(
        "Backward through max pooling",
        ("Understanding Pooling Layers", "Backpropagation Through a Convolution"),
        f"Input $X =$ {katex_matrix(x)}. (a) Max pooling 2×2, stride 2; the gradient arriving "
        f"at its output is {katex_matrix(g)}: find the gradient with respect to $X$. (b) Max "
        "pooling 3×3, stride 1, with a gradient of ones at the output: find the gradient "
        "with respect to $X$.",
        f"(a) Each window's gradient goes to the position of its maximum, zero elsewhere: "
        f"{katex_matrix(a)}. (b) The windows overlap; the pooled output is {katex_matrix(pooled)}, "
        f"and a maximum shared by several windows receives the sum of their gradients: "
        f"{katex_matrix(b)}.",
        {"nonoverlapping": a, "overlapping": b},
    )


def transposed_convolution_output() -> Problem:
    """Transposed-convolution output size and the values of an overlapping upsampling."""
    size = cnnbook.transposed_conv_output_size(5, 3, stride=2, padding=1, output_padding=1)
    x = np.array([[1.0, 2.0], [3.0, 4.0]])
    y = cnnbook.conv_transpose2d(x[None, None], np.ones((1, 1, 3, 3)), stride=2)[0, 0]
    return Problem(
        "A transposed convolution",
        ("Transposed Convolution",),
        "(a) A transposed convolution with a 3×3 kernel, stride 2, padding 1, output padding "
        "1 is applied to a 5×5 map: what is the output size? (b) The input "
        f"{katex_matrix(x)} goes through a transposed convolution with a 3×3 kernel of ones, "
        "stride 2, no padding: give the output.",
        f"(a) $(I - 1)s - 2p + d(k - 1) + p_{{out}} + 1 = {size}$. (b) Each input value "
        "stamps a 3×3 copy of the kernel scaled by itself, 2 cells apart; where stamps "
        f"overlap they add (the source of checkerboard artifacts): {katex_matrix(y)}.",
        {"size": size, "output": y},
    )


def global_pool_invariance_with_strides() -> Problem:
    """Which circular shifts leave a strided global-average-pool network unchanged."""
    layers = (("conv", 1), ("max_pool", 2), ("conv", 1))
    x = np.random.default_rng(15).random((1, 1, 8, 8))
    (result,) = cnnbook.global_pool_invariance(x, shifts=range(5), networks={"net": layers})
    exact = [int(s) for s, e in zip(result.shifts, result.errors, strict=True) if e < 1e-12]
    errors = ", ".join(
        f"shift {int(s)}: {e:.2e}" for s, e in zip(result.shifts, result.errors, strict=True)
    )
    return Problem(
        "Global pooling and strides",
        ("Translation Invariance", "Understanding Pooling Layers"),
        "A network conv 3×3 → ReLU → max pool 2×2 (stride 2) → conv 3×3 → ReLU → global "
        "average pool, with circular padding, sees an 8×8 image and its circular shifts by "
        "0 to 4 pixels. For which shifts is the output exactly the same?",
        f"The total stride is {result.total_stride}: a shift by a multiple of it moves the "
        "last feature map by whole cells (circularly), which the global average does not "
        "see; other shifts change which pixels meet in each pooling window. Measured "
        f"(relative errors) {errors}; exact (below rounding) for shifts {exact}.",
        {"total_stride": result.total_stride, "exact_shifts": exact},
    )


def design_a_stack() -> Problem:
    """Three 3×3 convolutions against one 7×7: the same field, fewer parameters."""
    c = 64
    seven = cnnbook.conv2d_parameter_count(c, c, 7)
    three = 3 * cnnbook.conv2d_parameter_count(c, c, 3)
    conv3 = {"kernel_size": 3, "padding": 1}
    field3 = cnnbook.receptive_field([conv3] * 3)[-1].size[0]
    field7 = cnnbook.receptive_field([{"kernel_size": 7, "padding": 3}])[-1].size[0]
    return Problem(
        "Design: one large kernel or a stack of small ones",
        ("Parameter Count", "The Receptive Field of the Neuron", "Convolutional Layers"),
        f"A block maps {c} channels to {c} channels and must see a 7×7 neighbourhood of its "
        "input. Compare one 7×7 convolution with a stack of three 3×3 convolutions "
        "(padding 1, a ReLU between them): receptive field, parameters, and what else the "
        "stack gives.",
        f"Receptive fields: {field7} and {field3}, the same. Parameters: {seven:,} for the "
        f"7×7, {three:,} for the stack, {format(seven / three, '.2f')} times fewer; and two "
        "more non-linearities in between (the VGG argument).",
        {"field": (field7, field3), "parameters": (seven, three)},
    )
