"""Exercises of the page ``docs/how-convolution-is-computed.md``.

Every answer is computed with ``cnnbook`` when the exercise is built; each generator
has a JavaScript port in ``docs/assets/exercises/structure.js`` (same name, same plain text).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from cnnbook import conv2d_macs, conv_output_size
from cnnbook.exercises import ChoiceExercise, Exercise, Generator, NumberExercise
from cnnbook.exercises.plain_text import number_mistakes

__all__ = ["GENERATORS", "PAGE", "exercises"]

PAGE = "how-convolution-is-computed"


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
        mistakes=number_mistakes(
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
            mistakes=number_mistakes(
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


exercises = how_convolution_is_computed

GENERATORS: dict[str, Generator] = {
    g.name: g for g in (Generator("im2col-size", _im2col_draw, _im2col_build),)
}
