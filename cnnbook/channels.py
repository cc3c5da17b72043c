r"""Channels: the sum over input channels, 1×1 convolutions and depthwise-separable ones.

A convolutional layer with $C_\text{in}$ input and $C_\text{out}$ output channels holds
one $k_h \times k_w$ kernel per (output, input) channel pair. Output channel $o$ is the
sum, over the input channels, of each channel correlated with its own kernel, plus a bias:

$$y_o[i, j] = b_o + \sum_{c} \sum_{a, b'} w_{o,c}[a, b']\; x_c[i + a, j + b'].$$

`pixel_sum` writes that sum out, number by number, for one output value. A 1×1 kernel
reduces it to $y_o[i, j] = b_o + \sum_c w_{o,c}\, x_c[i, j]$: a `Linear` layer applied
to the channel vector of every pixel (`cnnbook.nn.linear_to_conv2d` turns one into the
other). A *depthwise-separable* convolution splits the standard one in two: a
depthwise $k \times k$ convolution (``groups = C_in``, one filter per channel) that
mixes space, then a pointwise 1×1 convolution that mixes channels; `separable_cost`
counts what that saves. See [[Channels and 1x1 Convolutions]].
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass
from typing import Any

import numpy as np

from cnnbook._validation import as_numeric_array, boolean, positive_pair
from cnnbook.layer_cost import conv2d_macs
from cnnbook.parameters import conv2d_parameter_count

__all__ = ["PixelSum", "SeparableCost", "pixel_sum", "separable_cost"]


def _number(value: float) -> str:
    """Write a value as a reader does: 3, 0.5, and (-2) (negatives in parentheses)."""
    text = str(int(value)) if float(value).is_integer() else format(float(value), ".4g")
    return f"({text})" if value < 0 else text


@dataclass(frozen=True)
class PixelSum:
    r"""One output value of a multi-channel convolution, as the sum it is.

    Attributes
    ----------
    out_channel, row, col : int
        Which output value: $y_o[i, j]$.
    products : tuple of tuple of (float, float)
        Per input channel $c$, the ``(input value, weight)`` pairs of its window, row by row.
    channel_sums : tuple of float
        Per input channel, $\sum_{a,b'} w_{o,c}[a,b']\, x_c[i+a, j+b']$.
    bias : float
        $b_o$ (0 without a bias).
    value : float
        ``sum(channel_sums) + bias``: the output value.

    Examples
    --------
    >>> s = pixel_sum(np.ones((2, 2, 2)), np.ones((1, 2, 1, 2)))
    >>> s.channel_sums, s.value
    ((2.0, 2.0), 4.0)
    """

    out_channel: int
    row: int
    col: int
    products: tuple[tuple[tuple[float, float], ...], ...]
    channel_sums: tuple[float, ...]
    bias: float
    value: float

    def written(self) -> str:
        """Write the sum out: ``y[o, i, j] = (x·w + ...) + (...) + b = value``.

        Examples
        --------
        >>> pixel_sum(np.ones((2, 2, 2)), np.ones((1, 2, 1, 2))).written()
        'y[0, 0, 0] = (1·1 + 1·1) + (1·1 + 1·1) = 4'
        """
        channels = " + ".join(
            "(" + " + ".join(f"{_number(x)}·{_number(w)}" for x, w in pairs) + ")"
            for pairs in self.products
        )
        bias = f" + {_number(self.bias)}" if self.bias else ""
        head = f"y[{self.out_channel}, {self.row}, {self.col}]"
        return f"{head} = {channels}{bias} = {_number(self.value).strip('()')}"


def _index(name: str, value: Any, size: int) -> int:
    if not isinstance(value, numbers.Integral) or isinstance(value, bool):
        raise TypeError(f"{name} (={value!r}) must be an int")
    if not 0 <= int(value) < size:
        raise ValueError(f"{name} (={value!r}) must be in [0, {size})")
    return int(value)


def pixel_sum(
    x: Any, weight: Any, bias: Any = None, out_channel: int = 0, row: int = 0, col: int = 0
) -> PixelSum:
    r"""Write out one output value of a multi-channel convolution (stride 1, no padding).

    Parameters
    ----------
    x : array_like of shape (C_in, H, W)
        One image.
    weight : array_like of shape (C_out, C_in, kh, kw)
        One kernel per (output, input) channel pair, as `conv2d`'s.
    bias : array_like of shape (C_out,), optional
    out_channel, row, col : int, default 0
        The output value $y_o[i, j]$ to write out; ``row < H - kh + 1``,
        ``col < W - kw + 1``.

    Returns
    -------
    PixelSum
        The products per input channel, their sums, the bias and the value; its
        ``written()`` is the sum as text. ``value`` equals
        ``conv2d(x, weight, bias)[out_channel, row, col]``.

    Raises
    ------
    TypeError
        Non-numeric arrays, or an index that is not an int.
    ValueError
        Wrong ndim, weight channels not ``C_in``, a bias not of length ``C_out``, a kernel
        larger than the image, or an index outside the output.

    Examples
    --------
    >>> x = np.arange(8.0).reshape(2, 2, 2)  # channel 0: 0 1 / 2 3, channel 1: 4 5 / 6 7
    >>> w = np.array([[[[1.0, -1.0]], [[2.0, 0.0]]]])  # one output channel, 1x2 kernels
    >>> print(pixel_sum(x, w, np.array([0.5]), row=1).written())
    y[0, 1, 0] = (2·1 + 3·(-1)) + (6·2 + 7·0) + 0.5 = 11.5
    """
    image = as_numeric_array("x", x, ndim=3).astype(np.float64)
    w = as_numeric_array("weight", weight, ndim=4).astype(np.float64)
    c_out, c_in, kh, kw = w.shape
    if c_in != image.shape[0]:
        raise ValueError(
            f"weight (shape {w.shape}) must have x's {image.shape[0]} input channels "
            f"(x shape {image.shape}) in its second axis"
        )
    oh, ow = image.shape[1] - kh + 1, image.shape[2] - kw + 1
    if oh < 1 or ow < 1:
        raise ValueError(f"weight's kernel ({kh}x{kw}) must fit inside x (shape {image.shape})")
    b = np.zeros(c_out)
    if bias is not None:
        b = as_numeric_array("bias", bias, ndim=1).astype(np.float64)
        if b.shape != (c_out,):
            raise ValueError(f"bias (shape {b.shape}) must have shape ({c_out},), one per output")
    o = _index("out_channel", out_channel, c_out)
    i, j = _index("row", row, oh), _index("col", col, ow)
    window = image[:, i : i + kh, j : j + kw]
    products = tuple(
        tuple(zip(window[c].ravel().tolist(), w[o, c].ravel().tolist(), strict=True))
        for c in range(c_in)
    )
    sums = tuple(float((window[c] * w[o, c]).sum()) for c in range(c_in))
    return PixelSum(o, i, j, products, sums, float(b[o]), float(sum(sums) + b[o]))


@dataclass(frozen=True)
class SeparableCost:
    r"""A standard convolution against its depthwise-separable replacement.

    Attributes
    ----------
    standard_parameters, separable_parameters : int
        $C_\text{out}(C_\text{in} k^2 + 1)$ against
        $C_\text{in}(k^2 + 1) + C_\text{out}(C_\text{in} + 1)$ (without the $+1$ terms
        when there is no bias).
    standard_macs, separable_macs : int
        Multiply-adds per image: $C_\text{out} C_\text{in} k^2 P$ against
        $C_\text{in} k^2 P + C_\text{in} C_\text{out} P$, with $P = O_H O_W$.
    parameter_ratio, mac_ratio : float
        Separable over standard.
    formula_ratio : float
        $1/C_\text{out} + 1/(k_h k_w)$: exactly `mac_ratio`, and `parameter_ratio` without
        biases.

    Examples
    --------
    >>> separable_cost(16, 32, 3, 8).formula_ratio == 1 / 32 + 1 / 9
    True
    """

    standard_parameters: int
    separable_parameters: int
    standard_macs: int
    separable_macs: int
    parameter_ratio: float
    mac_ratio: float
    formula_ratio: float


def separable_cost(
    in_channels: int,
    out_channels: int,
    kernel_size: int | tuple[int, int],
    output_size: int | tuple[int, int],
    bias: bool = True,
) -> SeparableCost:
    r"""Parameters and multiply-adds of a convolution and of its depthwise-separable twin.

    The twin is a depthwise ``Conv2d(C_in, C_in, k, groups=C_in)`` followed by a pointwise
    ``Conv2d(C_in, C_out, 1)`` (MobileNet's block, without its batch norms).

    Parameters
    ----------
    in_channels, out_channels : int
        $C_\text{in}$, $C_\text{out}$.
    kernel_size : int or pair of int
        $(k_h, k_w)$ of the standard and the depthwise convolution.
    output_size : int or pair of int
        $(O_H, O_W)$, the output size of both.
    bias : bool, default True
        Whether every convolution has a bias (as `torch.nn.Conv2d`'s default).

    Returns
    -------
    SeparableCost
        Both counts of both, their ratios and the formula $1/C_\text{out} + 1/(k_h k_w)$.

    Raises
    ------
    TypeError, ValueError
        A count or size that is not a positive int (or pair), or a `bias` that is not a bool.

    Notes
    -----
    $$\frac{C_\text{in} k^2 P + C_\text{in} C_\text{out} P}{C_\text{out} C_\text{in} k^2 P}
      = \frac{1}{C_\text{out}} + \frac{1}{k^2}.$$

    Examples
    --------
    >>> c = separable_cost(32, 64, 3, 56)
    >>> c.standard_macs, c.separable_macs
    (57802752, 7325696)
    >>> round(c.mac_ratio, 4), round(c.formula_ratio, 4)  # 1/64 + 1/9
    (0.1267, 0.1267)
    """
    with_bias = boolean("bias", bias)
    k = positive_pair("kernel_size", kernel_size)
    standard = conv2d_parameter_count(in_channels, out_channels, k, with_bias)
    separable = conv2d_parameter_count(
        in_channels, in_channels, k, with_bias, groups=in_channels
    ) + conv2d_parameter_count(in_channels, out_channels, 1, with_bias)
    standard_macs = conv2d_macs(in_channels, out_channels, k, output_size)
    separable_macs = conv2d_macs(
        in_channels, in_channels, k, output_size, groups=in_channels
    ) + conv2d_macs(in_channels, out_channels, 1, output_size)
    return SeparableCost(
        standard_parameters=standard,
        separable_parameters=separable,
        standard_macs=standard_macs,
        separable_macs=separable_macs,
        parameter_ratio=separable / standard,
        mac_ratio=separable_macs / standard_macs,
        formula_ratio=1 / out_channels + 1 / (k[0] * k[1]),
    )
