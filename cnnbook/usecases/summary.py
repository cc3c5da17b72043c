"""The summary table of a trained network: each layer, its output shape, its parameters.

Computed by running one zero image through the layers of a `cnnbook.nn.Sequential` (in
evaluation mode), so the shapes are the ones the network really produces, and by counting
each layer's parameters — the table each use-case page shows under "The network".

Examples
--------
>>> from cnnbook import nn
>>> model = nn.Sequential(nn.Conv2d(1, 2, 3, padding=1), nn.ReLU(), nn.Flatten())
>>> [(row.layer, row.output_shape, row.parameters) for row in network_summary(model, (1, 4, 4))]
[('Conv2d', (2, 4, 4), 20), ('ReLU', (2, 4, 4), 0), ('Flatten', (32,), 0)]
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from cnnbook import nn
from cnnbook._validation import positive_int

__all__ = ["LayerRow", "network_summary", "summary_markdown"]


class LayerRow(NamedTuple):
    """One row of a network summary."""

    layer: str
    """The layer as torch prints it, e.g. ``Conv2d(1, 8, kernel_size=(3, 3), ...)``."""
    output_shape: tuple[int, ...]
    """Shape of one image's output, without the batch axis."""
    parameters: int
    """Number of trainable numbers of the layer."""


def network_summary(model: nn.Sequential, input_shape: tuple[int, ...]) -> list[LayerRow]:
    """List each layer of `model` with the shape it outputs for one input and its parameters.

    Parameters
    ----------
    model : cnnbook.nn.Sequential
    input_shape : tuple of int
        Shape of one input without the batch axis, e.g. ``(1, 16, 16)``.

    Returns
    -------
    list of LayerRow
        ``layer`` is the layer's class name (its full ``repr`` is in the model's print).

    Raises
    ------
    TypeError
        If `model` is not a `Sequential` or `input_shape` is not a tuple of ints.
    ValueError
        If the layers cannot process an input of that shape (the layer is named).
    """
    if not isinstance(model, nn.Sequential):
        raise TypeError(f"model (={type(model).__name__}) must be a cnnbook.nn.Sequential")
    if not isinstance(input_shape, tuple) or not input_shape:
        raise TypeError(f"input_shape (={input_shape!r}) must be a non-empty tuple of ints")
    shape = tuple(positive_int("input_shape", s) for s in input_shape)
    dtype = next((p.data.dtype for p in model.parameters()), np.dtype(np.float32))
    x = np.zeros((1, *shape), dtype=dtype)
    rows = []
    was_training = model.training
    model.eval()
    try:
        for index, layer in enumerate(model):
            try:
                x = layer(x)
            except (ValueError, TypeError) as err:
                raise ValueError(
                    f"layer {index} ({type(layer).__name__}) cannot take the output of the "
                    f"layer before it, of shape {x.shape[1:]}: {err}"
                ) from err
            count = int(sum(p.data.size for p in layer.parameters()))
            rows.append(LayerRow(type(layer).__name__, tuple(x.shape[1:]), count))
    finally:
        model.train(was_training)
    return rows


def summary_markdown(model: nn.Sequential, input_shape: tuple[int, ...]) -> str:
    """Return the summary of `model` as a Markdown table, with the input and the total.

    Examples
    --------
    >>> from cnnbook import nn
    >>> print(summary_markdown(nn.Sequential(nn.Flatten(), nn.Linear(4, 2)), (1, 2, 2)))
    | layer | output shape | parameters |
    |---|---|---:|
    | input | 1 × 2 × 2 | |
    | Flatten | 4 | 0 |
    | Linear | 2 | 10 |
    | **total** | | **10** |
    """
    rows = network_summary(model, input_shape)

    def shape(s: tuple[int, ...]) -> str:
        return " × ".join(str(v) for v in s)

    lines = ["| layer | output shape | parameters |", "|---|---|---:|"]
    lines.append(f"| input | {shape(tuple(input_shape))} | |")
    lines += [f"| {r.layer} | {shape(r.output_shape)} | {r.parameters:,} |" for r in rows]
    lines.append(f"| **total** | | **{sum(r.parameters for r in rows):,}** |")
    return "\n".join(lines)
