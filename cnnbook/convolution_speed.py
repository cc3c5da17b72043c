r"""The naive loop against im2col + one matrix product, timed on this machine.

`correlate2d_naive` is the teaching twin: four nested Python loops, one multiply-add
per step. `conv2d` copies every window into a column of a matrix (im2col) and does all
the multiply-adds in one call to the BLAS matrix product. Both compute the same numbers;
`naive_vs_im2col` times both on one image and returns the ratio. Timings depend on the
machine and its load, so the result is a measurement, never an expected value: the best of
`repeat` runs (the least disturbed one). See [[How Convolution Is Computed (im2col)]].
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from cnnbook._rng import generator
from cnnbook._validation import positive_int
from cnnbook.conv2d import conv2d
from cnnbook.correlation import NAIVE_MAX_STEPS, correlate2d_naive

__all__ = ["SpeedComparison", "naive_vs_im2col"]


@dataclass(frozen=True)
class SpeedComparison:
    """Seconds per call of the naive loop and of im2col + GEMM, and their ratio.

    Attributes
    ----------
    image_size, kernel_size : int
        The square image and kernel that were timed (valid mode, one channel).
    naive_seconds, im2col_seconds : float
        Best time per call of `correlate2d_naive` and of `conv2d`.
    ratio : float
        ``naive_seconds / im2col_seconds``: how many times faster im2col + GEMM is.
    max_difference : float
        Largest absolute difference between the two outputs (rounding only).

    Examples
    --------
    >>> naive_vs_im2col(8, 3, repeat=1).max_difference < 1e-12
    True
    """

    image_size: int
    kernel_size: int
    naive_seconds: float
    im2col_seconds: float
    ratio: float
    max_difference: float


def _best(call: Callable[[], object], repeat: int, number: int) -> float:
    """Best time per call over `repeat` runs of `number` calls (the least disturbed run)."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            call()
        best = min(best, (time.perf_counter() - start) / number)
    return best


def naive_vs_im2col(
    image_size: int = 48, kernel_size: int = 5, repeat: int = 3, seed: int = 0
) -> SpeedComparison:
    r"""Time the naive loop and im2col + GEMM on one random image; return both and the ratio.

    Parameters
    ----------
    image_size : int, default 48
        Side of the square single-channel image.
    kernel_size : int, default 5
        Side of the square kernel (valid mode: at most `image_size`).
    repeat : int, default 3
        Runs of each; the best is kept.
    seed : int, default 0
        Seed of the random image and kernel.

    Returns
    -------
    SpeedComparison
        Seconds per call of each, their ratio, and the largest difference of the outputs.

    Raises
    ------
    TypeError
        If a size or `repeat` is not an int, or `seed` not an int seed.
    ValueError
        If a size or `repeat` is not positive, the kernel is larger than the image, or the
        naive loop would take more than `correlate2d_naive` allows.

    Notes
    -----
    Both do $(H - k + 1)^2 k^2$ multiply-adds. The naive loop pays the Python
    interpreter for each one; im2col pays one copy of $k^2$ values per output pixel and
    then runs the multiply-adds in compiled, vectorised BLAS code.

    Examples
    --------
    >>> r = naive_vs_im2col(16, 3, repeat=1)
    >>> r.naive_seconds > 0 and r.im2col_seconds > 0
    True
    """
    n = positive_int("image_size", image_size)
    k = positive_int("kernel_size", kernel_size)
    runs = positive_int("repeat", repeat)
    if k > n:
        raise ValueError(f"kernel_size (={k}) must be at most image_size (={n})")
    steps = (n - k + 1) ** 2 * k * k
    if steps * runs > NAIVE_MAX_STEPS:
        raise ValueError(
            f"image_size (={n}), kernel_size (={k}) and repeat (={runs}) would loop "
            f"{steps * runs:,} times in the naive twin; the limit is {NAIVE_MAX_STEPS:,}"
        )
    rng = generator("seed", seed)
    image, kernel = rng.standard_normal((n, n)), rng.standard_normal((k, k))
    batch, weight = image[None, None], kernel[None, None]
    difference = float(np.abs(correlate2d_naive(image, kernel) - conv2d(batch, weight)[0, 0]).max())
    naive = _best(lambda: correlate2d_naive(image, kernel), runs, 1)
    number = max(1, min(1000, int(0.02 / max(_best(lambda: conv2d(batch, weight), 1, 1), 1e-7))))
    fast = _best(lambda: conv2d(batch, weight), runs, number)
    return SpeedComparison(n, k, naive, fast, naive / fast, difference)
