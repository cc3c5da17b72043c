r"""Metric learning: the triplet margin loss, which trains an embedding to compare things.

A verification system (is this the same person?) does not classify into known
identities: it maps each image to a vector, an *embedding*, and compares distances. The
triplet loss (Schroff et al. 2015, FaceNet) trains that map directly: for an anchor
$a$, a positive $p$ of the same identity and a negative $n$ of another, it asks the
negative to be farther than the positive by a margin,

$$\ell(a, p, n) = \max\bigl(\lVert a - p + \epsilon\rVert_2 - \lVert a - n + \epsilon\rVert_2
+ m,\ 0\bigr),$$

with $\epsilon$ as in `torch.nn.functional.pairwise_distance`. Nothing in it names an
identity, so the embedding can be used on identities never seen in training.

Examples
--------
>>> loss = TripletMarginLoss(margin=1.0)
>>> a, p, n = np.array([[0.0, 0.0]]), np.array([[0.0, 1.0]]), np.array([[3.0, 0.0]])
>>> round(loss(a, p, n), 6)  # the negative is already 2 farther than the positive
0.0
"""

from __future__ import annotations

from typing import Any

import numpy as np

from cnnbook._validation import as_numeric_array, finite_real, grad_like
from cnnbook.nn.module import Module

__all__ = ["TripletMarginLoss"]

_REDUCTIONS = ("mean", "sum", "none")


class TripletMarginLoss(Module):
    r"""Triplet margin loss with the Euclidean distance (as `torch.nn.TripletMarginLoss`, p=2).

    Parameters
    ----------
    margin : float, default 1.0
        How much farther than the positive the negative must be ($m > 0$, as torch).
    eps : float, default 1e-6
        Added to the differences before the norm (torch's ``pairwise_distance``), so the
        gradient exists when two embeddings coincide.
    reduction : {"mean", "sum", "none"}, default "mean"

    Notes
    -----
    With $u = (a - p + \epsilon)/d_{ap}$ and $v = (a - n + \epsilon)/d_{an}$, a triplet
    whose loss is positive has $\partial\ell/\partial a = u - v$,
    $\partial\ell/\partial p = -u$, $\partial\ell/\partial n = v$; the others have zero
    gradient (they already satisfy the margin).

    Examples
    --------
    >>> loss = TripletMarginLoss(margin=1.0)
    >>> a, p, n = np.array([[0.0, 0.0]]), np.array([[0.0, 1.0]]), np.array([[1.0, 0.0]])
    >>> round(loss(a, p, n), 4)
    1.0
    >>> [np.round(g, 3).tolist() for g in loss.backward()]
    [[[1.0, -1.0]], [[-0.0, 1.0]], [[-1.0, 0.0]]]
    """

    def __init__(self, margin: float = 1.0, eps: float = 1e-6, reduction: str = "mean") -> None:
        super().__init__()
        self.margin = finite_real("margin", margin)
        if self.margin <= 0:  # as torch: a zero margin would accept collapsed embeddings
            raise ValueError(f"margin (={margin!r}) must be > 0")
        self.eps = finite_real("eps", eps, minimum=0.0)
        if reduction not in _REDUCTIONS:
            raise ValueError(f"reduction (={reduction!r}) must be one of {_REDUCTIONS}")
        self.reduction = reduction
        self._saved_state: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None

    def forward(self, anchor: Any, positive: Any, negative: Any) -> Any:
        """Return the loss of ``(N, D)`` anchors, positives and negatives (a float, or ``(N,)``)."""
        a = as_numeric_array("anchor", anchor, ndim=2)
        p = as_numeric_array("positive", positive, ndim=2)
        n = as_numeric_array("negative", negative, ndim=2)
        if p.shape != a.shape or n.shape != a.shape:
            raise ValueError(
                f"anchor, positive and negative must have one shape; got {a.shape}, "
                f"{p.shape}, {n.shape}"
            )
        dtype = np.result_type(a.dtype, p.dtype, n.dtype, np.float32)
        diff_p = (a - p + self.eps).astype(dtype)
        diff_n = (a - n + self.eps).astype(dtype)
        d_p = np.sqrt((diff_p**2).sum(axis=1))
        d_n = np.sqrt((diff_n**2).sum(axis=1))
        losses = np.maximum(d_p - d_n + self.margin, 0.0)
        # Unit directions (0 where a distance is 0: no defined direction, no gradient).
        u = np.divide(diff_p, d_p[:, None], out=np.zeros_like(diff_p), where=d_p[:, None] > 0)
        v = np.divide(diff_n, d_n[:, None], out=np.zeros_like(diff_n), where=d_n[:, None] > 0)
        self._saved_state = (losses, u, v)
        if self.reduction == "none":
            return losses
        total = float(losses.sum())
        return total / len(losses) if self.reduction == "mean" else total

    def backward(self, grad_output: Any = 1.0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Return the gradients with respect to (anchor, positive, negative).

        Raises
        ------
        RuntimeError
            When called before `forward`, as every module's `backward`.
        """
        if self._saved_state is None:
            raise RuntimeError(f"{self!r}: backward called before forward")
        losses, u, v = self._saved_state
        if self.reduction == "none":
            g = grad_like("grad_output", grad_output, losses.shape).astype(u.dtype)
        else:
            scale = finite_real("grad_output", grad_output)
            g = np.full(losses.shape, scale / (len(losses) if self.reduction == "mean" else 1))
        g = (g * (losses > 0))[:, None].astype(u.dtype)
        return g * (u - v), -g * u, g * v

    def extra_repr(self) -> str:
        """Show the margin and reduction, like torch."""
        return f"margin={self.margin}, reduction={self.reduction!r}"
