"""Translation: a shifted image beside its shifted feature map, and two separate measurements.

The feature map is `cnnbook.conv2d_circular` with the Sobel x kernel, the shift
`cnnbook.shift`, and the curves `cnnbook.error_vs_shift`: on the left
*equivariance* (does the map move with the input, at its own scale?), on the
right *invariance* (does the output stay the same?). Pooled maps move; moving
is not failing.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from matplotlib.figure import Figure

from cnnbook.equivariance import conv2d_circular, error_vs_shift, shift
from cnnbook.global_invariance import GLOBAL_POOL_NETWORKS, global_pool_network
from cnnbook.global_pooling import global_avg_pool2d
from cnnbook.images import photograph
from cnnbook.kernels import sobel_x
from cnnbook.pooling import max_pool2d

__all__ = ["EQUIVARIANCE_CURVES", "INVARIANCE_CURVES", "translation_figure", "translation_image"]

#: Legend labels of the left panel (equivariance at each map's own scale), in drawing order.
EQUIVARIANCE_CURVES = (
    "conv (circular), stride 1",
    "conv + max pool 2x2, at the pooled scale (shift / 2)",
    "conv + max pool 4x4, at the pooled scale (shift / 4)",
)

#: Legend labels of the right panel (invariance: the output does not change), in drawing order.
INVARIANCE_CURVES = (
    "conv + max pool 2x2",
    "conv + max pool 4x4",
    "conv + global avg pool (total stride 1)",
    "conv, 2x2 max pool, conv + global avg pool (total stride 2)",
)

#: The strided global-pooling network of the right panel, and the seed of its random weights.
_STRIDED = GLOBAL_POOL_NETWORKS["conv → 2×2 max pool → conv → global avg pool"]
_SEED = 0


def translation_image() -> np.ndarray:
    """Return the figure's input: the bundled photograph, every 8th pixel, shape (1, 1, 75, 64)."""
    return photograph()[::8, ::8][None, None]


def _features(v: np.ndarray) -> np.ndarray:
    return np.maximum(conv2d_circular(v, sobel_x()[None, None]), 0)


def translation_figure(shift_by: tuple[int, int] = (6, 10), max_shift: int = 12) -> Figure:
    """Draw image, shifted image, their feature maps, then equivariance and invariance vs shift.

    Parameters
    ----------
    shift_by : pair of int, default (6, 10)
        The (rows, cols) circular shift shown in the top row.
    max_shift : int, default 12
        Largest horizontal shift on the curves.

    Returns
    -------
    matplotlib.figure.Figure
        Top: image $x$, shifted $Tx$, feature map $f(x)$, feature map $f(T x)$
        (equal to $T f(x)$: convolution is equivariant). Bottom left: the
        equivariance error of the maps named in `EQUIVARIANCE_CURVES`, each at its
        own scale (a pooled map is compared with the pooled map shifted by
        shift / stride) — zero at every multiple of the stride. Bottom right: the
        invariance error of the maps named in `INVARIANCE_CURVES`.

    Examples
    --------
    >>> fig = translation_figure(max_shift=4)
    >>> [ax.get_title() for ax in fig.axes[:4]]
    ['image x', 'shifted T x', 'feature map f(x)', 'feature map f(T x) = T f(x)']
    """
    x = translation_image()
    dy, dx = shift_by
    xs = shift(x, dy, dx, "circular")
    fig = Figure(figsize=(11, 7.2))
    grid = fig.add_gridspec(2, 4)
    panels = [(x, "image x"), (xs, "shifted T x"), (_features(x), "feature map f(x)"),
              (_features(xs), "feature map f(T x) = T f(x)")]  # fmt: skip
    for n, (img, title) in enumerate(panels):
        ax = fig.add_subplot(grid[0, n])
        ax.imshow(img[0, 0], cmap="gray")
        ax.set_title(title, fontsize=9)
        ax.set_xticks([])
        ax.set_yticks([])
    shifts = range(max_shift + 1)
    equivariance: list[tuple[Callable[[np.ndarray], np.ndarray], int]] = [
        (_features, 1),
        (lambda v: max_pool2d(_features(v), 2), 2),
        (lambda v: max_pool2d(_features(v), 4), 4),
    ]
    strided = global_pool_network(_STRIDED, np.random.default_rng(_SEED))
    invariance: list[Callable[[np.ndarray], np.ndarray]] = [
        lambda v: max_pool2d(_features(v), 2),
        lambda v: max_pool2d(_features(v), 4),
        lambda v: global_avg_pool2d(_features(v)),
        strided,
    ]
    styles = [("o", "-", 6), ("s", "-", 4), ("^", "-", 4), ("x", "--", 6)]
    left = fig.add_subplot(grid[1, :2])
    for (f, stride), label, (marker, ls, ms) in zip(
        equivariance, EQUIVARIANCE_CURVES, styles, strict=False
    ):
        d, errors = error_vs_shift(f, x, shifts, measure="equivariance", stride=stride)
        left.plot(d, errors, marker=marker, ls=ls, ms=ms, label=label)
    left.set_title("equivariance: does the map move with the input?", fontsize=10)
    right = fig.add_subplot(grid[1, 2:])
    for f, label, (marker, ls, ms) in zip(invariance, INVARIANCE_CURVES, styles, strict=True):
        d, errors = error_vs_shift(f, x, shifts, measure="invariance")
        right.plot(d, errors, marker=marker, ls=ls, ms=ms, label=label)
    right.set_title("invariance: does the output stay the same?", fontsize=10)
    # Symmetric log: the strided network's small non-zero errors stay visible beside
    # max pooling's large ones, and exact zeros still sit on the axis.
    right.set_yscale("symlog", linthresh=1e-3)
    right.set_ylim(0, 1000)  # room above the curves for the legend
    left.set_ylim(-0.05, 1.3)
    for ax in (left, right):
        ax.set_xlabel("horizontal shift (pixels, circular)")
        ax.set_ylabel("relative error" + (" (symmetric log)" if ax is right else ""))
        ax.legend(fontsize=7, loc="upper left", ncols=1, framealpha=0.9)
        ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig
