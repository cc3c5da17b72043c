"""`Parameter`: a trainable array and the gradient that accumulates on it.

A layer's weights are `Parameter` objects so that `Module.parameters()` can find
them and an optimizer can update ``.data`` in place from ``.grad``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["Parameter"]


class Parameter:
    """A trainable array and its accumulated gradient.

    Parameters
    ----------
    data : ndarray of real numbers
        The values; kept as given (no copy), so optimizers update it in place.
        Strings, objects and complex numbers are refused with a `TypeError`;
        integer values are accepted here but refused by the optimizers, which
        (like torch's autograd) update only floating-point parameters.

    Attributes
    ----------
    data : ndarray
        The values.
    grad : ndarray or None
        Sum of the gradients of every `backward` since the last `zero_grad`;
        ``None`` before the first one, like torch's ``.grad``.

    Examples
    --------
    >>> p = Parameter(np.zeros(2))
    >>> p.accumulate(np.array([1.0, 2.0])); p.accumulate(np.array([1.0, 2.0]))
    >>> p.grad
    array([2., 4.])
    >>> p.zero_grad(); p.grad is None
    True
    >>> Parameter("abc")
    Traceback (most recent call last):
    ...
    TypeError: Parameter data (='abc') has dtype <U3; expected a real numeric array ...
    """

    __slots__ = ("data", "grad")

    def __init__(self, data: Any) -> None:
        try:
            arr = np.asarray(data)
        except ValueError as err:  # NumPy's "inhomogeneous shape" for ragged nested lists
            raise ValueError(
                "Parameter data is a ragged nested sequence (rows of different lengths); "
                "expected a rectangular array"
            ) from err
        if arr.dtype.kind not in "biuf":
            shown = repr(data) if len(repr(data)) <= 40 else f"<{type(data).__name__}>"
            raise TypeError(
                f"Parameter data (={shown}) has dtype {arr.dtype}; expected a real numeric "
                "array (e.g. np.asarray(data, dtype=np.float32))"
            )
        self.data: np.ndarray = arr
        self.grad: np.ndarray | None = None

    @property
    def shape(self) -> tuple[int, ...]:
        """Shape of `data`."""
        return self.data.shape

    @property
    def dtype(self) -> np.dtype:
        """The dtype of `data`."""
        return self.data.dtype

    def accumulate(self, grad: np.ndarray) -> None:
        """Add `grad` to ``.grad`` (taking ownership of `grad` when ``.grad`` is None).

        Raises
        ------
        ValueError
            If `grad` does not have exactly the parameter's shape (no broadcasting).
        """
        if np.shape(grad) != self.data.shape:
            raise ValueError(
                f"gradient of shape {np.shape(grad)} for a parameter of shape "
                f"{self.data.shape}; they must be equal"
            )
        if self.grad is None:
            # No copy: every layer hands over a freshly computed array it no longer touches.
            self.grad = grad
        else:
            self.grad += grad

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Forget the gradient (``None``, torch's default) or fill it with zeros."""
        if set_to_none or self.grad is None:
            self.grad = None
        else:
            self.grad.fill(0)

    def __repr__(self) -> str:
        return f"Parameter(shape={self.data.shape}, dtype={self.data.dtype})"
