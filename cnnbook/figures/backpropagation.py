"""The backward pass of a one-channel convolution drawn as grids of numbers.

Input, kernel and a random output gradient, then the two gradients the derivation
gives: the weight gradient (valid correlation of the input with the output gradient)
and the input gradient (full convolution of the output gradient with the kernel).
Every number comes from `cnnbook.conv2d_backward_by_correlation`.
"""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from cnnbook.backpropagation import conv2d_backward_by_correlation

__all__ = ["backpropagation_figure"]


def _grid(ax: Axes, values: np.ndarray, title: str) -> None:
    bound = max(float(np.abs(values).max()), 1e-12)
    ax.imshow(values, cmap="RdBu", vmin=-1.6 * bound, vmax=1.6 * bound)
    for (i, j), v in np.ndenumerate(values):
        ax.text(j, i, f"{v:.1f}", ha="center", va="center", fontsize=8)
    ax.set_title(title, fontsize=9)
    ax.set_xticks([])
    ax.set_yticks([])


def backpropagation_figure(size: int = 5, kernel_size: int = 3, seed: int = 0) -> Figure:
    """Draw x, w, a random dL/dy, and dL/dw = x ⋆ dL/dy (valid), dL/dx = dL/dy * w (full).

    Parameters
    ----------
    size : int, default 5
        Input height and width.
    kernel_size : int, default 3
        Kernel height and width.
    seed : int, default 0
        Seed of the integer-valued input, kernel and output gradient.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> len(backpropagation_figure().axes)
    5
    """
    rng = np.random.default_rng(seed)
    out = size - kernel_size + 1
    x = rng.integers(-3, 4, (1, size, size)).astype(float)
    w = rng.integers(-2, 3, (1, 1, kernel_size, kernel_size)).astype(float)
    g = rng.integers(-2, 3, (1, out, out)).astype(float)
    gx, gw, _ = conv2d_backward_by_correlation(g, x, w)
    fig = Figure(figsize=(11, 2.6), layout="constrained")
    axes = fig.subplots(1, 5)
    _grid(axes[0], x[0], "input x")
    _grid(axes[1], w[0, 0], "kernel w")
    _grid(axes[2], g[0], "output gradient ∂L/∂y")
    _grid(axes[3], gw[0, 0], "∂L/∂w = x ⋆ ∂L/∂y (valid)")
    _grid(axes[4], gx[0], "∂L/∂x = ∂L/∂y ∗ w (full)")
    return fig
