"""Exercises of the page Output Size: the floor formula, "same" with an even kernel, pooling.

Examples
--------
>>> ex = OUTPUT_SIZE.build({"size": 7, "kernel": 3, "padding": 1, "stride": 2, "dilation": 1})
>>> ex.answer, ex.check(4), len(output_size()) >= 3
(4, True, True)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from cnnbook.exercises.exercise import ChoiceExercise, Exercise, Generator, NumberExercise
from cnnbook.exercises.plain_text import first_wins
from cnnbook.output_size import (
    conv_output_size,
    pool_output_size,
    same_padding,
    transposed_conv_output_size,
)

__all__ = ["OUTPUT_SIZE", "output_size"]


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
    mistakes = first_wins(
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
        mistakes=first_wins(
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
        mistakes=first_wins(
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
        mistakes=first_wins(
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


def output_size() -> list[Exercise]:
    """Return the exercises of the page Output Size."""
    return [
        OUTPUT_SIZE(seed=7),
        _same_padding_even_kernel(),
        _alexnet_pool(),
        _lenet_flatten(),
        _transposed_size(),
    ]
