r"""The dense layer `Linear` and `Flatten`, which turns feature maps into its input.

A convolutional network ends, classically, by flattening its last feature
maps ``(N, C, H, W)`` into vectors ``(N, C*H*W)`` and mapping them to class
scores with a dense layer, whose ``out * in`` weights are what weight sharing
saves in the convolutional layers.
"""

from __future__ import annotations

import math
import numbers

import numpy as np
from numpy.typing import DTypeLike

from cnnbook._validation import boolean, check_bytes, grad_like, positive_int
from cnnbook.nn import init
from cnnbook.nn.layer_input import check_float_input
from cnnbook.nn.module import Module, Parameter

__all__ = ["Flatten", "Linear"]


class Linear(Module):
    r"""Dense layer $y = x W^\top + b$ with torch's parameter shapes and initialisation.

    Parameters
    ----------
    in_features, out_features : int
        Sizes of each input and output vector.
    bias : bool, default True
        Whether to add a learned bias.
    rng : numpy.random.Generator or None, default None
        Source of the initial weights (see `cnnbook.nn.init`); None uses the default.
    dtype : dtype, default np.float32
        dtype of the parameters, and the input dtype the layer accepts.

    Attributes
    ----------
    weight : Parameter of shape (out_features, in_features)
    bias : Parameter of shape (out_features,) or None

    Notes
    -----
    Input ``(*, in_features)``, output ``(*, out_features)``. With upstream gradient
    $G$: $\partial L/\partial x = G W$, $\partial L/\partial W = G^\top x$,
    $\partial L/\partial b = \sum_n G_n$. Weight and bias start from
    $U(-1/\sqrt{\text{in}}, 1/\sqrt{\text{in}})$, torch's default.

    Examples
    --------
    >>> fc = Linear(3, 2, rng=np.random.default_rng(0), dtype=np.float64)
    >>> fc
    Linear(in_features=3, out_features=2, bias=True)
    >>> fc.weight.data[...] = [[1, 0, 0], [0, 1, 1]]; fc.bias.data[...] = [0.5, -1]
    >>> fc(np.array([[1.0, 2.0, 3.0]]))
    array([[1.5, 4. ]])
    >>> fc.backward(np.array([[1.0, 1.0]])), fc.weight.grad
    (array([[1., 1., 1.]]), array([[1., 2., 3.],
           [1., 2., 3.]]))
    """

    def __init__(
        self,
        in_features: int,
        out_features: int,
        bias: bool = True,
        *,
        rng: np.random.Generator | None = None,
        dtype: DTypeLike = np.float32,
    ) -> None:
        super().__init__()
        self.in_features = positive_int("in_features", in_features)
        self.out_features = positive_int("out_features", out_features)
        dt = np.dtype(dtype)
        if dt.kind != "f":
            raise TypeError(f"dtype (={dt}) must be a floating dtype")
        shape = (self.out_features, self.in_features)
        check_bytes("weight (out_features, in_features)", shape, dt.itemsize)
        self.weight = Parameter(np.empty((self.out_features, self.in_features), dtype=dt))
        self.bias: Parameter | None = (
            Parameter(np.empty(self.out_features, dtype=dt)) if boolean("bias", bias) else None
        )
        self._x: np.ndarray | None = None
        self.reset_parameters(rng)

    can_skip_input_grad = True

    def reset_parameters(self, rng: np.random.Generator | None = None) -> None:
        """Redraw weight then bias from torch's default distributions."""
        rng = init.resolve_rng(rng)
        init.kaiming_uniform_(self.weight.data, a=math.sqrt(5), rng=rng)
        if self.bias is not None:
            bound = 1 / math.sqrt(self.in_features)
            init.uniform_(self.bias.data, -bound, bound, rng)

    def forward(self, x: np.ndarray) -> np.ndarray:
        """Map ``(*, in_features)`` to ``(*, out_features)``.

        Raises
        ------
        ValueError
            If the last axis is not ``in_features`` long.
        TypeError
            If `x` is not of the parameters' dtype.
        """
        x = check_float_input(self, x, self.weight.data.dtype)
        if x.ndim < 1 or x.shape[-1] != self.in_features:
            raise ValueError(
                f"{self!r} got input of shape {x.shape}; expected (N, {self.in_features})"
            )
        self._x = x
        y = x @ self.weight.data.T
        if self.bias is not None:
            y += self.bias.data
        return y

    def backward(self, grad_output: np.ndarray, need_input_grad: bool = True) -> np.ndarray | None:
        """Accumulate weight and bias gradients; return the input gradient (or None)."""
        x = self._saved(self._x)
        grad_output = grad_like("grad_output", grad_output, (*x.shape[:-1], self.out_features))
        g2 = grad_output.reshape(-1, self.out_features)
        self.weight.accumulate(g2.T @ x.reshape(-1, self.in_features))
        if self.bias is not None:
            self.bias.accumulate(g2.sum(axis=0))
        return grad_output @ self.weight.data if need_input_grad else None

    def extra_repr(self) -> str:
        """Torch's ``in_features=..., out_features=..., bias=...``."""
        return (
            f"in_features={self.in_features}, out_features={self.out_features}, "
            f"bias={self.bias is not None}"
        )


class Flatten(Module):
    """Merge the axes ``start_dim..end_dim`` into one (by default all but the batch axis).

    Parameters
    ----------
    start_dim, end_dim : int, default 1 and -1
        First and last axis to merge, as in ``torch.nn.Flatten``.

    Examples
    --------
    >>> f = Flatten()
    >>> f(np.zeros((2, 3, 4, 5))).shape
    (2, 60)
    >>> f.backward(np.zeros((2, 60))).shape
    (2, 3, 4, 5)
    """

    def __init__(self, start_dim: int = 1, end_dim: int = -1) -> None:
        super().__init__()
        for name, value in (("start_dim", start_dim), ("end_dim", end_dim)):
            if not isinstance(value, numbers.Integral) or isinstance(value, bool):
                raise TypeError(f"{name} (={value!r}) must be an int (an axis)")
        self.start_dim = int(start_dim)
        self.end_dim = int(end_dim)
        self._shape: tuple[int, ...] | None = None
        self._out_shape: tuple[int, ...] = ()

    def forward(self, x: np.ndarray) -> np.ndarray:
        """Return a reshaped view of `x` (no copy for contiguous input)."""
        x = np.asarray(x)
        n = x.ndim
        if not (-n <= self.start_dim < n and -n <= self.end_dim < n) or (
            self.start_dim % n > self.end_dim % n
        ):
            raise ValueError(
                f"{self!r} got input of shape {x.shape}; start_dim and end_dim must be axes "
                "of it, start_dim not after end_dim"
            )
        start, end = self.start_dim % n, self.end_dim % n
        self._shape = x.shape
        merged = int(np.prod(x.shape[start : end + 1], dtype=np.int64))
        self._out_shape = (*x.shape[:start], merged, *x.shape[end + 1 :])
        return x.reshape(self._out_shape)

    def backward(self, grad_output: np.ndarray) -> np.ndarray:
        """Reshape the gradient back to the input's shape."""
        shape = self._saved(self._shape)
        return grad_like("grad_output", grad_output, self._out_shape).reshape(shape)

    def extra_repr(self) -> str:
        """Torch's ``start_dim=..., end_dim=...``."""
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"
