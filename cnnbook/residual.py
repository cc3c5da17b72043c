r"""What a skip connection does to the gradient of a deep stack: measured per block.

A plain block $x_{\ell+1} = f_\ell(x_\ell)$ multiplies the gradient flowing back by
its Jacobian: $\partial L/\partial x_\ell = J_\ell^\top\, \partial L/\partial x_{\ell+1}$,
so through $D$ blocks it is a product of $D$ factors, and it fades (or explodes)
geometrically when they are not all of norm 1. A residual block
$x_{\ell+1} = x_\ell + f_\ell(x_\ell)$ has Jacobian $I + J_\ell$: the identity
path hands every earlier block the later gradient *unchanged*, plus the
body's contribution, so the gradient cannot vanish along the way (He et al., 2016).

`gradient_norms` measures it on a stack of *3×3 convolution → ReLU* blocks with
PyTorch's default initialisation, with and without the identity path.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from cnnbook import nn
from cnnbook._validation import boolean, positive_int

__all__ = ["gradient_norms", "residual_stack"]


class _Residual(nn.Module):
    """``x + relu(conv(x))``: the identity path around one block (the page-author pattern)."""

    def __init__(self, body: nn.Sequential) -> None:
        super().__init__()
        self.body = body

    def forward(self, x: np.ndarray) -> np.ndarray:
        out: np.ndarray = x + self.body(x)
        return out

    def backward(self, grad_output: np.ndarray) -> np.ndarray:
        # A sum sends the same gradient down both paths; what comes back is added.
        body: Any = self.body.backward(grad_output)
        out: np.ndarray = grad_output + body
        return out


def _seed(seed: object) -> int:
    if not isinstance(seed, numbers.Integral) or isinstance(seed, bool) or seed < 0:
        raise ValueError(f"seed (={seed!r}) must be a non-negative int")
    return int(seed)


def residual_stack(
    depth: int, channels: int = 8, residual: bool = True, *, seed: int = 0
) -> nn.Sequential:
    """Build `depth` blocks of 3×3 convolution (padding 1, no bias) → ReLU, float64.

    Parameters
    ----------
    depth : int
    channels : int, default 8
    residual : bool, default True
        Wrap each block in an identity path: ``x + relu(conv(x))``.
    seed : int, default 0
        Seed of the weights (PyTorch's default initialisation); the same weights
        with and without the identity path.

    Examples
    --------
    >>> residual_stack(2, 4, residual=False)
    Sequential(
      (0): Sequential(
        (0): Conv2d(4, 4, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1), bias=False)
        (1): ReLU()
      )
      (1): Sequential(
        (0): Conv2d(4, 4, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1), bias=False)
        (1): ReLU()
      )
    )
    """
    depth = positive_int("depth", depth)
    channels = positive_int("channels", channels)
    residual = boolean("residual", residual)
    rng = np.random.default_rng(_seed(seed))
    blocks: list[nn.Module] = []
    for _ in range(depth):
        body = nn.Sequential(
            nn.Conv2d(channels, channels, 3, padding=1, bias=False, rng=rng, dtype=np.float64),
            nn.ReLU(),
        )
        blocks.append(_Residual(body) if residual else body)
    return nn.Sequential(*blocks)


def gradient_norms(
    depth: int = 20,
    channels: int = 8,
    residual: bool = False,
    *,
    batch: int = 8,
    size: int = 16,
    seed: int = 0,
) -> np.ndarray:
    r"""Measure the gradient's norm at the input of every block, relative to the output's.

    The input is standard normal noise ``(batch, channels, size, size)`` (seed
    ``seed + 1``), the gradient arriving at the output standard normal (seed
    ``seed + 2``); the package's backward carries it to every block's input.

    Parameters
    ----------
    depth, channels, residual, seed
        As in `residual_stack`.
    batch, size : int, default 8 and 16

    Returns
    -------
    ndarray of shape (depth,)
        Entry $\ell$ is $\lVert \partial L/\partial x_\ell \rVert \,/\,
        \lVert \partial L/\partial x_D \rVert$, with $x_\ell$ the input of block
        $\ell + 1$ (entry 0: the network's input) and $x_D$ the output.

    Examples
    --------
    >>> plain, skip = gradient_norms(12), gradient_norms(12, residual=True)
    >>> bool(plain[0] < 1e-3), bool(skip[0] > 1)
    (True, True)
    """
    batch = positive_int("batch", batch)
    size = positive_int("size", size)
    model = residual_stack(depth, channels, residual, seed=seed)
    seed = _seed(seed)
    x = np.random.default_rng(seed + 1).standard_normal((batch, channels, size, size))
    out = model(x)
    g = np.random.default_rng(seed + 2).standard_normal(out.shape)
    top = float(np.linalg.norm(g))
    norms = []
    for block in reversed(list(model)):
        g = block.backward(g)
        norms.append(float(np.linalg.norm(g)) / top)
    return np.array(norms[::-1])
