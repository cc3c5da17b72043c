"""The conv_arithmetic animation set, and the numbers each animation shows.

What `cnnbook.figures.animations` draws, computed by the package and nothing typed: the
zero-padded input, the kernel and the output of a 2-D cross-correlation
(`cnnbook.correlate2d`), its size checked against `cnnbook.conv_output_size`.
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np

from cnnbook.correlation import correlate2d
from cnnbook.output_size import conv_output_size, same_padding

__all__ = ["ANIMATIONS", "Padding", "animation_values"]

Padding = int | Literal["valid", "same", "full"]

#: The conv_arithmetic set: name -> keyword arguments of `convolution_animation_frames`.
ANIMATIONS: dict[str, dict[str, Any]] = {
    "valid": {"padding": "valid"},
    "same": {"padding": "same"},
    "full": {"padding": "full"},
    "stride 2": {"input_size": 5, "padding": 1, "stride": 2},
    "dilation 2": {"input_size": 7, "dilation": 2},
}


def animation_values(
    input_size: int, kernel_size: int, stride: int, padding: Padding, dilation: int, seed: int
) -> tuple[np.ndarray, tuple[int, int], np.ndarray, np.ndarray]:
    """Return the input, its per-side padding, the kernel and the output values.

    The input holds random digits 0-3 and the kernel random weights -1, 0, 1 (from
    `seed`); the output is `cnnbook.correlate2d` of the padded input with the dilated
    kernel, every `stride`-th cell, and its size is checked against
    `cnnbook.conv_output_size`, which also checks every argument.

    Examples
    --------
    >>> x, (before, after), k, y = animation_values(3, 2, 1, "full", 1, 0)
    >>> x.shape, (before, after), k.shape, y.shape
    ((3, 3), (1, 1), (2, 2), (4, 4))
    """
    if padding == "full":
        before = after = dilation * (kernel_size - 1)
    elif padding == "same":
        before, after = same_padding(kernel_size, dilation)
    elif padding == "valid":
        before = after = 0
    else:
        before = after = padding
    size_arg: int | Literal["same"] = "same" if padding == "same" else before
    out = conv_output_size(input_size, kernel_size, stride, size_arg, dilation)  # checks all
    rng = np.random.default_rng(seed)
    x = rng.integers(0, 4, size=(input_size, input_size))
    k = rng.integers(-1, 2, size=(kernel_size, kernel_size))
    # A dilated kernel is the kernel with d-1 zeros between taps; stride keeps every s-th output.
    dilated = np.zeros((dilation * (kernel_size - 1) + 1,) * 2, dtype=k.dtype)
    dilated[::dilation, ::dilation] = k
    padded = np.pad(x, (before, after))
    y = correlate2d(padded, dilated, "valid")[::stride, ::stride]
    if y.shape != (out, out):  # the two package functions must agree
        raise AssertionError(f"correlate2d gave {y.shape}, conv_output_size {out}")
    return x, (before, after), k, y
