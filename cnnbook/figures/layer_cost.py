"""Where a network spends its multiply-adds and its activation memory, layer by layer."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from cnnbook.architectures import VGG16, Architecture
from cnnbook.layer_cost import layer_costs

__all__ = ["layer_cost_figure"]


def layer_cost_figure(arch: Architecture = VGG16) -> Figure:
    """Bars of the multiply-adds and the activation memory (float32) of every conv/linear layer.

    Parameters
    ----------
    arch : Architecture, default VGG16

    Returns
    -------
    matplotlib.figure.Figure
        Two panels, one bar per convolution, linear layer or block, from `layer_costs`.

    Examples
    --------
    >>> from cnnbook import LENET5
    >>> [len(ax.patches) for ax in layer_cost_figure(LENET5).axes]
    [5, 5]
    """
    rows = [r for r in layer_costs(arch) if r.macs]
    labels = [f"{r.position}: {r.type} → {'×'.join(map(str, r.output_shape))}" for r in rows]
    fig = Figure(figsize=(9.0, 0.9 + 0.28 * len(rows)), layout="constrained")
    left, right = fig.subplots(1, 2, sharey=True)
    y = np.arange(len(rows))
    left.barh(y, [r.macs for r in rows], color="#3f51b5")
    left.set_yticks(y, labels, fontsize=7)
    left.invert_yaxis()
    left.set_xlabel("multiply-adds per image")
    left.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v / 1e6:.0f} M"))
    right.barh(y, [r.activation_bytes for r in rows], color="#e65100")
    right.set_xlabel("output activations per image (float32)")
    right.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v / 2**20:.1f} MiB"))
    total = sum(r.macs for r in rows)
    fig.suptitle(f"{arch.name}: {total / 1e9:.2f} G multiply-adds per image", fontsize=10)
    for ax in (left, right):
        ax.xaxis.set_major_locator(MaxNLocator(4))
        ax.grid(axis="x", alpha=0.3)
    return fig
