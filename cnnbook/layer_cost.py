r"""What a layer costs: multiply-adds, activation memory and parameters, layer by layer.

A convolution computed by im2col is one matrix product per group: the weight matrix
$(C_\text{out}/g) \times (C_\text{in}/g\, k_h k_w)$ times the column matrix
$(C_\text{in}/g\, k_h k_w) \times (O_H O_W)$. A product of an $m \times k$ and a
$k \times n$ matrix takes $mkn$ multiply-adds (MACs), so a convolution takes

$$\text{MACs} = C_\text{out}\, O_H O_W \cdot \frac{C_\text{in}}{g}\, k_h k_w$$

per image, and a linear layer $n_\text{in} n_\text{out}$. Those two are where a CNN
spends its arithmetic; batch norm, activations and pooling cost a few operations per
value and are not multiply-adds of a matrix product, so they count zero here (as in the
published figures: about 15.5 G for VGG-16, 1.8 G for ResNet-18). One MAC is two
floating-point operations (FLOPs): a multiplication and an addition.

*Activation memory* is the size of each layer's output per image (what the next layer
reads, and what a training forward pass keeps for the backward), in bytes at
`bytes_per_element` (4 for float32). See [[How Convolution Is Computed (im2col)]].
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple

from cnnbook._validation import positive_int, positive_pair
from cnnbook.architectures.summary import Architecture

__all__ = [
    "LayerCost",
    "activation_memory",
    "conv2d_macs",
    "layer_costs",
    "linear_macs",
    "total_macs",
]


def conv2d_macs(
    in_channels: int,
    out_channels: int,
    kernel_size: int | tuple[int, int],
    output_size: int | tuple[int, int],
    groups: int = 1,
) -> int:
    r"""Multiply-adds of one 2-D convolution on one image (one dot product per output value).

    Parameters
    ----------
    in_channels, out_channels : int
        Channels $C_\text{in}$ and $C_\text{out}$, each divisible by `groups`.
    kernel_size : int or pair of int
        $(k_h, k_w)$.
    output_size : int or pair of int
        The output's $(O_H, O_W)$ (from `conv_output_size`): one dot product per output pixel.
    groups : int, default 1
        Channel groups $g$: each output channel reads $C_\text{in}/g$ input channels.

    Returns
    -------
    int
        The multiply-adds of the layer's matrix products (the bias additions not counted).

    Raises
    ------
    TypeError
        If a count or size is not an int (or a pair of ints).
    ValueError
        If a count or size is not positive, or `groups` does not divide both channel counts.

    Examples
    --------
    >>> conv2d_macs(3, 64, 3, 224)  # VGG-16's first layer: 64 * 224 * 224 * 3 * 3 * 3
    86704128
    >>> conv2d_macs(32, 32, 3, 8, groups=32)  # depthwise: each channel its own 3x3 filter
    18432
    """
    c_in = positive_int("in_channels", in_channels)
    c_out = positive_int("out_channels", out_channels)
    kh, kw = positive_pair("kernel_size", kernel_size)
    oh, ow = positive_pair("output_size", output_size)
    g = positive_int("groups", groups)
    for name, c in (("in_channels", c_in), ("out_channels", c_out)):
        if c % g:
            raise ValueError(f"groups (={g}) must divide {name} (={c})")
    return c_out * oh * ow * (c_in // g) * kh * kw


def linear_macs(in_features: int, out_features: int) -> int:
    r"""Multiply-adds of one linear layer on one input: $n_\text{in} n_\text{out}$.

    Raises
    ------
    TypeError, ValueError
        If a size is not a positive int.

    Examples
    --------
    >>> linear_macs(512 * 7 * 7, 4096)  # VGG-16's first dense layer
    102760448
    """
    return positive_int("in_features", in_features) * positive_int("out_features", out_features)


class LayerCost(NamedTuple):
    """One row of `layer_costs`: a layer, its output and what it costs per image."""

    position: int
    type: str
    output_shape: tuple[int, ...]
    parameters: int
    macs: int
    activations: int
    activation_bytes: int


def _macs(layer: Any, out_shape: tuple[int, ...]) -> int:
    kind = layer["type"]
    size = (out_shape[-2], out_shape[-1]) if len(out_shape) == 3 else (1, 1)
    if kind == "conv":
        return conv2d_macs(
            layer["in_channels"],
            layer["out_channels"],
            layer["kernel_size"],
            size,
            layer.get("groups", 1),
        )
    if kind == "linear":
        return linear_macs(layer["in_features"], layer["out_features"])
    if kind == "basic_block":  # two 3x3 convolutions, and a 1x1 projection when reshaping
        cin, planes = layer["inplanes"], layer["planes"]
        body = conv2d_macs(cin, planes, 3, size) + conv2d_macs(planes, planes, 3, size)
        reshapes = layer.get("stride", 1) != 1 or cin != planes
        return body + (conv2d_macs(cin, planes, 1, size) if reshapes else 0)
    return 0  # batch norm, activations, pooling, dropout, flatten: no matrix product


def layer_costs(arch: Architecture, bytes_per_element: int = 4) -> list[LayerCost]:
    """Per layer of `arch`: output shape, parameters, multiply-adds and activation memory.

    Parameters
    ----------
    arch : Architecture
        A network as data, e.g. `VGG16` (see `cnnbook.architectures`).
    bytes_per_element : int, default 4
        Bytes per activation value (4 for float32, 2 for float16).

    Returns
    -------
    list of LayerCost
        ``(position, type, output_shape, parameters, macs, activations, activation_bytes)``
        per layer, for one image: ``activations`` is the number of values of the layer's
        output, ``activation_bytes`` that times `bytes_per_element`.

    Raises
    ------
    TypeError
        If `arch` is not an `Architecture`, or `bytes_per_element` not an int.
    ValueError
        If `bytes_per_element` is not positive.

    Notes
    -----
    A ``basic_block`` (ResNet's) counts its two 3×3 convolutions and its 1×1 projection;
    its activations are those of its output (the block's inner maps are not listed).

    Examples
    --------
    >>> from cnnbook import LENET5
    >>> first = layer_costs(LENET5)[0]  # 6 filters of 5x5 on 28x28 positions
    >>> first.output_shape, first.parameters, first.macs, first.activation_bytes
    ((6, 28, 28), 156, 117600, 18816)
    """
    if not isinstance(arch, Architecture):
        raise TypeError(f"arch (={arch!r}) must be an Architecture, e.g. cnnbook.VGG16")
    size = positive_int("bytes_per_element", bytes_per_element)
    rows = []
    for layer, row in zip(arch.layers, arch.summary, strict=True):
        values = math.prod(row.output_shape)
        macs = _macs(layer, row.output_shape)
        rows.append(
            LayerCost(
                row.position,
                row.type,
                row.output_shape,
                row.parameters,
                macs,
                values,
                values * size,
            )
        )
    return rows


def total_macs(arch: Architecture) -> int:
    """Multiply-adds of one forward pass of `arch` on one image (convolutions and linear layers).

    Examples
    --------
    >>> from cnnbook import VGG16
    >>> round(total_macs(VGG16) / 1e9, 1)  # giga multiply-adds at 224 x 224
    15.5
    """
    return sum(row.macs for row in layer_costs(arch))


def activation_memory(arch: Architecture, bytes_per_element: int = 4, batch_size: int = 1) -> int:
    """Bytes of every layer's output for `batch_size` images: what a training forward keeps.

    Raises
    ------
    TypeError, ValueError
        As `layer_costs`; `batch_size` must be a positive int.

    Examples
    --------
    >>> from cnnbook import LENET5
    >>> activation_memory(LENET5) == 4 * sum(row.activations for row in layer_costs(LENET5))
    True
    """
    n = positive_int("batch_size", batch_size)
    return n * sum(row.activation_bytes for row in layer_costs(arch, bytes_per_element))
