r"""The effective receptive field: how much each input cell actually moves one output unit.

The receptive field of `cnnbook.receptive_field` is a box: every cell outside it
has no effect on the unit. Inside, the effect is far from even. Luo, Li, Urtasun
& Zemel ("Understanding the Effective Receptive Field in Deep Convolutional
Neural Networks", NeurIPS 2016) measure it by the gradient of one centre output
unit $y$ with respect to every input cell, $\partial y / \partial x_{ij}$: a
cell in the middle of the box reaches $y$ along many paths through the layers,
a cell at its edge along few. For $n$ stacked $k \times k$ kernels of equal
weights the gradient map is the $n$-fold convolution of a $k \times k$ box with
itself, which tends to a Gaussian of standard deviation

$$\sigma_n = \sqrt{n\, \frac{k^2 - 1}{12}}\quad\text{per axis,}$$

so the *effective* field grows like $\sqrt{n}$ while the box grows like $n$:
it fills an ever smaller part of it. With random zero-mean weights the *mean
square* gradient is that same convolution (paths through different weights
are uncorrelated), so the same law holds.

`effective_receptive_field` measures the map for any `cnnbook.nn` model by its
own backward pass (one forward/backward for a batch of inputs);
`cnnbook.erf_by_depth` (module `cnnbook.erf_growth`) measures its spread for random
stacks of growing depth.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass
from typing import Any

import numpy as np

from cnnbook import nn
from cnnbook._validation import (
    as_numeric_array,
    finite_real,
    pair,
    positive_int,
    positive_pair,
)

__all__ = ["EffectiveField", "effective_receptive_field", "image_patches"]


@dataclass(frozen=True)
class EffectiveField:
    r"""The gradient map of one output unit with respect to the input.

    Attributes
    ----------
    magnitude : ndarray of shape (H, W)
        Mean over the inputs of $|\partial y / \partial x_{ij}|$ (summed over input
        channels): the picture of the effective receptive field.
    energy : ndarray of shape (H, W)
        Mean of $(\partial y / \partial x_{ij})^2$: the map whose spread is measured.
    unit : pair of int
        The output unit ``(i, j)``.
    """

    magnitude: np.ndarray
    energy: np.ndarray
    unit: tuple[int, int]

    def _weights(self) -> np.ndarray:
        total = self.energy.sum()
        if total <= 0:
            raise ValueError(
                "the gradient map is zero everywhere: the unit depends on no input, or a "
                "ReLU before it is off for every input (measure more or other inputs)"
            )
        return self.energy / total

    @property
    def centre(self) -> tuple[float, float]:
        """Mean row and column of the `energy` map taken as a distribution."""
        p = self._weights()
        rows, cols = np.indices(p.shape)
        return float((p * rows).sum()), float((p * cols).sum())

    @property
    def spread(self) -> tuple[float, float]:
        r"""Standard deviation of the `energy` map along rows and columns, in input cells.

        $\sigma = \sqrt{\sum_{ij} p_{ij} (i - \bar\imath)^2}$ with
        $p = $ energy / its sum (likewise for columns).
        """
        p = self._weights()
        rows, cols = np.indices(p.shape)
        ci, cj = self.centre
        return (
            float(np.sqrt((p * (rows - ci) ** 2).sum())),
            float(np.sqrt((p * (cols - cj) ** 2).sum())),
        )

    def fraction_inside(self, rows: tuple[int, int], cols: tuple[int, int]) -> float:
        """Share of the `energy` map inside the box of rows and columns (inclusive).

        Examples
        --------
        >>> field = EffectiveField(np.ones((3, 3)), np.ones((3, 3)), (1, 1))
        >>> field.fraction_inside((1, 1), (0, 2))
        0.3333333333333333
        """
        (r0, r1), (c0, c1) = pair("rows", rows), pair("cols", cols)
        p = self._weights()
        return float(p[max(r0, 0) : r1 + 1, max(c0, 0) : c1 + 1].sum())


def _model_dtype(model: nn.Module) -> np.dtype:
    for p in model.parameters():
        if p.dtype.kind == "f":
            return p.dtype
    return np.dtype(np.float64)


def effective_receptive_field(
    model: nn.Module,
    input_size: int | tuple[int, int] | None = None,
    *,
    inputs: Any = None,
    in_channels: int | None = None,
    samples: int = 16,
    unit: tuple[int, int] | None = None,
    channel: int = 0,
    seed: int = 0,
) -> EffectiveField:
    r"""Measure the gradient map of one output unit of `model` over its input.

    Parameters
    ----------
    model : nn.Module
        A `cnnbook.nn` model mapping ``(N, C, H, W)`` to ``(N, C', H', W')`` with a
        ``backward``. It is run in evaluation mode (so the samples of the batch do not
        interact through batch statistics) and left in the mode it was in; its
        parameters' gradients are left as they were.
    input_size : int or pair of int, optional
        $(H, W)$ of random standard-normal inputs; required unless `inputs` is given.
    inputs : array_like of shape (N, C, H, W), optional
        The inputs to measure at (e.g. image patches), instead of random ones.
    in_channels : int, optional
        $C$ of the random inputs; default the ``in_channels`` of the model's first layer
        that has one (its first convolution), else 1.
    samples : int, default 16
        $N$, the number of random inputs the maps are averaged over.
    unit : pair of int, optional
        Output unit ``(i, j)``; default the centre ``(H' // 2, W' // 2)``.
    channel : int, default 0
        Output channel of the unit.
    seed : int, default 0
        Seed of the random inputs.

    Returns
    -------
    EffectiveField
        The mean gradient magnitude and mean square gradient maps, shape ``(H, W)``.

    Raises
    ------
    TypeError
        `model` is not a `cnnbook.nn.Module`; a non-int size, count or index.
    ValueError
        Neither or both of `input_size` and `inputs`; `inputs` not 4-D or not
        finite; `unit` or `channel` outside the output.

    Notes
    -----
    The whole batch goes through one forward pass; the output gradient is 1 at
    ``(n, channel, i, j)`` for every sample $n$ and 0 elsewhere, so one backward
    pass gives every $\partial y_n / \partial x_n$ at once.

    Examples
    --------
    >>> convs = [nn.Conv2d(1, 1, 3, padding=1, bias=False, dtype=np.float64) for _ in range(2)]
    >>> for conv in convs:
    ...     conv.weight.data[:] = 1.0
    >>> field = effective_receptive_field(nn.Sequential(*convs), 7, samples=1)
    >>> field.magnitude.astype(int)  # a 3x3 box convolved with itself
    array([[0, 0, 0, 0, 0, 0, 0],
           [0, 1, 2, 3, 2, 1, 0],
           [0, 2, 4, 6, 4, 2, 0],
           [0, 3, 6, 9, 6, 3, 0],
           [0, 2, 4, 6, 4, 2, 0],
           [0, 1, 2, 3, 2, 1, 0],
           [0, 0, 0, 0, 0, 0, 0]])
    >>> round(field.fraction_inside((2, 4), (2, 4)), 4)  # centre 3x3: (17/19)**2 of the energy
    0.8006
    """
    if not isinstance(model, nn.Module):
        raise TypeError(f"model (={type(model).__name__}) must be a cnnbook.nn.Module")
    dtype = _model_dtype(model)
    if (input_size is None) == (inputs is None):
        raise ValueError("give exactly one of input_size (random inputs) and inputs")
    if inputs is None:
        h, w = positive_pair("input_size", input_size)
        if in_channels is None:
            first = next((m for m in model.modules() if hasattr(m, "in_channels")), None)
            in_channels = 1 if first is None else first.in_channels
        c, n = positive_int("in_channels", in_channels), positive_int("samples", samples)
        if not isinstance(seed, numbers.Integral) or isinstance(seed, bool) or seed < 0:
            raise ValueError(f"seed (={seed!r}) must be a non-negative int")
        x = np.random.default_rng(int(seed)).standard_normal((n, c, h, w)).astype(dtype)
    else:
        x = as_numeric_array("inputs", inputs, ndim=4).astype(dtype)  # a copy: never modified
        if not np.isfinite(x).all():
            raise ValueError("inputs contains NaN or infinite values")
    modes = [(m, m.training) for m in model.modules()]
    saved = [(p, None if p.grad is None else p.grad.copy()) for p in model.parameters()]
    model.eval()
    try:
        y = model(x)
        oc, oh, ow = y.shape[1:]
        i, j = (oh // 2, ow // 2) if unit is None else pair("unit", unit)
        if not (0 <= i < oh and 0 <= j < ow):
            raise ValueError(f"unit (={unit!r}) must index the output, of size {(oh, ow)}")
        if not isinstance(channel, numbers.Integral) or isinstance(channel, bool):
            raise TypeError(f"channel (={channel!r}) must be an int")
        if not 0 <= channel < oc:
            raise ValueError(f"channel (={channel!r}) must be in [0, {oc}), the output channels")
        grad = np.zeros_like(y)
        grad[:, channel, i, j] = 1.0
        gx = np.asarray(model.backward(grad), dtype=np.float64)
    finally:
        for m, mode in modes:
            object.__setattr__(m, "training", mode)
        for p, g in saved:
            p.grad = g
    return EffectiveField(
        magnitude=np.abs(gx).sum(axis=1).mean(axis=0),
        energy=(gx**2).sum(axis=1).mean(axis=0),
        unit=(int(i), int(j)),
    )


def image_patches(
    images: Any, size: int, count: int = 16, *, noise: float = 0.0, seed: int = 0
) -> np.ndarray:
    """Cut random square patches from grey images, optionally adding Gaussian noise.

    Inputs for `effective_receptive_field` when the model was trained on images
    (a denoiser measured on noisy photographs, not on random numbers).

    Parameters
    ----------
    images : sequence of array_like of shape (H, W)
        Grey images, each at least `size` on a side.
    size : int
        Side of the square patches.
    count : int, default 16
        Number of patches; each from an image drawn at random.
    noise : float, default 0.0
        Standard deviation of the Gaussian noise added (in the images' units).
    seed : int, default 0

    Returns
    -------
    ndarray of shape (count, 1, size, size), float64

    Raises
    ------
    TypeError, ValueError
        No images, an image that is not 2-D or smaller than `size`, a non-positive
        `size` or `count`, a negative or non-finite `noise`.

    Examples
    --------
    >>> image_patches([np.arange(16.0).reshape(4, 4)], 2, count=3).shape
    (3, 1, 2, 2)
    """
    size, count = positive_int("size", size), positive_int("count", count)
    noise = finite_real("noise", noise, minimum=0.0)
    if not isinstance(seed, numbers.Integral) or isinstance(seed, bool) or seed < 0:
        raise ValueError(f"seed (={seed!r}) must be a non-negative int")
    if isinstance(images, np.ndarray) and images.ndim == 2:
        images = [images]
    arrays = [as_numeric_array(f"images[{i}]", im, ndim=2) for i, im in enumerate(images)]
    if not arrays:
        raise ValueError("images is empty; expected at least one image")
    for i, im in enumerate(arrays):
        if min(im.shape) < size:
            raise ValueError(f"images[{i}] (shape {im.shape}) is smaller than size (={size})")
    rng = np.random.default_rng(int(seed))
    out = np.empty((count, 1, size, size))
    for n in range(count):  # one patch per step: count is small, each is a slice
        im = arrays[rng.integers(len(arrays))]
        r, c = rng.integers(im.shape[0] - size + 1), rng.integers(im.shape[1] - size + 1)
        out[n, 0] = im[r : r + size, c : c + size]
    if noise > 0:
        out += rng.normal(0.0, noise, out.shape)
    return out
