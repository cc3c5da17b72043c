"""How a loss turns per-element losses into one number, and the gradient's way back.

Every loss has torch's ``reduction``: ``"none"`` returns the per-element losses,
``"mean"`` their average (or a weighted average, for weighted cross-entropy),
``"sum"`` their sum. Its ``backward(grad_output)`` returns the gradient of the
loss's input: for ``"mean"``/``"sum"`` the upstream gradient is a number (1 by
default, so ``loss_fn.backward()`` is the gradient of the loss itself); for
``"none"`` it is an array of exactly the output's shape.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from cnnbook._validation import grad_like
from cnnbook.nn.module import Module

__all__ = ["REDUCTIONS", "Loss"]

REDUCTIONS = ("none", "mean", "sum")


class Loss(Module):
    """Base of the losses: the `reduction` argument and the upstream gradient's checks.

    Parameters
    ----------
    reduction : {"none", "mean", "sum"}, default "mean"

    Examples
    --------
    >>> from cnnbook.nn import MSELoss
    >>> MSELoss(reduction="max")
    Traceback (most recent call last):
    ...
    ValueError: reduction (='max') must be one of 'none', 'mean', 'sum'
    """

    def __init__(self, reduction: str = "mean") -> None:
        super().__init__()
        if not isinstance(reduction, str) or reduction not in REDUCTIONS:
            raise ValueError(f"reduction (={reduction!r}) must be one of 'none', 'mean', 'sum'")
        self.reduction = reduction
        self._out_shape: tuple[int, ...] | None = None
        self._denominator: Any = 1

    def _reduce(self, losses: np.ndarray, denominator: Any = None) -> Any:
        """Reduce per-element `losses`: a float for mean/sum, the array for none."""
        self._out_shape = losses.shape
        self._denominator = losses.size if denominator is None else denominator
        if self.reduction == "none":
            return losses
        total = losses.sum()
        if self.reduction == "sum":
            return float(total)
        with np.errstate(invalid="ignore", divide="ignore"):  # 0/0 is NaN, as in torch
            return float(total / self._denominator)

    def _upstream(self, grad_output: Any) -> Any:
        """Return the upstream gradient: an array for reduction none, a number otherwise."""
        shape = self._saved(self._out_shape)
        if self.reduction == "none":
            return grad_like("grad_output", grad_output, shape)
        g = grad_output
        if isinstance(g, np.ndarray) and g.ndim == 0:
            g = g[()]
        if not isinstance(g, numbers.Real) or isinstance(g, bool | np.bool_):
            shown = (
                f"an array of shape {np.shape(grad_output)}"
                if isinstance(grad_output, np.ndarray | list | tuple)
                else f"={grad_output!r}"
            )
            raise TypeError(
                f"grad_output ({shown}) must be a number for reduction="
                f"{self.reduction!r} (the loss is a number); pass an array of the "
                "output's shape only with reduction='none'"
            )
        return float(g)
