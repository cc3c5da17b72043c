"""Layers drawn as what they connect: local vs dense connectivity, and a conv layer's shapes.

The connection matrices are Jacobians computed by `cnnbook.conv2d` (one one-hot
input per column); the shapes in the layer diagram are those `cnnbook.nn.Conv2d`
produces when run.
"""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, Rectangle

from cnnbook.conv2d import conv2d
from cnnbook.nn import Conv2d

__all__ = ["connectivity_figure", "conv_layer_figure"]


def _conv_jacobian(weight: np.ndarray, input_size: int) -> np.ndarray:
    """Return the (OH*OW, H*W) matrix of a one-channel valid `conv2d`: row = output, col = input."""
    n = input_size * input_size
    unit_inputs = np.eye(n).reshape(n, 1, input_size, input_size)
    out = conv2d(unit_inputs, weight[None, None])  # linear, so column q is conv2d(e_q)
    return out.reshape(n, -1).T


def connectivity_figure(input_size: int = 6, kernel_size: int = 3, seed: int = 0) -> Figure:
    """Draw the weight matrix of a dense layer beside the equivalent matrix of a convolution.

    Parameters
    ----------
    input_size : int, default 6
        One-channel square input of ``input_size**2`` cells.
    kernel_size : int, default 3
        Square kernel; the convolution is "valid", so it has ``(input_size - kernel_size + 1)**2``
        outputs, and so does the dense layer it is compared with.
    seed : int, default 0
        Seed of the (random) weights.

    Returns
    -------
    matplotlib.figure.Figure
        Two panels, one row per output and one column per input: a dense layer
        (every entry a weight) and the convolution's Jacobian (white where an
        output does not see an input; the same colours recur: weight sharing).

    Examples
    --------
    >>> fig = connectivity_figure()
    >>> [ax.get_title().splitlines()[0] for ax in fig.axes]
    ['fully connected: 576 weights', 'convolution 3 x 3: 144 connections, 9 weights']
    """
    rng = np.random.default_rng(seed)
    shape = (kernel_size, kernel_size)
    kernel = rng.uniform(0.2, 1.0, size=shape) * rng.choice([-1, 1], shape)  # distinct taps
    jac = _conv_jacobian(kernel, input_size)
    dense = rng.uniform(-1.0, 1.0, size=jac.shape)
    n_out, n_in = jac.shape
    fig = Figure(figsize=(10, 3.6))
    ax_dense, ax_conv = fig.subplots(1, 2)
    limit = float(np.abs(jac).max())
    titles = [
        f"fully connected: {dense.size} weights\neach output sees all {n_in} inputs",
        f"convolution {kernel_size} x {kernel_size}: {np.count_nonzero(jac)} connections, "
        f"{np.unique(jac[jac != 0]).size} weights\n"
        f"each output sees {np.count_nonzero(jac[0])} inputs (its local receptive field)",
    ]
    for ax, matrix, title in zip((ax_dense, ax_conv), (dense, jac), titles, strict=True):
        shown = np.where(matrix == 0, np.nan, matrix)
        ax.imshow(shown, cmap="RdBu_r", vmin=-limit, vmax=limit, interpolation="nearest")
        ax.set_facecolor("white")
        ax.set_title(title, fontsize=9)
        ax.set_xlabel(f"input cell (row-major, {n_in})", fontsize=8)
        ax.set_ylabel(f"output cell ({n_out})", fontsize=8)
        ax.tick_params(labelsize=7)
    fig.tight_layout()
    return fig


def _stack(ax: Axes, x: float, y: float, h: float, w: float, n: int, colour: str) -> None:
    """Draw `n` channel slices of height `h` and width `w`, each offset up and to the right."""
    step = 0.18
    for c in reversed(range(min(n, 6))):
        ax.add_patch(
            Rectangle((x + c * step, y + c * step), w, h, facecolor=colour, edgecolor="black",
                      lw=0.8, alpha=0.9)
        )  # fmt: skip


def conv_layer_figure(
    in_channels: int = 3,
    out_channels: int = 4,
    input_size: int = 8,
    kernel_size: int = 3,
    padding: int = 0,
) -> Figure:
    """Draw a convolutional layer as shapes: input, the filter bank, the output feature maps.

    Parameters
    ----------
    in_channels, out_channels : int, default 3, 4
    input_size : int, default 8
        Square input, drawn to scale with the output.
    kernel_size : int, default 3
    padding : int, default 0

    Returns
    -------
    matplotlib.figure.Figure
        One panel with three labelled stacks (NCHW shapes read off a run of
        `cnnbook.nn.Conv2d`): ``x``, ``weight`` (one filter per output channel,
        each spanning every input channel) and ``bias``, and ``y``.

    Examples
    --------
    >>> fig = conv_layer_figure()
    >>> [t.get_text() for t in fig.axes[0].texts][-1]
    'y: (1, 4, 6, 6)'
    """
    layer = Conv2d(in_channels, out_channels, kernel_size, padding=padding, dtype=np.float64,
                   rng=np.random.default_rng(0))  # fmt: skip
    x = np.zeros((1, in_channels, input_size, input_size))
    y = layer(x)
    weight = layer.weight.data
    bias_shape = (0,) if layer.bias is None else layer.bias.data.shape
    scale = 3.0 / input_size
    fig = Figure(figsize=(10, 3.4))
    ax = fig.subplots()
    side_in, side_k, side_out = (scale * s for s in (input_size, kernel_size, y.shape[-1]))
    _stack(ax, 0.0, 0.5, side_in, side_in, in_channels, "tab:blue")
    for o in range(out_channels):  # the filters, one small stack each
        _stack(ax, 4.6 + o * (side_k + 0.9), 1.6, side_k, side_k, in_channels, "tab:orange")
    out_x = 5.0 + out_channels * (side_k + 0.9) + 0.8
    _stack(ax, out_x, 0.5 + (side_in - side_out) / 2, side_out, side_out, out_channels, "tab:green")
    for start, end in ((3.9, 4.4), (out_x - 1.0, out_x - 0.2)):
        ax.add_patch(FancyArrowPatch((start, 2.0), (end, 2.0), arrowstyle="->",
                                     mutation_scale=15))  # fmt: skip
    ax.text(1.6, 0.0, f"x: {tuple(x.shape)}", ha="center", fontsize=10)
    ax.text(4.6 + out_channels * (side_k + 0.9) / 2 - 0.4, 0.9,
            f"weight: {tuple(weight.shape)}\nbias: {tuple(bias_shape)}", ha="center",
            fontsize=10)  # fmt: skip
    ax.text(4.6 + out_channels * (side_k + 0.9) / 2 - 0.4, 3.2,
            f"{out_channels} filters, each over all {in_channels} input channels", ha="center",
            fontsize=9)  # fmt: skip
    ax.text(out_x - 0.6, 2.25, "+ bias, ReLU", ha="center", fontsize=9)
    ax.text(out_x + 1.0, 0.0, f"y: {tuple(y.shape)}", ha="center", fontsize=10)
    ax.set_xlim(-0.3, out_x + side_out + 1.6)
    ax.set_ylim(-0.4, 4.0)
    ax.set_aspect("equal")
    ax.axis("off")
    fig.tight_layout()
    return fig
