r"""Parameter counts, and the two savings of a convolution over a dense layer.

A convolutional filter of size $k_1 \times k_2$ on one input channel has
$k_1 k_2$ weights and one bias: $k_1 k_2 + 1$ parameters, however large the
image. A fully connected layer producing the same output from the same input
needs one weight per (input value, output value) pair instead. The gap is two
savings multiplied, and `connectivity_savings` separates them:

- **locality**: a *locally connected* layer wires each output unit to its
  window only, but each unit still has weights of its own
  (`locally_connected_parameter_count`);
- **weight sharing**: the convolution uses one set of weights for every
  position, which divides the locally connected count by the number of output
  positions $O_H O_W$.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cnnbook._validation import pair, positive_int, positive_pair
from cnnbook.output_size import conv_output_size

__all__ = [
    "ConnectivitySavings",
    "connectivity_savings",
    "conv2d_parameter_count",
    "linear_parameter_count",
    "locally_connected_parameter_count",
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


def locally_connected_parameter_count(
    in_channels: int,
    out_channels: int,
    kernel_size: int | tuple[int, int],
    output_size: int | tuple[int, int],
    bias: bool = True,
    groups: int = 1,
) -> int:
    r"""Count the parameters of a locally connected layer: a convolution with unshared weights.

    Each of the $C_\text{out} O_H O_W$ output units sees the same window as the
    convolution's unit at that position (locality), but has its *own*
    $(C_\text{in}/g)\, k_1 k_2$ weights and its own bias (no sharing) — Keras's
    ``LocallyConnected2D``, or an "unshared convolution".

    Parameters
    ----------
    in_channels, out_channels : int
        Channels $C_\text{in}$ and $C_\text{out}$, each divisible by `groups`.
    kernel_size : int or pair of int
        Window $(k_1, k_2)$.
    output_size : int or pair of int
        Output positions $(O_H, O_W)$ (from `conv_output_size`).
    bias : bool, default True
        Whether each output unit has a bias.
    groups : int, default 1
        Channel groups; each unit sees $C_\text{in}/g$ channels.

    Returns
    -------
    int
        $O_H O_W \cdot P_\text{conv}$: the convolution's count once per output position.

    Raises
    ------
    TypeError, ValueError
        As `conv2d_parameter_count`; `output_size` must be positive ints.

    Examples
    --------
    >>> locally_connected_parameter_count(1, 6, 5, 24)  # LeNet-5's first layer, unshared
    89856
    """
    oh, ow = positive_pair("output_size", output_size)
    return oh * ow * conv2d_parameter_count(in_channels, out_channels, kernel_size, bias, groups)


@dataclass(frozen=True)
class ConnectivitySavings:
    r"""Dense → locally connected → convolution: the parameters of each and the two savings.

    Attributes
    ----------
    input_shape : tuple of int
        ``(C_in, H, W)``.
    output_shape : tuple of int
        ``(C_out, OH, OW)``.
    dense_parameters : int
        A fully connected layer from ``C_in*H*W`` to ``C_out*OH*OW`` values.
    locally_connected_parameters : int
        Each output unit wired to its window only, with weights of its own.
    conv_parameters : int
        The convolution: local windows *and* one set of weights for every position.
    locality_factor : float
        ``dense_parameters / locally_connected_parameters``: what local windows save.
    sharing_factor : float
        ``locally_connected_parameters / conv_parameters``: what weight sharing saves
        (exactly $O_H O_W$, the number of positions that share the weights).
    total_factor : float
        ``dense_parameters / conv_parameters``, the product of the two factors.

    Examples
    --------
    >>> connectivity_savings(3, 16, 32, 3, padding=1).output_shape
    (16, 32, 32)
    """

    input_shape: tuple[int, int, int]
    output_shape: tuple[int, int, int]
    dense_parameters: int
    locally_connected_parameters: int
    conv_parameters: int
    locality_factor: float
    sharing_factor: float
    total_factor: float


def connectivity_savings(
    in_channels: int,
    out_channels: int,
    input_size: int | tuple[int, int],
    kernel_size: int | tuple[int, int],
    stride: int | tuple[int, int] = 1,
    padding: int | tuple[int, int] | str = 0,
    dilation: int | tuple[int, int] = 1,
    groups: int = 1,
    bias: bool = True,
) -> ConnectivitySavings:
    r"""Count a convolution, its locally connected twin and the dense layer of the same shapes.

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
        Channel groups of the convolution (and of the locally connected layer).
    bias : bool, default True
        Whether the layers have biases (one per output unit for the dense and
        locally connected layers, one per channel for the convolution).

    Returns
    -------
    ConnectivitySavings
        Both shapes, the three counts, the locality and sharing factors and their product.

    Raises
    ------
    TypeError, ValueError
        As `conv2d_parameter_count` and `conv_output_size`.

    Notes
    -----
    $$P_\text{dense} = (C_\text{in} H W + 1)\, C_\text{out} O_H O_W, \quad
      P_\text{local} = O_H O_W\, P_\text{conv}, \quad
      P_\text{conv} = C_\text{out} (C_\text{in}/g\; k_1 k_2 + 1)$$

    (without the $+1$ terms when ``bias=False``), so
    $P_\text{dense}/P_\text{conv} = (P_\text{dense}/P_\text{local})\cdot O_H O_W$:
    locality and sharing are two separate factors.

    Examples
    --------
    >>> s = connectivity_savings(1, 6, 28, 5)  # LeNet-5's first layer
    >>> s.dense_parameters, s.locally_connected_parameters, s.conv_parameters
    (2712960, 89856, 156)
    >>> round(s.locality_factor, 1), round(s.sharing_factor), round(s.total_factor)
    (30.2, 576, 17391)
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
    local = locally_connected_parameter_count(
        in_channels, out_channels, (kh, kw), (oh, ow), bias=bias, groups=groups
    )
    dense = linear_parameter_count(in_channels * h * w, out_channels * oh * ow, bias=bias)
    return ConnectivitySavings(
        input_shape=(in_channels, h, w),
        output_shape=(out_channels, oh, ow),
        dense_parameters=dense,
        locally_connected_parameters=local,
        conv_parameters=conv,
        locality_factor=dense / local,
        sharing_factor=local / conv,
        total_factor=dense / conv,
    )
