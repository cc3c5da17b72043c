r"""Element-wise non-linearities: `ReLU`, `LeakyReLU`, `Tanh`, `Sigmoid`, and `Identity`.

Without a non-linearity between them, stacked convolutions and dense layers
collapse into one linear map. Each layer remembers what its backward needs
(its output, or its input for `LeakyReLU`) and checks that the gradient it gets
has exactly the shape of that output.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from cnnbook._validation import finite_real, grad_like
from cnnbook.nn.module import Module

__all__ = ["Identity", "LeakyReLU", "ReLU", "Sigmoid", "Tanh"]


def _real_input(layer: Module, x: Any, kinds: str = "iuf") -> np.ndarray:
    """`x` as a real array of one of `kinds`, or a TypeError naming the layer."""
    try:
        arr = np.asarray(x)
    except ValueError as err:  # NumPy's "inhomogeneous shape"
        raise ValueError(f"{layer!r} got a ragged nested sequence as input") from err
    if arr.dtype.kind not in kinds:
        wanted = "floats" if kinds == "f" else "real numbers"
        raise TypeError(f"{layer!r} got input of dtype {arr.dtype}; expected {wanted}")
    return arr


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
        self._out = np.maximum(_real_input(self, x), 0)
        return self._out

    def backward(self, grad_output: np.ndarray) -> np.ndarray:
        """Pass the gradient where the output was positive, zero elsewhere."""
        out = self._saved(self._out)
        return grad_like("grad_output", grad_output, out.shape) * (out > 0)


class LeakyReLU(Module):
    r"""Leaky rectified linear unit: $x$ where $x > 0$, `negative_slope` $\cdot x$ elsewhere.

    Parameters
    ----------
    negative_slope : float, default 0.01
        Slope for negative inputs (torch's default).

    Notes
    -----
    $y = \max(x, 0) + s\min(x, 0)$ and
    $\partial L/\partial x = \partial L/\partial y \cdot (1 \text{ if } x > 0 \text{ else } s)$
    (torch takes $s$ at $x = 0$).

    Examples
    --------
    >>> act = LeakyReLU(0.1)
    >>> act
    LeakyReLU(negative_slope=0.1)
    >>> act(np.array([-2.0, 0.0, 3.0]))
    array([-0.2,  0. ,  3. ])
    >>> act.backward(np.ones(3))
    array([0.1, 0.1, 1. ])
    """

    def __init__(self, negative_slope: float = 1e-2) -> None:
        super().__init__()
        self.negative_slope = finite_real("negative_slope", negative_slope)
        self._x: np.ndarray | None = None

    def forward(self, x: np.ndarray) -> np.ndarray:
        """Return `x` where positive, ``negative_slope * x`` elsewhere."""
        x = _real_input(self, x, "f")
        self._x = x
        return np.where(x > 0, x, x * x.dtype.type(self.negative_slope))

    def backward(self, grad_output: np.ndarray) -> np.ndarray:
        """Multiply the gradient by 1 where the input was positive, the slope elsewhere."""
        x = self._saved(self._x)
        g = grad_like("grad_output", grad_output, x.shape)
        return np.where(x > 0, g, g * np.asarray(self.negative_slope, dtype=g.dtype))

    def extra_repr(self) -> str:
        """Torch's ``negative_slope=...``."""
        return f"negative_slope={self.negative_slope}"


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
        self._out = np.tanh(_real_input(self, x))
        return self._out

    def backward(self, grad_output: np.ndarray) -> np.ndarray:
        """Multiply the gradient by $1 - y^2$."""
        out = self._saved(self._out)
        return grad_like("grad_output", grad_output, out.shape) * (1 - out * out)


def sigmoid(x: np.ndarray) -> np.ndarray:
    r"""Return the logistic function $1 / (1 + e^{-x})$, without overflow for large $|x|$.

    Examples
    --------
    >>> sigmoid(np.array([-1000.0, 0.0, 1000.0]))
    array([0. , 0.5, 1. ])
    """
    # exp of a non-positive number never overflows: use e^{-|x|} on both sides.
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))


class Sigmoid(Module):
    r"""Logistic sigmoid $\sigma(x) = 1 / (1 + e^{-x})$, element-wise.

    Notes
    -----
    $\partial L/\partial x = \partial L/\partial y \cdot y (1 - y)$.

    Examples
    --------
    >>> sig = Sigmoid()
    >>> sig(np.array([0.0, 2.0]))
    array([0.5   , 0.8808])
    >>> sig.backward(np.ones(2))
    array([0.25 , 0.105])
    """

    def __init__(self) -> None:
        super().__init__()
        self._out: np.ndarray | None = None

    def forward(self, x: np.ndarray) -> np.ndarray:
        r"""Return $\sigma(x)$ of an array of any shape."""
        self._out = sigmoid(_real_input(self, x))
        return self._out

    def backward(self, grad_output: np.ndarray) -> np.ndarray:
        r"""Multiply the gradient by $y(1 - y)$."""
        out = self._saved(self._out)
        return grad_like("grad_output", grad_output, out.shape) * (out * (1 - out))


class Identity(Module):
    """The identity: returns its input (torch's placeholder, e.g. for an absent shortcut).

    Like ``torch.nn.Identity`` it accepts and ignores any constructor arguments.

    Examples
    --------
    >>> ident = Identity()
    >>> ident(np.array([1.0, 2.0])), ident.backward(np.array([3.0, 4.0]))
    (array([1., 2.]), array([3., 4.]))
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__()
        self._shape: tuple[int, ...] | None = None

    def forward(self, x: np.ndarray) -> np.ndarray:
        """Return `x` unchanged."""
        x = np.asarray(x)
        self._shape = x.shape
        return x

    def backward(self, grad_output: np.ndarray) -> np.ndarray:
        """Return the gradient unchanged (after checking its shape)."""
        return grad_like("grad_output", grad_output, self._saved(self._shape))
