r"""Convolution by the Fourier transform, and where it beats the direct sum.

The *convolution theorem*: the discrete Fourier transform turns a (circular)
convolution into a pointwise product,

$$\mathcal{F}(a \circledast v) = \mathcal{F}(a) \cdot \mathcal{F}(v).$$

Zero-pad both sequences to at least $N + M - 1$ samples and the circular
convolution equals the ordinary (linear) one, so ``ifft(fft(a) * fft(v))`` is
the full convolution. With the fast Fourier transform that costs
$O(L \log L)$ for $L = N + M - 1$, against $O(NM)$ for the direct sum of
`cnnbook.convolve1d`: the FFT wins once the kernel is long enough.
`fftconvolve` is `scipy.signal.fftconvolve` in NumPy (any number of axes,
modes ``full`` / ``same`` / ``valid``); `fft_crossover` times both on the
machine it runs on and reports the kernel size where the FFT starts to win.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike

from cnnbook._validation import as_numeric_array, check_bytes, positive_int
from cnnbook.correlation1d import convolve1d

__all__ = ["FFTCrossover", "fft_crossover", "fftconvolve"]

Mode = Literal["full", "same", "valid"]
MODES = ("full", "same", "valid")


def fast_length(n: int) -> int:
    r"""Return the smallest $2^a 3^b 5^c \ge n$, a length the FFT handles fast.

    The same as ``scipy.fft.next_fast_len(n, real=True)``.

    Examples
    --------
    >>> [fast_length(n) for n in (7, 11, 17, 97, 1025)]
    [8, 12, 18, 100, 1080]
    """
    best = 1 << max(n - 1, 0).bit_length()  # a power of two always works
    p5 = 1
    while p5 < best:
        p35 = p5
        while p35 < best:
            p = p35
            while p < n:
                p *= 2
            best = min(best, p)
            p35 *= 3
        p5 *= 5
    return best


def fftconvolve(in1: ArrayLike, in2: ArrayLike, mode: Mode = "full") -> np.ndarray:
    r"""Convolve two N-D arrays through the FFT: `scipy.signal.fftconvolve`.

    Parameters
    ----------
    in1 : array_like
        Real numbers, any number of axes (a 1-D signal, a 2-D image...).
    in2 : array_like
        Real numbers with the same number of axes as `in1`.
    mode : {"full", "same", "valid"}, default "full"
        Output shape per axis: $N + M - 1$, $N$ (the shape of `in1`, the centre of
        the full output) or $|N - M| + 1$ (one must be at least as large as the
        other along every axis).

    Returns
    -------
    ndarray
        The convolution, float64 (float32 when both inputs are float32, as SciPy).
        Equal to the direct sum up to rounding ($\sim 10^{-15}$ relative to the
        largest value): entries that should be exactly zero come out as tiny numbers.

    Raises
    ------
    TypeError
        If an input is not a real numeric array.
    ValueError
        If an input is empty, their numbers of axes differ, `mode` is unknown, or in
        ``"valid"`` mode neither is at least as large as the other along every axis.

    Notes
    -----
    With $L_i$ the smallest fast FFT length $\ge N_i + M_i - 1$ along axis $i$:
    $a * v = \mathcal{F}^{-1}\big(\mathcal{F}_L(a) \cdot \mathcal{F}_L(v)\big)$
    (real FFTs, `numpy.fft.rfftn`), then cropped as `cnnbook.convolve1d` crops.

    Examples
    --------
    >>> np.round(fftconvolve([1, 2, 3], [1, 1]), 10)  # (1 + 2x + 3x^2)(1 + x)
    array([1., 3., 5., 3.])
    >>> image, kernel = np.ones((4, 5)), np.ones((3, 3))
    >>> [fftconvolve(image, kernel, mode).shape for mode in ("full", "same", "valid")]
    [(6, 7), (4, 5), (2, 3)]
    """
    if not isinstance(mode, str) or mode not in MODES:
        raise ValueError(f"mode (={mode!r}) must be one of 'full', 'same', 'valid'")
    a = as_numeric_array("in1", in1)
    v = as_numeric_array("in2", in2)
    if a.ndim != v.ndim:
        raise ValueError(
            f"in1 (shape {a.shape}) and in2 (shape {v.shape}) must have the same number of axes"
        )
    if mode == "valid" and not (
        all(n >= m for n, m in zip(a.shape, v.shape, strict=True))
        or all(m >= n for n, m in zip(a.shape, v.shape, strict=True))
    ):
        raise ValueError(
            f"in1 (shape {a.shape}) or in2 (shape {v.shape}) must be at least as large as the "
            "other along every axis in 'valid' mode"
        )
    dtype = np.result_type(a, v)
    out_dtype = dtype if dtype.kind == "f" else np.dtype(np.float64)
    full = tuple(n + m - 1 for n, m in zip(a.shape, v.shape, strict=True))
    lengths = [fast_length(n) for n in full]
    check_bytes("the FFT buffer", lengths, 16)
    axes = list(range(a.ndim))
    spectrum = np.fft.rfftn(a.astype(np.float64), lengths, axes) * np.fft.rfftn(
        v.astype(np.float64), lengths, axes
    )
    out = np.fft.irfftn(spectrum, lengths, axes)
    crop = []
    for n, m, f in zip(a.shape, v.shape, full, strict=True):
        if mode == "full":
            start, size = 0, f
        elif mode == "same":
            start, size = (m - 1) // 2, n
        else:
            start, size = min(n, m) - 1, abs(n - m) + 1
        crop.append(slice(start, start + size))
    return out[tuple(crop)].astype(out_dtype)


@dataclass(frozen=True)
class FFTCrossover:
    """Timings of the direct sum and the FFT, per kernel size, on one machine.

    Attributes
    ----------
    signal_length : int
    kernel_sizes : tuple of int
    direct_seconds : tuple of float
        Best time of `cnnbook.convolve1d` (the vectorised direct sum), per kernel size.
    numpy_seconds : tuple of float
        Best time of `numpy.convolve` (the direct sum in compiled C), per kernel size.
    fft_seconds : tuple of float
        Best time of `fftconvolve`, per kernel size.
    """

    signal_length: int
    kernel_sizes: tuple[int, ...]
    direct_seconds: tuple[float, ...]
    numpy_seconds: tuple[float, ...]
    fft_seconds: tuple[float, ...]

    def __post_init__(self) -> None:
        n = len(self.kernel_sizes)
        for name in ("direct_seconds", "numpy_seconds", "fft_seconds"):
            if len(getattr(self, name)) != n:
                raise ValueError(
                    f"{name} has {len(getattr(self, name))} times; expected one per kernel "
                    f"size ({n})"
                )

    @staticmethod
    def _first_win(
        sizes: Sequence[int], slow: Sequence[float], fast: Sequence[float]
    ) -> int | None:
        # The first size from which the FFT stays faster for every larger size measured.
        wins = [f < s for s, f in zip(slow, fast, strict=True)]
        for i in range(len(sizes)):
            if all(wins[i:]):
                return int(sizes[i])
        return None

    @property
    def crossover(self) -> int | None:
        """Smallest kernel size from which the FFT beats `convolve1d` (None: never measured)."""
        return self._first_win(self.kernel_sizes, self.direct_seconds, self.fft_seconds)

    @property
    def numpy_crossover(self) -> int | None:
        """Smallest kernel size from which the FFT beats `numpy.convolve`."""
        return self._first_win(self.kernel_sizes, self.numpy_seconds, self.fft_seconds)


def _best_time(call: Any, repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        call()
        best = min(best, time.perf_counter() - t0)
    return best


def fft_crossover(
    signal_length: int = 4096,
    kernel_sizes: Iterable[int] = (1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024),
    *,
    repeats: int = 5,
    seed: int = 0,
) -> FFTCrossover:
    """Time the direct sum and the FFT convolution of a random signal, per kernel size.

    Parameters
    ----------
    signal_length : int, default 4096
        $N$, the length of the signal.
    kernel_sizes : iterable of int, default powers of two from 1 to 1024
        Kernel lengths $M$ to time, increasing, each at most `signal_length`.
    repeats : int, default 5
        Each time is the best of this many runs (the least disturbed by other work).
    seed : int, default 0
        Seed of the random signal and kernels.

    Returns
    -------
    FFTCrossover
        The times, and the crossover sizes. Times depend on the machine and on what
        else runs on it: report them as measured there, never as constants.

    Raises
    ------
    ValueError, TypeError
        A non-positive or non-int length, repeat count or kernel size; kernel sizes
        not increasing or longer than the signal.

    Examples
    --------
    >>> timing = fft_crossover(256, (1, 4, 16), repeats=1)
    >>> timing.kernel_sizes, len(timing.fft_seconds)
    ((1, 4, 16), 3)
    """
    n = positive_int("signal_length", signal_length)
    repeats = positive_int("repeats", repeats)
    sizes = tuple(positive_int("kernel_sizes[]", k) for k in kernel_sizes)
    if not sizes:
        raise ValueError("kernel_sizes is empty; expected at least one kernel size")
    if any(b <= a for a, b in itertools.pairwise(sizes)) or sizes[-1] > n:
        raise ValueError(
            f"kernel_sizes (={sizes!r}) must be increasing and at most signal_length (={n})"
        )
    check_bytes("signal_length", (n,), 8)
    rng = np.random.default_rng(seed)
    signal = rng.standard_normal(n)
    direct, numpy_, fft = [], [], []
    for m in sizes:
        kernel = rng.standard_normal(m)
        direct.append(_best_time(lambda k=kernel: convolve1d(signal, k, "same"), repeats))
        numpy_.append(_best_time(lambda k=kernel: np.convolve(signal, k, "same"), repeats))
        fft.append(_best_time(lambda k=kernel: fftconvolve(signal, k, "same"), repeats))
    return FFTCrossover(n, sizes, tuple(direct), tuple(numpy_), tuple(fft))
