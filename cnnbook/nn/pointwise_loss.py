r"""Losses that compare an input and a target element by element.

`MSELoss` and `L1Loss` measure how far a predicted map is from the target map
(denoising, super-resolution, autoencoders); `BCEWithLogitsLoss` scores
independent yes/no decisions (multi-label classification, a mask per pixel)
from logits, in one numerically stable step.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from cnnbook.nn.activation import sigmoid
from cnnbook.nn.reduction import Loss

__all__ = ["BCEWithLogitsLoss", "L1Loss", "MSELoss"]


def _pair(loss: Loss, input: Any, target: Any) -> tuple[np.ndarray, np.ndarray]:
    """`input` and `target` as float arrays of one shape (no broadcasting), or a named error."""
    arrays = []
    for name, value in (("input", input), ("target", target)):
        try:
            arr = np.asarray(value)
        except ValueError as err:
            raise ValueError(f"{loss!r}: {name} is a ragged nested sequence") from err
        if arr.dtype.kind != "f":
            raise TypeError(f"{loss!r}: {name} has dtype {arr.dtype}; expected floats")
        if arr.size == 0:
            raise ValueError(f"{loss!r}: {name} is empty (shape {arr.shape})")
        arrays.append(arr)
    x, y = arrays
    if x.shape != y.shape:
        # torch only warns and broadcasts, which is almost always a bug (e.g. (N, 1) vs (N,)).
        raise ValueError(
            f"{loss!r}: target has shape {y.shape}; input has {x.shape}; they must be equal"
        )
    return x, y


class MSELoss(Loss):
    r"""Mean squared error $(x - y)^2$, reduced by `reduction`.

    Parameters
    ----------
    reduction : {"none", "mean", "sum"}, default "mean"

    Notes
    -----
    $\ell_i = (x_i - y_i)^2$ and $\partial \ell_i / \partial x_i = 2 (x_i - y_i)$;
    ``"mean"`` divides by the number of elements.

    Examples
    --------
    >>> loss_fn = MSELoss()
    >>> loss_fn(np.array([1.0, 2.0]), np.array([0.0, 0.0]))  # (1 + 4) / 2
    2.5
    >>> loss_fn.backward()
    array([1., 2.])
    """

    def __init__(self, reduction: str = "mean") -> None:
        super().__init__(reduction)
        self._diff: np.ndarray | None = None

    def forward(self, input: Any, target: Any) -> Any:
        """Return the loss of `input` against `target` (same shape, floats)."""
        x, y = _pair(self, input, target)
        self._diff = x - y
        return self._reduce(self._diff * self._diff)

    def backward(self, grad_output: Any = 1.0) -> np.ndarray:
        """Return the gradient w.r.t. the input (see `cnnbook.nn.reduction`)."""
        diff = self._saved(self._diff)
        g = self._upstream(grad_output)
        if self.reduction == "mean":
            g = g / diff.size
        return (2 * diff * g).astype(diff.dtype, copy=False)


class L1Loss(Loss):
    r"""Mean absolute error $|x - y|$, reduced by `reduction`.

    Parameters
    ----------
    reduction : {"none", "mean", "sum"}, default "mean"

    Notes
    -----
    $\ell_i = |x_i - y_i|$ and $\partial \ell_i / \partial x_i = \operatorname{sign}(x_i - y_i)$
    (0 where $x_i = y_i$, as torch).

    Examples
    --------
    >>> loss_fn = L1Loss(reduction="none")
    >>> loss_fn(np.array([1.0, -2.0, 0.0]), np.zeros(3))
    array([1., 2., 0.])
    >>> loss_fn.backward(np.ones(3))
    array([ 1., -1.,  0.])
    """

    def __init__(self, reduction: str = "mean") -> None:
        super().__init__(reduction)
        self._sign: np.ndarray | None = None

    def forward(self, input: Any, target: Any) -> Any:
        """Return the loss of `input` against `target` (same shape, floats)."""
        x, y = _pair(self, input, target)
        diff = x - y
        self._sign = np.sign(diff)
        return self._reduce(np.abs(diff))

    def backward(self, grad_output: Any = 1.0) -> np.ndarray:
        """Return the gradient w.r.t. the input (see `cnnbook.nn.reduction`)."""
        sign = self._saved(self._sign)
        g = self._upstream(grad_output)
        if self.reduction == "mean":
            g = g / sign.size
        return (sign * g).astype(sign.dtype, copy=False)


def _weight(loss: Loss, name: str, value: Any) -> np.ndarray | None:
    if value is None:
        return None
    try:
        arr = np.asarray(value)
    except ValueError as err:
        raise ValueError(f"{name} is a ragged nested sequence") from err
    if arr.dtype.kind not in "iuf" or arr.size == 0:
        raise TypeError(
            f"{name} has dtype {arr.dtype} and shape {arr.shape}; expected real numbers"
        )
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite; got {arr}")
    return arr


class BCEWithLogitsLoss(Loss):
    r"""Binary cross-entropy of targets in $[0, 1]$ given logits, sigmoid included.

    Parameters
    ----------
    weight : array_like or None, default None
        Rescales the loss of each element; broadcast to the input's shape.
    reduction : {"none", "mean", "sum"}, default "mean"
    pos_weight : array_like or None, default None
        Weight of the positive term, broadcast to the input's shape with NumPy's
        rules (as torch): shape ``(C,)`` weighs the classes of an ``(N, C)`` input;
        an ``(N, C, H, W)`` map needs ``(C, 1, 1)``.

    Notes
    -----
    With $p = $ `pos_weight` and $w = $ `weight`:
    $\ell_i = -w_i\,[p_i y_i \log\sigma(x_i) + (1 - y_i)\log(1 - \sigma(x_i))]$,
    computed as $w_i[(1 - y_i)x_i + (1 + (p_i - 1)y_i)\,\operatorname{softplus}(-x_i)]$
    so no exponential overflows; $\partial\ell_i/\partial x_i =
    w_i[(1 + (p_i - 1)y_i)\sigma(x_i) - p_i y_i]$.

    Examples
    --------
    >>> loss_fn = BCEWithLogitsLoss()
    >>> round(loss_fn(np.array([0.0, 0.0]), np.array([1.0, 0.0])), 4)  # log 2
    0.6931
    >>> loss_fn.backward()
    array([-0.25,  0.25])
    >>> BCEWithLogitsLoss(pos_weight=np.array([3.0]))(np.array([0.0]), np.array([1.0])) > 2
    True
    """

    def __init__(self, weight: Any = None, reduction: str = "mean", pos_weight: Any = None) -> None:
        super().__init__(reduction)
        self.weight = _weight(self, "weight", weight)
        self.pos_weight = _weight(self, "pos_weight", pos_weight)
        self._saved_xy: tuple[np.ndarray, np.ndarray] | None = None

    def _broadcast(self, name: str, value: np.ndarray | None, x: np.ndarray) -> Any:
        if value is None:
            return None
        try:
            shape = np.broadcast_shapes(value.shape, x.shape)
        except ValueError:
            shape = None
        if shape != x.shape:
            raise ValueError(
                f"{self!r}: {name} of shape {value.shape} does not broadcast to the "
                f"input's shape {x.shape}"
            )
        return value.astype(x.dtype, copy=False)

    def forward(self, input: Any, target: Any) -> Any:
        """Return the loss of logits `input` for `target` probabilities (same shape)."""
        x, y = _pair(self, input, target)
        w = self._broadcast("weight", self.weight, x)
        pw = self._broadcast("pos_weight", self.pos_weight, x)
        # softplus(-x) = log(1 + e^{-x}) = log1p(e^{-|x|}) + max(-x, 0): no overflow.
        softplus = np.log1p(np.exp(-np.abs(x))) + np.maximum(-x, 0)
        log_weight = 1 if pw is None else 1 + (pw - 1) * y
        losses = (1 - y) * x + log_weight * softplus
        if w is not None:
            losses = losses * w
        self._saved_xy = (x, y)
        return self._reduce(losses)

    def backward(self, grad_output: Any = 1.0) -> np.ndarray:
        """Return the gradient w.r.t. the logits (see `cnnbook.nn.reduction`)."""
        x, y = self._saved(self._saved_xy)
        g = self._upstream(grad_output)
        pw = self._broadcast("pos_weight", self.pos_weight, x)
        s = sigmoid(x)
        grad = s - y if pw is None else (1 + (pw - 1) * y) * s - pw * y
        w = self._broadcast("weight", self.weight, x)
        if w is not None:
            grad = grad * w
        if self.reduction == "mean":
            g = g / x.size
        return (grad * g).astype(x.dtype, copy=False)
