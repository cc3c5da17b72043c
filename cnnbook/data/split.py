"""A stratified, deterministic train/test split."""

from __future__ import annotations

import numbers

import numpy as np

from cnnbook._rng import generator
from cnnbook._validation import as_numeric_array, finite_real

__all__ = ["train_test_split"]


def labels_for(name: str, y: object, n: int) -> np.ndarray:
    """Return `y` as integer class labels, one per sample of a set of `n` (ValueError otherwise)."""
    labels = as_numeric_array(name, y)
    if labels.ndim != 1 or len(labels) != n:
        raise ValueError(f"{name} has shape {labels.shape}; expected ({n},), one label per sample")
    if labels.dtype.kind not in "iu":
        raise ValueError(f"{name} has dtype {labels.dtype}; expected integer class labels")
    return labels


def train_test_split(
    x: np.ndarray, y: np.ndarray, test_fraction: float = 0.2, seed: int = 0
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """Split a data set into train and test parts with the same class proportions.

    Each class is shuffled with ``np.random.default_rng(seed)`` and
    ``round(test_fraction * n_class)`` of its samples go to the test part; both
    parts keep the original order, so the same seed always gives the same split.

    Parameters
    ----------
    x : ndarray of shape (N, ...)
    y : ndarray of shape (N,), integer labels
    test_fraction : float in (0, 1), default 0.2
    seed : int >= 0, default 0

    Returns
    -------
    (x_train, y_train), (x_test, y_test)

    Raises
    ------
    ValueError
        If `test_fraction` is not in (0, 1) or leaves one part empty, `y` is not
        integer or the lengths differ, or `seed` is negative.

    Examples
    --------
    >>> (xtr, ytr), (xte, yte) = train_test_split(np.arange(10.0), np.array([0] * 5 + [1] * 5))
    >>> np.bincount(ytr), np.bincount(yte)
    (array([4, 4]), array([1, 1]))
    """
    x = as_numeric_array("x", x)
    if x.ndim == 0:
        raise ValueError(f"x has shape {x.shape}; expected (N, ...), one row per sample")
    y = labels_for("y", y, len(x))
    if not 0.0 < finite_real("test_fraction", test_fraction) < 1.0:
        raise ValueError(f"test_fraction (={test_fraction!r}) must be in (0, 1)")
    if not isinstance(seed, numbers.Integral):
        raise TypeError(f"seed (={seed!r}) must be a non-negative int")
    rng = generator("seed", seed)
    is_test = np.zeros(len(y), dtype=bool)
    for label in np.unique(y):  # a loop over classes, not samples
        members = rng.permutation(np.flatnonzero(y == label))
        is_test[members[: round(test_fraction * len(members))]] = True
    n_test = int(is_test.sum())
    if n_test == 0 or n_test == len(y):
        part = "test" if n_test == 0 else "train"
        raise ValueError(
            f"test_fraction (={test_fraction!r}) leaves the {part} part empty for {len(y)} "
            f"samples (per class: round(test_fraction * class size) go to test)"
        )
    return (x[~is_test], y[~is_test]), (x[is_test], y[is_test])
