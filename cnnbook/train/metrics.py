r"""Classification metrics: the confusion matrix and its text table."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from cnnbook._validation import as_numeric_array, check_bytes
from cnnbook.train.evaluation import positive_count

__all__ = ["confusion_matrix", "format_confusion_matrix"]


def confusion_matrix(
    y_true: np.ndarray, y_pred: np.ndarray, n_classes: int | None = None
) -> np.ndarray:
    """Count how often each true class (row) was predicted as each class (column).

    Parameters
    ----------
    y_true, y_pred : ndarray of shape (N,), int
    n_classes : int, optional
        Default: ``max(y_true.max(), y_pred.max()) + 1``.

    Returns
    -------
    ndarray of shape (n_classes, n_classes), int64
        ``m[i, j]`` = number of samples of class ``i`` predicted as ``j``; the
        diagonal holds the correct ones (scikit-learn's convention).

    Raises
    ------
    ValueError
        If the labels are not integers in ``[0, n_classes)`` or the shapes differ.

    Examples
    --------
    >>> confusion_matrix(np.array([0, 0, 1, 2]), np.array([0, 1, 1, 2]))
    array([[1, 1, 0],
           [0, 1, 0],
           [0, 0, 1]])
    """
    t, p = as_numeric_array("y_true", y_true), as_numeric_array("y_pred", y_pred)
    if t.ndim != 1 or t.shape != p.shape:
        raise ValueError(f"y_true {t.shape} and y_pred {p.shape} must be 1-D of the same length")
    for name, labels in (("y_true", t), ("y_pred", p)):
        if labels.dtype.kind not in "iu":
            raise ValueError(f"{name} has dtype {labels.dtype}; expected integer class labels")
    if n_classes is None:
        n_classes = int(max(t.max(initial=0), p.max(initial=0))) + 1
    n_classes = positive_count("n_classes", n_classes)
    for name, labels in (("y_true", t), ("y_pred", p)):
        if labels.size and (labels.min() < 0 or labels.max() >= n_classes):
            raise ValueError(f"{name} has labels outside [0, {n_classes}) (n_classes={n_classes})")
    check_bytes("the confusion matrix", (n_classes, n_classes), 8)
    counts = np.bincount(
        t.astype(np.int64) * n_classes + p.astype(np.int64), minlength=n_classes * n_classes
    )
    return counts.reshape(n_classes, n_classes).astype(np.int64)


def format_confusion_matrix(matrix: np.ndarray, labels: Sequence[str] | None = None) -> str:
    r"""Format a confusion matrix as an aligned table (rows: true class, columns: predicted).

    Raises
    ------
    ValueError
        If `matrix` is not a square matrix of counts, or `labels` has another length.

    Examples
    --------
    >>> print(format_confusion_matrix(np.array([[5, 0], [1, 4]])))
    true\pred  0  1
             0  5  0
             1  1  4
    """
    m = as_numeric_array("matrix", matrix)
    if m.ndim != 2 or m.shape[0] != m.shape[1]:
        raise ValueError(f"matrix has shape {m.shape}; expected a square (n_classes, n_classes)")
    if m.dtype.kind not in "iu" or m.min() < 0:
        raise ValueError(f"matrix (dtype {m.dtype}) must hold non-negative integer counts")
    if labels is None:
        names = [str(i) for i in range(len(m))]
    elif isinstance(labels, str) or not all(isinstance(s, str) for s in labels):
        raise TypeError(f"labels (={labels!r}) must be a sequence of str, one per class")
    else:
        names = list(labels)
    if len(names) != len(m):
        raise ValueError(f"labels has {len(names)} names; matrix has {len(m)} classes")
    width = max(len(str(int(m.max(initial=0)))), *(len(s) for s in names))
    head = "true\\pred"
    lines = [head + " " + " ".join(s.rjust(width) for s in names)]
    for name, row in zip(names, m, strict=True):
        lines.append(name.rjust(len(head)) + " " + " ".join(str(v).rjust(width) for v in row))
    return "\n".join(lines)
