"""Figures of the size pages: output size against kernel size, parameters, weight sharing.

Every number drawn comes from `cnnbook` (`conv_output_size`, `connectivity_savings`,
`architecture_summary`); nothing is typed in.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter

from cnnbook.architectures import VGG16, Architecture, architecture_summary
from cnnbook.output_size import conv_output_size
from cnnbook.parameters import connectivity_savings

__all__ = [
    "OUTPUT_SIZE_CURVES",
    "output_size_figure",
    "parameters_by_layer_figure",
    "weight_sharing_figure",
]

CONV_COLOR, LINEAR_COLOR = "#4c72b0", "#dd8452"

#: Label -> keyword arguments of `conv_output_size` (``"full"`` padding means $d(k-1)$).
OUTPUT_SIZE_CURVES: dict[str, dict[str, Any]] = {
    "valid (p = 0)": {"padding": 0},
    "same": {"padding": "same"},
    "full (p = k - 1)": {"padding": "full"},
    "stride 2, p = 0": {"padding": 0, "stride": 2},
    "dilation 2, p = 0": {"padding": 0, "dilation": 2},
}


def _output_sizes(input_size: int, kernel_sizes: Sequence[int], **kwargs: Any) -> list[float]:
    """`conv_output_size` for each kernel size; NaN where the kernel does not fit (no point)."""
    sizes: list[float] = []
    for k in kernel_sizes:
        args = dict(kwargs)
        if args.get("padding") == "full":
            args["padding"] = args.get("dilation", 1) * (k - 1)
        try:
            sizes.append(conv_output_size(input_size, k, **args))
        except ValueError:
            sizes.append(np.nan)
    return sizes


def output_size_figure(input_size: int = 8, kernel_sizes: Sequence[int] = range(1, 9)) -> Figure:
    """Plot the output size against the kernel size for valid, same, full, stride and dilation.

    Parameters
    ----------
    input_size : int, default 8
        Input size $I$ along the axis.
    kernel_sizes : sequence of int, default 1..8
        Kernel sizes $k$ on the horizontal axis.

    Returns
    -------
    matplotlib.figure.Figure
        One line per entry of `OUTPUT_SIZE_CURVES`, its points from
        `conv_output_size` (a kernel that does not fit draws no point).

    Examples
    --------
    >>> fig = output_size_figure()
    >>> [line.get_label() for line in fig.axes[0].lines][:2]
    ['valid (p = 0)', 'same']
    """
    ks = list(kernel_sizes)
    fig = Figure(figsize=(6.4, 4.0), layout="constrained")
    ax = fig.subplots()
    markers = "osD^v"
    for (label, kwargs), marker in zip(OUTPUT_SIZE_CURVES.items(), markers, strict=True):
        ax.plot(ks, _output_sizes(input_size, ks, **kwargs), marker=marker, label=label)
    ax.axhline(input_size, color="grey", lw=0.8, ls=":")
    ax.set_xlabel("kernel size k")
    ax.set_ylabel("output size Y")
    ax.set_title(f"Output size of a convolution over an input of size I = {input_size}")
    ax.set_xticks(ks)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    return fig


def weight_sharing_figure(
    in_channels: int = 1,
    out_channels: int = 6,
    kernel_size: int = 5,
    input_sizes: Sequence[int] = (8, 16, 28, 64, 128),
) -> Figure:
    """Bars of the parameters of a dense layer, its locally connected twin and a convolution.

    Parameters
    ----------
    in_channels, out_channels, kernel_size : int
        The convolution (no padding, stride 1).
    input_sizes : sequence of int
        Square image sizes to compare at.

    Returns
    -------
    matplotlib.figure.Figure
        Per input size, three bars on a log scale from `connectivity_savings`: the
        dense layer, the locally connected layer (labelled with the locality factor,
        dense ÷ local) and the convolution (labelled with the sharing factor,
        local ÷ conv).

    Examples
    --------
    >>> fig = weight_sharing_figure()
    >>> len(fig.axes[0].patches)
    15
    """
    savings = [connectivity_savings(in_channels, out_channels, n, kernel_size) for n in input_sizes]
    x = np.arange(len(savings))
    fig = Figure(figsize=(7.5, 4.2), layout="constrained")
    ax = fig.subplots()
    ax.bar(x - 0.27, [s.dense_parameters for s in savings], 0.27, label="dense layer")
    local = ax.bar(
        x,
        [s.locally_connected_parameters for s in savings],
        0.27,
        label="locally connected (locality: × dense ÷ local)",
    )
    conv = ax.bar(
        x + 0.27,
        [s.conv_parameters for s in savings],
        0.27,
        label="convolution (sharing: × local ÷ conv)",
    )
    ax.bar_label(local, labels=[f"×{s.locality_factor:,.0f}" for s in savings], fontsize=7)
    ax.bar_label(conv, labels=[f"×{s.sharing_factor:,.0f}" for s in savings], fontsize=7)
    ax.set_yscale("log")
    ax.set_xticks(x, [f"{n} × {n}" for n in input_sizes])
    ax.set_xlabel("input image size")
    ax.set_ylabel("parameters (log scale)")
    ax.set_title(
        f"{out_channels} filters of {kernel_size} × {kernel_size} on {in_channels} channel(s): "
        "locality, then sharing",
        fontsize=10,
    )
    ax.legend(fontsize=8, loc="upper left")
    return fig


def parameters_by_layer_figure(arch: Architecture = VGG16) -> Figure:
    """Horizontal bars of the parameters of every conv and linear layer of an architecture.

    Parameters
    ----------
    arch : Architecture, default VGG16
        The network (`cnnbook.LENET5`, `cnnbook.ALEXNET`, `cnnbook.VGG16`).

    Returns
    -------
    matplotlib.figure.Figure
        One bar per layer with parameters, top to bottom in network order, from
        `architecture_summary`; convolutions and linear layers in two colours.

    Examples
    --------
    >>> from cnnbook import LENET5
    >>> len(parameters_by_layer_figure(LENET5).axes[0].patches)
    5
    """
    rows = [r for r in architecture_summary(arch) if r.parameters]
    labels = [f"{r.position}: {r.type} → {'×'.join(map(str, r.output_shape))}" for r in rows]
    colors = [CONV_COLOR if r.type == "conv" else LINEAR_COLOR for r in rows]
    fig = Figure(figsize=(7.0, 0.9 + 0.28 * len(rows)), layout="constrained")
    ax = fig.subplots()
    y = np.arange(len(rows))
    bars = ax.barh(y, [r.parameters for r in rows], color=colors)
    ax.bar_label(bars, labels=[f" {r.parameters:,}" for r in rows], fontsize=7)
    ax.set_yticks(y, labels, fontsize=7)
    ax.invert_yaxis()
    ax.set_xlabel("parameters")
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v / 1e6:g} M"))
    ax.margins(x=0.2)
    ax.legend(
        handles=[Patch(color=CONV_COLOR, label="conv"), Patch(color=LINEAR_COLOR, label="linear")],
        fontsize=8,
        loc="lower right",
    )
    total = sum(r.parameters for r in rows)
    conv = sum(r.parameters for r in rows if r.type == "conv")
    ax.set_title(
        f"{arch.name}: {total:,} parameters, {conv / total:.1%} of them in convolutions",
        fontsize=10,
    )
    ax.grid(axis="x", alpha=0.3)
    return fig
