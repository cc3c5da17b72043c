"""The layer table of a trained network, as each use-case page prints it."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from cnnbook import nn

__all__ = ["LayerRow", "block_table", "layer_table", "markdown_table"]


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


def block_table(model: nn.Module, input_shape: tuple[int, ...]) -> list[LayerRow]:
    """Like `layer_table` for a network that is not a chain (a U-Net): its blocks as called.

    One zero input of `input_shape` (no batch axis) runs through `model`; each outermost
    sub-module that its ``forward`` calls gives one row, in call order, with the shape it
    returned. Containers that are only iterated (a U-Net's ``down``) are opened up.

    Examples
    --------
    >>> from cnnbook.models import UNet
    >>> rows = block_table(UNet(1, 1, base_channels=2, depth=1), (1, 8, 8))
    >>> [(r.layer, r.output_shape) for r in rows][:2]
    [('down.0: Sequential', (2, 8, 8)), ('pools.0: MaxPool2d', (2, 4, 4))]
    """
    if not isinstance(model, nn.Module):
        raise TypeError(f"model (={type(model).__name__}) must be a cnnbook.nn.Module")
    calls: list[tuple[str, nn.Module, tuple[int, ...]]] = []
    named = [(name, m) for name, m in model.named_modules() if name]
    for name, module in named:

        def record(*args: object, _name: str = name, _m: nn.Module = module) -> object:
            out = type(_m).forward(_m, *args)
            calls.append((_name, _m, tuple(np.shape(out)[1:])))
            return out

        module.forward = record  # type: ignore[method-assign]
    dtype = next(model.parameters()).dtype
    was_training = model.training
    model.eval()
    try:
        model(np.zeros((1, *input_shape), dtype=dtype))
    finally:
        for _, module in named:
            del module.forward
        model.train(was_training)
    called = {name for name, _, _ in calls}
    rows, seen = [], set()
    for name, module, shape in calls:
        if name in seen or any(name.startswith(other + ".") for other in called):
            continue  # listed already, or inside a block that is
        seen.add(name)
        count = sum(p.data.size for p in module.parameters())
        rows.append(LayerRow(f"{name}: {type(module).__name__}", shape, int(count)))
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
