r"""The Problem Set: a dozen longer problems across the book, solved by the package.

Each problem states its givens (numbers chosen here, or arrays drawn with a fixed seed) and
its solution computes every result with ``cnnbook`` -- nothing in a solution is typed. The
site prints :func:`statements_markdown` on the Problem Set page and
:func:`solutions_markdown` on its solutions page; ``tests/test_problem_set.py`` checks the
answers against torch and against computations by hand.

Examples
--------
>>> problems = problem_set()
>>> len(problems), problems[0].title
(12, 'Sizes through a network')
>>> problems[0].answers["flattened"]
400
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

import cnnbook
from cnnbook import nn, optim

__all__ = ["Problem", "problem_set", "solutions_markdown", "statements_markdown"]


@dataclass(frozen=True)
class Problem:
    """One problem: its givens and question, its computed solution and answers.

    ``statement`` and ``solution`` are Markdown (math as ``$...$``); ``answers`` holds the
    computed results by name, for the tests; ``pages`` names the site pages it draws on.
    """

    title: str
    pages: tuple[str, ...]
    statement: str
    solution: str
    answers: Mapping[str, Any] = field(default_factory=dict)


def _matrix(a: Any, digits: int | None = None) -> str:
    """Format an array as an inline KaTeX matrix (integers as they are, floats to `digits`)."""
    a = np.atleast_2d(np.asarray(a))

    def cell(v: Any) -> str:
        if digits is None or float(v).is_integer():
            return str(int(v)) if float(v).is_integer() else repr(float(v))
        return f"{float(v):.{digits}f}"

    rows = r" \\ ".join(" & ".join(cell(v) for v in row) for row in a)
    return rf"$\begin{{bmatrix}} {rows} \end{{bmatrix}}$"


def _vector(a: Any, digits: int = 4) -> str:
    return "$(" + ", ".join(f"{float(v):.{digits}f}" for v in np.ravel(a)) + ")$"


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
        f"Input $X =$ {_matrix(x)}, kernel $K =$ {_matrix(k)}. Compute (a) the valid "
        "cross-correlation $X \\star K$ (what a convolutional layer computes) and (b) the "
        "valid convolution $X \\ast K$.",
        f"(a) The top-left output is the sum of the top-left 3×3 window times $K$, "
        f"elementwise: {top_left}. All of it: {_matrix(corr)}. "
        f"(b) Convolution flips the kernel both ways first: {_matrix(conv)}.",
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
        f"Input $X =$ {_matrix(x)}. (a) Max pooling 2×2, stride 2; the gradient arriving "
        f"at its output is {_matrix(g)}: find the gradient with respect to $X$. (b) Max "
        "pooling 3×3, stride 1, with a gradient of ones at the output: find the gradient "
        "with respect to $X$.",
        f"(a) Each window's gradient goes to the position of its maximum, zero elsewhere: "
        f"{_matrix(a)}. (b) The windows overlap; the pooled output is {_matrix(pooled)}, "
        f"and a maximum shared by several windows receives the sum of their gradients: "
        f"{_matrix(b)}.",
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
        f"{_matrix(x)} goes through a transposed convolution with a 3×3 kernel of ones, "
        "stride 2, no padding: give the output.",
        f"(a) $(I - 1)s - 2p + d(k - 1) + p_{{out}} + 1 = {size}$. (b) Each input value "
        "stamps a 3×3 copy of the kernel scaled by itself, 2 cells apart; where stamps "
        f"overlap they add (the source of checkerboard artifacts): {_matrix(y)}.",
        {"size": size, "output": y},
    )


def _bn_layer() -> tuple[nn.BatchNorm2d, np.ndarray, np.ndarray]:
    bn = nn.BatchNorm2d(1, dtype=np.float64)
    assert bn.weight is not None and bn.bias is not None  # affine=True
    bn.weight.data[...] = 2.0
    bn.bias.data[...] = 0.5
    batch = np.array([1.0, 2.0, 4.0, 9.0]).reshape(4, 1, 1, 1)
    return bn, batch, bn(batch)


def batch_norm_forward() -> Problem:
    """Batch normalization in training mode on a batch of four values."""
    bn, batch, y = _bn_layer()
    mean, var = float(batch.mean()), float(batch.var())
    return Problem(
        "Batch normalization, forward",
        ("Batch Normalization",),
        "A BatchNorm2d layer with one channel, $\\gamma = 2$, $\\beta = 0.5$, "
        f"$\\epsilon = {bn.eps}$ sees, in training mode, a batch of four 1×1 maps with values "
        f"{_vector(batch.ravel(), 0)}. Give its output.",
        f"Training mode normalises with the batch's own statistics: mean ${mean:.4f}$, "
        f"biased variance ${var:.4f}$. Then $y = \\gamma (x - \\mu) / \\sqrt{{\\sigma^2 + "
        f"\\epsilon}} + \\beta$ = {_vector(y)}.",
        {"mean": mean, "variance": var, "output": y.ravel()},
    )


def one_optimizer_step() -> Problem:
    """One Adam step next to one SGD step from the same gradient."""
    w0, g = np.array([1.0, -2.0]), np.array([0.5, -1.0])
    results = {}
    for name, make in (("adam", optim.Adam), ("sgd", optim.SGD)):
        w = nn.Parameter(w0.copy())
        step = make([w], lr=0.1)
        w.grad = g.copy()
        step.step()
        results[name] = np.array(w.data)
    return Problem(
        "One optimizer step",
        ("Optimizers",),
        f"A weight vector $w =$ {_vector(w0, 1)} has the gradient {_vector(g, 1)}. Take one "
        "step (a) of SGD with learning rate 0.1 and (b) of Adam with learning rate 0.1 and its "
        "default $\\beta_1, \\beta_2, \\epsilon$, from fresh optimizer state.",
        f"(a) $w - \\eta g$ = {_vector(results['sgd'])}. (b) Adam's first step: "
        "$m = (1 - \\beta_1) g$, $v = (1 - \\beta_2) g^2$, and the bias corrections make "
        "$\\hat m = g$, $\\hat v = g^2$, so the step is $\\eta\\, g / (|g| + \\epsilon)$: "
        f"about $\\eta$ times the sign of $g$, whatever its size: {_vector(results['adam'])}.",
        results,
    )


def softmax_cross_entropy_gradient() -> Problem:
    """Loss and logit gradient of softmax cross-entropy for one example."""
    logits, target = np.array([[2.0, 1.0, 0.1]]), np.array([0])
    loss_fn = nn.CrossEntropyLoss()
    loss = float(loss_fn(logits, target))
    grad = loss_fn.backward()[0]
    p = grad + np.eye(3)[0]
    return Problem(
        "Softmax and cross-entropy gradient",
        ("Softmax and Cross-Entropy",),
        f"A network outputs the logits {_vector(logits, 1)} for an example of class 0. Give "
        "the softmax probabilities, the cross-entropy loss and its gradient with respect to "
        "the logits.",
        f"Softmax: {_vector(p)}. Loss $-\\log p_0 = {loss:.4f}$. Gradient: $p - "
        f"\\mathrm{{onehot}}(0)$ = {_vector(grad)}: the true class is pushed up, the others "
        "down in proportion to their probability.",
        {"probabilities": p, "loss": loss, "gradient": grad},
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


def train_versus_eval() -> Problem:
    """Batch normalization in eval mode after one training step: the running statistics."""
    bn, _, _ = _bn_layer()
    assert bn.running_mean is not None and bn.running_var is not None
    mean = float(bn.running_mean[0])
    var = float(bn.running_var[0])
    bn.eval()
    x = np.array([5.0]).reshape(1, 1, 1, 1)
    y = float(bn(x)[0, 0, 0, 0])
    return Problem(
        "Training mode versus evaluation mode",
        ("Batch Normalization", "Dropout"),
        "The layer of the batch-normalization problem (running mean 0 and variance 1 at "
        "first, momentum 0.1) has taken that one training batch. It is switched to "
        "evaluation mode and sees a single map of value 5. What does it output? And what "
        "does a Dropout(p = 0.5) layer do to a value in evaluation mode?",
        f"In evaluation mode the layer uses its running statistics, updated once: "
        f"mean $0.9 \\cdot 0 + 0.1 \\mu = {mean:.4f}$ and variance $0.9 \\cdot 1 + 0.1 "
        f"s^2 = {var:.4f}$, where $s^2$ is the unbiased batch variance. Output: "
        f"${y:.4f}$. Dropout in evaluation mode is the identity (training mode already "
        "scaled the kept values by $1/(1 - p)$).",
        {"running_mean": mean, "running_var": var, "output": y},
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


PROBLEMS: tuple[Callable[[], Problem], ...] = (
    sizes_through_a_network,
    parameters_with_and_without_sharing,
    receptive_field_of_a_stack,
    correlation_by_hand,
    pooling_backward,
    transposed_convolution_output,
    batch_norm_forward,
    one_optimizer_step,
    softmax_cross_entropy_gradient,
    global_pool_invariance_with_strides,
    train_versus_eval,
    design_a_stack,
)


def problem_set() -> list[Problem]:
    """Build every problem, its answers computed now by the package."""
    return [build() for build in PROBLEMS]


def statements_markdown() -> str:
    """Return the problems as Markdown, one ``### Problem n`` section each, for the site."""
    return "\n\n".join(
        f"### Problem {n}: {p.title}\n\n{p.statement}\n\n*Draws on: {', '.join(p.pages)}.*"
        for n, p in enumerate(problem_set(), start=1)
    )


def solutions_markdown() -> str:
    """Return the solutions as Markdown, one ``### Solution n`` section each, for the site."""
    return "\n\n".join(
        f"### Solution {n}: {p.title}\n\n{p.solution}" for n, p in enumerate(problem_set(), start=1)
    )
