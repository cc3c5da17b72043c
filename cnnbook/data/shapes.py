"""A synthetic data set: bars, crosses and hollow squares at random positions."""

from __future__ import annotations

import numpy as np

from cnnbook._rng import generator
from cnnbook._validation import boolean, check_bytes, positive_int

__all__ = ["SHAPE_CLASSES", "make_shapes"]

#: Class names of [`make_shapes`][cnnbook.data.make_shapes], indexed by label.
SHAPE_CLASSES = ("bar", "cross", "square")


def make_shapes(
    n: int,
    size: int = 16,
    rng: np.random.Generator | int | None = None,
    shape_size: int = 5,
    return_positions: bool = False,
) -> tuple[np.ndarray, ...]:
    """Draw a synthetic set of bars, crosses and hollow squares at random positions.

    Each image is black with one white ``shape_size × shape_size`` figure whose
    top-left corner is uniform over the image; classes are balanced at random.

    Parameters
    ----------
    n : int
        Number of images.
    size : int, default 16
        Image height and width.
    rng : numpy.random.Generator or int, optional
    shape_size : int, default 5
        Side of each figure (odd, so the bar and cross have a centre line).
    return_positions : bool, default False
        Also return the ``(row, col)`` of each figure's top-left corner.

    Returns
    -------
    x : ndarray of shape (n, 1, size, size), values 0 or 1
    y : ndarray of shape (n,), int64 index into ``SHAPE_CLASSES``
    positions : ndarray of shape (n, 2), only if `return_positions`

    Examples
    --------
    >>> x, y = make_shapes(3, size=5, rng=0)
    >>> sorted(zip([SHAPE_CLASSES[k] for k in y], x[:, 0].sum(axis=(1, 2)).tolist()))
    [('bar', 5.0), ('cross', 9.0), ('square', 16.0)]
    """
    n = _int_at_least("n", n, 1, "a positive int")
    shape_size = _int_at_least("shape_size", shape_size, 3, "an odd int >= 3")
    if shape_size % 2 == 0:
        raise ValueError(f"shape_size (={shape_size!r}) must be an odd int >= 3")
    size = _int_at_least("size", size, shape_size, f"an int >= shape_size (={shape_size})")
    return_positions = boolean("return_positions", return_positions)
    check_bytes("the images", (n, 1, size, size), 8)
    rng = generator("rng", rng)
    s, mid = shape_size, shape_size // 2
    templates = np.zeros((len(SHAPE_CLASSES), s, s))
    templates[0, mid, :] = 1.0
    templates[1, mid, :] = templates[1, :, mid] = 1.0
    templates[2, [0, -1], :] = templates[2, :, [0, -1]] = 1.0
    y = rng.permutation(np.arange(n) % len(SHAPE_CLASSES)).astype(np.int64)
    positions = rng.integers(0, size - s + 1, size=(n, 2))
    rows = positions[:, 0, None, None] + np.arange(s)[None, :, None]
    cols = positions[:, 1, None, None] + np.arange(s)[None, None, :]
    x = np.zeros((n, 1, size, size))
    x[np.arange(n)[:, None, None], 0, rows, cols] = templates[y]
    return (x, y, positions) if return_positions else (x, y)


def _int_at_least(name: str, value: object, minimum: int, rule: str) -> int:
    try:
        v = positive_int(name, value)
    except TypeError:
        raise TypeError(f"{name} (={value!r}) must be {rule}") from None
    except ValueError:
        v = minimum - 1
    if v < minimum:
        raise ValueError(f"{name} (={value!r}) must be {rule}")
    return v
