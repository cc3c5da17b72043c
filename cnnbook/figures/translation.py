"""Translation: a shifted image beside its shifted feature map, and the error-vs-shift curves.

The feature map is `cnnbook.conv2d_circular` with the Sobel x kernel, the shift
`cnnbook.shift`, and the curves `cnnbook.error_vs_shift`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

import numpy as np
from matplotlib.figure import Figure

from cnnbook.equivariance import conv2d_circular, error_vs_shift, shift
from cnnbook.global_pooling import global_avg_pool2d
from cnnbook.images import photograph
from cnnbook.kernels import sobel_x
from cnnbook.pooling import max_pool2d

__all__ = ["TRANSLATION_CURVES", "translation_figure", "translation_image"]

#: Legend label of each curve, in drawing order.
TRANSLATION_CURVES = (
    "conv (circular): equivariance",
    "conv + max pool 2x2: invariance",
    "conv + max pool 4x4: invariance",
    "conv + global avg pool: invariance",
)


def translation_image() -> np.ndarray:
    """Return the figure's input: the bundled photograph, every 8th pixel, shape (1, 1, 75, 64)."""
    return photograph()[::8, ::8][None, None]


def _features(v: np.ndarray) -> np.ndarray:
    return np.maximum(conv2d_circular(v, sobel_x()[None, None]), 0)


def translation_figure(shift_by: tuple[int, int] = (6, 10), max_shift: int = 12) -> Figure:
    """Draw image, shifted image, their feature maps, and how each map's error grows with shift.

    Parameters
    ----------
    shift_by : pair of int, default (6, 10)
        The (rows, cols) circular shift shown in the top row.
    max_shift : int, default 12
        Largest horizontal shift on the curve.

    Returns
    -------
    matplotlib.figure.Figure
        Panels: image $x$, shifted $Tx$, feature map $f(x)$, feature map $f(Tx)$
        (equal to $T f(x)$: convolution is equivariant), and the error curves
        named in `TRANSLATION_CURVES` against the shift in pixels.

    Examples
    --------
    >>> fig = translation_figure()
    >>> [ax.get_title() for ax in fig.axes[:4]]
    ['image x', 'shifted T x', 'feature map f(x)', 'feature map f(T x) = T f(x)']
    """
    x = translation_image()
    dy, dx = shift_by
    xs = shift(x, dy, dx, "circular")
    fig = Figure(figsize=(10, 6.4))
    grid = fig.add_gridspec(2, 4)
    panels = [(x, "image x"), (xs, "shifted T x"), (_features(x), "feature map f(x)"),
              (_features(xs), "feature map f(T x) = T f(x)")]  # fmt: skip
    for n, (img, title) in enumerate(panels):
        ax = fig.add_subplot(grid[0, n])
        ax.imshow(img[0, 0], cmap="gray")
        ax.set_title(title, fontsize=9)
        ax.set_xticks([])
        ax.set_yticks([])
    maps: list[tuple[Callable[[np.ndarray], np.ndarray], Literal["equivariance", "invariance"]]]
    maps = [
        (_features, "equivariance"),
        (lambda v: max_pool2d(_features(v), 2), "invariance"),
        (lambda v: max_pool2d(_features(v), 4), "invariance"),
        (lambda v: global_avg_pool2d(_features(v)), "invariance"),
    ]
    ax = fig.add_subplot(grid[1, :])
    styles = [("o", "-", 6), ("s", "-", 3), ("^", "-", 3), ("x", "--", 5)]
    for (f, measure), label, (marker, ls, ms) in zip(maps, TRANSLATION_CURVES, styles, strict=True):
        shifts, errors = error_vs_shift(f, x, range(max_shift + 1), measure=measure)
        ax.plot(shifts, errors, marker=marker, ls=ls, ms=ms, label=label)
    ax.set_xlabel("horizontal shift (pixels, circular)")
    ax.set_ylabel("relative error")
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig
