"""Same or different: distances of every pair of items, and the error of thresholding them.

Verification decides "same identity?" by thresholding the distance of two embeddings (or
of two images, for the baselines); the ROC curve sweeps that threshold and the equal error
rate is where false accepts equal false rejects (see the Facial Recognition page).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.metrics import roc_curve

from cnnbook._validation import as_numeric_array

__all__ = ["aligned_pixel_distances", "equal_error_rate", "pair_distances"]


def pair_distances(embeddings: Any, labels: Any) -> tuple[np.ndarray, np.ndarray]:
    """Euclidean distance and "same label?" of every unordered pair of rows.

    Parameters
    ----------
    embeddings : array_like of shape (N, ...)
        One vector (or image, flattened) per item.
    labels : array_like of int, shape (N,)

    Returns
    -------
    distance : ndarray of shape (N (N - 1) / 2,)
    same : ndarray of bool, same shape

    Examples
    --------
    >>> d, same = pair_distances([[0.0], [3.0], [4.0]], [1, 1, 2])
    >>> d.tolist(), same.tolist()
    ([3.0, 4.0, 1.0], [True, False, False])
    """
    e = as_numeric_array("embeddings", embeddings).astype(np.float64)
    e = e.reshape(len(e), -1)
    y = as_numeric_array("labels", labels, ndim=1)
    if len(y) != len(e):
        raise ValueError(f"labels has {len(y)} entries for {len(e)} embeddings")
    i, j = np.triu_indices(len(e), 1)
    # |a - b|^2 = |a|^2 + |b|^2 - 2 a.b: one GEMM instead of N^2 / 2 vector differences.
    sq = (e**2).sum(axis=1)
    gram = e @ e.T
    d2 = np.maximum(sq[i] + sq[j] - 2 * gram[i, j], 0.0)
    return np.sqrt(d2), y[i] == y[j]


def aligned_pixel_distances(images: Any, labels: Any, reach: int = 2) -> tuple[np.ndarray, ...]:
    """Pixel distance of every pair after the best of the shifts up to `reach` pixels each way.

    A hand-made invariance, the classical answer to images that are not aligned: image
    `j` is moved by every ``(dy, dx)`` in ``[-reach, reach]^2`` (on a border of `reach`
    zeros, so nothing falls off) and the smallest Euclidean distance to image `i` is kept.

    Returns
    -------
    distance, same : as [`pair_distances`][cnnbook.usecases.pair_distances.pair_distances]

    Examples
    --------
    >>> x = np.zeros((2, 1, 5, 5)); x[0, 0, 1, 1] = 1; x[1, 0, 2, 3] = 1
    >>> aligned_pixel_distances(x, [0, 0])[0].tolist()  # one moved copy of the other
    [0.0]
    """
    x = as_numeric_array("images", images).astype(np.float64)
    if x.ndim != 4:
        raise ValueError(f"images has shape {x.shape}; expected (N, C, H, W)")
    y = as_numeric_array("labels", labels, ndim=1)
    if len(y) != len(x):
        raise ValueError(f"labels has {len(y)} entries for {len(x)} images")
    if not isinstance(reach, int | np.integer) or reach < 0:
        raise ValueError(f"reach (={reach!r}) must be a non-negative integer")
    n = len(x)
    x = np.pad(x, ((0, 0), (0, 0), (reach, reach), (reach, reach)))
    flat = x.reshape(n, -1)
    sq = (flat**2).sum(axis=1)  # the border is wide enough: a move keeps each image's norm
    best = np.full((n, n), np.inf)
    for dy in range(-reach, reach + 1):
        for dx in range(-reach, reach + 1):
            moved = np.roll(x, (dy, dx), axis=(2, 3)).reshape(n, -1)
            best = np.minimum(best, sq[:, None] + sq[None, :] - 2 * flat @ moved.T)
    i, j = np.triu_indices(n, 1)  # moving j by +v or i by -v is the same comparison
    d2 = best[i, j]
    return np.sqrt(np.maximum(d2, 0.0)), y[i] == y[j]


def equal_error_rate(same: Any, distance: Any) -> float:
    """Return the error rate where false accepts equal false rejects (the ROC's EER).

    Computed on `sklearn.metrics.roc_curve` of the score ``-distance``: the mean of the
    false positive rate and the false negative rate where they are closest.

    Examples
    --------
    >>> equal_error_rate([True, True, False, False], [0.1, 0.2, 0.3, 0.4])
    0.0
    """
    y = as_numeric_array("same", same, ndim=1).astype(bool)
    d = as_numeric_array("distance", distance, ndim=1).astype(np.float64)
    if len(y) != len(d):
        raise ValueError(f"same has {len(y)} entries but distance has {len(d)}")
    if y.all() or not y.any():
        raise ValueError("same must hold both True and False pairs")
    fpr, tpr, _ = roc_curve(y, -d, drop_intermediate=False)  # every threshold, none skipped
    fnr = 1 - tpr
    k = int(np.argmin(np.abs(fpr - fnr)))
    return float((fpr[k] + fnr[k]) / 2)
