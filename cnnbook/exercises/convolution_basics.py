"""Exercises of the pages Kernel, Cross-Correlation and Convolution, and Output Size.

Every answer is computed here with ``cnnbook``; a generator's JavaScript port is
``docs/assets/exercises/convolution_basics.js`` (same names, byte-identical strings: plain
text with Unicode × − ⌊⌋, no Markdown). Known wrong answers name the mistake that gives them.

Examples
--------
>>> ex = GENERATORS["conv-output-size"].build(
...     {"size": 7, "kernel": 3, "padding": 1, "stride": 2, "dilation": 1})
>>> ex.answer, ex.check(4)
(4, True)
>>> all(len(build()) >= 3 for build in PAGES.values())
True
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from cnnbook.conv2d import conv2d
from cnnbook.correlation import convolve2d, correlate2d
from cnnbook.exercises.exercise import (
    ChoiceExercise,
    Exercise,
    Generator,
    GridExercise,
    NumberExercise,
)
from cnnbook.kernels import KERNELS
from cnnbook.output_size import (
    conv_output_size,
    pool_output_size,
    same_padding,
    transposed_conv_output_size,
)
from cnnbook.parameters import conv2d_parameter_count

__all__ = ["GENERATORS", "PAGES"]

MINUS = "\u2212"


def _n(value: float) -> str:
    """Print an integer as the questions do (typographic minus, as the JS port)."""
    return str(int(value)).replace("-", MINUS)


def _paren(value: float) -> str:
    """Print an integer factor of a written-out product: negative ones in parentheses."""
    return f"({_n(value)})" if value < 0 else _n(value)


def _products(window: np.ndarray, kernel: np.ndarray) -> str:
    """``a·k + b·l + …`` of a window and a kernel, row-major, as the solution writes it."""
    return " + ".join(
        f"{_paren(a)}·{_paren(b)}" for a, b in zip(window.ravel(), kernel.ravel(), strict=True)
    )


def _rows(grid: np.ndarray) -> str:
    """``[1, −2], [3, 4]``: the rows of an integer grid."""
    return ", ".join("[" + ", ".join(_n(v) for v in row) + "]" for row in grid)


def _int_grid(rng: np.random.Generator, rows: int, cols: int, lo: int, hi: int) -> list[list[int]]:
    return [[int(v) for v in row] for row in rng.integers(lo, hi, size=(rows, cols), endpoint=True)]


def _grid_mistakes(
    answer: np.ndarray, pairs: Iterable[tuple[np.ndarray, str]]
) -> tuple[tuple[np.ndarray, str], ...]:
    """Known wrong grids without the answer itself and without repeats (first hint stays)."""
    out: list[tuple[np.ndarray, str]] = []
    for grid, hint in pairs:
        if not np.array_equal(grid, answer) and not any(np.array_equal(grid, g) for g, _ in out):
            out.append((grid, hint))
    return tuple(out)


def _first_wins(answer: Any, pairs: Iterable[tuple[Any, str]]) -> dict[Any, str]:
    """Known mistakes without the answer itself and without repeats (the first hint stays)."""
    out: dict[Any, str] = {}
    for value, hint in pairs:
        if value != answer and value not in out:
            out[value] = hint
    return out


# ---------------------------------------------------------------- Output Size


def _draw_output_size(rng: np.random.Generator) -> dict[str, Any]:
    kernel = int(rng.integers(1, 7, endpoint=True))
    dilation = 2 if rng.random() < 0.3 else 1
    padding = int(rng.integers(0, 3, endpoint=True))
    stride = int(rng.integers(1, 3, endpoint=True))
    size = int(rng.integers(5, 32, endpoint=True))
    # The dilated kernel must fit the padded input.
    size = max(size, dilation * (kernel - 1) + 1 - 2 * padding)
    return {
        "size": size,
        "kernel": kernel,
        "padding": padding,
        "stride": stride,
        "dilation": dilation,
    }


def _build_output_size(p: dict[str, Any]) -> NumberExercise:
    i, k, pad, s, d = p["size"], p["kernel"], p["padding"], p["stride"], p["dilation"]
    y = conv_output_size(i, k, stride=s, padding=pad, dilation=d)
    span = i + 2 * pad - d * (k - 1) - 1
    question = (
        f"An input {i} cells wide, a kernel of size {k}, padding {pad} on each side, "
        f"stride {s}, dilation {d}. How many cells wide is the output?"
    )
    solution = (
        f"Y = ⌊(I + 2p − d(k − 1) − 1) / s⌋ + 1 = ⌊({i} + 2·{pad} − {d}·({k} − 1) − 1) / {s}⌋ + 1"
        f" = ⌊{span} / {s}⌋ + 1 = {span // s} + 1 = {y}."
    )
    mistakes = _first_wins(
        y,
        [
            (
                span // s,
                "You forgot the +1: ⌊(…) / s⌋ counts the steps after the first position; "
                "add 1 for the first position itself.",
            ),
            (
                (i + pad - d * (k - 1) - 1) // s + 1,
                "You used the total instead of the per-side padding: p zeros go on each "
                "side, so the input grows by 2p.",
            ),
            (
                span + 1,
                "You ignored the stride: a stride of s keeps only every s-th position, "
                "so divide by s (and take the floor) before adding 1.",
            ),
            (
                (i + 2 * pad - k) // s + 1,
                "You ignored the dilation: a dilated kernel spans d(k − 1) + 1 cells, not k.",
            ),
            (
                -(-span // s) + 1,
                "You rounded up: the last, incomplete step of the stride is dropped, "
                "so take the floor.",
            ),
        ],
    )
    return NumberExercise(question=question, answer=y, solution=solution, mistakes=mistakes)


OUTPUT_SIZE = Generator("conv-output-size", _draw_output_size, _build_output_size)


def _same_padding_even_kernel() -> ChoiceExercise:
    k, width = 4, 10
    before, after = same_padding(k)
    same = conv_output_size(width, k, padding="same")
    two_each = conv_output_size(width, k, padding=2)
    return ChoiceExercise(
        question=(
            f'A stride-1 convolution with a {k} × {k} kernel and `padding="same"` (PyTorch, '
            f'or `cnnbook.conv_output_size(..., padding="same")`) on a {width} × {width} '
            "input. What padding does it add along each axis?"
        ),
        options=(
            f"{before} zero before (top/left) and {after} after (bottom/right)",
            f"{(before + after) / 2:g} zeros on each side",
            f"{after} zeros on each side",
            'None: "same" padding is an error for an even kernel',
        ),
        correct=0,
        explanations=(
            f'Right: "same" needs $d(k-1) = {before + after}$ zeros in total, an odd number '
            f"for an even kernel, so `same_padding({k})` puts the extra cell after: the output "
            f"stays {same} × {same}.",
            "Padding is whole cells of zeros: there is no half cell. The odd total is "
            "split unevenly instead.",
            f"That is {2 * after} zeros in total, one more than $d(k-1)$: the output would "
            f"be {two_each} × {two_each}, not {width} × {width}.",
            "PyTorch and cnnbook accept it at stride 1 and split the odd total unevenly "
            '(TensorFlow\'s "same" puts the extra cell after too).',
        ),
    )


def _lenet_flatten() -> NumberExercise:
    def side(conv: Callable[[int], int], second_pool: bool = True) -> int:
        size = pool_output_size(conv(32), 2)
        size = conv(size)
        return pool_output_size(size, 2) if second_pool else size

    def conv5(n: int) -> int:
        return conv_output_size(n, 5)

    s = side(conv5)
    answer = 16 * s * s
    no_plus_one = side(lambda n: n - 5)
    no_second_pool = side(conv5, second_pool=False)
    return NumberExercise(
        question=(
            "LeNet-5's feature extractor: a 1 × 32 × 32 image, a 5 × 5 convolution with 6 "
            "output channels (no padding), 2 × 2 max pooling, a 5 × 5 convolution with 16 "
            "output channels, 2 × 2 max pooling. How many numbers does the first fully "
            "connected layer receive?"
        ),
        answer=answer,
        solution=(
            f"Along each side: $32 - 5 + 1 = {conv_output_size(32, 5)}$, pooled to "
            f"{pool_output_size(conv_output_size(32, 5), 2)}; then "
            f"{conv_output_size(pool_output_size(conv_output_size(32, 5), 2), 5)}, pooled to "
            f"{s}. Flattened: $16 \\cdot {s} \\cdot {s} = {answer}$."
        ),
        mistakes=_first_wins(
            answer,
            [
                (s * s, "You forgot the channels: each of the 16 maps is flattened."),
                (
                    16 * no_plus_one * no_plus_one,
                    "You forgot the +1: a 5-wide kernel fits $I - 5 + 1$ times.",
                ),
                (
                    16 * no_second_pool * no_second_pool,
                    "You skipped the second pooling layer.",
                ),
            ],
        ),
    )


def _alexnet_pool() -> NumberExercise:
    answer = pool_output_size(55, 3, stride=2)
    return NumberExercise(
        question=(
            "AlexNet pools its 55 × 55 maps with 3 × 3 windows at stride 2 (overlapping "
            "pooling, no padding). How wide is the pooled map?"
        ),
        answer=answer,
        solution=(
            f"The convolution formula with the window for $k$: "
            f"$\\lfloor (55 - 3)/2 \\rfloor + 1 = {answer}$."
        ),
        mistakes=_first_wins(
            answer,
            [
                (
                    pool_output_size(55, 3),
                    "You used a stride of 3: that is pooling's default (stride = window); "
                    "here the stride is 2.",
                ),
                (pool_output_size(55, 3, stride=1), "You ignored the stride."),
                ((55 - 3) // 2, "You forgot the +1."),
            ],
        ),
    )


def _transposed_size() -> NumberExercise:
    answer = transposed_conv_output_size(16, 3, stride=2, padding=1, output_padding=1)
    return NumberExercise(
        question=(
            "A transposed convolution upsamples a 16 × 16 map: kernel 3, stride 2, padding 1, "
            "output padding 1. How wide is its output?"
        ),
        answer=answer,
        solution=(
            "The convolution formula run backwards: $Y = (I - 1)s - 2p + d(k-1) + o + 1 = "
            f"15 \\cdot 2 - 2 + 2 + 1 + 1 = {answer}$."
        ),
        mistakes=_first_wins(
            answer,
            [
                (
                    transposed_conv_output_size(16, 3, stride=2, padding=1),
                    "You forgot the output padding $o$, which picks the larger of the "
                    "input sizes a stride-2 convolution maps onto 16.",
                ),
                (
                    conv_output_size(16, 3, stride=2, padding=1),
                    "You used the convolution formula: a transposed convolution runs it "
                    "backwards and grows the map.",
                ),
            ],
        ),
    )


# ---------------------------------------------------------------- Kernel

# The integer kernels of cnnbook.KERNELS (the blurs' fractions would not print exactly).
_INTEGER_KERNELS = ("sharpen", "sobel x", "sobel y", "prewitt x", "prewitt y", "laplacian")


def _draw_kernel_response(rng: np.random.Generator) -> dict[str, Any]:
    name = _INTEGER_KERNELS[int(rng.integers(0, len(_INTEGER_KERNELS)))]
    return {"patch": _int_grid(rng, 3, 3, 0, 9), "kernel": name}


def _build_kernel_response(p: dict[str, Any]) -> NumberExercise:
    x, name = np.array(p["patch"], dtype=float), p["kernel"]
    if name not in _INTEGER_KERNELS:
        raise ValueError(f"kernel (={name!r}) must be one of {_INTEGER_KERNELS}")
    k = KERNELS[name]
    y = float(correlate2d(x, k)[0, 0])
    return NumberExercise(
        question=(
            f"The {name} kernel lies on this 3 × 3 patch of an image. What number does it "
            "write into the output?"
        ),
        answer=y,
        solution=(
            f"Multiply each pixel by the weight on top of it and add the products: "
            f"{_products(x, k)} = {_n(y)}."
        ),
        mistakes=_first_wins(
            y,
            [
                (
                    float(convolve2d(x, k)[0, 0]),
                    "You flipped the kernel (that is a convolution): a kernel is laid on the "
                    "patch as it is printed, weight (0, 0) on pixel (0, 0).",
                ),
                (
                    float(x.sum()),
                    "You added the pixels without multiplying them by the weights.",
                ),
                (
                    float(x[1, 1] * k[1, 1]),
                    "You used only the centre weight: every weight multiplies the pixel "
                    "under it, and all the products are added.",
                ),
            ],
        ),
        shown={"patch": x, "kernel": k},
    )


KERNEL_RESPONSE = Generator("kernel-response", _draw_kernel_response, _build_kernel_response)


def _shift_kernel() -> GridExercise:
    """Build the one-hot kernel that moves an image right, found by trying all nine."""
    x = np.arange(1.0, 26.0).reshape(5, 5)
    moved = np.zeros_like(x)
    moved[:, 1:] = x[:, :-1]  # y[i, j] = x[i, j - 1]: the picture moves right

    def one_hot(i: int, j: int) -> np.ndarray:
        k = np.zeros((3, 3))
        k[i, j] = 1.0
        return k

    found = [
        one_hot(i, j)
        for i in range(3)
        for j in range(3)
        if np.array_equal(correlate2d(x, one_hot(i, j), "same"), moved)
    ]
    if len(found) != 1:
        raise RuntimeError(f"{len(found)} one-hot kernels move the image right")
    answer = found[0]
    return GridExercise(
        question=(
            "Fill in the 3 × 3 kernel that moves an image one pixel to the **right** when a "
            "convolutional layer applies it with zero padding: $y_{i,j} = x_{i,j-1}$. "
            "(One weight is 1, the others 0.)"
        ),
        shown={"image": x, "moved right": moved},
        answer=answer,
        solution=(
            r"The layer computes $y_{i,j} = \sum_{a,b} K_{ab}\, x_{i+a,\,j+b}$ with offsets "
            r"$a, b \in \{-1, 0, 1\}$ from the centre. To read $x_{i,j-1}$ the only weight "
            "is at offset $b = -1$: the **left** middle cell. It looks backwards because "
            "the layer correlates; a true convolution flips the kernel and would put it on "
            "the right."
        ),
        mistakes=(
            (
                answer[:, ::-1],
                "You flipped the kernel: with the 1 on the right, a correlation reads "
                "$x_{i,j+1}$ and moves the image **left**. Your kernel is the convolution's.",
            ),
            (one_hot(1, 1), "That is the identity kernel: it leaves the image where it is."),
        ),
    )


def _rgb_kernel_parameters() -> NumberExercise:
    answer = conv2d_parameter_count(3, 1, 3)
    return NumberExercise(
        question=(
            "A convolutional layer with one output channel and a 3 × 3 kernel reads an RGB "
            "image (3 channels), with a bias. How many numbers does it learn?"
        ),
        answer=answer,
        solution=(
            "One 3 × 3 kernel per input channel, and one bias per output channel: "
            rf"$3 \cdot 3 \cdot 3 + 1 = {answer}$."
        ),
        mistakes=_first_wins(
            answer,
            [
                (conv2d_parameter_count(3, 1, 3, bias=False), "You forgot the bias."),
                (
                    conv2d_parameter_count(1, 1, 3),
                    "You forgot the input channels: the kernel has a 3 × 3 slice for each "
                    "of R, G and B.",
                ),
                (
                    conv2d_parameter_count(1, 1, 3, bias=False),
                    "You counted one 3 × 3 slice and no bias.",
                ),
            ],
        ),
    )


def _flat_region() -> ChoiceExercise:
    c = 0.25
    flat = np.full((5, 5), c)
    outputs = {name: correlate2d(flat, KERNELS[name]) for name in ("sobel x", "box blur")}
    if not (np.allclose(outputs["sobel x"], 0) and np.allclose(outputs["box blur"], c)):
        raise RuntimeError("the flat-region example does not hold")
    total = KERNELS["sobel x"].sum() + 0.0
    return ChoiceExercise(
        question=(
            "The Sobel $x$ kernel slides over a flat region of an image, every pixel of "
            f"value {c:g}. What does it output there?"
        ),
        options=(
            "0 everywhere",
            f"{c:g} everywhere: a kernel keeps flat regions as they are",
            f"{9 * c:g} everywhere: the sum of the nine pixels",
            "It depends on where in the region the kernel is",
        ),
        correct=0,
        explanations=(
            rf"Right: on a constant $c$ the output is $c \sum K_{{ab}}$, and Sobel's weights "
            f"sum to {total:g} (computed: `correlate2d` gives 0 on the flat patch). A "
            "derivative kernel answers only to change.",
            f"That holds for kernels whose weights sum to 1, such as the box blur "
            f"(`correlate2d` gives {c:g} there). Sobel's sum to {total:g}.",
            "That is a kernel of ones, which sums the window; Sobel weights its columns −1, 0, +1.",
            "Away from the region's border every window sees the same pixels, so every "
            "output is the same: the weight sharing of a convolution.",
        ),
    )


def kernel() -> list[Exercise]:
    """Return the exercises of the page Kernel."""
    return [KERNEL_RESPONSE(seed=4), _flat_region(), _shift_kernel(), _rgb_kernel_parameters()]


# ---------------------------------------------------------------- Cross-Correlation and Convolution


def _draw_correlate(rng: np.random.Generator) -> dict[str, Any]:
    return {"image": _int_grid(rng, 4, 4, -2, 3), "kernel": _int_grid(rng, 2, 2, -1, 2)}


def _build_correlate(p: dict[str, Any]) -> GridExercise:
    x, k = np.array(p["image"], dtype=float), np.array(p["kernel"], dtype=float)
    y = correlate2d(x, k)
    h, w = y.shape
    question = (
        f"Fill in the valid cross-correlation of the {x.shape[0]} × {x.shape[1]} input with the "
        f"{k.shape[0]} × {k.shape[1]} kernel, as a convolutional layer computes it: "
        f"a {h} × {w} output."
    )
    solution = (
        f"Each output cell is the sum of the {k.shape[0]} × {k.shape[1]} window under the kernel "
        f"times the kernel, cell by cell, the kernel as it is (no flip). Top-left: "
        f"{_products(x[: k.shape[0], : k.shape[1]], k)} = {_n(y[0, 0])}. "
        f"Sliding one cell at a time gives the rows {_rows(y)}."
    )
    mistakes = _grid_mistakes(
        y,
        [
            (
                convolve2d(x, k),
                "You flipped the kernel: that is the convolution. A convolutional layer "
                "(and correlate2d) slides the kernel as it is.",
            ),
            (
                correlate2d(x, k.T),
                "You transposed the kernel (swapped its rows and columns): lay it on the "
                "window as it is printed.",
            ),
        ],
    )
    return GridExercise(
        question=question,
        shown={"input": x, "kernel": k},
        answer=y,
        solution=solution,
        mistakes=mistakes,
    )


CORRELATE = Generator("correlate-grid", _draw_correlate, _build_correlate)


def _draw_convolve(rng: np.random.Generator) -> dict[str, Any]:
    return {"image": _int_grid(rng, 3, 3, -3, 5), "kernel": _int_grid(rng, 3, 3, -2, 2)}


def _build_convolve(p: dict[str, Any]) -> NumberExercise:
    x, k = np.array(p["image"], dtype=float), np.array(p["kernel"], dtype=float)
    y = float(convolve2d(x, k)[0, 0])
    flipped = k[::-1, ::-1]
    question = (
        "What is the true convolution (x * k)[0, 0] of this 3 × 3 patch with this 3 × 3 "
        "kernel, as scipy.signal.convolve2d computes it?"
    )
    solution = (
        f"Flip the kernel in both axes (rotate it by 180°): its rows become {_rows(flipped)}. "
        f"Then multiply cell by cell and add: {_products(x, flipped)} = {_n(y)}."
    )
    mistakes = _first_wins(
        y,
        [
            (
                float(correlate2d(x, k)[0, 0]),
                "You did not flip the kernel: that is the cross-correlation. Convolution "
                "rotates the kernel by 180° first.",
            ),
            (
                float(correlate2d(x, k[::-1, :])[0, 0]),
                "You flipped only the rows: a 180° rotation flips the columns too.",
            ),
            (
                float(correlate2d(x, k[:, ::-1])[0, 0]),
                "You flipped only the columns: a 180° rotation flips the rows too.",
            ),
            (
                float(correlate2d(x, k.T)[0, 0]),
                "You transposed the kernel: a flip reverses both axes, a transpose swaps them.",
            ),
        ],
    )
    return NumberExercise(
        question=question,
        answer=y,
        solution=solution,
        mistakes=mistakes,
        shown={"x": x, "k": k},
    )


CONVOLVE = Generator("convolve-entry", _draw_convolve, _build_convolve)


def _what_conv2d_computes() -> ChoiceExercise:
    rng = np.random.default_rng(15)
    x, w = rng.normal(size=(1, 1, 5, 5)), rng.normal(size=(1, 1, 3, 3))
    layer = conv2d(x, w)[0, 0]
    correlates = np.allclose(layer, correlate2d(x[0, 0], w[0, 0]))
    convolves = np.allclose(layer, convolve2d(x[0, 0], w[0, 0]))
    if correlates == convolves:  # cannot happen for a random kernel; never a silent key
        raise RuntimeError("conv2d matched both or neither of correlate2d and convolve2d")
    correct = 0 if correlates else 1
    return ChoiceExercise(
        question=(
            "A convolutional layer (PyTorch's `conv2d`, `cnnbook.conv2d`) with weight $k$ "
            "computes, at each position, which of these?"
        ),
        options=(
            "The cross-correlation with $k$: the kernel slides as it is",
            "The convolution with $k$: the kernel is flipped by 180° first",
            "The convolution, but only for odd kernel sizes",
            "Either, decided at random when the layer is created",
        ),
        correct=correct,
        explanations=(
            "Right: deep-learning libraries call it convolution but compute the "
            "cross-correlation (checked here: `conv2d` equals `correlate2d` on a random "
            "input). Since the kernel is learned, the flip would not change what a network "
            "can learn.",
            "That is `scipy.signal.convolve2d`, which flips. A layer does not flip: compare "
            "[[Cross-Correlation and Convolution#The formula|the two formulas]].",
            "The kernel size decides nothing here: no library flips odd kernels only.",
            "The operation is fixed by the library: cross-correlation, every time.",
        ),
    )


def _shift_equivariance() -> ChoiceExercise:
    rng = np.random.default_rng(3)
    x = np.zeros((8, 8))
    x[2:5, 1:4] = rng.integers(1, 5, size=(3, 3))
    k = rng.integers(-2, 3, size=(3, 3)).astype(float)
    shifted = np.roll(x, 1, axis=1)  # the content stays inside the zero border
    y, y_shifted = correlate2d(x, k), correlate2d(shifted, k)
    moves_with = np.array_equal(y_shifted[:, 1:], y[:, :-1])
    stays = np.array_equal(y_shifted, y)
    if not moves_with or stays:
        raise RuntimeError("the example does not show shift equivariance")
    return ChoiceExercise(
        question=(
            "An image holds a small object on a zero background. Shift the image one pixel "
            "to the right and correlate it with the same kernel. What happens to the output?"
        ),
        options=(
            "The same output, shifted one pixel to the right (equivariance)",
            "Exactly the same output: the convolution does not notice the shift (invariance)",
            "A different output with no simple relation to the first",
            "The same output, shifted one pixel to the left",
        ),
        correct=0,
        explanations=(
            "Right: the same weights at every position make correlation shift-*equivariant* "
            "(checked here with `correlate2d` on a shifted image). Invariance comes later, "
            "from pooling over positions.",
            "That is invariance, which a convolution alone does not have: the output map "
            "moves with the object. Pooling (global pooling most of all) adds invariance; "
            "see [[Translation Invariance]].",
            "Weight sharing makes the relation exact: the output moves with the input.",
            "The window at output position $j$ reads input positions $j$ to $j + k - 1$: "
            "moving the input right moves the output right, not left.",
        ),
    )


def cross_correlation_and_convolution() -> list[Exercise]:
    """Return the exercises of the page Cross-Correlation and Convolution."""
    return [
        CORRELATE(seed=2),
        _what_conv2d_computes(),
        CONVOLVE(seed=5),
        _shift_equivariance(),
    ]


def output_size() -> list[Exercise]:
    """Return the exercises of the page Output Size."""
    return [
        OUTPUT_SIZE(seed=7),
        _same_padding_even_kernel(),
        _alexnet_pool(),
        _lenet_flatten(),
        _transposed_size(),
    ]


PAGES: dict[str, Callable[[], list[Exercise]]] = {
    "kernel": kernel,
    "cross-correlation-and-convolution": cross_correlation_and_convolution,
    "output-size": output_size,
}
GENERATORS: dict[str, Generator] = {
    g.name: g for g in (KERNEL_RESPONSE, CORRELATE, CONVOLVE, OUTPUT_SIZE)
}
