r"""`Dropout`: zero random activations while training, the identity at evaluation.

Each element survives with probability $1 - p$ and is then scaled by
$1/(1-p)$, so the expected activation is the same in both modes (torch's
"inverted" dropout). The mask comes from a NumPy `Generator`; the parity
tests inject torch's mask through ``forward(x, mask=...)``.
"""

from __future__ import annotations

import numbers

import numpy as np

from cnnbook.nn import init
from cnnbook.nn.module import Module

__all__ = ["Dropout"]


class Dropout(Module):
    r"""Randomly zero elements with probability `p` in training mode.

    Parameters
    ----------
    p : float, default 0.5
        Probability of zeroing an element, in $[0, 1]$.
    inplace : bool, default False
        Write the result into the input array (as torch's ``inplace``).
    rng : numpy.random.Generator or None, default None
        Source of the masks; None uses `cnnbook.nn.init`'s default generator.

    Notes
    -----
    Training: $y = x \odot m / (1-p)$ with $m_i \sim \text{Bernoulli}(1-p)$ and
    $\partial L/\partial x = \partial L/\partial y \odot m / (1-p)$. Evaluation:
    $y = x$. With $p = 1$ everything is zeroed.

    Examples
    --------
    >>> drop = Dropout(p=0.5)
    >>> drop(np.ones(4), mask=np.array([True, False, True, True]))
    array([2., 0., 2., 2.])
    >>> drop.backward(np.ones(4))
    array([2., 0., 2., 2.])
    >>> drop.eval()(np.ones(4))
    array([1., 1., 1., 1.])
    """

    def __init__(
        self, p: float = 0.5, inplace: bool = False, *, rng: np.random.Generator | None = None
    ) -> None:
        super().__init__()
        if not isinstance(p, numbers.Real) or isinstance(p, bool) or not 0 <= p <= 1:
            raise ValueError(f"p (={p!r}) must be a probability in [0, 1]")
        self.p: float = float(p)
        self.inplace: bool = inplace
        self.rng: np.random.Generator | None = rng
        self._scaled_mask: np.ndarray | None = None
        self._identity: bool = False

    def forward(self, x: np.ndarray, mask: np.ndarray | None = None) -> np.ndarray:
        """Apply dropout (training mode) or return `x` (evaluation mode).

        Parameters
        ----------
        x : ndarray of floats, any shape
        mask : ndarray of bool, same shape as `x`, optional
            Elements to keep; drawn from `rng` when omitted. Ignored in eval mode.
        """
        x = np.asarray(x)
        if x.dtype.kind != "f":
            raise TypeError(f"{self!r} got input of dtype {x.dtype}; expected floats")
        self._identity = not self.training or self.p == 0
        if self._identity:
            return x
        if mask is None:
            keep = init.resolve_rng(self.rng).random(x.shape, dtype=x.dtype) >= self.p
        else:
            keep = np.asarray(mask, dtype=bool)
            if keep.shape != x.shape:
                raise ValueError(f"{self!r}: mask has shape {keep.shape}; input has {x.shape}")
        scale = 0.0 if self.p == 1 else 1 / (1 - self.p)
        self._scaled_mask = keep * x.dtype.type(scale)
        if self.inplace:
            x *= self._scaled_mask
            return x
        return x * self._scaled_mask

    def backward(self, grad_output: np.ndarray) -> np.ndarray:
        """Scale the gradient by the same mask (or pass it through in eval mode)."""
        if self._identity:
            return grad_output
        return grad_output * self._saved(self._scaled_mask)

    def extra_repr(self) -> str:
        """Torch's ``p=..., inplace=...``."""
        return f"p={self.p}, inplace={self.inplace}"
