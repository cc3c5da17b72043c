"""Figures of the Transposed Convolution page: the convolution matrix and checkerboards.

Every value drawn comes from `cnnbook`: `conv2d_matrix` for the matrix and its
transpose, `upsampled_constant` and `interior_spread` for the artefacts.
"""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from cnnbook.checkerboard_artifacts import interior_spread, upsampled_constant
from cnnbook.convolution_matrix import conv2d_matrix

__all__ = ["checkerboard_figure", "checkerboard_panels", "convolution_matrix_figure"]


def _draw_matrix(ax: Axes, m: np.ndarray, title: str, xlabel: str, ylabel: str) -> None:
    """Draw `m` as cells: zeros white, taps shaded by value and labelled with it."""
    shown = np.ma.masked_equal(m, 0)
    ax.imshow(shown, cmap="Blues", vmin=0, vmax=1.6 * float(m.max()), aspect="equal")
    for (r, c), v in np.ndenumerate(m):
        if v:
            ax.text(c, r, f"{v:g}", ha="center", va="center", fontsize=7)
    ax.set_xticks(np.arange(m.shape[1]))
    ax.set_yticks(np.arange(m.shape[0]))
    ax.tick_params(labelsize=6, length=0)
    ax.set_xticks(np.arange(-0.5, m.shape[1]), minor=True)
    ax.set_yticks(np.arange(-0.5, m.shape[0]), minor=True)
    ax.grid(which="minor", color="0.8", linewidth=0.5)
    ax.tick_params(which="minor", length=0)
    ax.set_title(title, fontsize=10)
    ax.set_xlabel(xlabel, fontsize=8)
    ax.set_ylabel(ylabel, fontsize=8)


def convolution_matrix_figure(input_size: int = 4, kernel_size: int = 3, stride: int = 1) -> Figure:
    """Draw a kernel, the matrix $C$ of its convolution and the transpose $C^T$.

    Parameters
    ----------
    input_size : int, default 4
        Side of the (one-channel) input image.
    kernel_size : int, default 3
        Side of the kernel, whose taps are numbered 1, 2, ... so that each can be
        found in the matrix.
    stride : int, default 1

    Returns
    -------
    matplotlib.figure.Figure
        Three panels: the kernel, $C$ (one row per output pixel, one column per input
        pixel, from `conv2d_matrix`) and $C^T$ (the transposed convolution).

    Examples
    --------
    >>> fig = convolution_matrix_figure()
    >>> [ax.images[0].get_array().shape for ax in fig.axes]
    [(3, 3), (4, 16), (16, 4)]
    """
    k = kernel_size
    weight = np.arange(1.0, k * k + 1).reshape(1, 1, k, k)
    c = conv2d_matrix(weight, input_size, stride=stride)
    fig = Figure(figsize=(11, 5.2), layout="constrained")
    grid = fig.add_gridspec(1, 3, width_ratios=[k, c.shape[1], c.shape[0] * 1.4])
    _draw_matrix(fig.add_subplot(grid[0]), weight[0, 0], "kernel w", "column", "row")
    _draw_matrix(
        fig.add_subplot(grid[1]),
        c,
        f"C: conv2d, {input_size}×{input_size} → {c.shape[0]} outputs",
        "input pixel (row-major)",
        "output pixel",
    )
    _draw_matrix(
        fig.add_subplot(grid[2]),
        c.T,
        "Cᵀ: conv_transpose2d",
        "input pixel",
        "output pixel",
    )
    return fig


def checkerboard_panels(size: int = 8, stride: int = 2) -> dict[str, tuple[np.ndarray, int]]:
    """Return the upsampled constant images the checkerboard figure draws, with their margins.

    Keys: ``"transposed, k = 3"``, ``"transposed, k = 4"`` and
    ``"nearest ×2 + conv, k = 3"``; kernels of ones (`upsampled_constant`); each
    margin is the kernel size (the border `interior_spread` leaves out).

    Examples
    --------
    >>> for name, (y, margin) in checkerboard_panels().items():
    ...     print(name, y.shape, margin)
    transposed, k = 3 (17, 17) 3
    transposed, k = 4 (18, 18) 4
    nearest ×2 + conv, k = 3 (16, 16) 3
    """
    return {
        f"transposed, k = {k}": (upsampled_constant(np.ones((k, k)), stride, size), k)
        for k in (stride + 1, 2 * stride)
    } | {
        f"nearest ×{stride} + conv, k = {stride + 1}": (
            upsampled_constant(
                np.ones((stride + 1, stride + 1)), stride, size, method="resize-convolution"
            ),
            stride + 1,
        )
    }


def checkerboard_figure(size: int = 8, stride: int = 2) -> Figure:
    """Draw three ways to upsample a constant image by `stride`, and a row through each.

    Parameters
    ----------
    size : int, default 8
        Side of the constant input (all ones).
    stride : int, default 2

    Returns
    -------
    matplotlib.figure.Figure
        Three images (`checkerboard_panels`), each titled with the interior's
        max / min (`interior_spread`) and framed where its interior starts, and a
        fourth panel plotting the middle row of each divided by its interior mean.

    Examples
    --------
    >>> fig = checkerboard_figure()
    >>> [ax.get_title().splitlines()[0] for ax in fig.axes[:3]]
    ['transposed, k = 3', 'transposed, k = 4', 'nearest ×2 + conv, k = 3']
    """
    panels = checkerboard_panels(size, stride)
    fig = Figure(figsize=(13, 3.6), layout="constrained")
    axes = fig.subplots(1, 4, width_ratios=[1, 1, 1, 1.6])
    for ax, (name, (y, margin)) in zip(axes[:3], panels.items(), strict=True):
        spread = interior_spread(y, margin)
        ax.imshow(y, cmap="gray", vmin=0)
        h, w = y.shape
        ax.add_patch(
            Rectangle(
                (margin - 0.5, margin - 0.5),
                w - 2 * margin,
                h - 2 * margin,
                fill=False,
                edgecolor="tab:orange",
                linestyle="--",
            )
        )
        ax.set_title(f"{name}\ninterior max/min = {spread.ratio:.3g}", fontsize=9)
        ax.set_axis_off()
        row = y[h // 2]
        inner_mean = y[margin : h - margin, margin : w - margin].mean()
        axes[3].plot(np.arange(w) - w / 2, row / inner_mean, marker=".", label=name)
    axes[3].set_title("middle row ÷ interior mean", fontsize=9)
    axes[3].set_xlabel("column (centred)")
    axes[3].legend(fontsize=7, loc="lower center")
    return fig
