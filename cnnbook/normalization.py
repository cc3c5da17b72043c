r"""What batch normalisation does to a deep stack: the spread of its activations, measured.

A stack of *convolution → ReLU* blocks with PyTorch's default initialisation
multiplies the second moment of its activations by about $1/6$ per block
($\operatorname{Var} w = 1/(3\,\text{fan\_in})$, and ReLU keeps half of it), so
the signal fades geometrically with depth. With a `cnnbook.nn.BatchNorm2d` after
each convolution every block starts again from mean 0 and variance 1, and the
spread stays the same at every depth.
"""

from __future__ import annotations

import numbers

import numpy as np

from cnnbook import nn
from cnnbook._validation import boolean, positive_int

__all__ = ["activation_spread", "deep_stack"]


def _seed(seed: object) -> int:
    if not isinstance(seed, numbers.Integral) or isinstance(seed, bool) or seed < 0:
        raise ValueError(f"seed (={seed!r}) must be a non-negative int")
    return int(seed)


def deep_stack(
    depth: int, channels: int = 8, batch_norm: bool = False, *, seed: int = 0
) -> nn.Sequential:
    """Build `depth` blocks of 3×3 convolution (padding 1, no bias), optional BatchNorm2d, ReLU.

    Parameters
    ----------
    depth : int
        Number of blocks.
    channels : int, default 8
        Channels of the input and of every block.
    batch_norm : bool, default False
        Put a `BatchNorm2d` between each convolution and its ReLU.
    seed : int, default 0
        Seed of the weights (PyTorch's default initialisation), float64.

    Returns
    -------
    nn.Sequential
        ``[Conv2d, (BatchNorm2d,) ReLU] * depth``.

    Examples
    --------
    >>> deep_stack(2, batch_norm=True)[:3]
    Sequential(
      (0): Conv2d(8, 8, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1), bias=False)
      (1): BatchNorm2d(8, eps=1e-05, momentum=0.1, affine=True, bias=True, track_running_stats=True)
      (2): ReLU()
    )
    """
    depth = positive_int("depth", depth)
    channels = positive_int("channels", channels)
    batch_norm = boolean("batch_norm", batch_norm)
    rng = np.random.default_rng(_seed(seed))
    layers: list[nn.Module] = []
    for _ in range(depth):
        # No bias, as in ResNet: a bias before BatchNorm is cancelled by its mean, and
        # without one the plain stack shows the pure multiplicative fading.
        layers.append(
            nn.Conv2d(channels, channels, 3, padding=1, bias=False, rng=rng, dtype=np.float64)
        )
        if batch_norm:
            layers.append(nn.BatchNorm2d(channels, dtype=np.float64))
        layers.append(nn.ReLU())
    return nn.Sequential(*layers)


def activation_spread(
    depth: int = 12,
    channels: int = 8,
    batch_norm: bool = False,
    *,
    batch: int = 16,
    size: int = 16,
    seed: int = 0,
) -> np.ndarray:
    r"""Measure the standard deviation of the activations after each block of a `deep_stack`.

    The input is standard normal noise of shape ``(batch, channels, size, size)``;
    the stack runs in training mode (batch statistics, as during learning).

    Parameters
    ----------
    depth, channels, batch_norm, seed
        As in `deep_stack` (the input noise is drawn from ``seed + 1``).
    batch, size : int, default 16 and 16
        Batch size and side of the input maps.

    Returns
    -------
    ndarray of shape (depth,)
        Entry $\ell$ is the standard deviation of every value of block $\ell + 1$'s output.

    Examples
    --------
    >>> plain = activation_spread(8)
    >>> normed = activation_spread(8, batch_norm=True)
    >>> bool(plain[-1] < 0.01 * plain[0]), bool(abs(normed[-1] - normed[0]) < 0.05)
    (True, True)
    """
    batch = positive_int("batch", batch)
    size = positive_int("size", size)
    channels = positive_int("channels", channels)
    model = deep_stack(depth, channels, batch_norm, seed=_seed(seed))
    x = np.random.default_rng(_seed(seed) + 1).standard_normal((batch, channels, size, size))
    spread = []
    for layer in model:
        x = layer(x)
        if isinstance(layer, nn.ReLU):
            spread.append(float(x.std()))
    return np.array(spread)
