r"""Networks as data: each layer a mapping with PyTorch's argument names; sizes computed.

An `Architecture` is an input shape ``(C, H, W)`` and a tuple of layers, each a
plain mapping with a ``type`` and PyTorch's argument names
(``{"type": "conv", "in_channels": 3, "out_channels": 64, "kernel_size": 3, "padding": 1}``).
From that data alone, `parameter_count`, `receptive_field_after` and
`architecture_summary` compute the published figures: the architecture walks its layers
in order, each checked against the shape that reaches it, and follows the receptive field
through the spatial ones. One layer on its own -- its type and keys, its parameters, its
output shape -- is `cnnbook.architectures.layer_specs` (the layer types are listed there).
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from cnnbook.architectures.layer_specs import LAYER_KEYS as LAYER_KEYS
from cnnbook.architectures.layer_specs import Layer as Layer
from cnnbook.architectures.layer_specs import check_layer, layer_output_shape, layer_parameters
from cnnbook.receptive_field import GEOMETRY_KEYS, receptive_field

__all__ = [
    "Architecture",
    "LayerSummary",
    "architecture_summary",
    "parameter_count",
    "receptive_field_after",
]


class LayerSummary(NamedTuple):
    """One row of `architecture_summary`."""

    position: int
    type: str
    output_shape: tuple[int, ...]
    parameters: int
    receptive_field: tuple[int, int] | None


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
        kind = check_layer(layer, index)
        parameters = layer_parameters(layer, index)
        new_shape = layer_output_shape(layer, shape, index)
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

    Every layer is checked when the architecture is built: its type must be one of
    `cnnbook.architectures.layer_specs.LAYER_KEYS`, with that type's keys and no others,
    and each layer must fit the shape that reaches it (a conv's ``in_channels``, a
    linear's ``in_features``).

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
