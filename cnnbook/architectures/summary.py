r"""Networks as data: each layer a mapping with PyTorch's argument names; sizes computed.

An `Architecture` is an input shape ``(C, H, W)`` and a tuple of layers, each a
plain mapping with a ``type`` and PyTorch's argument names
(``{"type": "conv", "in_channels": 3, "out_channels": 64, "kernel_size": 3, "padding": 1}``).
From that data alone, `parameter_count`, `receptive_field_after` and
`architecture_summary` compute the published figures. Layer types: ``conv``,
``batchnorm``, ``maxpool``, ``avgpool``, ``adaptive_avgpool``, ``relu``,
``sigmoid``, ``dropout``, ``flatten``, ``linear``, and ``basic_block`` (ResNet's
block, `cnnbook.models.BasicBlock`: two 3×3 convolutions without bias, two batch
norms, and a 1×1 projection with its batch norm when the shape changes).
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from cnnbook._validation import (
    boolean,
    nonnegative_pair,
    positive_int,
    positive_pair,
)
from cnnbook.output_size import conv_output_size, pool_output_size
from cnnbook.parameters import conv2d_parameter_count, linear_parameter_count
from cnnbook.receptive_field import GEOMETRY_KEYS, receptive_field

__all__ = [
    "Architecture",
    "LayerSummary",
    "architecture_summary",
    "parameter_count",
    "receptive_field_after",
]

Layer = Mapping[str, Any]


class LayerSummary(NamedTuple):
    """One row of `architecture_summary`."""

    position: int
    type: str
    output_shape: tuple[int, ...]
    parameters: int
    receptive_field: tuple[int, int] | None


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


def _check_layer(index: int, layer: Any) -> str:
    """Return the layer's type, or raise naming the layer, the key and the rule."""
    where = f"layers[{index}]"
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


def _layer_parameters(index: int, layer: Layer) -> int:
    where = f"layers[{index}]"
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


def _output_shape(index: int, layer: Layer, shape: tuple[int, ...]) -> tuple[int, ...]:
    """Return the layer's output shape for input `shape`, or raise when they disagree."""
    kind, where = layer["type"], f"layers[{index}]"
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


def _walk(arch: Any) -> list[LayerSummary]:
    """Check every layer against the shape that reaches it; one summary row per layer."""
    if not isinstance(arch, Architecture):
        raise TypeError(f"arch (={arch!r}) must be an Architecture, e.g. cnnbook.VGG16")
    return arch.summary


def _summarise(input_shape: Any, layers: Any) -> list[LayerSummary]:
    if (
        not isinstance(input_shape, tuple | list)
        or len(input_shape) != 3
        or not all(
            isinstance(n, numbers.Integral) and not isinstance(n, bool) and int(n) >= 1
            for n in input_shape
        )
    ):
        raise ValueError(f"input_shape (={input_shape!r}) must be (C, H, W), three positive ints")
    if not isinstance(layers, tuple | list):
        raise TypeError(f"layers (={layers!r}) must be a tuple of layer mappings")
    shape: tuple[int, ...] = tuple(int(n) for n in input_shape)
    spatial: list[Layer] = []
    rows = []
    rf: tuple[int, int] | None = (1, 1)
    for index, layer in enumerate(layers):
        kind = _check_layer(index, layer)
        parameters = _layer_parameters(index, layer)
        new_shape = _output_shape(index, layer, shape)
        if kind in ("conv", "maxpool", "avgpool"):
            stride = layer.get("stride", None if kind != "conv" else 1)
            geometry = {key: layer[key] for key in GEOMETRY_KEYS if key in layer}
            spatial.append({**geometry, "stride": stride})
            rf = receptive_field(spatial)[-1].size if rf is not None else None
        elif kind == "basic_block":
            # The sum's field is the larger of its two paths': the body's two 3×3 convolutions
            # (the shortcut's 1×1 projection sees less).
            s = layer.get("stride", 1)
            spatial += [
                {"kernel_size": 3, "stride": s, "padding": 1},
                {"kernel_size": 3, "padding": 1},
            ]
            rf = receptive_field(spatial)[-1].size if rf is not None else None
        elif kind == "flatten" or (kind == "adaptive_avgpool" and new_shape != shape):
            rf = None
        rows.append(LayerSummary(index, kind, new_shape, parameters, rf))
        shape = new_shape
    return rows


def architecture_summary(arch: Architecture) -> list[LayerSummary]:
    """Output shape, parameter count and receptive field after every layer.

    Parameters
    ----------
    arch : Architecture
        For example `VGG16`.

    Returns
    -------
    list of LayerSummary
        ``(position, type, output_shape, parameters, receptive_field)``; the
        receptive field (rows, cols) is None once the spatial layout is gone
        (after ``flatten``, or an adaptive pooling that resizes).

    Raises
    ------
    TypeError
        If `arch` is not an `Architecture`.

    Examples
    --------
    >>> from cnnbook.architectures import LENET5
    >>> rows = architecture_summary(LENET5)
    >>> rows[0].type, rows[0].output_shape, rows[0].parameters, rows[0].receptive_field
    ('conv', (6, 28, 28), 156, (5, 5))
    >>> rows[6].output_shape, rows[6].receptive_field
    ((400,), None)
    """
    return list(_walk(arch))


@dataclass(frozen=True)
class Architecture:
    """A network as data: a name, the input shape ``(C, H, W)``, the layers in order, a source.

    Every layer is checked when the architecture is built: its type must be one
    of `LAYER_KEYS`, with that type's keys and no others, and each layer must fit
    the shape that reaches it (a conv's ``in_channels``, a linear's ``in_features``).

    Raises
    ------
    ValueError
        An unknown layer type or key, a missing key, or a layer that does not fit
        its input (naming ``layers[i]``, the key, the value and the rule).
    TypeError
        A layer that is not a mapping, or a name/source that is not a str.

    Examples
    --------
    >>> Architecture("tiny", (1, 8, 8), ({"type": "conv", "in_channels": 3,
    ...     "out_channels": 4, "kernel_size": 3},), "a test")
    Traceback (most recent call last):
    ...
    ValueError: layers[0].in_channels (=3) must equal its input's channels (=1, shape (1, 8, 8))
    """

    name: str
    input_shape: tuple[int, int, int]
    layers: tuple[Layer, ...]
    source: str
    summary: list[LayerSummary] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        for field_name in ("name", "source"):
            if not isinstance(getattr(self, field_name), str):
                raise TypeError(f"{field_name} (={getattr(self, field_name)!r}) must be a str")
        object.__setattr__(self, "summary", _summarise(self.input_shape, self.layers))


def parameter_count(arch: Architecture) -> int:
    """Total number of trainable parameters (every conv, batch norm, linear layer and block).

    Examples
    --------
    >>> from cnnbook.architectures import ALEXNET, LENET5, RESNET18, VGG16
    >>> parameter_count(LENET5), parameter_count(ALEXNET), parameter_count(VGG16)
    (61706, 61100840, 138357544)
    >>> parameter_count(RESNET18)
    11689512
    """
    return sum(row.parameters for row in _walk(arch))


def receptive_field_after(arch: Architecture, kind: str = "maxpool") -> tuple[int, int]:
    """Receptive field (rows, cols) of the units after the last layer of type `kind`.

    Examples
    --------
    >>> from cnnbook.architectures import ALEXNET, LENET5, VGG16
    >>> receptive_field_after(VGG16), receptive_field_after(ALEXNET)
    ((212, 212), (195, 195))
    >>> receptive_field_after(LENET5, "avgpool")
    (16, 16)
    """
    if not isinstance(kind, str):
        raise TypeError(f"kind (={kind!r}) must be a layer type, one of {list(LAYER_KEYS)}")
    rows = [r for r in _walk(arch) if r.type == kind]
    if not rows:
        raise ValueError(f"kind (={kind!r}) names no layer of {arch.name}")
    field = rows[-1].receptive_field
    if field is None:  # pragma: no cover - pooling layers keep the spatial layout
        raise ValueError(f"the last {kind} layer of {arch.name} has no spatial receptive field")
    return field
