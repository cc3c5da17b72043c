"""Max and average pooling drawn on a small grid: the windows, the winning cells, the outputs.

Every number comes from `cnnbook.max_pool2d` (with ``return_indices`` for the
winners) and `cnnbook.avg_pool2d`.
"""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from cnnbook.pooling import avg_pool2d, max_pool2d

__all__ = ["pooling_figure"]


def _grid(ax: Axes, values: np.ndarray, title: str, fmt: str) -> None:
    ax.imshow(values, cmap="Blues", vmin=0, vmax=max(float(values.max()), 1.0) * 1.6)
    for (i, j), v in np.ndenumerate(values):
        ax.text(j, i, fmt.format(v), ha="center", va="center", fontsize=9)
    ax.set_title(title, fontsize=9)
    ax.set_xticks([])
    ax.set_yticks([])


def pooling_figure(
    size: int = 4, kernel_size: int = 2, stride: int | None = None, seed: int = 0
) -> Figure:
    """Draw a ``size x size`` input with its pooling windows and winners, and both outputs.

    Parameters
    ----------
    size : int, default 4
        Input height and width.
    kernel_size : int, default 2
        Square window.
    stride : int, optional
        Default `kernel_size` (non-overlapping windows, the common case).
    seed : int, default 0
        Seed of the small-integer input (ties are possible: the first maximum wins).

    Returns
    -------
    matplotlib.figure.Figure
        Three panels: the input with every window outlined and each window's
        maximum (the cell its gradient goes to) framed in red; the max-pooled
        output; the average-pooled output.

    Examples
    --------
    >>> fig = pooling_figure()
    >>> [ax.get_title() for ax in fig.axes]
    ['input 4 x 4, windows 2 x 2, stride 2', 'max pooling 2 x 2', 'average pooling 2 x 2']
    """
    s = kernel_size if stride is None else stride
    x = np.random.default_rng(seed).integers(0, 10, size=(1, 1, size, size)).astype(np.float64)
    out_max, indices = max_pool2d(x, kernel_size, s, return_indices=True)
    out_avg = avg_pool2d(x, kernel_size, s)
    oh, ow = out_max.shape[-2:]
    fig = Figure(figsize=(9, 3.4))
    ax_in, ax_max, ax_avg = fig.subplots(1, 3)
    _grid(
        ax_in,
        x[0, 0],
        f"input {size} x {size}, windows {kernel_size} x {kernel_size}, stride {s}",
        "{:g}",
    )
    colours = ["tab:orange", "tab:green", "tab:purple", "tab:brown"]
    for n, (i, j) in enumerate(np.ndindex(oh, ow)):
        inset = 0.08 * (n % 2)  # overlapping windows stay distinguishable
        ax_in.add_patch(
            Rectangle((j * s - 0.5 + inset, i * s - 0.5 + inset), kernel_size - 2 * inset,
                      kernel_size - 2 * inset, fill=False, lw=1.5, ls="--",
                      edgecolor=colours[n % len(colours)], label="window")
        )  # fmt: skip
    for flat in np.unique(indices):
        r, c = divmod(int(flat), size)
        ax_in.add_patch(
            Rectangle((c - 0.42, r - 0.42), 0.84, 0.84, fill=False, lw=2.5, edgecolor="red",
                      label="winner")
        )  # fmt: skip
    _grid(ax_max, out_max[0, 0], f"max pooling {oh} x {ow}", "{:g}")
    _grid(ax_avg, out_avg[0, 0], f"average pooling {oh} x {ow}", "{:.2f}")
    fig.tight_layout()
    return fig
