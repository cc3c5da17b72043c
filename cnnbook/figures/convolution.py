"""Figures of the convolution pages: the kernels, the flip, the three modes.

Every number drawn comes from `cnnbook` (`correlate2d`, `convolve2d`,
`conv_output_size`, `KERNELS`); nothing is typed in. The edge-detection and feature-map
figures (`cnnbook.figures.edge_detection`, `cnnbook.figures.feature_map`) and the number
grids they draw with (`cnnbook.figures.number_grid`) have their own modules; their names
stay importable from here.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from cnnbook.correlation import Mode, convolve2d, correlate2d
from cnnbook.figures.edge_detection import EDGE_SLOPE as EDGE_SLOPE
from cnnbook.figures.edge_detection import edge_detection_figure as edge_detection_figure
from cnnbook.figures.edge_detection import edge_direction_mask as edge_direction_mask
from cnnbook.figures.feature_map import FEATURE_MAP_KERNELS as FEATURE_MAP_KERNELS
from cnnbook.figures.feature_map import feature_maps_figure as feature_maps_figure
from cnnbook.figures.number_grid import annotate_cells, largest_magnitude, number_grid
from cnnbook.figures.number_grid import contrasting_text_color as contrasting_text_color
from cnnbook.kernels import KERNELS
from cnnbook.output_size import conv_output_size, same_padding

__all__ = [
    "EDGE_SLOPE",
    "contrasting_text_color",
    "convolution_modes_figure",
    "correlation_vs_convolution_figure",
    "edge_detection_figure",
    "edge_direction_mask",
    "feature_maps_figure",
    "kernel_gallery_figure",
]


def kernel_gallery_figure() -> Figure:
    """Draw every kernel of `cnnbook.KERNELS` with its weights written in its cells.

    Returns
    -------
    matplotlib.figure.Figure
        One panel per kernel, titled with its name, all on one colour scale (one colour
        bar): a colour is the same weight in every kernel.

    Examples
    --------
    >>> fig = kernel_gallery_figure()
    >>> len(fig.axes) == len(KERNELS) + 1  # and one colour bar
    True
    """
    fig = Figure(figsize=(9.8, 9), layout="constrained")
    axes = fig.subplots(3, 3).ravel()
    vmax = largest_magnitude(*KERNELS.values())  # one scale: a colour is the same weight everywhere
    for ax, (name, k) in zip(axes, KERNELS.items(), strict=True):
        image = number_grid(ax, k, name, fmt="{:.2g}", vmax=vmax)
    fig.colorbar(image, ax=axes.tolist(), shrink=0.6, label="weight")
    return fig


def correlation_vs_convolution_figure() -> Figure:
    """Show correlation and convolution of an impulse with an asymmetric kernel: the flip.

    Correlating an impulse writes the kernel rotated by 180°; convolving it
    writes the kernel as it is — convolution is correlation with the flipped kernel.

    Returns
    -------
    matplotlib.figure.Figure
        Four panels: the image, the kernel, ``correlate2d`` and ``convolve2d`` (mode "same").

    Examples
    --------
    >>> [ax.get_title() for ax in correlation_vs_convolution_figure().axes][2]
    "correlate2d(image, kernel, 'same')"
    """
    image = np.zeros((5, 5), dtype=int)
    image[2, 2] = 1
    kernel = np.arange(1, 10).reshape(3, 3)
    corr, conv = correlate2d(image, kernel, "same"), convolve2d(image, kernel, "same")
    vmax = largest_magnitude(image, kernel, corr, conv)  # the kernel's values, moved: one scale
    fig = Figure(figsize=(13, 3.4), layout="constrained")
    axes = fig.subplots(1, 4)
    number_grid(axes[0], image, "image (an impulse)", vmax=vmax)
    number_grid(axes[1], kernel, "kernel", vmax=vmax)
    number_grid(axes[2], corr, "correlate2d(image, kernel, 'same')", vmax=vmax)
    shared = number_grid(axes[3], conv, "convolve2d(image, kernel, 'same')", vmax=vmax)
    fig.colorbar(shared, ax=axes.tolist(), shrink=0.8, label="value")
    return fig


def convolution_modes_figure(image_shape: tuple[int, int] = (4, 5), kernel_size: int = 3) -> Figure:
    r"""Show "valid", "same" and "full" side by side: the padded input above, the output below.

    Parameters
    ----------
    image_shape : pair of int, default (4, 5)
        Size of the image of ones.
    kernel_size : int, default 3
        Side of the box kernel of ones (each output counts the image pixels under it).

    Returns
    -------
    matplotlib.figure.Figure
        Top row: the input with its zero padding (grey); bottom row: the output of
        ``correlate2d``, titled with its size from `conv_output_size`.

    Examples
    --------
    >>> fig = convolution_modes_figure()
    >>> fig.axes[3].get_title()
    'valid: 2 x 3'
    """
    h, w = image_shape
    k = kernel_size
    image = np.ones((h, w), dtype=int)
    kernel = np.ones((k, k), dtype=int)
    # correlate2d's "same" pads like same_padding: the extra cell of an even kernel after.
    paddings: dict[Mode, tuple[int, int]] = {
        "valid": (0, 0),
        "same": same_padding(k),
        "full": (k - 1, k - 1),
    }
    fig = Figure(figsize=(12, 6.5), layout="constrained")
    axes = fig.subplots(2, 3)
    outputs = {mode: correlate2d(image, kernel, mode) for mode in paddings}
    vmax = largest_magnitude(*outputs.values())  # the three outputs on one scale
    for col, (mode, (before, after)) in enumerate(paddings.items()):
        padded = np.pad(image, ((before, after), (before, after)))
        ax = axes[0, col]
        annotate_cells(ax, ax.imshow(padded, cmap="Blues", vmin=-0.5, vmax=1.5), padded)
        ax.add_patch(
            Rectangle((before - 0.5, before - 0.5), w, h, fill=False, edgecolor="k", linewidth=2)
        )
        ax.set_title(f"{mode}: input {h} x {w} padded by {before}/{after}", fontsize=9)
        ax.set_xticks([])
        ax.set_yticks([])
        pad_arg: int | Literal["same"] = "same" if mode == "same" else before
        oh = conv_output_size(h, k, padding=pad_arg)
        ow = conv_output_size(w, k, padding=pad_arg)
        shared = number_grid(
            axes[1, col], outputs[mode], f"{mode}: {oh} x {ow}", cmap="Greens", vmax=vmax
        )
    fig.colorbar(shared, ax=axes[1].tolist(), shrink=0.8, label="output value")
    # Per side: an even kernel's "same" pads 0 before and 1 after, so "2p" would be wrong.
    fig.suptitle(f"{k} x {k} kernel of ones: Y = I + p_before + p_after - k + 1", fontsize=10)
    return fig
