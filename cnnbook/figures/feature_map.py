"""The figure of the Feature Map page: classic kernels applied to the photograph.

Every map drawn is `cnnbook.correlate2d` of `cnnbook.photograph` with a kernel of
`cnnbook.KERNELS`.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from cnnbook.correlation import correlate2d
from cnnbook.images import photograph
from cnnbook.kernels import KERNELS

__all__ = ["FEATURE_MAP_KERNELS", "feature_maps_figure"]

FEATURE_MAP_KERNELS = ("gaussian blur", "sharpen", "sobel x", "sobel y", "laplacian")


def feature_maps_figure(kernel_names: tuple[str, ...] = FEATURE_MAP_KERNELS) -> Figure:
    """Apply several classic kernels to the photograph: one feature map each.

    Parameters
    ----------
    kernel_names : tuple of str
        Keys of `cnnbook.KERNELS`.

    Returns
    -------
    matplotlib.figure.Figure
        The photograph, then ``correlate2d(photograph(), KERNELS[name], "valid")`` per name,
        all maps on one grey scale with one colour bar.

    Raises
    ------
    KeyError
        If a name is not in `cnnbook.KERNELS`.

    Examples
    --------
    >>> [ax.get_title() for ax in feature_maps_figure(("sobel x",)).axes][:2]
    ['photograph 600 x 512', 'sobel x: 598 x 510']
    """
    photo = photograph()
    maps = [(name, correlate2d(photo, KERNELS[name], "valid")) for name in kernel_names]
    n = len(maps) + 1
    cols = min(n, 3)
    rows = -(-n // cols)
    fig = Figure(figsize=(4 * cols, 4.6 * rows), layout="constrained")
    axes = np.atleast_1d(fig.subplots(rows, cols)).ravel()
    axes[0].imshow(photo, cmap="gray", vmin=0, vmax=1)
    axes[0].set_title(f"photograph {photo.shape[0]} x {photo.shape[1]}", fontsize=9)
    # One grey scale for every map, so their strengths compare: -v black, 0 mid grey,
    # +v white, v the 99th percentile of all |values| (a few extremes would wash it out).
    v = float(np.percentile(np.abs(np.concatenate([m.ravel() for _, m in maps])), 99)) or 1.0
    for ax, (name, fmap) in zip(axes[1:], maps, strict=False):
        shared = ax.imshow(fmap, cmap="gray", vmin=-v, vmax=v)
        ax.set_title(f"{name}: {fmap.shape[0]} x {fmap.shape[1]}", fontsize=9)
    for ax in axes:
        ax.set_xticks([])
        ax.set_yticks([])
    for ax in axes[n:]:
        fig.delaxes(ax)
    fig.colorbar(shared, ax=axes[1:n].tolist(), shrink=0.6, label="feature map value")
    return fig
