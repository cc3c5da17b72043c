"""`cat` and `split`: joining feature maps along an axis, and the gradient's way back.

A U-Net concatenates an encoder's map with the decoder's along the channel axis
(``cat([up, skip], dim=1)``); the backward of that concatenation hands each
input the slice of the gradient that came from it: ``split(grad, [c1, c2], dim=1)``.
The names and arguments are torch's (``torch.cat``, ``torch.split``).
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from typing import Any

import numpy as np

__all__ = ["cat", "split"]


def _axis(name: str, dim: Any, ndim: int) -> int:
    if not isinstance(dim, numbers.Integral) or isinstance(dim, bool):
        raise TypeError(f"{name} (={dim!r}) must be an int (an axis)")
    d = int(dim)
    if not -ndim <= d < ndim:
        raise ValueError(f"{name} (={dim!r}) is not an axis of a {ndim}-D array")
    return d % ndim


def cat(tensors: Sequence[Any], dim: int = 0) -> np.ndarray:
    """Concatenate arrays along `dim`; all other axes must be equal (``torch.cat``).

    Parameters
    ----------
    tensors : sequence of ndarray
        At least one array, all of one ndim and dtype kind.
    dim : int, default 0
        The axis to join along (1 for the channels of ``(N, C, H, W)`` maps).

    Returns
    -------
    ndarray
        The joined array; its backward is `split` with the inputs' sizes along `dim`.

    Examples
    --------
    >>> a, b = np.zeros((1, 2, 3, 3)), np.ones((1, 1, 3, 3))
    >>> y = cat([a, b], dim=1)
    >>> y.shape
    (1, 3, 3, 3)
    >>> [g.shape for g in split(np.ones_like(y), [2, 1], dim=1)]
    [(1, 2, 3, 3), (1, 1, 3, 3)]
    """
    if isinstance(tensors, np.ndarray) or not isinstance(tensors, Sequence) or not tensors:
        raise TypeError(
            f"tensors must be a non-empty list or tuple of arrays; got {type(tensors).__name__}"
        )
    arrays = [np.asarray(t) for t in tensors]
    for i, a in enumerate(arrays):
        if a.dtype.kind not in "biuf" or a.ndim == 0:
            raise TypeError(
                f"tensors[{i}] has dtype {a.dtype} and shape {a.shape}; expected a real "
                "array with at least one axis"
            )
    axis = _axis("dim", dim, arrays[0].ndim)
    first = arrays[0].shape
    for i, a in enumerate(arrays[1:], start=1):
        if a.ndim != len(first) or any(
            s != f for k, (s, f) in enumerate(zip(a.shape, first, strict=True)) if k != axis
        ):
            raise ValueError(
                f"tensors[{i}] has shape {a.shape}; tensors[0] has {first}: every axis "
                f"but dim={dim} must be equal"
            )
    return np.concatenate(arrays, axis=axis)


def split(
    tensor: Any, split_size_or_sections: int | Sequence[int], dim: int = 0
) -> list[np.ndarray]:
    """Cut `tensor` along `dim` into chunks (``torch.split``): the backward of `cat`.

    Parameters
    ----------
    tensor : ndarray
    split_size_or_sections : int or sequence of int
        An int: chunks of that size (the last may be smaller). A sequence: the
        size of each chunk, which must add up to ``tensor.shape[dim]``.
    dim : int, default 0

    Returns
    -------
    list of ndarray
        Views of `tensor` (no copy).

    Examples
    --------
    >>> [c.tolist() for c in split(np.arange(5), 2)]
    [[0, 1], [2, 3], [4]]
    >>> [c.tolist() for c in split(np.arange(5), [1, 4])]
    [[0], [1, 2, 3, 4]]
    """
    arr = np.asarray(tensor)
    if arr.dtype.kind not in "biuf" or arr.ndim == 0:
        raise TypeError(
            f"tensor has dtype {arr.dtype} and shape {arr.shape}; expected a real array "
            "with at least one axis"
        )
    axis = _axis("dim", dim, arr.ndim)
    length = arr.shape[axis]
    s = split_size_or_sections
    if isinstance(s, numbers.Integral) and not isinstance(s, bool):
        if s < 1:
            raise ValueError(f"split_size_or_sections (={s!r}) must be positive (>= 1)")
        sizes = [min(int(s), length - start) for start in range(0, length, int(s))]
    elif isinstance(s, Sequence) and all(
        isinstance(v, numbers.Integral) and not isinstance(v, bool) and v >= 0 for v in s
    ):
        sizes = [int(v) for v in s]
        if sum(sizes) != length:
            raise ValueError(
                f"split_size_or_sections (={list(s)!r}) adds up to {sum(sizes)}; "
                f"tensor has {length} along dim={dim}"
            )
    else:
        raise TypeError(
            f"split_size_or_sections (={s!r}) must be a positive int or a list of non-negative ints"
        )
    return np.split(arr, np.cumsum(sizes)[:-1], axis=axis)
