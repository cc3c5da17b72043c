r"""Element-wise non-linearities: `ReLU` and `Tanh`.

Without a non-linearity between them, stacked convolutions and dense layers
collapse into one linear map; these are the two the book uses.
"""

from __future__ import annotations

import numpy as np

from cnnbook.nn.module import Module

__all__ = ["ReLU", "Tanh"]


class ReLU(Module):
    r"""Rectified linear unit, $\max(x, 0)$, element-wise.

    Notes
    -----
    $y = \max(x, 0)$ and $\partial L/\partial x = \partial L/\partial y \cdot [y > 0]$
    (the gradient at $x = 0$ is taken as 0, as torch does).

    Examples
    --------
    >>> relu = ReLU()
    >>> relu(np.array([-1.0, 0.0, 2.0]))
    array([0., 0., 2.])
    >>> relu.backward(np.array([5.0, 5.0, 5.0]))
    array([0., 0., 5.])
    """

    def __init__(self) -> None:
        super().__init__()
        self._out: np.ndarray | None = None

    def forward(self, x: np.ndarray) -> np.ndarray:
        r"""Return $\max(x, 0)$ of an array of any shape."""
        self._out = np.maximum(x, 0)
        return self._out

    def backward(self, grad_output: np.ndarray) -> np.ndarray:
        """Pass the gradient where the output was positive, zero elsewhere."""
        out = self._saved(self._out)
        return grad_output * (out > 0)


class Tanh(Module):
    r"""Hyperbolic tangent, element-wise.

    Notes
    -----
    $y = \tanh x$ and $\partial L/\partial x = \partial L/\partial y \cdot (1 - y^2)$.

    Examples
    --------
    >>> tanh = Tanh()
    >>> tanh(np.array([0.0, 1.0]))
    array([0.    , 0.7616])
    >>> tanh.backward(np.ones(2))
    array([1.  , 0.42])
    """

    def __init__(self) -> None:
        super().__init__()
        self._out: np.ndarray | None = None

    def forward(self, x: np.ndarray) -> np.ndarray:
        r"""Return $\tanh x$ of an array of any shape."""
        self._out = np.tanh(x)
        return self._out

    def backward(self, grad_output: np.ndarray) -> np.ndarray:
        """Multiply the gradient by $1 - y^2$."""
        out = self._saved(self._out)
        return grad_output * (1 - out * out)
