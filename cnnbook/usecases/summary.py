"""The layer table of a trained network, as each use-case page prints it."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from cnnbook import nn

__all__ = ["LayerRow", "layer_table", "markdown_table"]


class LayerRow(NamedTuple):
    """One layer: its repr, the shape it outputs for one input (no batch axis), its parameters."""

    layer: str
    output_shape: tuple[int, ...]
    parameters: int


def layer_table(model: nn.Sequential, input_shape: tuple[int, ...]) -> list[LayerRow]:
    """Run one zero input of `input_shape` (no batch axis) through `model`, layer by layer.

    Examples
    --------
    >>> net = nn.Sequential(nn.Conv2d(1, 2, 3, rng=np.random.default_rng(0)), nn.ReLU())
    >>> row = layer_table(net, (1, 5, 5))[0]
    >>> row.layer, row.output_shape, row.parameters
    ('Conv2d(1, 2, kernel_size=(3, 3), stride=(1, 1))', (2, 3, 3), 20)
    """
    if not isinstance(model, nn.Sequential):
        raise TypeError(f"model (={type(model).__name__}) must be a cnnbook.nn.Sequential")
    dtype = next(model.parameters()).dtype
    x = np.zeros((1, *input_shape), dtype=dtype)
    was_training = model.training
    model.eval()
    rows = []
    for layer in model.children():
        x = layer(x)
        count = sum(p.data.size for p in layer.parameters())
        rows.append(LayerRow(repr(layer), tuple(x.shape[1:]), int(count)))
    model.train(was_training)
    return rows


def markdown_table(rows: list[LayerRow]) -> str:
    """Return `rows` as a Markdown table with a total line."""
    if not isinstance(rows, list | tuple) or not all(isinstance(r, LayerRow) for r in rows):
        raise TypeError(f"rows (={rows!r}) must be a list of LayerRow (from layer_table)")
    lines = ["| layer | output shape | parameters |", "|---|---|---:|"]
    for row in rows:
        shape = " × ".join(str(n) for n in row.output_shape)
        lines.append(f"| `{row.layer}` | {shape} | {row.parameters:,} |")
    lines.append(f"| **total** | | **{sum(r.parameters for r in rows):,}** |")
    return "\n".join(lines)
