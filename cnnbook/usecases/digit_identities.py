"""Digits as identities: the face-like training and test images of the verification page.

A face verifier learns "what makes two faces different" from thousands of people, whose
face crops are never aligned to the pixel. The Facial Recognition page imitates both with
scikit-learn's 8 x 8 digits: every training class is turned by the 8 symmetries of the
square into 8 identities (`dihedral_views`), and every image is pasted on a `CANVAS` x
`CANVAS` canvas at the centre moved by up to `JITTER` pixels each way (`jitter_on_canvas`).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from cnnbook._validation import as_numeric_array
from cnnbook.usecases.canvas import place_on_canvas

__all__ = ["CANVAS", "JITTER", "dihedral_views", "jitter_on_canvas"]

#: Side of the canvas the 8 x 8 digits are pasted on, and the largest move from its centre.
CANVAS, JITTER = 12, 1


def dihedral_views(images: Any, labels: Any) -> tuple[np.ndarray, np.ndarray]:
    """Return the 8 symmetries of the square of every image, each one a new identity.

    Parameters
    ----------
    images : array_like of shape (N, C, H, H)
    labels : array_like of int, shape (N,)

    Returns
    -------
    views : ndarray of shape (8 N, C, H, H)
        Rotations by 0, 90, 180, 270 degrees, then the same of the mirror image.
    identities : ndarray of shape (8 N,), int
        ``8 * label + k`` for the k-th symmetry.

    Examples
    --------
    >>> views, ids = dihedral_views(np.arange(4.0).reshape(1, 1, 2, 2), [3])
    >>> views[1, 0].tolist(), ids.tolist()
    ([[1.0, 3.0], [0.0, 2.0]], [24, 25, 26, 27, 28, 29, 30, 31])
    """
    x = as_numeric_array("images", images)
    if x.ndim != 4 or x.shape[2] != x.shape[3]:
        raise ValueError(f"images has shape {x.shape}; expected (N, C, H, H), square images")
    y = as_numeric_array("labels", labels, ndim=1)
    if y.dtype.kind not in "iu" or len(y) != len(x):
        raise ValueError(
            f"labels must be {len(x)} integers, one per image; got {y.dtype} {y.shape}"
        )
    views = []
    for k in range(8):
        v = np.rot90(x, k % 4, axes=(2, 3))
        views.append(v[..., ::-1] if k >= 4 else v)
    return np.concatenate(views), np.concatenate([8 * y.astype(np.int64) + k for k in range(8)])


def jitter_on_canvas(
    images: Any, rng: np.random.Generator, jitter: int = JITTER, canvas: int = CANVAS
) -> np.ndarray:
    """Paste each image on a zero canvas at the centre moved by up to `jitter` pixels each way.

    The moves are uniform integers in ``[-jitter, jitter]`` along each axis; the whole image
    stays on the canvas (no ink is lost), as
    [`place_on_canvas`][cnnbook.usecases.canvas.place_on_canvas].

    Examples
    --------
    >>> jitter_on_canvas(np.ones((1, 1, 2, 2)), np.random.default_rng(0), 0, 4)[0, 0]
    array([[0., 0., 0., 0.],
           [0., 1., 1., 0.],
           [0., 1., 1., 0.],
           [0., 0., 0., 0.]])
    """
    x = as_numeric_array("images", images)
    if x.ndim != 4:
        raise ValueError(f"images has shape {x.shape}; expected (N, C, H, W)")
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng (={rng!r}) must be a numpy.random.Generator")
    if not isinstance(jitter, int | np.integer) or jitter < 0:
        raise ValueError(f"jitter (={jitter!r}) must be a non-negative integer")
    centre = (canvas - x.shape[2]) // 2
    if centre - jitter < 0 or centre + jitter + max(x.shape[2:]) > canvas:
        raise ValueError(
            f"jitter (={jitter}) moves a {x.shape[2]}x{x.shape[3]} image off the "
            f"{canvas}x{canvas} canvas"
        )
    moves = rng.integers(-jitter, jitter + 1, size=(len(x), 2))
    return place_on_canvas(x, canvas, centre + moves)
