"""Exercises of the page Transposed Convolution (``docs/transposed-convolution.md``).

Every answer is computed with ``cnnbook`` when the exercise is built; each generator
has a JavaScript port in ``docs/assets/exercises/convolution.js`` (same name, same plain text).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from cnnbook import conv_output_size, conv_transpose2d, round_trip, transposed_conv_output_size
from cnnbook.exercises import ChoiceExercise, Exercise, Generator, GridExercise, NumberExercise
from cnnbook.exercises.draws import int_list
from cnnbook.exercises.plain_text import factor_text, grid_mistakes, number_mistakes, number_text

__all__ = ["GENERATORS", "PAGE", "exercises"]

PAGE = "transposed-convolution"


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
        mistakes=number_mistakes(answer, candidates),
        generator="transposed-size",
        params=p,
    )


def _stamp_draw(rng: np.random.Generator) -> dict[str, Any]:
    return {
        "x": int_list(rng, -1, 3, (2, 2)),
        "w": int_list(rng, -1, 2, (2, 2)),
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
    # The right option is a fact: the round trip does not give the image back.
    image = np.random.default_rng(0).standard_normal((1, 1, 8, 8))
    if round_trip(image, np.full((1, 1, 3, 3), 1 / 9), stride=2, padding=1).scaled_error < 0.1:
        raise RuntimeError("the transposed convolution inverted a strided blur")

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


exercises = transposed_convolution

GENERATORS: dict[str, Generator] = {
    g.name: g
    for g in (
        Generator("transposed-size", _transposed_size_draw, _transposed_size_build),
        Generator("transposed-stamp", _stamp_draw, _stamp_build),
    )
}
