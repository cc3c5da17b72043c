r"""The path an optimizer takes on a loss surface: every point it visits, for figures and tests.

`optimizer_path` runs one of the optimizers of `cnnbook.optim` (`SGD`, `Adam`,
`AdamW`, with any of their options) on a function given as ``loss_and_grad``, from a
start point, and returns the visited points — the same update code that trains a
network, on a surface small enough to draw.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

import numpy as np

from cnnbook._validation import as_numeric_array, positive_int
from cnnbook.nn.module import Parameter
from cnnbook.optim.optimizer import Optimizer

__all__ = ["optimizer_path"]


def optimizer_path(
    optimizer_cls: type[Optimizer],
    loss_and_grad: Callable[[np.ndarray], tuple[float, np.ndarray]],
    start: Any,
    steps: int,
    **kwargs: Any,
) -> np.ndarray:
    r"""Run ``optimizer_cls([p], **kwargs)`` for `steps` steps on a function; return the points.

    Parameters
    ----------
    optimizer_cls : subclass of `cnnbook.optim.Optimizer`
        For example `cnnbook.optim.SGD` or `cnnbook.optim.Adam`.
    loss_and_grad : callable
        Takes the current point (float64 array of the shape of `start`) and returns
        ``(loss, gradient)``, the gradient of that shape.
    start : array_like of float
        The first point (not modified).
    steps : int, >= 1
        Number of optimizer steps.
    **kwargs
        The optimizer's options (``lr=0.1, momentum=0.9, nesterov=True``, ...).

    Returns
    -------
    ndarray of shape (steps + 1, *start.shape)
        The start, then the point after each step.

    Raises
    ------
    TypeError
        If `optimizer_cls` is not an `Optimizer` subclass or `loss_and_grad` is not callable.
    ValueError
        If `steps` < 1, `start` is empty or non-numeric, or a gradient has the wrong shape
        (as the optimizer's own checks name it).

    Examples
    --------
    >>> from cnnbook.optim import SGD
    >>> bowl = lambda p: (float(p @ p), 2 * p)  # L = |p|^2
    >>> optimizer_path(SGD, bowl, [1.0, -2.0], steps=2, lr=0.25)  # each step halves p
    array([[ 1.  , -2.  ],
           [ 0.5 , -1.  ],
           [ 0.25, -0.5 ]])
    """
    if not (isinstance(optimizer_cls, type) and issubclass(optimizer_cls, Optimizer)):
        raise TypeError(
            f"optimizer_cls (={optimizer_cls!r}) must be a cnnbook.optim.Optimizer subclass"
        )
    if not callable(loss_and_grad):
        raise TypeError(f"loss_and_grad must be callable (got {type(loss_and_grad).__name__})")
    steps = positive_int("steps", steps)
    point = Parameter(as_numeric_array("start", start).astype(np.float64))  # a copy
    # The base class takes (params, defaults); every concrete optimizer takes its options.
    opt = cast(Any, optimizer_cls)([point], **kwargs)
    path = np.empty((steps + 1, *point.data.shape))
    path[0] = point.data
    for step in range(1, steps + 1):
        _, grad = loss_and_grad(point.data.copy())
        point.grad = np.asarray(grad, dtype=np.float64)
        opt.step()
        path[step] = point.data
    return path
