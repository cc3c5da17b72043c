r"""The large-margin cosine loss (CosFace) that trains the verification page's embedding.

A classifier of the training identities whose logits are cosines, with a margin: its
classes are thrown away after training, and the L2-normalised features are the embedding
(see the Facial Recognition page).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from cnnbook._validation import as_numeric_array, finite_real
from cnnbook.nn.loss import log_softmax

__all__ = ["MARGIN", "SCALE", "cosine_margin_loss"]

#: Cosine-margin loss: logit scale s and margin m (CosFace's usual s, a margin for 48 classes).
SCALE, MARGIN = 16.0, 0.2


def unit_rows(e: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return the rows of `e` scaled to length 1, and their lengths (the embedding's norm)."""
    norm = np.linalg.norm(e, axis=1, keepdims=True) + 1e-12
    return e / norm, norm


def through_unit_rows(grad: np.ndarray, unit: np.ndarray, norm: np.ndarray) -> np.ndarray:
    """Take the gradient of the unit rows ``z = e / |e|`` back to `e`."""
    # The radial part of grad is dropped: a change of length does not move z.
    return (grad - unit * (grad * unit).sum(axis=1, keepdims=True)) / norm


def cosine_margin_loss(
    features: Any, weight: Any, targets: Any, scale: float = SCALE, margin: float = MARGIN
) -> tuple[float, np.ndarray, np.ndarray]:
    r"""Large-margin cosine loss (CosFace, Wang et al. 2018), with its gradients.

    Features and class weights are scaled to length 1, so each logit is a cosine; the
    target's cosine is lowered by the margin before the softmax cross-entropy:

    $$\ell = -\log \frac{e^{s(\cos\theta_y - m)}}{e^{s(\cos\theta_y - m)}
    + \sum_{j \ne y} e^{s \cos\theta_j}}, \qquad
    \cos\theta_j = \frac{f \cdot w_j}{\lVert f\rVert \lVert w_j\rVert}.$$

    The class must win by a margin *in angle*, so features of one class gather in a
    narrow cone: a cosine between two features then says "same class?" — and it keeps
    meaning that for classes the loss never saw, which is how face verifiers are trained.

    Parameters
    ----------
    features : array_like of shape (N, D)
    weight : array_like of shape (K, D)
        One vector per training class.
    targets : array_like of int, shape (N,)
        Class indices in ``[0, K)``.
    scale, margin : float
        $s > 0$ and $m \ge 0$.

    Returns
    -------
    loss : float
        Mean over the batch.
    grad_features : ndarray of shape (N, D)
    grad_weight : ndarray of shape (K, D)

    Examples
    --------
    >>> f = np.array([[1.0, 0.0]]); w = np.array([[1.0, 0.0], [0.0, 1.0]])
    >>> round(cosine_margin_loss(f, w, [0], scale=1.0, margin=0.0)[0], 4)  # log(1 + e^-1)
    0.3133
    """
    f = as_numeric_array("features", features, ndim=2).astype(np.float64)
    w = as_numeric_array("weight", weight, ndim=2).astype(np.float64)
    y = as_numeric_array("targets", targets, ndim=1)
    if w.shape[1] != f.shape[1]:
        raise ValueError(f"weight has shape {w.shape}; expected (classes, {f.shape[1]})")
    if y.dtype.kind not in "iu" or len(y) != len(f) or y.min() < 0 or y.max() >= len(w):
        raise ValueError(f"targets must be {len(f)} class indices in [0, {len(w)})")
    s = finite_real("scale", scale)
    m = finite_real("margin", margin)
    if s <= 0 or m < 0:
        raise ValueError(f"scale (={s}) must be > 0 and margin (={m}) >= 0")
    fu, fn = unit_rows(f)
    wu, wn = unit_rows(w)
    onehot = np.eye(len(w))[y]
    logits = s * (fu @ wu.T - m * onehot)
    logp = log_softmax(logits, axis=1)
    loss = float(-np.mean(logp[np.arange(len(y)), y]))
    g_logits = (np.exp(logp) - onehot) * (s / len(y))  # d loss / d cos
    return (
        loss,
        through_unit_rows(g_logits @ wu, fu, fn),
        through_unit_rows(g_logits.T @ fu, wu, wn),
    )
