"""Images to convolve: a real photograph and tiny synthetic test patterns.

The photograph is the portrait of Grace Hopper that ships with matplotlib's
sample data, so every figure and test can run on a real image without a
download. matplotlib is imported inside `photograph` only: the core of
cnnbook is NumPy-only, and matplotlib (a runtime dependency anyway) is needed
just to locate and decode the JPEG.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from cnnbook._validation import check_bytes, positive_int, positive_pair

__all__ = ["LUMA_WEIGHTS", "checkerboard", "photograph", "square"]

#: ITU-R BT.601 luma weights for (R, G, B), as used by JPEG and Pillow's "L" mode.
LUMA_WEIGHTS = (0.299, 0.587, 0.114)


@lru_cache(maxsize=1)
def _photograph() -> np.ndarray:
    import matplotlib.cbook
    import matplotlib.image

    path = matplotlib.cbook.get_sample_data("grace_hopper.jpg", asfileobj=False)
    rgb = matplotlib.image.imread(str(path))
    gray = rgb[..., :3].astype(np.float64) @ np.asarray(LUMA_WEIGHTS) / 255.0
    gray.setflags(write=False)
    return gray


def photograph() -> np.ndarray:
    r"""Return a real grayscale photograph: Grace Hopper, from matplotlib's sample data.

    Returns
    -------
    ndarray of shape (600, 512), float64
        Luminance in $[0, 1]$, row 0 at the top. A fresh, writable copy on every call.

    Notes
    -----
    The 8-bit RGB pixels are converted with the BT.601 luma weights
    $Y = 0.299 R + 0.587 G + 0.114 B$ and divided by 255.

    Examples
    --------
    >>> img = photograph()
    >>> img.shape, img.dtype, bool(0.0 <= img.min() < img.max() <= 1.0)
    ((600, 512), dtype('float64'), True)
    """
    return _photograph().copy()


def checkerboard(shape: int | tuple[int, int] = 8, cell: int = 1) -> np.ndarray:
    """Return a checkerboard of 0s and 1s, starting with 0 at the top-left.

    Parameters
    ----------
    shape : int or pair of int, default 8
        ``(H, W)`` of the image; an int means square.
    cell : int, default 1
        Side of each square, in pixels.

    Returns
    -------
    ndarray of shape (H, W), float64

    Raises
    ------
    TypeError
        If `shape` is not an int or a pair of ints, or `cell` not an int.
    ValueError
        If `shape` or `cell` is not positive, or the image would exceed 4 GiB.

    Examples
    --------
    >>> checkerboard((3, 4))
    array([[0., 1., 0., 1.],
           [1., 0., 1., 0.],
           [0., 1., 0., 1.]])
    """
    h, w = positive_pair("shape", shape)
    c = positive_int("cell", cell)
    check_bytes("shape", (h, w), 8)
    i, j = np.indices((h, w))
    return ((i // c + j // c) % 2).astype(np.float64)


def square(size: int = 8, side: int | None = None) -> np.ndarray:
    """Return a bright square of ones centred on a ``size x size`` background of zeros.

    Parameters
    ----------
    size : int, default 8
        Side of the image.
    side : int, optional
        Side of the square, at most `size`; default ``size // 2``.

    Returns
    -------
    ndarray of shape (size, size), float64

    Raises
    ------
    TypeError
        If `size` or `side` is not an int.
    ValueError
        If `size` or `side` is not positive, `side` exceeds `size`, or the image
        would exceed 4 GiB.

    Examples
    --------
    >>> square(5, 3)
    array([[0., 0., 0., 0., 0.],
           [0., 1., 1., 1., 0.],
           [0., 1., 1., 1., 0.],
           [0., 1., 1., 1., 0.],
           [0., 0., 0., 0., 0.]])
    """
    n = positive_int("size", size)
    s = n // 2 if side is None else positive_int("side", side)
    check_bytes("size", (n, n), 8)
    if s > n:
        raise ValueError(f"side (={s}) must be at most size (={n})")
    out = np.zeros((n, n))
    start = (n - s) // 2
    out[start : start + s, start : start + s] = 1.0
    return out
