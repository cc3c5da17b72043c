"""A trained network as JSON: the contract of the network that runs in the browser.

The page [[A CNN in Your Browser]] runs a network trained by this package in plain
JavaScript. What it runs is this module's export, a JSON object anyone can check::

    {"input_shape": [C, H, W], "classes": [...], "layers": [...]}

Each layer is an object with ``"type"`` (the `cnnbook.nn` class name, which is torch's),
its hyperparameters under torch's names as lists (``kernel_size``, ``stride``,
``padding``, ``in_channels``, ``out_channels``, ``in_features``, ``out_features``, ...),
and for layers with parameters ``"weight"`` and ``"bias"`` as flat row-major lists in
torch's layouts, ``(out, in/groups, kh, kw)`` and ``(out, in)``. `from_json` rebuilds the
identical `cnnbook` network, so the round trip is exact (float32 values survive JSON's
decimal text because Python writes the shortest text that reads back to the same double).
"""

from __future__ import annotations

import json
import math
import numbers
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from cnnbook import nn
from cnnbook._validation import positive_int

__all__ = ["LAYER_TYPES", "ExportedNetwork", "from_json", "to_json"]

#: Layer types the export (and the page's JavaScript) knows, with their hyperparameters.
LAYER_TYPES: dict[str, tuple[str, ...]] = {
    "Conv2d": (
        "in_channels",
        "out_channels",
        "kernel_size",
        "stride",
        "padding",
        "dilation",
        "groups",
    ),
    "ReLU": (),
    "LeakyReLU": ("negative_slope",),
    "Tanh": (),
    "Sigmoid": (),
    "MaxPool2d": ("kernel_size", "stride", "padding", "dilation"),
    "AvgPool2d": ("kernel_size", "stride", "padding"),
    "Flatten": (),
    "Linear": ("in_features", "out_features"),
    "Dropout": ("p",),
}
_PAIRS = ("kernel_size", "stride", "padding", "dilation")


@dataclass
class ExportedNetwork:
    """A network with what a reader of its JSON needs: the input's shape, the class names."""

    model: nn.Sequential
    input_shape: tuple[int, int, int]
    classes: list[str]


def _pair(value: Any) -> list[int]:
    return [int(value), int(value)] if isinstance(value, numbers.Integral) else list(value)


def _layer_to_json(index: int, layer: Any) -> dict[str, Any]:
    kind = type(layer).__name__
    if kind not in LAYER_TYPES:
        raise ValueError(
            f"model[{index}] (={layer!r}) has no JSON form; the layers known are "
            f"{', '.join(LAYER_TYPES)}"
        )
    if kind == "Conv2d" and (layer.padding_mode != "zeros" or isinstance(layer.padding, str)):
        raise ValueError(
            f"model[{index}] (={layer!r}) must pad with zeros by an explicit number of "
            "pixels (padding_mode='zeros', padding an int or pair) to be exported"
        )
    if kind in ("MaxPool2d", "AvgPool2d") and layer.ceil_mode:
        raise ValueError(f"model[{index}] (={layer!r}) must have ceil_mode=False to be exported")
    if kind == "AvgPool2d" and (not layer.count_include_pad or layer.divisor_override is not None):
        raise ValueError(
            f"model[{index}] (={layer!r}) must count padding and have no divisor_override "
            "to be exported"
        )
    if kind == "Flatten" and (layer.start_dim, layer.end_dim) != (1, -1):
        raise ValueError(f"model[{index}] (={layer!r}) must flatten dims 1 to -1 to be exported")
    entry: dict[str, Any] = {"type": kind}
    for key in LAYER_TYPES[kind]:
        value = getattr(layer, key)
        entry[key] = _pair(value) if key in _PAIRS else value
    if kind in ("Conv2d", "Linear"):
        entry["weight"] = np.asarray(layer.weight.data, dtype=np.float64).ravel().tolist()
        bias = layer.bias
        entry["bias"] = None if bias is None else np.asarray(bias.data, np.float64).tolist()
    return entry


def to_json(
    model: nn.Sequential, input_shape: Sequence[int], classes: Sequence[str]
) -> dict[str, Any]:
    """Describe a `cnnbook` network as the JSON object the in-browser network runs.

    Parameters
    ----------
    model : nn.Sequential
        Of the layers in `LAYER_TYPES` (convolutions padded with zeros).
    input_shape : sequence of 3 ints
        ``(C, H, W)`` of one input.
    classes : sequence of str
        One name per output of the last layer.

    Returns
    -------
    dict
        ``{"input_shape": [C, H, W], "classes": [...], "layers": [...]}``; ``json.dumps``
        writes it.

    Examples
    --------
    >>> model = nn.Sequential(nn.Flatten(), nn.Linear(4, 2, rng=np.random.default_rng(0)))
    >>> data = to_json(model, (1, 2, 2), ["no", "yes"])
    >>> [layer["type"] for layer in data["layers"]], len(data["layers"][1]["weight"])
    (['Flatten', 'Linear'], 8)
    """
    if not isinstance(model, nn.Sequential):
        raise TypeError(f"model (={type(model).__name__}) must be an nn.Sequential")
    shape = _input_shape(input_shape)
    names = _classes(classes)
    layers = [_layer_to_json(i, layer) for i, layer in enumerate(model)]
    x = np.zeros((1, *shape), dtype=np.float32)
    out = from_json({"input_shape": list(shape), "classes": names, "layers": layers}).model(x)
    if out.shape != (1, len(names)):
        raise ValueError(
            f"classes (={len(names)} names) must name each of the network's outputs: an "
            f"input of shape {shape} gives an output of shape {out.shape[1:]}"
        )
    return {"input_shape": list(shape), "classes": names, "layers": layers}


def _input_shape(value: Any) -> tuple[int, int, int]:
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence) or len(value) != 3:
        raise ValueError(f"input_shape (={value!r}) must be three positive ints (C, H, W)")
    c, h, w = (positive_int("input_shape", v) for v in value)
    return c, h, w


def _classes(value: Any) -> list[str]:
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence) or not value:
        raise ValueError(f"classes (={value!r}) must be a non-empty list of names")
    if not all(isinstance(v, str) for v in value):
        raise TypeError(f"classes (={value!r}) must be names (str)")
    return list(value)


def _array(layer: Mapping[str, Any], key: str, shape: tuple[int, ...], where: str) -> np.ndarray:
    values = np.asarray(layer.get(key), dtype=np.float64)
    if values.ndim != 1 or values.size != math.prod(shape) or not np.isfinite(values).all():
        raise ValueError(
            f"{where}['{key}'] must be a flat list of {math.prod(shape)} finite numbers "
            f"(shape {shape}, row-major)"
        )
    return values.reshape(shape)


def _layer_from_json(index: int, layer: Any) -> nn.Module:
    where = f"layers[{index}]"
    if not isinstance(layer, Mapping) or layer.get("type") not in LAYER_TYPES:
        raise ValueError(
            f"{where} (={layer!r:.80}) must be an object whose 'type' is one of "
            f"{', '.join(LAYER_TYPES)}"
        )
    kind = layer["type"]
    missing = [key for key in LAYER_TYPES[kind] if key not in layer]
    if missing:
        raise ValueError(f"{where} ({kind}) lacks {', '.join(missing)}")
    args = {key: layer[key] for key in LAYER_TYPES[kind]}
    for key in _PAIRS:
        if key in args and isinstance(args[key], list):
            args[key] = tuple(args[key])
    module: Any = getattr(nn, kind)(**args)
    if kind in ("Conv2d", "Linear"):
        shape = module.weight.shape
        module.weight.data = _array(layer, "weight", shape, where).astype(np.float32)
        if layer.get("bias") is None:
            module.bias = None
        else:
            bias = _array(layer, "bias", (shape[0],), where)
            module.bias = nn.Parameter(bias.astype(np.float32))
    return module


def from_json(data: Mapping[str, Any] | str | Path) -> ExportedNetwork:
    """Rebuild the network (in eval mode) from `to_json`'s object, its text or its file.

    Examples
    --------
    >>> model = nn.Sequential(nn.Flatten(), nn.Linear(4, 2, rng=np.random.default_rng(0)))
    >>> again = from_json(json.dumps(to_json(model, (1, 2, 2), ["no", "yes"])))
    >>> bool(np.array_equal(again.model[1].weight.data, model[1].weight.data))
    True
    """
    if isinstance(data, Path):
        data = data.read_text(encoding="utf-8")
    if isinstance(data, str):
        try:
            data = json.loads(data)
        except json.JSONDecodeError as err:
            raise ValueError(f"data is not JSON: {err}") from None
    if not isinstance(data, Mapping) or not isinstance(data.get("layers"), list):
        raise ValueError("data must be an object with 'input_shape', 'classes' and 'layers'")
    shape = _input_shape(data.get("input_shape"))
    names = _classes(data.get("classes"))
    model = nn.Sequential(*(_layer_from_json(i, layer) for i, layer in enumerate(data["layers"])))
    model.eval()
    return ExportedNetwork(model, shape, names)
