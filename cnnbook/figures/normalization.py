"""The figure of the Batch Normalization page: activation spread per layer, with and without it.

The numbers drawn are `cnnbook.normalization.activation_spread`'s.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from cnnbook.normalization import activation_spread

__all__ = ["activation_spread_figure"]


def activation_spread_figure(depth: int = 12, channels: int = 8, seed: int = 0) -> Figure:
    """Plot the standard deviation of each block's output in a deep conv/ReLU stack, log scale.

    Parameters
    ----------
    depth, channels, seed
        Passed to `cnnbook.normalization.activation_spread` for both curves.

    Returns
    -------
    Figure
        One axis with two lines, labelled "without batch norm" and "with BatchNorm2d";
        their y data are the two `activation_spread` arrays, x the block numbers 1..depth.
    """
    fig = Figure(figsize=(6.4, 3.4), layout="constrained")
    ax = fig.subplots()
    blocks = np.arange(1, depth + 1)
    for batch_norm, label, style in (
        (False, "without batch norm", "-o"),
        (True, "with BatchNorm2d", "-s"),
    ):
        spread = activation_spread(depth, channels, batch_norm, seed=seed)
        ax.plot(blocks, spread, style, ms=4, label=label)
    ax.set_yscale("log")
    ax.set_xlabel("block (conv 3×3 → [BatchNorm2d] → ReLU)")
    ax.set_ylabel("std of the activations")
    ax.set_title(f"Activation spread through {depth} blocks ({channels} channels)")
    ax.grid(alpha=0.3, which="both")
    ax.legend()
    return fig
