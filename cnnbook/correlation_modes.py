"""SciPy's three modes of a 2-D correlation: the checks, the output's shape and its crop.

``"valid"``, ``"same"`` and ``"full"`` differ only in how much zero padding surrounds the
image; each is a window onto the full output (see the Full, Same and Valid Convolution
page). The vectorised functions of `cnnbook.correlation` and their naive twins share these
rules, so the two cannot disagree on a shape or an offset.
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np

from cnnbook._validation import as_numeric_array

__all__ = ["MODES", "Mode", "check_operands", "full_offset", "output_shape"]

Mode = Literal["valid", "same", "full"]
MODES = ("valid", "same", "full")


def check_operands(image: Any, kernel: Any, mode: Any) -> tuple[np.ndarray, np.ndarray, np.dtype]:
    """Validate image, kernel and mode; return both arrays and the dtype to compute in.

    Integers are computed in 64 bits (no silent wrap-around; SciPy keeps e.g. uint8).

    Examples
    --------
    >>> x, k, dtype = check_operands(np.ones((3, 3), np.uint8), [[1, 2]], "valid")
    >>> x.dtype, dtype
    (dtype('int64'), dtype('int64'))
    """
    if not isinstance(mode, str) or mode not in MODES:
        raise ValueError(f"mode (={mode!r}) must be one of 'valid', 'same', 'full'")
    x = as_numeric_array("image", image, ndim=2)
    k = as_numeric_array("kernel", kernel, ndim=2)
    if mode == "valid" and (k.shape[0] > x.shape[0] or k.shape[1] > x.shape[1]):
        raise ValueError(
            f"kernel (shape {k.shape}) must fit inside image (shape {x.shape}) in valid mode; "
            "use mode='same' or 'full', or swap the arguments"
        )
    dtype = np.result_type(x, k)
    if dtype.kind in "biu":
        # Integers are summed in 64 bits: no silent wrap-around (SciPy keeps e.g. uint8).
        dtype = np.dtype(np.uint64 if dtype == np.uint64 else np.int64)
    return x.astype(dtype, copy=False), k.astype(dtype, copy=False), dtype


def full_offset(kernel_shape: tuple[int, ...], mode: str, flipped: bool) -> tuple[int, int]:
    """Where the `mode` output starts inside the full output (SciPy's crop), per axis.

    ``"same"`` is the centre of the full output; for an even kernel the centre is
    between two cells and SciPy rounds it differently for the two operations:
    down (``(k - 1) // 2``) for convolution, up (``k // 2``) for correlation.

    Examples
    --------
    >>> full_offset((2, 3), "same", flipped=False), full_offset((2, 3), "same", flipped=True)
    ((1, 1), (0, 1))
    """
    kh, kw = kernel_shape
    if mode == "full":
        return 0, 0
    if mode == "valid":
        return kh - 1, kw - 1
    if flipped:
        return (kh - 1) // 2, (kw - 1) // 2
    return kh // 2, kw // 2


def output_shape(
    image_shape: tuple[int, ...], kernel_shape: tuple[int, ...], mode: str
) -> tuple[int, int]:
    """Return the output shape of `mode`: valid shrinks by k - 1, full grows by it, same keeps.

    Examples
    --------
    >>> [output_shape((5, 6), (3, 2), mode) for mode in MODES]
    [(3, 5), (5, 6), (7, 7)]
    """
    (h, w), (kh, kw) = image_shape, kernel_shape
    if mode == "valid":
        return h - kh + 1, w - kw + 1
    if mode == "full":
        return h + kh - 1, w + kw - 1
    return h, w
