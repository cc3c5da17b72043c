"""One layer as data: its type and PyTorch's argument names, its parameters, its output shape.

A layer of an `cnnbook.architectures.summary.Architecture` is a plain mapping with a
``type`` and PyTorch's argument names
(``{"type": "conv", "in_channels": 3, "out_channels": 64, "kernel_size": 3, "padding": 1}``).
`LAYER_KEYS` lists each type's required and optional keys; `check_layer` refuses anything
else, naming the layer, the key and the rule; `layer_parameters` and `layer_output_shape`
compute what the layer adds to a network's summary. Layer types: ``conv``, ``batchnorm``,
``maxpool``, ``avgpool``, ``adaptive_avgpool``, ``relu``, ``sigmoid``, ``dropout``,
``flatten``, ``linear``, and ``basic_block`` (ResNet's block, `cnnbook.models.BasicBlock`:
two 3×3 convolutions without bias, two batch norms, and a 1×1 projection with its batch
norm when the shape changes).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cnnbook._validation import (
    boolean,
    nonnegative_pair,
    positive_int,
    positive_pair,
)
from cnnbook.output_size import conv_output_size, pool_output_size
from cnnbook.parameters import conv2d_parameter_count, linear_parameter_count

__all__ = ["LAYER_KEYS", "Layer", "check_layer", "layer_output_shape", "layer_parameters"]

#: A layer: ``{"type": ..., **PyTorch's arguments}``.
Layer = Mapping[str, Any]

#: Per layer type: (required keys, optional keys), PyTorch's argument names.
LAYER_KEYS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "conv": (
        ("in_channels", "out_channels", "kernel_size"),
        ("stride", "padding", "dilation", "groups", "bias", "padding_mode"),
    ),
    "maxpool": (("kernel_size",), ("stride", "padding", "dilation", "ceil_mode")),
    "avgpool": (("kernel_size",), ("stride", "padding", "ceil_mode", "count_include_pad")),
    "adaptive_avgpool": (("output_size",), ()),
    "batchnorm": (("num_features",), ()),
    "basic_block": (("inplanes", "planes"), ("stride",)),
    "relu": ((), ()),
    "sigmoid": ((), ()),
    "dropout": ((), ("p",)),
    "flatten": ((), ()),
    "linear": (("in_features", "out_features"), ("bias",)),
}


def _where(index: int | None) -> str:
    return "layer" if index is None else f"layers[{index}]"


def check_layer(layer: Any, index: int | None = None) -> str:
    """Return the layer's type, or raise naming the layer, the key and the rule.

    Parameters
    ----------
    layer : mapping
        ``{"type": ..., **PyTorch's arguments}``: the keys of its type in `LAYER_KEYS`.
    index : int, optional
        Its position in an architecture's layers, named in the messages (``layers[3]``).

    Raises
    ------
    TypeError
        If `layer` is not a mapping.
    ValueError
        An unknown type, a missing key or an unknown key.

    Examples
    --------
    >>> check_layer({"type": "maxpool", "kernel_size": 2})
    'maxpool'
    >>> conv = {"type": "conv", "in_channels": 3, "kernel_size": 3}
    >>> check_layer(conv, index=2)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: layers[2] (=...) is missing the keys ['out_channels'] of a conv
    """
    where = _where(index)
    if not isinstance(layer, Mapping):
        raise TypeError(
            f"{where} (={layer!r}) must be a mapping with a 'type', e.g. {{'type': 'relu'}}"
        )
    kind = layer.get("type")
    if not isinstance(kind, str) or kind not in LAYER_KEYS:
        raise ValueError(f"{where}['type'] (={kind!r}) must be one of {list(LAYER_KEYS)}")
    required, optional = LAYER_KEYS[kind]
    missing = [key for key in required if key not in layer]
    if missing:
        raise ValueError(f"{where} (={dict(layer)!r}) is missing the keys {missing} of a {kind}")
    unknown = sorted(str(key) for key in layer if key != "type" and key not in required + optional)
    if unknown:
        raise ValueError(
            f"{where} (={dict(layer)!r}) has unknown keys {unknown}; a {kind} has "
            f"{list(required + optional)}"
        )
    return kind


def layer_parameters(layer: Layer, index: int | None = None) -> int:
    """Return the number of trainable parameters of one layer (0 for a parameter-free one).

    A conv or linear layer counts its weights and bias (`cnnbook.parameters`), a batch
    norm a scale and a shift per channel, a ``basic_block`` its two 3×3 convolutions and
    two batch norms, plus the 1×1 projection and its batch norm when the shape changes.
    `layer` and `index` as in `check_layer` (which checks it first).

    Examples
    --------
    >>> layer_parameters({"type": "conv", "in_channels": 3, "out_channels": 64,
    ...                   "kernel_size": 3})
    1792
    >>> layer_parameters({"type": "basic_block", "inplanes": 64, "planes": 128, "stride": 2})
    230144
    """
    check_layer(layer, index)
    where = _where(index)
    if layer["type"] == "conv":
        return conv2d_parameter_count(
            positive_int(f"{where}.in_channels", layer["in_channels"]),
            positive_int(f"{where}.out_channels", layer["out_channels"]),
            layer["kernel_size"],
            bias=boolean(f"{where}.bias", layer.get("bias", True)),
            groups=layer.get("groups", 1),
        )
    if layer["type"] == "batchnorm":  # a scale and a shift per channel
        return 2 * positive_int(f"{where}.num_features", layer["num_features"])
    if layer["type"] == "basic_block":
        cin = positive_int(f"{where}.inplanes", layer["inplanes"])
        c = positive_int(f"{where}.planes", layer["planes"])
        stride = positive_int(f"{where}.stride", layer.get("stride", 1))
        body = conv2d_parameter_count(cin, c, 3, bias=False) + conv2d_parameter_count(
            c, c, 3, bias=False
        )
        projection = conv2d_parameter_count(cin, c, 1, bias=False) + 2 * c
        return body + 4 * c + (projection if stride != 1 or cin != c else 0)
    if layer["type"] == "linear":
        return linear_parameter_count(
            positive_int(f"{where}.in_features", layer["in_features"]),
            positive_int(f"{where}.out_features", layer["out_features"]),
            bias=boolean(f"{where}.bias", layer.get("bias", True)),
        )
    return 0


def layer_output_shape(
    layer: Layer, shape: tuple[int, ...], index: int | None = None
) -> tuple[int, ...]:
    """Return the layer's output shape for input `shape`, or raise when they disagree.

    Parameters
    ----------
    layer : mapping
        As in `check_layer` (which checks it first).
    shape : tuple of int
        The input's shape without the batch axis: ``(C, H, W)``, or ``(features,)``
        after a ``flatten``.
    index : int, optional
        As in `check_layer`.

    Raises
    ------
    ValueError
        A spatial layer after a flat input, channels or features that differ from the
        input's, or sizes the layer cannot produce.

    Examples
    --------
    >>> layer_output_shape({"type": "conv", "in_channels": 3, "out_channels": 64,
    ...                     "kernel_size": 11, "stride": 4, "padding": 2}, (3, 224, 224))
    (64, 55, 55)
    >>> layer_output_shape({"type": "flatten"}, (256, 6, 6))
    (9216,)
    """
    check_layer(layer, index)
    kind, where = layer["type"], _where(index)
    spatial_kinds = ("conv", "maxpool", "avgpool", "adaptive_avgpool", "batchnorm", "basic_block")
    if kind in spatial_kinds and len(shape) != 3:
        raise ValueError(
            f"{where} is a {kind} but its input has shape {shape}; a {kind} needs (C, H, W) "
            "(it cannot follow a flatten or a linear layer)"
        )
    channels_key = {"conv": "in_channels", "batchnorm": "num_features", "basic_block": "inplanes"}
    key = channels_key.get(kind)
    if key is not None and layer[key] != shape[0]:
        raise ValueError(
            f"{where}.{key} (={layer[key]!r}) must equal its input's "
            f"channels (={shape[0]}, shape {shape})"
        )
    if kind == "basic_block":
        step = positive_int(f"{where}.stride", layer.get("stride", 1))
        return (layer["planes"], *[conv_output_size(shape[1 + a], 3, step, 1) for a in range(2)])
    if kind in ("conv", "maxpool", "avgpool"):
        k = positive_pair(f"{where}.kernel_size", layer["kernel_size"])
        default_stride = 1 if kind == "conv" else layer["kernel_size"]
        s = positive_pair(f"{where}.stride", layer.get("stride", default_stride))
        p = nonnegative_pair(f"{where}.padding", layer.get("padding", 0))
        d = positive_pair(f"{where}.dilation", layer.get("dilation", 1))
        if kind == "conv":
            hw = [conv_output_size(shape[1 + a], k[a], s[a], p[a], d[a]) for a in range(2)]
            return (layer["out_channels"], *hw)
        ceil = boolean(f"{where}.ceil_mode", layer.get("ceil_mode", False))
        return (
            shape[0],
            *[pool_output_size(shape[1 + a], k[a], s[a], p[a], d[a], ceil) for a in range(2)],
        )
    if kind == "adaptive_avgpool":
        return (shape[0], *positive_pair(f"{where}.output_size", layer["output_size"]))
    if kind == "flatten":
        size = 1
        for n in shape:
            size *= n
        return (size,)
    if kind == "linear":
        if len(shape) != 1 or layer["in_features"] != shape[0]:
            raise ValueError(
                f"{where}.in_features (={layer['in_features']!r}) must equal the features of "
                f"its input (shape {shape}; a linear layer needs a flat (features,) input)"
            )
        return (layer["out_features"],)
    return shape
