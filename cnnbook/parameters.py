r"""Parameter counts, and how much weight sharing saves over a dense layer.

A convolutional filter of size $k_1 \times k_2$ on one input channel has
$k_1 k_2$ weights and one bias: $k_1 k_2 + 1$ parameters, however large the
image. It reuses ("shares") those weights at every position. A fully
connected layer producing the same output from the same input needs one
weight per (input value, output value) pair instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cnnbook._validation import pair, positive_int, positive_pair
from cnnbook.output_size import conv_output_size

__all__ = [
    "WeightSharing",
    "conv2d_parameter_count",
    "linear_parameter_count",
    "weight_sharing_saving",
]


def conv2d_parameter_count(
    in_channels: int,
    out_channels: int,
    kernel_size: int | tuple[int, int],
    bias: bool = True,
    groups: int = 1,
) -> int:
    r"""Count the learnable parameters of a 2-D convolutional layer (`torch.nn.Conv2d`).

    Parameters
    ----------
    in_channels, out_channels : int
        Channels $C_\text{in}$ and $C_\text{out}$, each divisible by `groups`.
    kernel_size : int or pair of int
        $(k_1, k_2)$; an int $k$ means $(k, k)$.
    bias : bool, default True
        Whether each output channel has a bias.
    groups : int, default 1
        Number of channel groups $g$; each filter sees $C_\text{in}/g$ channels.

    Returns
    -------
    int
        $C_\text{out} \cdot (C_\text{in}/g) \cdot k_1 k_2 + C_\text{out}$ (without the
        last term if ``bias=False``).

    Raises
    ------
    TypeError
        If a count or `kernel_size` is not an int (or pair of ints).
    ValueError
        If a count or a kernel size is not positive, or `groups` does not divide
        both channel counts.

    Notes
    -----
    The weight tensor has shape $(C_\text{out}, C_\text{in}/g, k_1, k_2)$ and the
    bias shape $(C_\text{out},)$. One filter on one channel: $k_1 k_2 + 1$.
    The count does not depend on the image size: that is weight sharing.

    Examples
    --------
    >>> conv2d_parameter_count(1, 1, (3, 5))  # k1 * k2 + 1
    16
    >>> conv2d_parameter_count(64, 128, 3), conv2d_parameter_count(64, 64, 3, groups=64)
    (73856, 640)
    """
    c_in = positive_int("in_channels", in_channels)
    c_out = positive_int("out_channels", out_channels)
    kh, kw = positive_pair("kernel_size", kernel_size)
    g = positive_int("groups", groups)
    if c_in % g:
        raise ValueError(f"groups (={g}) must divide in_channels (={c_in})")
    if c_out % g:
        raise ValueError(f"groups (={g}) must divide out_channels (={c_out})")
    return c_out * (c_in // g) * kh * kw + (c_out if bias else 0)


def linear_parameter_count(in_features: int, out_features: int, bias: bool = True) -> int:
    r"""Count the learnable parameters of a fully connected layer (`torch.nn.Linear`).

    Parameters
    ----------
    in_features, out_features : int
        Input and output sizes $n_\text{in}$, $n_\text{out}$.
    bias : bool, default True
        Whether each output has a bias.

    Returns
    -------
    int
        $n_\text{out} \cdot n_\text{in} + n_\text{out}$ (without the last term if
        ``bias=False``).

    Raises
    ------
    TypeError
        If a size is not an int.
    ValueError
        If a size is not positive.

    Examples
    --------
    >>> linear_parameter_count(784, 10)
    7850
    """
    n_in = positive_int("in_features", in_features)
    n_out = positive_int("out_features", out_features)
    return n_out * n_in + (n_out if bias else 0)


@dataclass(frozen=True)
class WeightSharing:
    """A convolutional layer compared with the dense layer computing the same shapes.

    Attributes
    ----------
    input_shape : tuple of int
        ``(C_in, H, W)``.
    output_shape : tuple of int
        ``(C_out, OH, OW)``.
    conv_parameters : int
        Parameters of the convolutional layer.
    dense_parameters : int
        Parameters of a fully connected layer from ``C_in*H*W`` to ``C_out*OH*OW`` values.
    ratio : float
        ``dense_parameters / conv_parameters``: how many times fewer the convolution needs.

    Examples
    --------
    >>> weight_sharing_saving(3, 16, 32, 3, padding=1).output_shape
    (16, 32, 32)
    """

    input_shape: tuple[int, int, int]
    output_shape: tuple[int, int, int]
    conv_parameters: int
    dense_parameters: int
    ratio: float


def weight_sharing_saving(
    in_channels: int,
    out_channels: int,
    input_size: int | tuple[int, int],
    kernel_size: int | tuple[int, int],
    stride: int | tuple[int, int] = 1,
    padding: int | tuple[int, int] | str = 0,
    dilation: int | tuple[int, int] = 1,
    groups: int = 1,
    bias: bool = True,
) -> WeightSharing:
    r"""Compare a convolutional layer with the dense layer of the same input and output shapes.

    Parameters
    ----------
    in_channels, out_channels : int
        Channels of the convolution.
    input_size : int or pair of int
        Image size $(H, W)$; an int means square.
    kernel_size, stride, dilation : int or pair of int
        As in `torch.nn.Conv2d`.
    padding : int, pair of int, "valid" or "same"
        As in `torch.nn.Conv2d` (per side).
    groups : int, default 1
        Channel groups of the convolution.
    bias : bool, default True
        Whether both layers have biases.

    Returns
    -------
    WeightSharing
        Both shapes, both counts and their ratio.

    Raises
    ------
    TypeError, ValueError
        As `conv2d_parameter_count` and `conv_output_size`.

    Notes
    -----
    The dense layer has $(C_\text{in} H W)(C_\text{out} O_H O_W) + C_\text{out} O_H O_W$
    parameters, with $O_H, O_W$ from `conv_output_size`; the convolution has
    $C_\text{out} (C_\text{in}/g) k_1 k_2 + C_\text{out}$, independent of $H, W$.

    Examples
    --------
    >>> s = weight_sharing_saving(1, 1, 28, 5)
    >>> s.output_shape, s.conv_parameters, s.dense_parameters
    ((1, 24, 24), 26, 452160)
    >>> round(s.ratio)
    17391
    """
    h, w = positive_pair("input_size", input_size)
    kh, kw = positive_pair("kernel_size", kernel_size)
    sh, sw = positive_pair("stride", stride)
    dh, dw = positive_pair("dilation", dilation)
    ph: Any
    pw: Any  # an int or a padding mode string, checked by conv_output_size
    ph, pw = (padding, padding) if isinstance(padding, str) else pair("padding", padding)
    conv = conv2d_parameter_count(in_channels, out_channels, (kh, kw), bias=bias, groups=groups)
    oh = conv_output_size(h, kh, stride=sh, padding=ph, dilation=dh)
    ow = conv_output_size(w, kw, stride=sw, padding=pw, dilation=dw)
    dense = linear_parameter_count(in_channels * h * w, out_channels * oh * ow, bias=bias)
    return WeightSharing(
        input_shape=(in_channels, h, w),
        output_shape=(out_channels, oh, ow),
        conv_parameters=conv,
        dense_parameters=dense,
        ratio=dense / conv,
    )
