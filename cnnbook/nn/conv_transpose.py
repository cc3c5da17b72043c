r"""The transposed convolution layer `ConvTranspose2d`: a learned upsampling.

A thin layer over `cnnbook.conv_transpose2d` and its backward. Parameter shapes
(weight ``(in_channels, out_channels / groups, kh, kw)``), defaults,
initialisation and printed form are ``torch.nn.ConvTranspose2d``'s, and so is
``forward(x, output_size=None)``: a requested output size picks the
`output_padding` for that call.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import DTypeLike

from cnnbook._validation import boolean, nonnegative_pair, positive_pair
from cnnbook.conv_arguments import output_padding_pair
from cnnbook.conv_transpose2d import conv_transpose2d, conv_transpose2d_backward
from cnnbook.nn.conv import ConvNd, check_channels
from cnnbook.nn.layer_input import named_errors

__all__ = ["ConvTranspose2d"]


class ConvTranspose2d(ConvNd):
    r"""2-D transposed convolution layer with a learned weight and bias (torch's).

    Parameters
    ----------
    in_channels, out_channels : int
        Channels of the input and of the output; both divisible by `groups`.
    kernel_size : int or pair of int
    stride : int or pair of int, default 1
        The output is about `stride` times larger than the input.
    padding : int or pair of int, default 0
        Rows/columns cropped from each side of the output (the padding of the
        convolution being transposed).
    output_padding : int or pair of int, default 0
        Rows/columns added at the bottom/right; smaller than `stride` or `dilation`.
    groups : int, default 1
    bias : bool, default True
        A real bool (``bias='False'`` is a TypeError).
    dilation : int or pair of int, default 1
    padding_mode : {"zeros"}, default "zeros"
        The only mode torch supports for a transposed convolution.
    rng : numpy.random.Generator or None, default None
        Source of the initial weights (see `cnnbook.nn.init`); None uses the default.
    dtype : dtype, default np.float32
        dtype of the parameters, and the input dtype the layer accepts.

    Attributes
    ----------
    weight : Parameter of shape (in_channels, out_channels / groups, kh, kw)
    bias : Parameter of shape (out_channels,) or None

    Notes
    -----
    The output size is $H_{out} = (H - 1)s - 2p + d(k - 1) + o + 1$
    (`cnnbook.transposed_conv_output_size`). Weight and bias start from
    $U(-1/\sqrt{\text{fan\_in}}, 1/\sqrt{\text{fan\_in}})$ with torch's
    $\text{fan\_in} = \frac{\text{out}}{\text{groups}} k_h k_w$ (the weight's
    second axis times the kernel).

    Examples
    --------
    >>> up = ConvTranspose2d(8, 4, 3, stride=2, padding=1, output_padding=1,
    ...                      rng=np.random.default_rng(0))
    >>> up
    ConvTranspose2d(8, 4, kernel_size=(3, 3), stride=(2, 2), padding=(1, 1), output_padding=(1, 1))
    >>> y = up(np.ones((2, 8, 7, 7), dtype=np.float32))
    >>> y.shape, up.backward(np.ones_like(y)).shape, up.weight.grad.shape
    ((2, 4, 14, 14), (2, 8, 7, 7), (8, 4, 3, 3))
    >>> up(np.ones((2, 8, 7, 7), dtype=np.float32), output_size=(13, 13)).shape
    (2, 4, 13, 13)
    """

    padding: tuple[int, int]  # no "same" or "valid" for a transposed convolution

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: Any,
        stride: Any = 1,
        padding: Any = 0,
        output_padding: Any = 0,
        groups: int = 1,
        bias: bool = True,
        dilation: Any = 1,
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
        if padding_mode != "zeros":
            raise ValueError(
                f'padding_mode (={padding_mode!r}): only "zeros" is supported for '
                "ConvTranspose2d (as in torch)"
            )
        self.padding_mode = padding_mode
        self.kernel_size = positive_pair("kernel_size", kernel_size)
        self.stride = positive_pair("stride", stride)
        self.padding = nonnegative_pair("padding", padding)
        self.dilation = positive_pair("dilation", dilation)
        self.output_padding = output_padding_pair(output_padding, self.stride, self.dilation)
        self._saved_input: np.ndarray | None = None
        self._output_padding: tuple[int, int] = self.output_padding
        shape = (self.in_channels, self.out_channels // self.groups, *self.kernel_size)
        self._init_parameters(shape, bias, dtype, rng)

    def _output_padding_for(self, x: np.ndarray, output_size: Any) -> tuple[int, int]:
        """Torch's ``_output_padding``: the output padding that gives `output_size`."""
        if output_size is None:
            return self.output_padding
        if (
            not isinstance(output_size, Sequence | np.ndarray)
            or isinstance(output_size, str)
            or not all(
                isinstance(v, numbers.Integral) and not isinstance(v, bool) for v in output_size
            )
        ):
            raise TypeError(f"output_size (={output_size!r}) must be a sequence of ints")
        size = [int(v) for v in output_size]
        if len(size) == x.ndim:  # torch also accepts the full shape: keep (H, W)
            size = size[-2:]
        if len(size) != 2:
            raise ValueError(
                f"output_size (={output_size!r}) must be (H, W) or the full output shape"
            )
        pads = []
        for axis, want in enumerate(size):
            least = (
                (x.shape[axis - 2] - 1) * self.stride[axis]
                - 2 * self.padding[axis]
                + self.dilation[axis] * (self.kernel_size[axis] - 1)
                + 1
            )
            most = least + self.stride[axis] - 1
            if not least <= want <= most:
                raise ValueError(
                    f"requested an output size of {tuple(size)}, but valid sizes range from "
                    f"{least} to {most} along axis {axis - 2} (for an input of "
                    f"{x.shape[-2:]})"
                )
            pads.append(want - least)
        return (pads[0], pads[1])

    def forward(self, x: np.ndarray, output_size: Any = None) -> np.ndarray:
        """Upsample `x` of shape ``(N, in_channels, H, W)`` (or ``(in_channels, H, W)``).

        `output_size` (``(H_out, W_out)``, optional) chooses, for this call, the
        `output_padding` that gives that size, as in torch.

        Raises
        ------
        ValueError
            Wrong ndim or number of channels, or an `output_size` out of reach.
        TypeError
            If `x` is not of the parameters' dtype.
        """
        x = self._checked_input(x)
        output_padding = self._output_padding_for(x, output_size)
        bias = None if self.bias is None else self.bias.data
        out = named_errors(
            self,
            x,
            lambda: conv_transpose2d(
                x,
                self.weight.data,
                bias,
                self.stride,
                self.padding,
                output_padding,
                self.groups,
                self.dilation,
            ),
        )
        self._saved_input, self._output_padding = x, output_padding
        return out

    def backward(self, grad_output: np.ndarray, need_input_grad: bool = True) -> np.ndarray | None:
        """Accumulate weight and bias gradients; return the input gradient."""
        x = self._saved(self._saved_input)
        grad_x, grad_w, grad_b = conv_transpose2d_backward(
            grad_output,
            x,
            self.weight.data,
            self.stride,
            self.padding,
            self._output_padding,
            self.groups,
            self.dilation,
        )
        self._accumulate(grad_w, grad_b)
        return grad_x if need_input_grad else None
