"""Exercises for the pages on the convolution itself.

Border modes, padding modes, the transposed convolution, feature maps, edge detection and
convolution in one dimension. Every answer is computed with ``cnnbook`` when the exercise
is built; each generator has a JavaScript port in ``docs/assets/exercises/convolution.js``
(same name, same plain text).

Examples
--------
>>> GENERATORS["transposed-size"].build({"size": 8, "k": 4, "s": 2, "p": 1, "o": 0}).answer
16
>>> min(len(build()) for build in PAGES.values()) >= 3
True
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from cnnbook import (
    conv2d,
    conv_output_size,
    conv_transpose2d,
    convolve1d,
    correlate1d,
    correlate2d,
    edge_detect,
    pad,
    pad_backward,
    same_padding,
    transposed_conv_output_size,
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

__all__ = ["GENERATORS", "PAGES"]

_MODES = ("valid", "same", "full")
_PAD_MODES = ("reflect", "replicate", "circular")


def _ints(rng: np.random.Generator, lo: int, hi: int, shape: tuple[int, ...]) -> list[Any]:
    """Integers in [lo, hi] as nested lists (JSON parameters)."""
    return list(rng.integers(lo, hi + 1, size=shape).tolist())


def _grid_text(grid: np.ndarray) -> str:
    """Rows of a small grid, ``1 2 / 3 4``."""
    return " / ".join(" ".join(number_text(v) for v in row) for row in grid)


# --- Full, Same and Valid Convolution ------------------------------------------------


def _mode_size_draw(rng: np.random.Generator) -> dict[str, Any]:
    size = int(rng.integers(4, 21))
    return {
        "size": size,
        "k": int(rng.integers(2, min(7, size) + 1)),
        "mode": str(rng.choice(_MODES)),
    }


def _mode_size_build(p: dict[str, Any]) -> NumberExercise:
    size, k, mode = p["size"], p["k"], p["mode"]
    answer = correlate2d(np.ones((size, size)), np.ones((k, k)), mode).shape[1]
    solution = {
        "valid": f"Valid mode pads nothing: {size} − {k} + 1 = {answer}.",
        "same": f"Same mode pads {k} − 1 zeros in total, which keeps the size: {answer}.",
        "full": f"Full mode pads {k} − 1 zeros on every side: {size} + {k} − 1 = {answer}.",
    }[mode]
    extra = {
        "valid": [(size - k, "Forgot the +1.")],
        "same": [],
        "full": [(size + k, "Forgot the −1.")],
    }
    return NumberExercise(
        question=(
            f"A {size}×{size} image is correlated with a {k}×{k} kernel in {mode} mode. How wide "
            "is the output?"
        ),
        answer=answer,
        solution=solution,
        mistakes=kept_mistakes(
            answer,
            [
                (size - k + 1, "That is the valid size (no padding)."),
                (size, "That is the same size (k − 1 zeros in total)."),
                (size + k - 1, "That is the full size (k − 1 zeros on every side)."),
                *extra[mode],
            ],
        ),
        generator="conv-mode-size",
        params=p,
    )


def _same_even_draw(rng: np.random.Generator) -> dict[str, Any]:
    return {"x": _ints(rng, 0, 4, (3, 3)), "k": _ints(rng, -1, 2, (2, 2))}


def _same_even_build(p: dict[str, Any]) -> GridExercise:
    x, k = np.array(p["x"], float), np.array(p["k"], float)
    answer = correlate2d(x, k, "same")
    terms = " + ".join(
        f"{factor_text(k[a, b])}×{factor_text(x[a, b])}" for a in range(2) for b in range(2)
    )
    return GridExercise(
        question=(
            "Correlate the 3×3 input with the 2×2 kernel in same mode (as correlate2d and "
            'PyTorch\'s padding="same" do). Fill in the 3×3 output.'
        ),
        shown={"input": x, "kernel": k},
        answer=answer,
        solution=(
            "A 2×2 kernel needs k − 1 = 1 zero per axis, and same mode puts it after the image: "
            f"a row of zeros at the bottom, a column at the right. Top-left: {terms} = "
            f"{number_text(answer[0, 0])}. Bottom-right reads one pixel and three zeros: "
            f"{factor_text(k[0, 0])}×{factor_text(x[2, 2])} = {number_text(answer[2, 2])}."
        ),
        mistakes=grid_mistakes(
            answer,
            [
                (
                    correlate2d(x, k, "full")[:3, :3],
                    "Put the extra zero at the top and left: same mode pads 0 before and 1 after.",
                ),
                (
                    correlate2d(x, k[::-1, ::-1], "same"),
                    "Flipped the kernel: correlation uses it as stored.",
                ),
            ],
        ),
        generator="same-even-kernel",
        params=p,
    )


def full_same_valid() -> list[Exercise]:
    """Exercises: an output size per mode, same mode with an even kernel, where its zero goes."""
    return [
        GENERATORS["conv-mode-size"](0),
        GENERATORS["same-even-kernel"](0),
        ChoiceExercise(
            question=(
                "Same mode with a 2×2 kernel needs one zero per axis. Where do PyTorch's "
                '`padding="same"` and `cnnbook.same_padding(2)` put it?'
            ),
            options=(
                "Half a zero on each side.",
                "After the image: bottom and right.",
                "Before the image: top and left.",
                "Nowhere: same mode needs an odd kernel and raises an error.",
            ),
            correct=1,
            explanations=(
                "Padding is counted in whole pixels: one side must get it.",
                f"Right: `same_padding(2)` is {same_padding(2)} (before, after).",
                "That is where SciPy's `convolve2d` ends up for even kernels, because it "
                "centres the flipped kernel.",
                "It works with any kernel; only the split is uneven.",
            ),
        ),
    ]


# --- Padding Modes -------------------------------------------------------------------

_PAD_RULES = {
    "reflect": "reflect mirrors the row about its border pixel, which is not repeated",
    "replicate": "replicate repeats the border pixel",
    "circular": "circular wraps the opposite end around",
}
_PAD_HINTS = {
    "constant": "That is zero padding (mode constant).",
    "reflect": "That is reflect: mirrored about the border pixel, which is not repeated.",
    "replicate": "That is replicate: the border pixel repeated.",
    "circular": "That is circular: the opposite end wrapped around.",
}


def _pad_row_draw(rng: np.random.Generator) -> dict[str, Any]:
    n = int(rng.integers(4, 6))
    row = (rng.permutation(9)[:n] + 1).tolist()
    return {
        "row": row,
        "mode": str(rng.choice(_PAD_MODES)),
        "left": int(rng.integers(1, n)),
        "right": int(rng.integers(1, n)),
    }


def _pad_row_build(p: dict[str, Any]) -> GridExercise:
    row, mode, left, right = np.array(p["row"], float), p["mode"], p["left"], p["right"]

    def padded(m: str) -> np.ndarray:
        return np.asarray(pad(row[None, None, None], (left, right, 0, 0), m)[0, 0])

    answer = padded(mode)
    candidates = [(padded(m), _PAD_HINTS[m]) for m in _PAD_HINTS if m != mode]
    if mode == "reflect":
        candidates.append(
            (
                np.pad(row, (left, right), "symmetric")[None],
                "Repeated the border pixel in the mirror (NumPy's symmetric): reflect "
                "mirrors about it.",
            )
        )
    return GridExercise(
        question=(
            f"Pad the row {numbers_text(row)} with {left} cell(s) on the left and {right} on the "
            f"right in mode {mode}. Fill in the padded row."
        ),
        shown={"row": row[None]},
        answer=answer,
        solution=(
            f"{_PAD_RULES[mode][0].upper()}{_PAD_RULES[mode][1:]}: "
            f"{numbers_text(answer[0, :left])} | {numbers_text(row)} | "
            f"{numbers_text(answer[0, left + len(row) :])}."
        ),
        mistakes=grid_mistakes(answer, candidates),
        generator="pad-row",
        params=p,
    )


def padding_modes() -> list[Exercise]:
    """Exercises: a padded row, the gradient a copied pixel receives, exact equivariance."""
    row = np.array([[[[1.0, 2.0, 3.0, 4.0]]]])
    grad = pad_backward(np.ones((1, 1, 1, 9)), row.shape, (3, 2, 0, 0), "reflect")
    answer = float(grad[0, 0, 0, 1])
    return [
        GENERATORS["pad-row"](0),
        NumberExercise(
            question=(
                "The row 1, 2, 3, 4 is padded in reflect mode with 3 cells on the left and 2 on "
                "the right, and every cell of the padded row receives gradient 1. How much "
                "gradient reaches the pixel 2?"
            ),
            answer=answer,
            solution=(
                "The padded row is 4, 3, 2 | 1, 2, 3, 4 | 3, 2: the pixel 2 appears once in the "
                f"image and once in each mirror, so it collects {answer:g}."
            ),
            mistakes=kept_mistakes(
                answer,
                [
                    (
                        1.0,
                        "Forgot the copies: each padded cell sends its gradient back to the "
                        "pixel it copies.",
                    ),
                    (2.0, "Counted one side only: both mirrors copy this pixel."),
                ],
            ),
        ),
        ChoiceExercise(
            question=(
                "Under which padding is a stride-1 convolution exactly equivariant to circular "
                "shifts of its input, borders included?"
            ),
            options=("zeros", "reflect", "replicate", "circular"),
            correct=3,
            explanations=(
                "Zeros change what the border windows see when the image moves.",
                "A mirror at the border moves with the image's content only in the interior.",
                "The repeated border pixel changes when the image shifts.",
                "Right: the padding is the wrapped image itself, so shifting and convolving "
                "commute.",
            ),
        ),
    ]


# --- Transposed Convolution ----------------------------------------------------------


def _transposed_size_draw(rng: np.random.Generator) -> dict[str, Any]:
    k = int(rng.integers(1, 6))
    s = int(rng.integers(1, 4))
    return {
        "size": int(rng.integers(2, 17)),
        "k": k,
        "s": s,
        "p": int(rng.integers(0, (k - 1) // 2 + 1)),
        "o": int(rng.integers(0, s)),
    }


def _transposed_size_build(p: dict[str, Any]) -> NumberExercise:
    size, k, s, pd, o = p["size"], p["k"], p["s"], p["p"], p["o"]
    answer = transposed_conv_output_size(size, k, stride=s, padding=pd, output_padding=o)
    candidates = []
    if size + 2 * pd >= k:
        candidates.append(
            (
                conv_output_size(size, k, stride=s, padding=pd),
                "Used the convolution's formula: the transposed convolution runs it backwards.",
            )
        )
    candidates += [
        (answer - 1, "Forgot the +1."),
        (answer + pd, "Used total instead of per-side padding: subtract 2p."),
        (answer - o, "Forgot the output padding."),
        (size * s, "Multiplied by the stride only: the kernel and the padding count too."),
    ]
    return NumberExercise(
        question=(
            f"ConvTranspose2d with kernel {k}, stride {s}, padding {pd} and output_padding {o} "
            f"on a {size}×{size} input: how wide is the output?"
        ),
        answer=answer,
        solution=(
            f"(H − 1)×s − 2×p + (k − 1) + output_padding + 1 = ({size} − 1)×{s} − 2×{pd} + "
            f"({k} − 1) + {o} + 1 = {answer}."
        ),
        mistakes=kept_mistakes(answer, candidates),
        generator="transposed-size",
        params=p,
    )


def _stamp_draw(rng: np.random.Generator) -> dict[str, Any]:
    return {
        "x": _ints(rng, -1, 3, (2, 2)),
        "w": _ints(rng, -1, 2, (2, 2)),
        "stride": int(rng.integers(1, 3)),
    }


def _stamp_build(p: dict[str, Any]) -> GridExercise:
    x, w, s = np.array(p["x"], float), np.array(p["w"], float), p["stride"]
    answer = conv_transpose2d(x[None, None], w[None, None], stride=s)[0, 0]
    size = answer.shape[0]
    overlap = (
        "copies overlap by one row and one column, and add up there"
        if s == 1
        else "the copies sit side by side without overlapping"
    )
    return GridExercise(
        question=(
            f"A transposed convolution with stride {s} (no padding) of the 2×2 input with the "
            f"2×2 kernel: fill in the {size}×{size} output."
        ),
        shown={"input": x, "kernel": w},
        answer=answer,
        solution=(
            "Each input pixel stamps the kernel times its value, the stamps "
            f"{s} apart; {overlap}. Top-left: {factor_text(x[0, 0])}×{factor_text(w[0, 0])} = "
            f"{number_text(answer[0, 0])}."
        ),
        mistakes=grid_mistakes(
            answer,
            [
                (
                    conv_transpose2d(x[None, None], w[None, None, ::-1, ::-1], stride=s)[0, 0],
                    "Stamped the flipped kernel: each pixel places the kernel as stored.",
                )
            ],
        ),
        generator="transposed-stamp",
        params=p,
    )


def transposed_convolution() -> list[Exercise]:
    """Exercises: the output size, a stamped output, whether it inverts a convolution."""
    return [
        GENERATORS["transposed-size"](0),
        GENERATORS["transposed-stamp"](0),
        ChoiceExercise(
            question=(
                "A convolution with weight $w$ maps $x$ to $y = Cx$. Does the transposed "
                "convolution with the same $w$ give $x$ back from $y$?"
            ),
            options=(
                "Yes: that is why it is also called deconvolution.",
                "No: it computes $C^\\top y$, which has the shape of $x$ but is not $x$ unless "
                "$C$ is orthogonal.",
                "Yes, but only with stride 1.",
                "Yes, up to a scale factor.",
            ),
            correct=1,
            explanations=(
                "The name is misleading: $C^\\top$ is not $C^{-1}$.",
                "Right: it restores the shape, not the values.",
                "Even with stride 1 a blur smears the image once more.",
                "The page measures the error after the best rescaling: it stays large.",
            ),
        ),
    ]


# --- Feature Map ---------------------------------------------------------------------


def _feature_map_draw(rng: np.random.Generator) -> dict[str, Any]:
    return {
        "x": _ints(rng, 0, 2, (5, 5)),
        "w": _ints(rng, -1, 1, (3, 3)),
        "b": int(rng.integers(-2, 3)),
    }


def _feature_map_build(p: dict[str, Any]) -> GridExercise:
    x, w, b = np.array(p["x"], float), np.array(p["w"], float), float(p["b"])
    answer = conv2d(x[None, None], w[None, None], np.array([b]))[0, 0]
    return GridExercise(
        question=(
            "A Conv2d layer with one 3×3 kernel (shown) and bias b = "
            f"{number_text(b)} reads the 5×5 input (stride 1, no padding). Fill in its 3×3 "
            "feature map."
        ),
        shown={"input": x, "kernel": w},
        answer=answer,
        solution=(
            "Slide the kernel over the 3×3 positions where it fits; at each, multiply the "
            "window by the kernel as stored (no flip), add the nine products and the bias. "
            f"Top-left: {number_text(answer[0, 0] - b)} + {factor_text(b)} = "
            f"{number_text(answer[0, 0])}."
        ),
        mistakes=grid_mistakes(
            answer,
            [
                (answer - b, "Forgot the bias: it is added at every position."),
                (
                    correlate2d(x, w[::-1, ::-1]) + b,
                    "Flipped the kernel: a convolutional layer correlates.",
                ),
            ],
        ),
        generator="feature-map-values",
        params=p,
    )


def feature_map() -> list[Exercise]:
    """Exercises: a feature map by hand, the size of a layer's output, maps per filter."""
    values = conv2d(np.zeros((1, 1, 32, 32)), np.zeros((8, 1, 5, 5))).size
    return [
        GENERATORS["feature-map-values"](0),
        NumberExercise(
            question=(
                "A layer with 8 kernels of 5×5 (stride 1, no padding) reads one 32×32 "
                "grayscale image. How many values do its feature maps hold in all?"
            ),
            answer=values,
            solution=f"8 maps of $(32 - 5 + 1)^2 = 28^2$ values: {values}.",
            mistakes=kept_mistakes(
                values,
                [
                    (8 * 27 * 27, "Forgot the +1: each map is 32 − 5 + 1 wide."),
                    (28 * 28, "Counted one map: the layer makes one per kernel."),
                    (8 * 32 * 32, "Kept the input size: without padding the maps shrink."),
                ],
            ),
        ),
        ChoiceExercise(
            question="A layer with 16 filters reads an input of 8 channels. How many feature maps "
            "does it output?",
            options=("8", "16", "128", "24"),
            correct=1,
            explanations=(
                "The input's channel count sets the depth of each filter, not the output's.",
                "Right: one map per filter; each filter sums over all 8 input channels.",
                "A filter does not make one map per input channel: it adds them up.",
                "Channels are not added to filters.",
            ),
        ),
    ]


# --- Edge Detection ------------------------------------------------------------------


def _sobel_draw(rng: np.random.Generator) -> dict[str, Any]:
    return {"patch": _ints(rng, 0, 9, (3, 3))}


def _sobel_build(p: dict[str, Any]) -> NumberExercise:
    patch = np.array(p["patch"], float)
    answer = float(edge_detect(patch, mode="valid").gx[0, 0])
    right, left = patch[:, 2], patch[:, 0]
    return NumberExercise(
        question=(
            "Apply sobel_x (rows: −1 0 1 / −2 0 2 / −1 0 1) by cross-correlation to the 3×3 "
            f"patch with rows {_grid_text(patch)}. What is g_x at its centre?"
        ),
        answer=answer,
        solution=(
            "Right column minus left column, the middle row counted twice: "
            f"({number_text(right[0])} + 2×{number_text(right[1])} + {number_text(right[2])}) − "
            f"({number_text(left[0])} + 2×{number_text(left[1])} + {number_text(left[2])}) = "
            f"{number_text(answer)}."
        ),
        mistakes=kept_mistakes(
            answer,
            [
                (-answer, "Flipped the kernel (convolution): the sign of g_x is reversed."),
                (
                    float(edge_detect(patch, mode="valid").gy[0, 0]),
                    "Used sobel_y: that is the derivative down the rows.",
                ),
                (
                    float(edge_detect(patch, operator="prewitt", mode="valid").gx[0, 0]),
                    "Weighted the three rows equally (Prewitt): Sobel counts the middle row twice.",
                ),
            ],
        ),
        generator="sobel-gx",
        params=p,
    )


def edge_detection() -> list[Exercise]:
    """Exercises: g_x of a patch, the gain on a ramp, which way the gradient points."""
    ramp = np.tile(2.0 * np.arange(6.0), (6, 1))
    gain = float(edge_detect(ramp, mode="valid").gx[0, 0])
    return [
        GENERATORS["sobel-gx"](0),
        NumberExercise(
            question=(
                "An image is a ramp whose brightness rises by 2 per pixel to the right. What "
                "does `edge_detect` (Sobel) give for $g_x$ inside it?"
            ),
            answer=gain,
            solution=(
                "The kernel's gain is the sum of its smoothing weights (1 + 2 + 1) times the "
                f"two-pixel span of the difference, 8; times the slope 2: {gain:g}."
            ),
            mistakes=kept_mistakes(
                gain,
                [
                    (
                        2.0,
                        "Read it as the derivative: Sobel has a gain of 8 that `edge_detect` "
                        "does not divide out.",
                    ),
                    (
                        float(edge_detect(ramp, operator="prewitt", mode="valid").gx[0, 0]),
                        "That is Prewitt's response (gain 6).",
                    ),
                    (8.0, "That is a ramp of 1 per pixel: multiply by the slope."),
                ],
            ),
        ),
        ChoiceExercise(
            question=(
                "At a pixel, `edge_detect` returns a direction $\\theta = +90°$. What does the "
                "image do there?"
            ),
            options=(
                "It gets brighter downward.",
                "It gets brighter upward.",
                "It gets brighter to the right.",
                "It is flat: the gradient is zero.",
            ),
            correct=0,
            explanations=(
                "Right: $\\theta$ is measured from the $+j$ axis (right) towards $+i$, and rows "
                "point down.",
                "That would be $-90°$: the row index $i$ points down, not up.",
                "That is $\\theta = 0$.",
                "A zero gradient has no meaningful direction.",
            ),
        ),
    ]


# --- Convolution Beyond Images -------------------------------------------------------


def _polynomial_draw(rng: np.random.Generator) -> dict[str, Any]:
    # v0 != v1: with a symmetric v, convolution and correlation would agree
    return {"a": _ints(rng, -2, 4, (3,)), "v": (rng.permutation(5)[:2] + 1).tolist()}


def _polynomial_build(p: dict[str, Any]) -> GridExercise:
    a, v = np.array(p["a"], float), np.array(p["v"], float)
    answer = convolve1d(a, v)[None].astype(float)
    return GridExercise(
        question=(
            f"Multiply the polynomials with coefficients a = ({numbers_text(a)}) and v = "
            f"({numbers_text(v)}), constant term first (a0 + a1 x + a2 x², v0 + v1 x). Fill in "
            "the coefficients of the product, constant term first."
        ),
        shown={"a": a[None], "v": v[None]},
        answer=answer,
        solution=(
            "The coefficient of x^n collects every a_m × v_(n−m): the full convolution of the "
            f"two lists. x⁰: {factor_text(a[0])}×{factor_text(v[0])} = "
            f"{number_text(answer[0, 0])}; "
            f"x¹: {factor_text(a[0])}×{factor_text(v[1])} + {factor_text(a[1])}×"
            f"{factor_text(v[0])} = {number_text(answer[0, 1])}."
        ),
        mistakes=grid_mistakes(
            answer,
            [
                (
                    correlate1d(a, v, "full")[None].astype(float),
                    "Did not flip v: that is the correlation, not the convolution.",
                )
            ],
        ),
        generator="polynomial-product",
        params=p,
    )


def convolution_beyond_images() -> list[Exercise]:
    """Exercises: a polynomial product, the length of a full convolution, when FFT pays."""
    length = len(convolve1d(np.zeros(1000), np.zeros(60)))
    return [
        GENERATORS["polynomial-product"](0),
        NumberExercise(
            question=(
                "A signal of 1000 samples is convolved with a kernel of 60 taps in full mode. "
                "How long is the result?"
            ),
            answer=length,
            solution=f"$N + M - 1 = 1000 + 60 - 1 = $ {length}.",
            mistakes=kept_mistakes(
                length,
                [
                    (1000 + 60, "Forgot the −1."),
                    (
                        len(convolve1d(np.zeros(1000), np.zeros(60), "valid")),
                        "That is the valid length.",
                    ),
                    (1000, "That is the same length."),
                ],
            ),
        ),
        ChoiceExercise(
            question="Why do CNN libraries compute 3×3 convolutions directly instead of by FFT?",
            options=(
                "The FFT gives slightly different, less exact results.",
                "For short kernels the direct sum costs less than the transforms; the FFT "
                "pays off only for long kernels.",
                "The FFT works only in one dimension.",
                "The convolution theorem does not hold for cross-correlation.",
            ),
            correct=1,
            explanations=(
                "The differences are rounding errors, as small as the direct sum's.",
                "Right: the crossover measured on the page is far above 3×3.",
                "`fftconvolve` handles images too.",
                "Correlation is convolution with a flipped kernel: the theorem applies.",
            ),
        ),
    ]


GENERATORS: dict[str, Generator] = {
    g.name: g
    for g in (
        Generator("conv-mode-size", _mode_size_draw, _mode_size_build),
        Generator("same-even-kernel", _same_even_draw, _same_even_build),
        Generator("pad-row", _pad_row_draw, _pad_row_build),
        Generator("transposed-size", _transposed_size_draw, _transposed_size_build),
        Generator("transposed-stamp", _stamp_draw, _stamp_build),
        Generator("feature-map-values", _feature_map_draw, _feature_map_build),
        Generator("sobel-gx", _sobel_draw, _sobel_build),
        Generator("polynomial-product", _polynomial_draw, _polynomial_build),
    )
}

PAGES: dict[str, Callable[[], list[Exercise]]] = {
    "full-same-and-valid-convolution": full_same_valid,
    "padding-modes": padding_modes,
    "transposed-convolution": transposed_convolution,
    "feature-map": feature_map,
    "edge-detection": edge_detection,
    "convolution-beyond-images": convolution_beyond_images,
}
