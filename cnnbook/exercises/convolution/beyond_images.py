"""Exercises of the page Convolution Beyond Images (``docs/convolution-beyond-images.md``).

Every answer is computed with ``cnnbook`` when the exercise is built; each generator
has a JavaScript port in ``docs/assets/exercises/convolution.js`` (same name, same plain text).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from cnnbook import convolve1d, correlate1d
from cnnbook.exercises import ChoiceExercise, Exercise, Generator, GridExercise, NumberExercise
from cnnbook.exercises.draws import int_list
from cnnbook.exercises.plain_text import (
    factor_text,
    grid_mistakes,
    number_mistakes,
    number_text,
    numbers_text,
)

__all__ = ["GENERATORS", "PAGE", "exercises"]

PAGE = "convolution-beyond-images"


def _polynomial_draw(rng: np.random.Generator) -> dict[str, Any]:
    # v0 != v1: with a symmetric v, convolution and correlation would agree
    return {"a": int_list(rng, -2, 4, (3,)), "v": (rng.permutation(5)[:2] + 1).tolist()}


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
            mistakes=number_mistakes(
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


exercises = convolution_beyond_images

GENERATORS: dict[str, Generator] = {
    g.name: g for g in (Generator("polynomial-product", _polynomial_draw, _polynomial_build),)
}
