r"""The classic CNNs as data: LeNet-5, AlexNet and VGG-16, with their sizes computed by cnnbook.

Each network is an `Architecture`: an input shape ``(C, H, W)`` and a tuple of
layers, each a plain mapping with a ``type`` and PyTorch's argument names
(``{"type": "conv", "in_channels": 3, "out_channels": 64, "kernel_size": 3, "padding": 1}``).
From that data alone, `parameter_count`, `receptive_field_after` and
`architecture_summary` compute the published figures:

| network | variant | parameters | receptive field of the last pooling layer |
|---|---|---|---|
| LeNet-5 | Dive into Deep Learning (d2l.ai), §7.6: 28x28 input, padding 2 | 61,706 | 16 |
| AlexNet | ``torchvision.models.alexnet`` (one tower, 64-192-384-256-256) | 61,100,840 | 195 |
| VGG-16 | ``torchvision.models.vgg16`` (configuration D) | 138,357,544 | 212 |

(The receptive fields match Araujo, Norris & Sim's table in Distill, 2019.)
Layer types: ``conv``, ``maxpool``, ``avgpool``, ``adaptive_avgpool``, ``relu``,
``sigmoid``, ``dropout``, ``flatten``, ``linear``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from cnnbook._validation import pair
from cnnbook.output_size import conv_output_size, pool_output_size
from cnnbook.parameters import conv2d_parameter_count, linear_parameter_count
from cnnbook.receptive_field import receptive_field

__all__ = [
    "ALEXNET",
    "LENET5",
    "VGG16",
    "Architecture",
    "LayerSummary",
    "architecture_summary",
    "parameter_count",
    "receptive_field_after",
]

Layer = Mapping[str, Any]


@dataclass(frozen=True)
class Architecture:
    """A network as data: a name, the input shape ``(C, H, W)``, the layers in order, a source."""

    name: str
    input_shape: tuple[int, int, int]
    layers: tuple[Layer, ...]
    source: str


def _conv(cin: int, cout: int, k: int, stride: int = 1, padding: int = 0) -> Layer:
    return {"type": "conv", "in_channels": cin, "out_channels": cout, "kernel_size": k,
            "stride": stride, "padding": padding}  # fmt: skip


def _maxpool(k: int, stride: int) -> Layer:
    return {"type": "maxpool", "kernel_size": k, "stride": stride}


def _linear(fin: int, fout: int) -> Layer:
    return {"type": "linear", "in_features": fin, "out_features": fout}


RELU: Layer = {"type": "relu"}
SIGMOID: Layer = {"type": "sigmoid"}
DROPOUT: Layer = {"type": "dropout", "p": 0.5}
FLATTEN: Layer = {"type": "flatten"}

LENET5 = Architecture(
    "LeNet-5",
    (1, 28, 28),
    (
        _conv(1, 6, 5, padding=2),
        SIGMOID,
        {"type": "avgpool", "kernel_size": 2, "stride": 2},
        _conv(6, 16, 5),
        SIGMOID,
        {"type": "avgpool", "kernel_size": 2, "stride": 2},
        FLATTEN,
        _linear(16 * 5 * 5, 120),
        SIGMOID,
        _linear(120, 84),
        SIGMOID,
        _linear(84, 10),
    ),
    "Zhang, Lipton, Li & Smola, Dive into Deep Learning, §7.6 (LeCun et al. 1998 with "
    "full C3 connections, sigmoid, average pooling and a linear output layer)",
)

ALEXNET = Architecture(
    "AlexNet",
    (3, 224, 224),
    (
        _conv(3, 64, 11, stride=4, padding=2),
        RELU,
        _maxpool(3, 2),
        _conv(64, 192, 5, padding=2),
        RELU,
        _maxpool(3, 2),
        _conv(192, 384, 3, padding=1),
        RELU,
        _conv(384, 256, 3, padding=1),
        RELU,
        _conv(256, 256, 3, padding=1),
        RELU,
        _maxpool(3, 2),
        {"type": "adaptive_avgpool", "output_size": (6, 6)},
        FLATTEN,
        DROPOUT,
        _linear(256 * 6 * 6, 4096),
        RELU,
        DROPOUT,
        _linear(4096, 4096),
        RELU,
        _linear(4096, 1000),
    ),
    "torchvision.models.alexnet (Krizhevsky, 'One weird trick...', 2014)",
)


def _vgg_features(config: list[int | str]) -> list[Layer]:
    layers: list[Layer] = []
    cin = 3
    for v in config:
        if v == "M":
            layers.append(_maxpool(2, 2))
        else:
            layers += [_conv(cin, int(v), 3, padding=1), RELU]
            cin = int(v)
    return layers


VGG16 = Architecture(
    "VGG-16",
    (3, 224, 224),
    (
        *_vgg_features(
            [64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512, "M"]
        ),
        {"type": "adaptive_avgpool", "output_size": (7, 7)},
        FLATTEN,
        _linear(512 * 7 * 7, 4096),
        RELU,
        DROPOUT,
        _linear(4096, 4096),
        RELU,
        DROPOUT,
        _linear(4096, 1000),
    ),
    "torchvision.models.vgg16 (Simonyan & Zisserman 2015, configuration D)",
)


class LayerSummary(NamedTuple):
    """One row of `architecture_summary`."""

    position: int
    type: str
    output_shape: tuple[int, ...]
    parameters: int
    receptive_field: tuple[int, int] | None


def _layer_parameters(layer: Layer) -> int:
    if layer["type"] == "conv":
        return conv2d_parameter_count(
            layer["in_channels"],
            layer["out_channels"],
            layer["kernel_size"],
            bias=layer.get("bias", True),
            groups=layer.get("groups", 1),
        )
    if layer["type"] == "linear":
        return linear_parameter_count(
            layer["in_features"], layer["out_features"], bias=layer.get("bias", True)
        )
    return 0


def _output_shape(layer: Layer, shape: tuple[int, ...]) -> tuple[int, ...]:
    kind = layer["type"]
    if kind in ("conv", "maxpool", "avgpool"):
        k = pair("kernel_size", layer["kernel_size"])
        s = pair("stride", layer.get("stride", 1 if kind == "conv" else layer["kernel_size"]))
        p = pair("padding", layer.get("padding", 0))
        d = pair("dilation", layer.get("dilation", 1))
        if kind == "conv":
            hw = [conv_output_size(shape[1 + a], k[a], s[a], p[a], d[a]) for a in range(2)]
            return (layer["out_channels"], *hw)
        ceil = layer.get("ceil_mode", False)
        return (
            shape[0],
            *[pool_output_size(shape[1 + a], k[a], s[a], p[a], d[a], ceil) for a in range(2)],
        )
    if kind == "adaptive_avgpool":
        return (shape[0], *pair("output_size", layer["output_size"]))
    if kind == "flatten":
        size = 1
        for n in shape:
            size *= n
        return (size,)
    if kind == "linear":
        return (layer["out_features"],)
    return shape


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

    Examples
    --------
    >>> rows = architecture_summary(LENET5)
    >>> rows[0].type, rows[0].output_shape, rows[0].parameters, rows[0].receptive_field
    ('conv', (6, 28, 28), 156, (5, 5))
    >>> rows[6].output_shape, rows[6].receptive_field
    ((400,), None)
    """
    shape: tuple[int, ...] = arch.input_shape
    spatial: list[Layer] = []
    rows = []
    rf: tuple[int, int] | None = (1, 1)
    for index, layer in enumerate(arch.layers):
        new_shape = _output_shape(layer, shape)
        if layer["type"] in ("conv", "maxpool", "avgpool"):
            stride = layer.get("stride", None if layer["type"] != "conv" else 1)
            spatial.append({**layer, "stride": stride})
            rf = receptive_field(spatial)[-1].size if rf is not None else None
        elif layer["type"] == "flatten" or (
            layer["type"] == "adaptive_avgpool" and new_shape != shape
        ):
            rf = None
        rows.append(LayerSummary(index, layer["type"], new_shape, _layer_parameters(layer), rf))
        shape = new_shape
    return rows


def parameter_count(arch: Architecture) -> int:
    """Total number of trainable parameters (weights and biases of every conv and linear layer).

    Examples
    --------
    >>> parameter_count(LENET5), parameter_count(ALEXNET), parameter_count(VGG16)
    (61706, 61100840, 138357544)
    """
    return sum(_layer_parameters(layer) for layer in arch.layers)


def receptive_field_after(arch: Architecture, kind: str = "maxpool") -> tuple[int, int]:
    """Receptive field (rows, cols) of the units after the last layer of type `kind`.

    Examples
    --------
    >>> receptive_field_after(VGG16), receptive_field_after(ALEXNET)
    ((212, 212), (195, 195))
    >>> receptive_field_after(LENET5, "avgpool")
    (16, 16)
    """
    rows = [r for r in architecture_summary(arch) if r.type == kind]
    if not rows:
        raise ValueError(f"kind (={kind!r}) names no layer of {arch.name}")
    field = rows[-1].receptive_field
    if field is None:  # pragma: no cover - pooling layers keep the spatial layout
        raise ValueError(f"the last {kind} layer of {arch.name} has no spatial receptive field")
    return field
