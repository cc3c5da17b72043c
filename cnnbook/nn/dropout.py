r"""`Dropout`: zero random activations while training, the identity at evaluation.

Each element survives with probability $1 - p$ and is then scaled by
$1/(1-p)$, so the expected activation is the same in both modes (torch's
"inverted" dropout). The mask comes from a NumPy `Generator`; the parity
tests inject torch's mask through ``forward(x, mask=...)``.
"""

from __future__ import annotations

import numbers

import numpy as np

from cnnbook._validation import boolean, grad_like
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
        self.inplace: bool = boolean("inplace", inplace)
        self.rng: np.random.Generator | None = rng
        self._scaled_mask: np.ndarray | None = None
        self._identity: bool = False
        self._shape: tuple[int, ...] | None = None

    def forward(self, x: np.ndarray, mask: np.ndarray | None = None) -> np.ndarray:
        """Apply dropout (training mode) or return `x` (evaluation mode).

        Parameters
        ----------
        x : ndarray of floats, any shape
        mask : ndarray of bool, same shape as `x`, optional
            Elements to keep (True) or zero (False); drawn from `rng` when omitted.
            Ignored in eval mode. It must be boolean: a float mask such as 0.3 has
            no meaning as keep/drop and is refused.

        Raises
        ------
        TypeError
            If `x` is not floating or `mask` is not boolean.
        ValueError
            If `mask` does not have the shape of `x`.
        """
        x = np.asarray(x)
        if x.dtype.kind != "f":
            raise TypeError(f"{self!r} got input of dtype {x.dtype}; expected floats")
        self._identity = not self.training or self.p == 0
        self._shape = x.shape
        self._scaled_mask = None
        if self._identity:
            return x
        if mask is None:
            # NumPy's Generator.random draws float32 or float64 only: draw float32 for
            # half precision (the comparison with p is all the mask needs).
            draw = x.dtype if x.dtype in (np.float32, np.float64) else np.dtype(np.float32)
            keep = init.resolve_rng(self.rng).random(x.shape, dtype=draw) >= self.p
        else:
            keep = np.asarray(mask)
            if keep.dtype != bool:
                raise TypeError(
                    f"{self!r}: mask has dtype {keep.dtype}; expected a boolean array "
                    "(True keeps an element, False zeroes it)"
                )
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
            shape = self._saved(self._shape)
            return grad_like("grad_output", grad_output, shape)
        mask = self._saved(self._scaled_mask)
        return grad_like("grad_output", grad_output, mask.shape) * mask

    def extra_repr(self) -> str:
        """Torch's ``p=..., inplace=...``."""
        return f"p={self.p}, inplace={self.inplace}"
