"""Exercises of the page Kernel: a kernel's response, the shift kernel, flat regions, weights.

Examples
--------
>>> ex = KERNEL_RESPONSE.build({"patch": [[0, 0, 0], [0, 1, 0], [0, 0, 0]], "kernel": "laplacian"})
>>> ex.answer, len(kernel()) >= 3
(-4.0, True)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from cnnbook.correlation import convolve2d, correlate2d
from cnnbook.exercises.exercise import (
    ChoiceExercise,
    Exercise,
    Generator,
    GridExercise,
    NumberExercise,
)
from cnnbook.exercises.plain_text import first_wins, int_grid, integer, products
from cnnbook.kernels import KERNELS
from cnnbook.parameters import conv2d_parameter_count

__all__ = ["KERNEL_RESPONSE", "kernel"]

_INTEGER_KERNELS = ("sharpen", "sobel x", "sobel y", "prewitt x", "prewitt y", "laplacian")


def _draw_kernel_response(rng: np.random.Generator) -> dict[str, Any]:
    name = _INTEGER_KERNELS[int(rng.integers(0, len(_INTEGER_KERNELS)))]
    return {"patch": int_grid(rng, 3, 3, 0, 9), "kernel": name}


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
            f"{products(x, k)} = {integer(y)}."
        ),
        mistakes=first_wins(
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
        mistakes=first_wins(
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
