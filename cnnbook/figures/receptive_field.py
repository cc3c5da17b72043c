"""Receptive-field growth through a stack, drawn on the input it looks at.

The nested boxes are `cnnbook.receptive_field`'s bounds of the centre unit after
each layer; the shading is `cnnbook.empirical_receptive_field`'s gradient mask
of the last one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from cnnbook.receptive_field import empirical_receptive_field, receptive_field

__all__ = ["DEFAULT_STACK", "receptive_field_figure"]

#: conv 3x3 -> conv 3x3 -> max pool 2x2 -> conv 3x3 -> conv 3x3 (dilation 2), all "same".
DEFAULT_STACK: tuple[Mapping[str, Any], ...] = (
    {"kernel_size": 3, "padding": 1},
    {"kernel_size": 3, "padding": 1},
    {"kernel_size": 2, "stride": 2},
    {"kernel_size": 3, "padding": 1},
    {"kernel_size": 3, "padding": 2, "dilation": 2},
)


def _label(layer: Mapping[str, Any]) -> str:
    k = layer["kernel_size"]
    kind = "pool" if layer.get("stride", 1) != 1 else "conv"
    d = layer.get("dilation", 1)
    return f"{kind} {k}x{k}" + (f" d{d}" if d != 1 else "")


def receptive_field_figure(
    layers: Sequence[Mapping[str, Any]] = DEFAULT_STACK, input_size: int = 24
) -> Figure:
    """Draw the receptive field of the centre output unit after each layer, on the input grid.

    Parameters
    ----------
    layers : sequence of mapping
        The stack, as for `cnnbook.receptive_field` (``kernel_size``, ``stride``...).
    input_size : int, default 24
        Height and width of the input grid.

    Returns
    -------
    matplotlib.figure.Figure
        One panel: the measured field of the last layer's centre unit shaded,
        and one box per layer (the formula's bounds for the unit above the same
        input position), labelled with the layer and its field size.

    Examples
    --------
    >>> fig = receptive_field_figure()
    >>> [t.get_text() for t in fig.axes[0].get_legend().get_texts()][-1]
    'layer 5 (conv 3x3 d2): 18 x 18'
    """
    fields = receptive_field(layers)
    measured = empirical_receptive_field(layers, input_size)
    fig = Figure(figsize=(5.2, 6.4))
    ax = fig.subplots()
    ax.imshow(measured.mask.astype(float), cmap="Greys", vmin=0, vmax=2.5)
    centre = (measured.rows[0] + measured.rows[1]) / 2, (measured.cols[0] + measured.cols[1]) / 2
    colours = ["tab:blue", "tab:orange", "tab:green", "tab:red", "tab:purple", "tab:brown"]
    for n, (layer, rf) in enumerate(zip(layers, fields, strict=True)):
        # the unit of this layer whose field is centred nearest the final centre
        i, j = (round((centre[a] - rf.start[a]) / rf.jump[a]) for a in range(2))
        (top, bottom), (left, right) = rf.bounds(i, j)
        ax.add_patch(
            Rectangle((left - 0.5, top - 0.5), right - left + 1, bottom - top + 1, fill=False,
                      lw=2, edgecolor=colours[n % len(colours)],
                      label=f"layer {n + 1} ({_label(layer)}): {rf.size[0]} x {rf.size[1]}")
        )  # fmt: skip
    ax.set_xlim(-0.5, input_size - 0.5)
    ax.set_ylim(input_size - 0.5, -0.5)
    ax.set_xticks(np.arange(0, input_size, 4))
    ax.set_yticks(np.arange(0, input_size, 4))
    ax.set_title(f"receptive fields on a {input_size} x {input_size} input\n(shaded: measured)",
                 fontsize=10)  # fmt: skip
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.06), fontsize=8, ncol=2)
    fig.tight_layout()
    return fig
