r"""Cross-correlation and convolution of two 1-D sequences: signals, distributions, polynomials.

Convolution is older than images. A moving average convolves a signal with a
box; the distribution of the sum of two independent dice is the convolution
of their distributions; multiplying two polynomials convolves their
coefficient lists. All three are one sum,

$$(a * v)_n = \sum_m a_m\, v_{n-m},$$

and these functions compute it — and its unflipped twin, the cross-correlation
$\sum_m a_{n+m} v_m$ — in the three modes of `numpy.convolve` /
`numpy.correlate` and `scipy.signal.convolve` / `scipy.signal.correlate`:

- ``"full"``: every shift where the two overlap, length $N + M - 1$;
- ``"same"``: the centre of the full output, length $N$ (the first argument's);
- ``"valid"``: only shifts where one lies entirely inside the other,
  length $|N - M| + 1$.

Every mode is a crop of the full output, as in SciPy. The sum is vectorised
over a strided view of the padded signal (`numpy.lib.stride_tricks.sliding_window_view`):
one matrix-vector product, or — when the windows would be large — one
multiply-add of the whole output per kernel tap. The cost is $O(NM)$; for long
kernels `cnnbook.fftconvolve` is $O((N + M) \log (N + M))$.
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from numpy.typing import ArrayLike

from cnnbook._validation import as_numeric_array, check_bytes

__all__ = ["convolve1d", "correlate1d"]

Mode = Literal["valid", "same", "full"]
MODES = ("valid", "same", "full")
# Above this many bytes of windows, loop over the kernel taps instead of multiplying the
# (copied) window matrix: same result, no copy of N*M values.
_WINDOW_BYTES = 16 << 20


def _prepare(a: Any, v: Any, mode: Any) -> tuple[np.ndarray, np.ndarray]:
    """Validate the arguments; return both arrays in the dtype to compute in."""
    if not isinstance(mode, str) or mode not in MODES:
        raise ValueError(f"mode (={mode!r}) must be one of 'valid', 'same', 'full'")
    x = as_numeric_array("a", a, ndim=1)
    k = as_numeric_array("v", v, ndim=1)
    dtype = np.result_type(x, k)
    if dtype.kind in "biu":
        # Integers (and bools) are summed in 64 bits: no silent wrap-around.
        dtype = np.dtype(np.uint64 if dtype == np.uint64 else np.int64)
    return x.astype(dtype, copy=False), k.astype(dtype, copy=False)


def crop_start(n: int, m: int, mode: str) -> tuple[int, int]:
    """Start and length of the `mode` output inside the full one (length ``n + m - 1``).

    SciPy's rule: ``"same"`` keeps the centre ``n`` values (the extra one of an even
    kernel on the right), ``"valid"`` the ``|n - m| + 1`` where one fits inside the other.

    Examples
    --------
    >>> [crop_start(5, 2, mode) for mode in ("full", "same", "valid")]
    [(0, 6), (0, 5), (1, 4)]
    """
    if mode == "full":
        return 0, n + m - 1
    if mode == "same":
        return (m - 1) // 2, n
    return min(n, m) - 1, abs(n - m) + 1


def _correlate(x: np.ndarray, k: np.ndarray, mode: str) -> np.ndarray:
    """Cross-correlate `x` with `k` and crop like SciPy's `mode`."""
    n, m = len(x), len(k)
    start, length = crop_start(n, m, mode)
    check_bytes("the output", (length,), x.itemsize)
    # Full output f reads x[f - (m - 1) + j]: pad m - 1 zeros on the left, less the crop.
    left = m - 1 - start
    right = length + m - 1 - n - left
    xp = np.concatenate([np.zeros(left, x.dtype), x, np.zeros(max(right, 0), x.dtype)])
    if length * m * x.itemsize <= _WINDOW_BYTES:
        windows = sliding_window_view(xp, m)[:length]  # (length, m), a view
        return windows @ k
    out = np.zeros(length, dtype=x.dtype)
    for j in range(m):  # m vectorised multiply-adds over the whole output
        out += k[j] * xp[j : j + length]
    return out


def correlate1d(a: ArrayLike, v: ArrayLike, mode: Mode = "valid") -> np.ndarray:
    r"""Cross-correlate two 1-D sequences: `numpy.correlate` / `scipy.signal.correlate`.

    Parameters
    ----------
    a : array_like of shape (N,)
        Real numbers (bool, int or float): the signal.
    v : array_like of shape (M,)
        Real numbers: the kernel (template). It may be longer than `a`.
    mode : {"valid", "same", "full"}, default "valid"
        Output length $|N - M| + 1$, $N$ or $N + M - 1$ (NumPy's default is ``"valid"``).

    Returns
    -------
    ndarray of shape (L,)
        Floats keep NumPy's promoted dtype; integers and bools give int64 (uint64 for uint64).

    Raises
    ------
    TypeError
        If `a` or `v` is not a real numeric array.
    ValueError
        If either is not 1-D or is empty, or `mode` is unknown.

    Notes
    -----
    The full output is $c_f = \sum_{j=0}^{M-1} a_{f - (M-1) + j}\, v_j$ for
    $f = 0, \dots, N + M - 2$ ($a$ zero outside $0..N-1$); each mode is a crop
    of it (see `crop_start`). Equal to `scipy.signal.correlate` in every mode, and
    to `numpy.correlate` except in ``"same"`` mode with `v` longer than `a`,
    where NumPy returns $M$ values and SciPy (and this function) $N$.

    Examples
    --------
    >>> correlate1d([1, 2, 3, 4, 5], [1, 10])  # a[n] + 10 a[n + 1]
    array([21, 32, 43, 54])
    >>> correlate1d([1, 2, 3, 4, 5], [1, 10], "full")
    array([10, 21, 32, 43, 54,  5])
    """
    x, k = _prepare(a, v, mode)
    return _correlate(x, k, mode)


def convolve1d(a: ArrayLike, v: ArrayLike, mode: Mode = "full") -> np.ndarray:
    r"""Convolve two 1-D sequences: `numpy.convolve` / `scipy.signal.convolve`.

    Parameters
    ----------
    a : array_like of shape (N,)
        Real numbers (bool, int or float).
    v : array_like of shape (M,)
        Real numbers. It may be longer than `a` (convolution is commutative in
        ``"full"`` and ``"valid"`` mode).
    mode : {"full", "same", "valid"}, default "full"
        Output length $N + M - 1$, $N$ or $|N - M| + 1$ (NumPy's default is ``"full"``).

    Returns
    -------
    ndarray of shape (L,)
        The dtype rules of `correlate1d`.

    Raises
    ------
    TypeError
        If `a` or `v` is not a real numeric array.
    ValueError
        If either is not 1-D or is empty, or `mode` is unknown.

    Notes
    -----
    $(a * v)_f = \sum_{m} a_m\, v_{f - m}$, which is the correlation with `v`
    reversed, cropped by the same rule. Equal to `scipy.signal.convolve` in every
    mode and to `numpy.convolve` except in ``"same"`` mode with `v` longer than `a`.
    Multiplying polynomials multiplies their coefficient lists this way
    (`numpy.polymul`); adding independent random integers convolves their distributions.

    Examples
    --------
    >>> convolve1d([1, 2, 3], [1, 1])  # (1 + 2x + 3x^2)(1 + x)
    array([1, 3, 5, 3])
    >>> die = np.full(6, 1 / 6)
    >>> np.round(convolve1d(die, die) * 36).astype(int)  # ways to throw 2..12 with two dice
    array([1, 2, 3, 4, 5, 6, 5, 4, 3, 2, 1])
    """
    x, k = _prepare(a, v, mode)
    return _correlate(x, k[::-1], mode)
