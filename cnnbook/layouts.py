r"""Array layouts between frameworks: channels-last and channels-first, and the flipped kernel.

cnnbook stores a batch NCHW and a weight ``(out, in/groups, kh, kw)``, as PyTorch does,
and its convolution layers correlate. TensorFlow and Keras store channels last (NHWC) and
filters ``(kh, kw, in, out)``; signal processing convolves, with the kernel rotated by
180°. Each function here moves an array from one of those conventions to cnnbook's (or
back), as a C-contiguous copy; the *Conventions* page lists which source uses which.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from cnnbook._validation import as_numeric_array

__all__ = ["flip_kernel", "hwio_to_oihw", "nchw_to_nhwc", "nhwc_to_nchw", "oihw_to_hwio"]


def _transpose(name: str, x: ArrayLike, axes: tuple[int, int, int, int]) -> np.ndarray:
    arr = as_numeric_array(name, x, ndim=4)
    return np.ascontiguousarray(arr.transpose(axes))


def nhwc_to_nchw(x: ArrayLike) -> np.ndarray:
    """Convert a channels-last batch (TensorFlow/Keras default) to cnnbook's NCHW.

    Parameters
    ----------
    x : array_like of shape (N, H, W, C)

    Returns
    -------
    ndarray of shape (N, C, H, W)
        A C-contiguous copy: ``out[n, c, h, w] == x[n, h, w, c]``.

    Raises
    ------
    TypeError, ValueError
        If `x` is not a non-empty real numeric 4-D array.

    Examples
    --------
    >>> nhwc_to_nchw(np.zeros((2, 5, 6, 3))).shape
    (2, 3, 5, 6)
    """
    return _transpose("x", x, (0, 3, 1, 2))


def nchw_to_nhwc(x: ArrayLike) -> np.ndarray:
    """Convert cnnbook's NCHW batch to channels-last NHWC (inverse of `nhwc_to_nchw`).

    Parameters
    ----------
    x : array_like of shape (N, C, H, W)

    Returns
    -------
    ndarray of shape (N, H, W, C)

    Raises
    ------
    TypeError, ValueError
        If `x` is not a non-empty real numeric 4-D array.

    Examples
    --------
    >>> nchw_to_nhwc(np.zeros((2, 3, 5, 6))).shape
    (2, 5, 6, 3)
    """
    return _transpose("x", x, (0, 2, 3, 1))


def hwio_to_oihw(weight: ArrayLike) -> np.ndarray:
    """Convert a TensorFlow/Keras filter ``(kh, kw, in, out)`` to cnnbook's ``(out, in, kh, kw)``.

    Parameters
    ----------
    weight : array_like of shape (kh, kw, in_channels / groups, out_channels)

    Returns
    -------
    ndarray of shape (out_channels, in_channels / groups, kh, kw)
        ``out[o, c, a, b] == weight[a, b, c, o]``, ready for `cnnbook.conv2d`.

    Raises
    ------
    TypeError, ValueError
        If `weight` is not a non-empty real numeric 4-D array.

    Examples
    --------
    >>> hwio_to_oihw(np.zeros((3, 5, 2, 8))).shape
    (8, 2, 3, 5)
    """
    return _transpose("weight", weight, (3, 2, 0, 1))


def oihw_to_hwio(weight: ArrayLike) -> np.ndarray:
    """Convert cnnbook's weight ``(out, in, kh, kw)`` to TensorFlow's ``(kh, kw, in, out)``.

    Parameters
    ----------
    weight : array_like of shape (out_channels, in_channels / groups, kh, kw)

    Returns
    -------
    ndarray of shape (kh, kw, in_channels / groups, out_channels)

    Raises
    ------
    TypeError, ValueError
        If `weight` is not a non-empty real numeric 4-D array.

    Examples
    --------
    >>> oihw_to_hwio(np.zeros((8, 2, 3, 5))).shape
    (3, 5, 2, 8)
    """
    return _transpose("weight", weight, (2, 3, 1, 0))


def flip_kernel(weight: ArrayLike) -> np.ndarray:
    r"""Rotate kernels by 180°: turn a true-convolution kernel into a correlation weight.

    Parameters
    ----------
    weight : array_like of shape (..., kh, kw)
        One kernel, or a stack such as a ``(out, in, kh, kw)`` weight.

    Returns
    -------
    ndarray of the same shape
        ``weight[..., ::-1, ::-1]`` as a C-contiguous copy. `cnnbook.conv2d` (like
        PyTorch) correlates; with the flipped weight it computes the convolution of
        signal processing (`scipy.signal.convolve2d`, `cnnbook.convolve2d`).

    Raises
    ------
    TypeError, ValueError
        If `weight` is not a non-empty real numeric array with at least 2 axes.

    Notes
    -----
    $(x * k)_{ij} = \sum_{a,b} x_{i-a,\,j-b}\, k_{ab} = (x \star \tilde k)_{ij}$ with
    $\tilde k_{ab} = k_{-a,-b}$; flipping twice gives the kernel back.

    Examples
    --------
    >>> flip_kernel([[1, 2], [3, 4]])
    array([[4, 3],
           [2, 1]])
    """
    arr = as_numeric_array("weight", weight)
    if arr.ndim < 2:
        raise ValueError(f"weight has {arr.ndim} axes; expected at least 2 (..., kh, kw)")
    return np.ascontiguousarray(arr[..., ::-1, ::-1])
