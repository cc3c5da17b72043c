r"""`CrossEntropyLoss`: softmax and negative log-likelihood in one stable step.

The network's last layer outputs unnormalised scores (logits) $z$, one per
class; the loss is $-\log \operatorname{softmax}(z)_y$ for the target class $y$.
Computing $\log\operatorname{softmax}$ as $z - \max z - \log\sum e^{z - \max z}$
never overflows, and the gradient is simply $\operatorname{softmax}(z) -
\text{onehot}(y)$. The class axis is axis 1 (axis 0 for one unbatched sample):
``(N, C)`` logits classify N samples, ``(N, C, H, W)`` logits classify every
pixel (segmentation) against ``(N, H, W)`` targets. torch's whole contract is
here: class weights, an ignored index, label smoothing, class-probability
targets and the three reductions.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from cnnbook._validation import finite_real
from cnnbook.nn.reduction import Loss

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
    logits = np.asarray(logits)
    if logits.dtype.kind != "f":
        raise TypeError(f"logits have dtype {logits.dtype}; expected floats")
    if not isinstance(axis, numbers.Integral) or not -logits.ndim <= axis < max(logits.ndim, 1):
        raise ValueError(f"axis (={axis!r}) is not an axis of logits of shape {logits.shape}")
    return _log_softmax(logits, axis)


def _log_softmax(logits: np.ndarray, axis: int = -1) -> np.ndarray:
    """`log_softmax` without the checks (the loss has validated its logits)."""
    shifted = logits - logits.max(axis=axis, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


class CrossEntropyLoss(Loss):
    r"""Cross-entropy between logits and class targets, with torch's full contract.

    Parameters
    ----------
    weight : array_like of shape (C,), optional
        A weight per class (each sample's loss is multiplied by its target's
        weight; with probability targets, each term by its class's weight).
    ignore_index : int, default -100
        A class-index target with this value contributes nothing, neither to the
        loss nor to the mean's denominator.
    reduction : {"none", "mean", "sum"}, default "mean"
    label_smoothing : float in [0, 1], default 0.0
        Mix the target with the uniform distribution: $(1-\varepsilon)$ on the
        target and $\varepsilon/C$ on every class.

    Notes
    -----
    Shapes: logits ``(C,)``, ``(N, C)`` or ``(N, C, d1, d2, ...)``; targets are
    either class indices (integers) of shape ``()``, ``(N,)`` or ``(N, d1, ...)``,
    or class probabilities (floats) of the logits' shape. Per sample $n$ with
    $q_{nc}$ the weighted target distribution
    ($q_{nc} = w_{y_n}(1-\varepsilon)[c = y_n] + w_c\varepsilon/C$ for an index,
    $w_c((1-\varepsilon)t_{nc} + \varepsilon/C)$ for probabilities),
    $\ell_n = -\sum_c q_{nc}\log\operatorname{softmax}(z_n)_c$ and
    $\partial\ell_n/\partial z_n = \operatorname{softmax}(z_n)\sum_c q_{nc} - q_n$.
    ``"mean"`` divides the sum by $\sum_n w_{y_n}$ over the samples not ignored
    (class indices) or by the number of samples (probabilities), as torch.

    Examples
    --------
    >>> loss_fn = CrossEntropyLoss()
    >>> logits = np.array([[2.0, 0.0], [0.0, 0.0]])
    >>> round(loss_fn(logits, np.array([0, 1])), 4)  # (log(1 + e^-2) + log 2) / 2
    0.4100
    >>> loss_fn.backward()
    array([[-0.0596,  0.0596],
           [ 0.25  , -0.25  ]])
    >>> CrossEntropyLoss(reduction="none")(logits, np.array([0, -100]))  # -100 is ignored
    array([0.1269, 0.    ])
    """

    def __init__(
        self,
        weight: Any = None,
        size_average: None = None,
        ignore_index: int = -100,
        reduce: None = None,
        reduction: str = "mean",
        label_smoothing: float = 0.0,
    ) -> None:
        super().__init__(reduction)
        if size_average is not None or reduce is not None:
            raise ValueError(
                "size_average and reduce are deprecated in torch and not supported; "
                "use reduction='none' | 'mean' | 'sum'"
            )
        if isinstance(weight, str):
            raise TypeError(
                f"weight (={weight!r}) must be an array of class weights; torch's first "
                f"argument is weight: write reduction={weight!r} to set the reduction"
            )
        if weight is not None:
            try:
                weight = np.asarray(weight)
            except ValueError as err:
                raise ValueError("weight is a ragged nested sequence") from err
            if weight.dtype.kind not in "iuf" or weight.ndim != 1 or weight.size == 0:
                raise TypeError(
                    f"weight (dtype {weight.dtype}, shape {weight.shape}) must be a 1-D "
                    "array of real numbers, one per class"
                )
            if not np.all(np.isfinite(weight)):
                raise ValueError(f"weight (={weight}) must be finite")
        self.weight: np.ndarray | None = weight
        self.ignore_index: int
        self.label_smoothing: float
        self._class_axis: int
        if not isinstance(ignore_index, numbers.Integral) or isinstance(ignore_index, bool):
            raise TypeError(f"ignore_index (={ignore_index!r}) must be an int")
        self.ignore_index = int(ignore_index)
        self.label_smoothing = finite_real(
            "label_smoothing", label_smoothing, minimum=0.0, maximum=1.0
        )
        self._probs: np.ndarray | None = None
        self._q: np.ndarray | None = None
        self._targets: np.ndarray | None = None  # class indices, in the usual case
        self._class_axis = 1

    def _arrays(self, logits: Any, targets: Any) -> tuple[np.ndarray, np.ndarray, bool]:
        """Return the validated logits, targets and whether the targets are probabilities."""
        try:
            logits = np.asarray(logits)
            targets = np.asarray(targets)
        except ValueError as err:
            raise ValueError(f"{self!r}: logits or targets are a ragged nested sequence") from err
        if logits.dtype.kind != "f":
            raise TypeError(f"{self!r}: logits have dtype {logits.dtype}; expected floats")
        if logits.ndim == 0 or logits.size == 0:
            raise ValueError(
                f"{self!r}: logits have shape {logits.shape}; expected (C,), (N, C) or "
                "(N, C, d1, ...) with N, C >= 1"
            )
        probabilities = targets.shape == logits.shape
        if probabilities:
            if targets.dtype.kind != "f":
                raise TypeError(
                    f"{self!r}: targets of the logits' shape {logits.shape} are class "
                    f"probabilities and must be floats; got dtype {targets.dtype}"
                )
        else:
            if targets.dtype.kind not in "iu":
                raise TypeError(
                    f"{self!r}: targets have dtype {targets.dtype}; expected integer class "
                    f"indices of shape {self._index_shape(logits.shape)} or float class "
                    f"probabilities of shape {logits.shape}"
                )
            if targets.shape != self._index_shape(logits.shape):
                raise ValueError(
                    f"{self!r}: targets have shape {targets.shape}; logits {logits.shape} "
                    f"need class indices of shape {self._index_shape(logits.shape)} or "
                    f"probabilities of shape {logits.shape}"
                )
        c = logits.shape[1 if logits.ndim > 1 else 0]
        if self.weight is not None and self.weight.shape != (c,):
            raise ValueError(
                f"{self!r}: weight has shape {self.weight.shape}; the logits have C={c} classes"
            )
        # Two reductions settle the usual case (every target a class); the mask only
        # when some target is outside [0, C): ignored, or wrong.
        if not probabilities and (targets.min() < 0 or targets.max() >= c):
            bad = ((targets < 0) | (targets >= c)) & (targets != self.ignore_index)
            if bad.any():
                raise ValueError(
                    f"{self!r}: target {targets[bad].flat[0]} is out of range for C={c} "
                    f"classes (targets must lie in [0, {c}) or be ignore_index="
                    f"{self.ignore_index})"
                )
        return logits, targets, probabilities

    @staticmethod
    def _index_shape(shape: tuple[int, ...]) -> tuple[int, ...]:
        return () if len(shape) == 1 else (shape[0], *shape[2:])

    def forward(self, logits: Any, targets: Any) -> Any:
        """Return the loss of `logits` for class-index or class-probability `targets`.

        Returns
        -------
        float or ndarray
            A float for ``"mean"``/``"sum"``; the per-sample losses, of the
            targets' shape (the logits' without the class axis), for ``"none"``.

        Raises
        ------
        TypeError
            If `logits` are not floats, or `targets` neither integer indices nor
            float probabilities of the logits' shape.
        ValueError
            If the shapes do not fit or a target is outside ``[0, C)`` (and not
            `ignore_index`).
        """
        logits, targets, probabilities = self._arrays(logits, targets)
        axis = 1 if logits.ndim > 1 else 0
        self._class_axis = axis
        z = np.moveaxis(logits, axis, -1)  # (..., C): classes last
        c = z.shape[-1]
        logp = _log_softmax(z)
        self._probs = np.exp(logp)
        self._targets = None
        eps = self.label_smoothing
        w = None if self.weight is None else self.weight.astype(z.dtype)
        if probabilities:
            q = np.moveaxis(targets, axis, -1).astype(z.dtype, copy=True)
            if eps > 0:
                q = q * (1 - eps) + eps / c
            if w is not None:
                q *= w
            self._q = q
            # 0 * -inf is NaN here, as in torch (a zero target on a -inf logit).
            return self._reduce((q * -logp).sum(axis=-1), q.size // c)
        keep = targets != self.ignore_index
        every_kept = bool(keep.all())
        safe = targets if every_kept else np.where(keep, targets, 0)
        picked = np.take_along_axis(logp, safe[..., None], -1)[..., 0]  # log p of the target
        if w is None and eps == 0 and every_kept:
            # The usual case: each loss is -log p of its target, its gradient p - onehot
            # (backward); no target distribution to build.
            self._q = None
            self._targets = targets
            return self._reduce(-picked, z.dtype.type(targets.size))
        target_weight = (np.ones(targets.shape, z.dtype) if w is None else w[safe]) * keep
        q = np.zeros_like(z)
        np.put_along_axis(q, safe[..., None], ((1 - eps) * target_weight)[..., None], -1)
        # Each loss from the terms that have weight: a -inf logit off the target gives no
        # 0 * inf NaN, and an ignored sample contributes exactly 0, as in torch.
        losses = -(1 - eps) * target_weight * np.where(keep, picked, 0)
        if eps > 0:
            class_weight = np.ones(c, z.dtype) if w is None else w
            q += (eps / c) * class_weight * keep[..., None]
            losses = losses - (eps / c) * (class_weight * logp).sum(axis=-1)
        self._q = q
        return self._reduce(np.where(keep, losses, 0), target_weight.sum())

    def backward(self, grad_output: Any = 1.0) -> np.ndarray:
        r"""Return the gradient w.r.t. the logits (see `cnnbook.nn.reduction`).

        For ``"mean"``/``"sum"`` `grad_output` is a number (default 1); for
        ``"none"`` an array of the output's shape.
        """
        probs = self._saved(self._probs)
        g = self._upstream(grad_output)
        if self._targets is not None:  # the usual case (see forward): p - onehot
            at = self._targets[..., None]
            grad = probs.copy()
            np.put_along_axis(grad, at, np.take_along_axis(probs, at, -1) - 1, -1)
            return self._scaled(grad, g, None)
        q = self._saved(self._q)
        return self._scaled(probs * q.sum(axis=-1, keepdims=True) - q, g, q)

    def _scaled(self, grad: np.ndarray, g: Any, q: np.ndarray | None) -> np.ndarray:
        """Multiply `grad` by the upstream `g` (and 1/denominator for the mean), in place.

        `q` is the target distribution, or None when every sample has one target class.
        """
        if self.reduction == "none":
            grad *= np.asarray(g, dtype=grad.dtype)[..., None]
        else:
            with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
                if self.reduction == "mean":
                    g = g / self._denominator  # every target ignored: 0/0, as torch
                grad *= grad.dtype.type(g)
            # A sample that contributes nothing (ignored) gets a zero gradient, even when
            # the mean's denominator is 0 (torch's nll_loss skips it; 0 * inf would be NaN).
            if q is not None:
                grad[~q.any(axis=-1)] = 0
        return np.moveaxis(grad, -1, self._class_axis)
