r"""`CrossEntropyLoss`: softmax and negative log-likelihood in one stable step.

The network's last layer outputs unnormalised scores (logits) $z \in
\mathbb{R}^{N \times C}$; the loss is the mean over the batch of
$-\log \operatorname{softmax}(z_n)_{y_n}$. Computing $\log\operatorname{softmax}$ as
$z - \max z - \log\sum e^{z - \max z}$ never overflows, and the gradient is
simply $(\operatorname{softmax}(z) - \text{onehot}(y)) / N$.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from cnnbook.nn.module import Module

__all__ = ["CrossEntropyLoss", "log_softmax"]


def log_softmax(logits: np.ndarray, axis: int = -1) -> np.ndarray:
    r"""Numerically stable $\log \operatorname{softmax}$ along `axis`.

    Notes
    -----
    $\log\operatorname{softmax}(z)_i = (z_i - m) - \log\sum_j e^{z_j - m}$ with
    $m = \max_j z_j$, so every exponent is $\le 0$.

    Examples
    --------
    >>> log_softmax(np.array([[1000.0, 1000.0]]))  # exp(1000) would overflow
    array([[-0.6931, -0.6931]])
    """
    shifted = logits - logits.max(axis=axis, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


class CrossEntropyLoss(Module):
    r"""Mean (or summed) cross-entropy between logits and integer class targets.

    Parameters
    ----------
    reduction : {"mean", "sum"}, default "mean"
        Average over the batch (torch's default) or sum.

    Notes
    -----
    $L = \frac1N \sum_n \big(\log\sum_c e^{z_{nc}} - z_{n y_n}\big)$ and
    $\partial L/\partial z_{nc} = (\operatorname{softmax}(z_n)_c - [c = y_n]) / N$
    (without the $1/N$ for ``"sum"``).

    Examples
    --------
    >>> loss_fn = CrossEntropyLoss()
    >>> logits = np.array([[2.0, 0.0], [0.0, 0.0]])
    >>> round(loss_fn(logits, np.array([0, 1])), 4)  # (log(1 + e^-2) + log 2) / 2
    0.4100
    >>> loss_fn.backward()
    array([[-0.0596,  0.0596],
           [ 0.25  , -0.25  ]])
    """

    def __init__(self, reduction: str = "mean") -> None:
        super().__init__()
        if reduction not in ("mean", "sum"):
            raise ValueError(f"reduction (={reduction!r}) must be 'mean' or 'sum'")
        self.reduction = reduction
        self._probs: np.ndarray | None = None
        self._targets: np.ndarray | None = None

    def forward(self, logits: Any, targets: Any) -> float:
        """Return the loss of `logits` of shape ``(N, C)`` for `targets` of shape ``(N,)``.

        Raises
        ------
        TypeError
            If `logits` are not floats or `targets` not integers.
        ValueError
            If the shapes do not fit or a target is outside ``[0, C)``.
        """
        logits = np.asarray(logits)
        targets = np.asarray(targets)
        if logits.dtype.kind != "f":
            raise TypeError(f"{self!r}: logits have dtype {logits.dtype}; expected floats")
        if targets.dtype.kind not in "iu":
            raise TypeError(
                f"{self!r}: targets have dtype {targets.dtype}; expected integer class indices"
            )
        if logits.ndim != 2 or logits.shape[0] == 0:
            raise ValueError(
                f"{self!r}: logits have shape {logits.shape}; expected (N, C) with N >= 1"
            )
        n, c = logits.shape
        if targets.shape != (n,):
            raise ValueError(
                f"{self!r}: targets have shape {targets.shape}; logits {logits.shape} need ({n},)"
            )
        bad = (targets < 0) | (targets >= c)
        if bad.any():
            raise ValueError(
                f"{self!r}: target {targets[bad][0]} is out of range for C={c} classes "
                f"(targets must lie in [0, {c}))"
            )
        logp = log_softmax(logits)
        picked = logp[np.arange(n), targets]
        loss = -picked.sum()
        if self.reduction == "mean":
            loss = loss / n
        self._probs = np.exp(logp)
        self._targets = targets
        return float(loss)

    def backward(self, grad_output: float = 1.0) -> np.ndarray:
        """Return the gradient of the loss (times `grad_output`) w.r.t. the logits."""
        probs = self._saved(self._probs)
        targets = self._saved(self._targets)
        grad = probs.copy()
        grad[np.arange(len(targets)), targets] -= 1
        scale = grad_output / len(targets) if self.reduction == "mean" else grad_output
        grad *= grad.dtype.type(scale)
        return grad
