"""Exercises of the page ``docs/full-same-and-valid-convolution.md``.

Every answer is computed with ``cnnbook`` when the exercise is built; each generator
has a JavaScript port in ``docs/assets/exercises/convolution.js`` (same name, same plain text).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from cnnbook import correlate2d, same_padding
from cnnbook.exercises import ChoiceExercise, Exercise, Generator, GridExercise, NumberExercise
from cnnbook.exercises.draws import int_list
from cnnbook.exercises.plain_text import factor_text, grid_mistakes, number_mistakes, number_text

__all__ = ["GENERATORS", "PAGE", "exercises"]

PAGE = "full-same-and-valid-convolution"

_MODES = ("valid", "same", "full")


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
        mistakes=number_mistakes(
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
    return {"x": int_list(rng, 0, 4, (3, 3)), "k": int_list(rng, -1, 2, (2, 2))}


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
    # The right option is a fact: "same" puts the odd zero after the image.
    x, k = np.arange(9.0).reshape(3, 3), np.array([[1.0, 2.0], [3.0, 4.0]])
    after = correlate2d(np.pad(x, ((0, 1), (0, 1))), k)
    if same_padding(2) != (0, 1) or not np.array_equal(correlate2d(x, k, "same"), after):
        raise RuntimeError("same mode does not pad after the image")

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


exercises = full_same_valid

GENERATORS: dict[str, Generator] = {
    g.name: g
    for g in (
        Generator("conv-mode-size", _mode_size_draw, _mode_size_build),
        Generator("same-even-kernel", _same_even_draw, _same_even_build),
    )
}
