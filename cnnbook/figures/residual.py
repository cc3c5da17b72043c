"""The figure of the Residual Connections page: gradient norm per block, with and without skips.

The numbers drawn are `cnnbook.residual.gradient_norms`'.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from cnnbook.residual import gradient_norms

__all__ = ["gradient_norm_figure"]


def gradient_norm_figure(depth: int = 20, channels: int = 8, seed: int = 0) -> Figure:
    """Plot the gradient's norm at each block's input, plain stack vs identity paths, log scale.

    Parameters
    ----------
    depth, channels, seed
        Passed to `cnnbook.residual.gradient_norms` for both curves.

    Returns
    -------
    Figure
        One axis with two lines, "plain stack" and "with identity paths"; their y data
        are the two `gradient_norms` arrays, x the block numbers 1..depth.
    """
    fig = Figure(figsize=(6.4, 3.4), layout="constrained")
    ax = fig.subplots()
    blocks = np.arange(1, depth + 1)
    for residual, label, style in (
        (False, "plain stack", "-o"),
        (True, "with identity paths", "-s"),
    ):
        norms = gradient_norms(depth, channels, residual, seed=seed)
        ax.plot(blocks, norms, style, ms=4, label=label)
    ax.set_yscale("log")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.axhline(1.0, color="0.5", lw=0.8, ls=":")
    ax.set_xlabel("block (its input's gradient; the output is after the last)")
    ax.set_ylabel("‖∂L/∂x‖ / ‖∂L/∂output‖")
    ax.set_title(f"Gradient norm through {depth} blocks of conv 3×3 → ReLU ({channels} channels)")
    ax.grid(alpha=0.3, which="both")
    ax.legend()
    return fig
