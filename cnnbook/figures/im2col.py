"""im2col drawn: every window of the input as one column, then one matrix product.

Left, the input channels with each window's outline in its own colour; middle, the
im2col matrix (one column per output pixel, coloured like its window; rows ordered
channel, kernel row, kernel column); right, the weight matrix (one row per output
channel) and their product, which is `conv2d`'s output read row by row (checked in the
tests). Every number comes from `cnnbook.im2col.im2col`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from cnnbook.im2col import im2col

__all__ = ["im2col_figure", "im2col_matrix"]

_COLORS = ("#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666666")


def im2col_matrix(x: Any, kernel_size: tuple[int, int]) -> np.ndarray:
    """Return the compact im2col matrix ``(C * kh * kw, OH * OW)`` of one image ``(C, H, W)``.

    Examples
    --------
    >>> im2col_matrix(np.arange(9.0).reshape(1, 3, 3), (2, 2))[:, 0]  # the first window
    array([0., 1., 3., 4.])
    """
    image = np.asarray(x, dtype=float)
    cols = im2col(image[None], kernel_size)
    ow = image.shape[2] - kernel_size[1] + 1
    return cols[:, 0, :, :ow].reshape(cols.shape[0], -1)


def _numbers(ax: Axes, values: np.ndarray, colors: list[str] | None = None) -> None:
    rows, cols = values.shape
    ax.set_xlim(-0.5, cols - 0.5)
    ax.set_ylim(rows - 0.5, -0.5)
    ax.set_aspect("equal")
    for (i, j), v in np.ndenumerate(values):
        face = colors[j] if colors else "#f2f2f2"
        ax.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, facecolor=face, alpha=0.35, lw=0.5,
                               edgecolor="white"))  # fmt: skip
        ax.text(j, i, f"{v:g}", ha="center", va="center", fontsize=8)
    ax.set_xticks([])
    ax.set_yticks([])


def im2col_figure(x: Any, weight: Any) -> Figure:
    """Draw the input's windows, the im2col matrix, the weight matrix and their product.

    Parameters
    ----------
    x : array_like of shape (C, H, W)
        One image (small: every number is printed).
    weight : array_like of shape (C_out, C, kh, kw)

    Returns
    -------
    matplotlib.figure.Figure
        Panels: the ``C`` input channels, the im2col matrix, the weight matrix and the
        product; each matrix panel's texts are its numbers, row by row.

    Examples
    --------
    >>> len(im2col_figure(np.ones((2, 3, 3)), np.ones((2, 2, 2, 2))).axes)
    5
    """
    image, w = np.asarray(x, dtype=float), np.asarray(weight, dtype=float)
    c, h, width = image.shape
    kh, kw = w.shape[2:]
    oh, ow = h - kh + 1, width - kw + 1
    cols = im2col_matrix(image, (kh, kw))
    w_matrix = w.reshape(w.shape[0], -1)
    product = w_matrix @ cols
    colors = [_COLORS[p % len(_COLORS)] for p in range(oh * ow)]
    fig = Figure(figsize=(2.0 * c + 0.5 * (cols.shape[1] + w_matrix.shape[1]) + 3, 3.6),
                 layout="constrained")  # fmt: skip
    ratios = [width] * c + [cols.shape[1], w_matrix.shape[1], product.shape[1]]
    axes = fig.subplots(1, c + 3, width_ratios=ratios)
    for ch in range(c):
        _numbers(axes[ch], image[ch])
        for p, color in enumerate(colors):
            i, j = divmod(p, ow)
            d = 0.08 * (1 + p % 3)  # nested insets: overlapping windows stay visible
            corner, size = (j - 0.5 + d, i - 0.5 + d), (kw - 2 * d, kh - 2 * d)
            axes[ch].add_patch(Rectangle(corner, *size, fill=False, edgecolor=color, lw=1.6))
        axes[ch].set_title(f"input channel {ch}\n(windows outlined)", fontsize=9)
    _numbers(axes[c], cols, colors)
    axes[c].set_title(f"im2col matrix\n{cols.shape[0]} × {cols.shape[1]}: a column per window",
                      fontsize=9)  # fmt: skip
    _numbers(axes[c + 1], w_matrix)
    axes[c + 1].set_title(f"weights as a matrix\n{w_matrix.shape[0]} × {w_matrix.shape[1]}",
                          fontsize=9)  # fmt: skip
    _numbers(axes[c + 2], product, colors)
    axes[c + 2].set_title(f"weights @ columns\n= conv2d output ({w.shape[0]} × {oh}·{ow})",
                          fontsize=9)  # fmt: skip
    return fig
