r"""A multi-input, multi-output convolution drawn as grids of numbers.

One row per output channel $o$: each input channel $x_c$, its kernel $w_{o,c}$ and their
valid correlation $x_c \star w_{o,c}$, then the output $y_o$, the sum of the correlations
plus the bias. Every number comes from `cnnbook.correlate2d` and `cnnbook.conv2d`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from cnnbook.conv2d import conv2d
from cnnbook.correlation import correlate2d

__all__ = ["multichannel_figure"]


def _grid(ax: Axes, values: np.ndarray, title: str) -> None:
    bound = max(float(np.abs(values).max()), 1e-12)
    ax.imshow(values, cmap="RdBu", vmin=-1.6 * bound, vmax=1.6 * bound)
    for (i, j), v in np.ndenumerate(values):
        ax.text(j, i, f"{v:g}", ha="center", va="center", fontsize=9)
    ax.set_title(title, fontsize=9)
    ax.set_xticks([])
    ax.set_yticks([])


def multichannel_figure(x: Any, weight: Any, bias: Any) -> Figure:
    r"""Draw, per output channel, every $x_c$, $w_{o,c}$, $x_c \star w_{o,c}$ and $y_o$.

    Parameters
    ----------
    x : array_like of shape (C_in, H, W)
    weight : array_like of shape (C_out, C_in, kh, kw)
    bias : array_like of shape (C_out,)

    Returns
    -------
    matplotlib.figure.Figure
        ``C_out`` rows of ``3 C_in + 1`` panels; each panel's image holds the numbers it
        prints.

    Examples
    --------
    >>> fig = multichannel_figure(np.ones((2, 3, 3)), np.ones((2, 2, 2, 2)), np.zeros(2))
    >>> len(fig.axes)
    14
    """
    x, w, b = (np.asarray(a, dtype=float) for a in (x, weight, bias))
    y = conv2d(x, w, b)
    c_out, c_in = w.shape[:2]
    fig = Figure(figsize=(1.45 * (3 * c_in + 1), 1.9 * c_out), layout="constrained")
    axes = fig.subplots(c_out, 3 * c_in + 1, squeeze=False)
    for o in range(c_out):
        for c in range(c_in):
            _grid(axes[o, 3 * c], x[c], f"input $x_{c}$")
            _grid(axes[o, 3 * c + 1], w[o, c], f"kernel $w_{{{o}{c}}}$")
            _grid(axes[o, 3 * c + 2], correlate2d(x[c], w[o, c]), f"$x_{c} \\star w_{{{o}{c}}}$")
        _grid(axes[o, -1], y[o], f"$y_{o}$ = sum + $b_{o}$ ({b[o]:g})")
    return fig
