r"""The convolutional layer `Conv2d`: learned kernels slid over the input, sharing weights.

A thin layer over `cnnbook.conv2d`'s cached pair: `forward` calls
`cnnbook.conv2d_forward` (im2col once per batch) and keeps its cache,
`backward` calls `cnnbook.conv2d_backward_from_cache`, so a training step
never re-reads the input windows. Parameter shapes, defaults, initialisation,
``padding_mode`` and printed form are ``torch.nn.Conv2d``'s: a mode other than
``"zeros"`` pads with `cnnbook.pad` first and convolves without padding.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.typing import DTypeLike

from cnnbook._validation import (
    boolean,
    check_bytes,
    nonnegative_pair,
    positive_int,
    positive_pair,
)
from cnnbook.conv2d_cache import Conv2dCache, conv2d_backward_from_cache, conv2d_forward
from cnnbook.nn import init
from cnnbook.nn.layer_input import check_float_input, named_errors
from cnnbook.nn.module import Module, Parameter
from cnnbook.padding import pad, pad_backward

__all__ = ["PADDING_MODES", "Conv2d"]

PADDING_MODES = ("zeros", "reflect", "replicate", "circular")


def check_channels(in_channels: Any, out_channels: Any, groups: Any) -> tuple[int, int, int]:
    """Validate the channel counts and `groups` of a convolution layer (torch's rules)."""
    in_channels = positive_int("in_channels", in_channels)
    out_channels = positive_int("out_channels", out_channels)
    groups = positive_int("groups", groups)
    for name, channels in (("in_channels", in_channels), ("out_channels", out_channels)):
        if channels % groups:
            raise ValueError(f"groups (={groups}) must divide {name} (={channels})")
    return in_channels, out_channels, groups


def float_dtype(dtype: DTypeLike) -> np.dtype:
    """`dtype` as a floating NumPy dtype, or a TypeError."""
    dt = np.dtype(dtype)
    if dt.kind != "f":
        raise TypeError(f"dtype (={dt}) must be a floating dtype")
    return dt


class ConvNd(Module):
    """What `Conv2d` and `ConvTranspose2d` share, as torch's ``_ConvNd``.

    The parameters (created and initialised by `_init_parameters`), torch's default
    initialisation (`reset_parameters`), the input check of `forward`, the gradient
    accumulation of `backward` and the printed form. Not a layer on its own.
    """

    in_channels: int
    out_channels: int
    groups: int
    kernel_size: tuple[int, int]
    stride: tuple[int, int]
    padding: tuple[int, int] | str
    dilation: tuple[int, int]
    output_padding: tuple[int, int] = (0, 0)  # a convolution's is (0, 0), as in torch
    padding_mode: str
    weight: Parameter
    bias: Parameter | None

    def _init_parameters(
        self,
        shape: tuple[int, ...],
        bias: bool,
        dtype: DTypeLike,
        rng: np.random.Generator | None,
    ) -> None:
        """Create the weight of `shape` and (if `bias`) the bias, then draw them."""
        dt = float_dtype(dtype)
        what = "weight (out_channels, in_channels // groups, *kernel_size)"
        check_bytes(what, shape, dt.itemsize)
        self.weight = Parameter(np.empty(shape, dtype=dt))
        self.bias = Parameter(np.empty(self.out_channels, dtype=dt)) if bias else None
        self.reset_parameters(rng)

    def reset_parameters(self, rng: np.random.Generator | None = None) -> None:
        """Redraw weight then bias from torch's default distributions."""
        rng = init.resolve_rng(rng)
        init.kaiming_uniform_(self.weight.data, a=math.sqrt(5), rng=rng)
        if self.bias is not None:
            fan_in, _ = init.fan_in_and_fan_out(self.weight.data.shape)
            bound = 1 / math.sqrt(fan_in)
            init.uniform_(self.bias.data, -bound, bound, rng)

    def _checked_input(self, x: Any) -> np.ndarray:
        """`x` of the parameters' dtype and shape ``(N, in_channels, H, W)`` or 3-D, or raise."""
        x = check_float_input(self, x, self.weight.data.dtype)
        if x.ndim not in (3, 4) or x.shape[-3] != self.in_channels:
            raise ValueError(
                f"{self!r} got input of shape {x.shape}; expected (N, {self.in_channels}, H, W)"
            )
        return x

    def _accumulate(self, grad_weight: np.ndarray, grad_bias: np.ndarray) -> None:
        """Add a backward pass's weight and bias gradients to the parameters'."""
        self.weight.accumulate(grad_weight)
        if self.bias is not None:
            self.bias.accumulate(grad_bias)

    def extra_repr(self) -> str:
        """Torch's form: channels, kernel_size and stride, then what differs from the default."""
        s = f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}"
        s += f", stride={self.stride}"
        if self.padding != (0, 0):
            s += f", padding={self.padding}"
        if self.dilation != (1, 1):
            s += f", dilation={self.dilation}"
        if self.output_padding != (0, 0):
            s += f", output_padding={self.output_padding}"
        if self.groups != 1:
            s += f", groups={self.groups}"
        if self.bias is None:
            s += ", bias=False"
        if self.padding_mode != "zeros":
            s += f", padding_mode={self.padding_mode}"
        return s


class Conv2d(ConvNd):
    r"""2-D convolution layer (cross-correlation, as in torch) with a learned weight and bias.

    Parameters
    ----------
    in_channels, out_channels : int
        Channels of the input and of the output; both divisible by `groups`.
    kernel_size : int or pair of int
    stride : int or pair of int, default 1
    padding : int, pair of int, "valid" or "same", default 0
        Zeros on each side (``"same"`` needs stride 1).
    dilation : int or pair of int, default 1
        Spacing between kernel taps (1 means none).
    groups : int, default 1
        Independent convolutions over ``in_channels / groups`` channels each.
    bias : bool, default True
        A real bool (``bias='False'`` is a TypeError, not True).
    padding_mode : {"zeros", "reflect", "replicate", "circular"}, default "zeros"
        What the padding repeats (see `cnnbook.pad`); modes other than ``"zeros"``
        pad the input by `padding` with `cnnbook.pad`, then convolve with padding 0
        (torch's semantics, ``padding="same"`` included).
    rng : numpy.random.Generator or None, default None
        Source of the initial weights (see `cnnbook.nn.init`); None uses the default.
    dtype : dtype, default np.float32
        dtype of the parameters, and the input dtype the layer accepts.

    Attributes
    ----------
    weight : Parameter of shape (out_channels, in_channels / groups, kh, kw)
    bias : Parameter of shape (out_channels,) or None

    Notes
    -----
    $y[n,o] = b[o] + \sum_c w[o,c] \star x[n,c]$ over the channels of $o$'s group
    (see `cnnbook.conv2d`). Weight and bias start from
    $U(-1/\sqrt{\text{fan\_in}}, 1/\sqrt{\text{fan\_in}})$,
    $\text{fan\_in} = \frac{\text{in}}{\text{groups}} k_h k_w$: torch's default.
    The layer has $\text{out}\cdot(\frac{\text{in}}{\text{groups}} k_h k_w + 1)$ parameters
    whatever the image size: that is weight sharing.

    Examples
    --------
    >>> conv = Conv2d(1, 8, 3, padding=1, rng=np.random.default_rng(0))
    >>> conv
    Conv2d(1, 8, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))
    >>> conv.weight.shape, conv.bias.shape
    ((8, 1, 3, 3), (8,))
    >>> y = conv(np.ones((2, 1, 5, 5), dtype=np.float32))
    >>> y.shape, conv.backward(np.ones_like(y)).shape, conv.bias.grad.tolist()[:2]
    ((2, 8, 5, 5), (2, 1, 5, 5), [50.0, 50.0])
    """

    can_skip_input_grad = True

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: Any,
        stride: Any = 1,
        padding: Any = 0,
        dilation: Any = 1,
        groups: int = 1,
        bias: bool = True,
        padding_mode: str = "zeros",
        *,
        rng: np.random.Generator | None = None,
        dtype: DTypeLike = np.float32,
    ) -> None:
        super().__init__()
        self.in_channels, self.out_channels, self.groups = check_channels(
            in_channels, out_channels, groups
        )
        bias = boolean("bias", bias)
        if not isinstance(padding_mode, str) or padding_mode not in PADDING_MODES:
            raise ValueError(
                f"padding_mode (={padding_mode!r}) must be one of "
                f"{', '.join(map(repr, PADDING_MODES))}"
            )
        self.padding_mode = padding_mode
        self.kernel_size = positive_pair("kernel_size", kernel_size)
        self.stride = positive_pair("stride", stride)
        self.dilation = positive_pair("dilation", dilation)
        if isinstance(padding, str):
            if padding not in ("valid", "same"):
                raise ValueError(
                    f"padding (={padding!r}) must be 'valid', 'same', an int or a pair"
                )
            if padding == "same" and self.stride != (1, 1):
                raise ValueError(f"padding='same' needs stride 1; got stride (={stride!r})")
            self.padding = padding
        else:
            self.padding = nonnegative_pair("padding", padding)
        self._cache: Conv2dCache | None = None
        self._input_shape: tuple[int, ...] = ()
        shape = (self.out_channels, self.in_channels // self.groups, *self.kernel_size)
        self._init_parameters(shape, bias, dtype, rng)

    @property
    def reversed_padding(self) -> tuple[int, int, int, int]:
        """The padding as `cnnbook.pad` takes it: ``(left, right, top, bottom)``, torch's order.

        For ``padding="same"`` the total ``dilation * (kernel_size - 1)`` per axis, the
        odd extra pixel at the right/bottom (torch's ``_reversed_padding_repeated_twice``).
        """
        if isinstance(self.padding, tuple):
            ph, pw = self.padding
            return (pw, pw, ph, ph)
        if self.padding == "valid":
            return (0, 0, 0, 0)
        (th, tw) = (d * (k - 1) for d, k in zip(self.dilation, self.kernel_size, strict=True))
        return (tw // 2, tw - tw // 2, th // 2, th - th // 2)

    def forward(self, x: np.ndarray) -> np.ndarray:
        """Convolve `x` of shape ``(N, in_channels, H, W)`` (or ``(in_channels, H, W)``).

        Raises
        ------
        ValueError
            If `x` has the wrong ndim or number of channels, or is smaller than the kernel.
        TypeError
            If `x` is not of the parameters' dtype.
        """
        x = self._checked_input(x)
        bias = None if self.bias is None else self.bias.data
        padding: Any = self.padding
        x_in = x
        self._input_shape = x.shape
        if self.padding_mode != "zeros":
            x_in = named_errors(self, x, lambda: pad(x, self.reversed_padding, self.padding_mode))
            padding = 0
        out, self._cache = named_errors(
            self,
            x,
            lambda: conv2d_forward(
                x_in, self.weight.data, bias, self.stride, padding, self.dilation, self.groups
            ),
        )
        return out

    def backward(self, grad_output: np.ndarray, need_input_grad: bool = True) -> np.ndarray | None:
        """Accumulate weight and bias gradients; return the input gradient (or None)."""
        cache = self._saved(self._cache)
        grad_x, grad_w, grad_b = conv2d_backward_from_cache(grad_output, cache, need_input_grad)
        if grad_x is not None and self.padding_mode != "zeros":
            grad_x = pad_backward(
                grad_x, self._input_shape, self.reversed_padding, self.padding_mode
            )
        self._accumulate(grad_w, grad_b)
        return grad_x
