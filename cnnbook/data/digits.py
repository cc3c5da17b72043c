r"""The 1,797 handwritten 8×8 digits bundled with scikit-learn, as NCHW float images."""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from cnnbook.data.transforms import resize

__all__ = ["float_dtype", "load_digits"]


def float_dtype(dtype: Any) -> np.dtype:
    """Return `dtype` as a floating NumPy dtype; integer or bool pixels would truncate [0, 1].

    Examples
    --------
    >>> float_dtype("float32")
    dtype('float32')
    >>> float_dtype(np.uint8)
    Traceback (most recent call last):
    ...
    TypeError: dtype (=<class 'numpy.uint8'>) must be floating: pixels in [0, 1] would be truncated
    """
    try:
        dt = np.dtype(dtype)
    except TypeError as err:
        raise TypeError(f"dtype (={dtype!r}) is not a NumPy dtype") from err
    if dt.kind != "f":
        raise TypeError(f"dtype (={dtype!r}) must be floating: pixels in [0, 1] would be truncated")
    return dt


def load_digits(
    size: int | None = None, dtype: type | np.dtype = np.float64
) -> tuple[np.ndarray, np.ndarray]:
    r"""Load the 1,797 handwritten digits bundled with scikit-learn (8×8, 16 grey levels).

    Parameters
    ----------
    size : int, optional
        Resize the images to ``size × size`` with [`resize`][cnnbook.data.resize]
        (e.g. 28, MNIST's size). Default: keep 8×8.
    dtype : float dtype, default float64

    Returns
    -------
    x : ndarray of shape (1797, 1, H, W)
        Pixel values $v / 16 \in [0, 1]$.
    y : ndarray of shape (1797,), int64
        Digits 0–9, about 180 of each.

    Raises
    ------
    TypeError
        If `dtype` is not a floating dtype (integer pixels would truncate to 0 or 1).
    ImportError
        If scikit-learn is not installed (it is in the ``train`` extra).

    Examples
    --------
    >>> x, y = load_digits()
    >>> x.shape, float(x.min()), float(x.max()), np.bincount(y)[:3]
    ((1797, 1, 8, 8), 0.0, 1.0, array([178, 182, 177]))
    """
    dt = float_dtype(dtype)
    if size is not None and (
        not isinstance(size, numbers.Integral) or isinstance(size, bool) or size < 1
    ):
        raise ValueError(f"size (={size!r}) must be a positive int or None")
    try:
        from sklearn.datasets import load_digits as _sk_load_digits
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError("load_digits needs scikit-learn: pip install 'cnnbook[train]'") from exc
    bunch = _sk_load_digits()
    x = (np.asarray(bunch.images, dtype=np.float64) / 16.0)[:, None]
    if size is not None:
        x = np.clip(resize(x, size), 0.0, 1.0)
    return x.astype(dt), np.asarray(bunch.target, dtype=np.int64)
