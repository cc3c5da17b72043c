"""Moving images without deleting them: a larger canvas, exact shifts, ink lost, permutations.

The 8×8 digits touch their border, so shifting one by a pixel with zeros entering at the
edge *deletes* part of the digit: a test of "what does a shift cost?" done that way
measures a shift and an erasure at once. These helpers separate the two: place the images
on a larger canvas first ([`place_on_canvas`][cnnbook.usecases.canvas.place_on_canvas]),
then shift them ([`shift_images`][cnnbook.usecases.canvas.shift_images]) and check with
[`ink_lost`][cnnbook.usecases.canvas.ink_lost] that nothing fell off.
[`permute_pixels`][cnnbook.usecases.canvas.permute_pixels] scrambles every image with one
fixed permutation: the same information, with every neighbourhood destroyed.

Examples
--------
>>> x = np.ones((1, 1, 2, 2))
>>> moved = shift_images(x, np.array([[0, 1]]))
>>> float(ink_lost(x, moved)[0])  # one column of two fell off the edge
0.5
>>> big = place_on_canvas(x, 4, np.array([[1, 1]]))
>>> float(ink_lost(big, shift_images(big, np.array([[0, 1]])))[0])
0.0
"""

from __future__ import annotations

from typing import Any

import numpy as np

from cnnbook._validation import as_numeric_array, positive_int

__all__ = ["ink_lost", "permute_pixels", "place_on_canvas", "random_positions", "shift_images"]


def _images(name: str, x: Any) -> np.ndarray:
    arr = as_numeric_array(name, x)
    if arr.ndim != 4:
        raise ValueError(f"{name} has shape {arr.shape}; expected (N, C, H, W)")
    return arr


def _integer_rows(name: str, value: Any, n: int) -> np.ndarray:
    arr = as_numeric_array(name, value)
    if arr.dtype.kind not in "iu":
        raise TypeError(f"{name} has dtype {arr.dtype}; expected integers")
    if arr.shape != (n, 2):
        raise ValueError(f"{name} has shape {arr.shape}; expected ({n}, 2), one (row, col) each")
    return arr.astype(np.intp)


def random_positions(
    n: int, image_size: int, canvas_size: int, rng: np.random.Generator
) -> np.ndarray:
    """Draw `n` top-left corners, uniform over every place an image fits on the canvas.

    Parameters
    ----------
    n : int
    image_size, canvas_size : int
        Side of the (square) image and of the canvas; ``image_size <= canvas_size``.
    rng : numpy.random.Generator

    Returns
    -------
    ndarray of shape (n, 2), int64: ``(row, col)`` in ``[0, canvas_size - image_size]``.

    Examples
    --------
    >>> random_positions(3, 8, 8, np.random.default_rng(0)).tolist()  # no room: all at 0
    [[0, 0], [0, 0], [0, 0]]
    """
    n = positive_int("n", n)
    image_size = positive_int("image_size", image_size)
    canvas_size = positive_int("canvas_size", canvas_size)
    if image_size > canvas_size:
        raise ValueError(f"image_size (={image_size}) must not exceed canvas_size (={canvas_size})")
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng (={rng!r}) must be a numpy.random.Generator")
    return rng.integers(0, canvas_size - image_size + 1, size=(n, 2))


def place_on_canvas(x: np.ndarray, canvas_size: int, positions: np.ndarray) -> np.ndarray:
    """Paste each image of `x` on a zero canvas of side `canvas_size`, at its own position.

    Parameters
    ----------
    x : ndarray of shape (N, C, H, W)
    canvas_size : int
        At least ``max(H, W)``.
    positions : ndarray of shape (N, 2), int
        Top-left ``(row, col)`` of each image; the whole image must fit.

    Returns
    -------
    ndarray of shape (N, C, canvas_size, canvas_size), the dtype of `x` (a new array; the
    ink of every image is kept exactly).

    Examples
    --------
    >>> place_on_canvas(np.ones((1, 1, 1, 1)), 3, np.array([[1, 2]]))[0, 0]
    array([[0., 0., 0.],
           [0., 0., 1.],
           [0., 0., 0.]])
    """
    x = _images("x", x)
    canvas_size = positive_int("canvas_size", canvas_size)
    n, c, h, w = x.shape
    if max(h, w) > canvas_size:
        raise ValueError(f"canvas_size (={canvas_size}) must be at least the image side {h}x{w}")
    pos = _integer_rows("positions", positions, n)
    if pos.min() < 0 or (pos[:, 0] + h).max() > canvas_size or (pos[:, 1] + w).max() > canvas_size:
        raise ValueError(
            f"positions must keep every {h}x{w} image inside the {canvas_size}x{canvas_size} "
            f"canvas (rows in [0, {canvas_size - h}], cols in [0, {canvas_size - w}])"
        )
    out = np.zeros((n, c, canvas_size, canvas_size), dtype=x.dtype)
    rows = (pos[:, 0][:, None] + np.arange(h))[:, :, None]
    cols = (pos[:, 1][:, None] + np.arange(w))[:, None, :]
    # Advanced indexing puts the (N, H, W) index axes first, channels last.
    out[np.arange(n)[:, None, None], :, rows, cols] = x.transpose(0, 2, 3, 1)
    return out


def shift_images(x: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """Shift each image by its own ``(dy, dx)``, zeros entering at the border.

    What moves past the edge is lost, as in [`random_shifts`][cnnbook.data.random_shifts]
    (this is its deterministic twin: the offsets are given, not drawn).

    Parameters
    ----------
    x : ndarray of shape (N, C, H, W)
    offsets : ndarray of shape (N, 2), int
        ``(dy, dx)``: positive moves down and right.

    Returns
    -------
    ndarray of the shape and dtype of `x` (a new array).

    Examples
    --------
    >>> shift_images(np.arange(3.0).reshape(1, 1, 1, 3), np.array([[0, 1]]))[0, 0]
    array([[0., 0., 1.]])
    """
    x = _images("x", x)
    n, _, h, w = x.shape
    off = _integer_rows("offsets", offsets, n)
    m = int(np.abs(off).max(initial=0))
    if m >= max(h, w) + 1:
        raise ValueError(f"offsets (largest {m}) move an image entirely off its {h}x{w} frame")
    padded = np.pad(x, ((0, 0), (0, 0), (m, m), (m, m)))
    rows = (m - off[:, 0][:, None] + np.arange(h))[:, :, None]
    cols = (m - off[:, 1][:, None] + np.arange(w))[:, None, :]
    return padded[np.arange(n)[:, None, None], :, rows, cols].transpose(0, 3, 1, 2).copy()


def ink_lost(original: np.ndarray, moved: np.ndarray) -> np.ndarray:
    r"""Fraction of each image's ink (sum of its non-negative pixels) that is missing after a move.

    Parameters
    ----------
    original, moved : ndarray of shape (N, C, H, W), non-negative
        Images and their shifted copies.

    Returns
    -------
    ndarray of shape (N,): $1 - \sum \text{moved} / \sum \text{original}$ (0 for an image
    with no ink).

    Examples
    --------
    >>> ink_lost(np.ones((1, 1, 2, 2)), np.zeros((1, 1, 2, 2)))
    array([1.])
    """
    a, b = _images("original", original), _images("moved", moved)
    if a.shape != b.shape:
        raise ValueError(f"moved has shape {b.shape}; expected the shape of original {a.shape}")
    if a.min() < 0 or b.min() < 0:
        raise ValueError("original and moved must be non-negative (ink is a sum of intensities)")
    before = a.reshape(len(a), -1).sum(axis=1, dtype=np.float64)
    after = b.reshape(len(b), -1).sum(axis=1, dtype=np.float64)
    safe = np.where(before > 0, before, 1.0)
    return np.where(before > 0, 1.0 - after / safe, 0.0)


def permute_pixels(x: np.ndarray, permutation: np.ndarray) -> np.ndarray:
    """Scramble the pixels of every image with the same `permutation` (of ``H * W`` places).

    ``out.reshape(N, C, -1)[..., j] == x.reshape(N, C, -1)[..., permutation[j]]``: the same
    values, each image scrambled the same way, so a network can still learn the task, but
    pixels that were neighbours no longer are.

    Parameters
    ----------
    x : ndarray of shape (N, C, H, W)
    permutation : ndarray of shape (H * W,), int
        A permutation of ``0 .. H*W - 1``.

    Returns
    -------
    ndarray of the shape and dtype of `x` (a new array).

    Examples
    --------
    >>> permute_pixels(np.arange(4.0).reshape(1, 1, 2, 2), np.array([3, 2, 1, 0]))[0, 0]
    array([[3., 2.],
           [1., 0.]])
    """
    x = _images("x", x)
    n, c, h, w = x.shape
    perm = as_numeric_array("permutation", permutation, ndim=1)
    if perm.dtype.kind not in "iu" or not np.array_equal(np.sort(perm), np.arange(h * w)):
        raise ValueError(
            f"permutation (shape {perm.shape}) must be a permutation of 0..{h * w - 1} "
            f"(one entry per pixel of a {h}x{w} image)"
        )
    return x.reshape(n, c, h * w)[:, :, perm].reshape(n, c, h, w)
