r"""Pooling layers `MaxPool2d`, `AvgPool2d` and `AdaptiveAvgPool2d`: thin wrappers of the core.

The layers hold the window geometry and call the functional core forward and
backward (`cnnbook.pooling`, `cnnbook.adaptive_pooling`; no second
implementation). `MaxPool2d` keeps the argmax indices of its forward pass, so
its backward is one scatter-add; the average poolings need only the input's shape.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from cnnbook._validation import as_numeric_array, positive_pair
from cnnbook.adaptive_pooling import (
    adaptive_avg_pool2d,
    adaptive_avg_pool2d_backward,
    output_size_of,
)
from cnnbook.nn.layer_input import named_errors
from cnnbook.nn.module import Module
from cnnbook.pooling import avg_pool2d, avg_pool2d_backward, max_pool2d, max_pool2d_backward

__all__ = ["AdaptiveAvgPool2d", "AvgPool2d", "MaxPool2d"]


def _smallest_input(kernel_size: Any, dilation: Any) -> np.ndarray:
    """Return the smallest input a window fits: pooling it checks every argument early."""
    (kh, kw), (dh, dw) = (
        positive_pair("kernel_size", kernel_size),
        positive_pair("dilation", dilation),
    )
    return np.zeros((1, 1, dh * (kh - 1) + 1, dw * (kw - 1) + 1))


class MaxPool2d(Module):
    r"""Max pooling over ``kernel_size`` windows of an ``(N, C, H, W)`` input.

    Parameters
    ----------
    kernel_size : int or pair of int
    stride : int, pair of int or None, default None
        None means `kernel_size` (non-overlapping windows).
    padding : int or pair of int, default 0
        $-\infty$ padding, at most half the kernel.
    dilation : int or pair of int, default 1
    ceil_mode : bool, default False
        Keep a last partial window.

    Notes
    -----
    See `cnnbook.max_pool2d`: $y_{ij} = \max$ of window $(i, j)$; the gradient goes to
    the first maximum of each window.

    Examples
    --------
    >>> pool = MaxPool2d(2)
    >>> pool
    MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)
    >>> x = np.array([[[[1., 2.], [4., 3.]]]])
    >>> pool(x)
    array([[[[4.]]]])
    >>> pool.backward(np.ones((1, 1, 1, 1)))
    array([[[[0., 0.],
             [1., 0.]]]])
    """

    def __init__(
        self,
        kernel_size: Any,
        stride: Any = None,
        padding: Any = 0,
        dilation: Any = 1,
        *,
        ceil_mode: bool = False,
    ) -> None:
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = kernel_size if stride is None else stride
        self.padding = padding
        self.dilation = dilation
        self.ceil_mode = ceil_mode
        max_pool2d(_smallest_input(kernel_size, dilation), *self._args())
        self._x: np.ndarray | None = None
        self._indices: np.ndarray | None = None

    def _args(self) -> tuple[Any, Any, Any, Any, bool]:
        return self.kernel_size, self.stride, self.padding, self.dilation, self.ceil_mode

    def forward(self, x: np.ndarray) -> np.ndarray:
        """Pool `x` of shape ``(N, C, H, W)`` (or ``(C, H, W)``).

        In training mode the argmax indices are kept for `backward`; in eval mode
        the faster index-free path runs (a later `backward` then finds them again).
        """
        x = as_numeric_array("x", x)  # ragged or non-numeric input: named before anything else
        if self.training:
            out, self._indices = named_errors(
                self, x, lambda: max_pool2d(x, *self._args(), return_indices=True)
            )
        else:
            out = named_errors(self, x, lambda: max_pool2d(x, *self._args()))
            self._indices = None
        self._x = x
        return out

    def backward(self, grad_output: np.ndarray) -> np.ndarray:
        """Send each output gradient to its window's maximum."""
        x = self._saved(self._x)
        return max_pool2d_backward(grad_output, x, *self._args(), indices=self._indices)

    def extra_repr(self) -> str:
        """Torch's ``kernel_size=..., stride=..., padding=..., dilation=..., ceil_mode=...``."""
        return (
            f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}, "
            f"dilation={self.dilation}, ceil_mode={self.ceil_mode}"
        )


class AvgPool2d(Module):
    r"""Average pooling over ``kernel_size`` windows of an ``(N, C, H, W)`` input.

    Parameters
    ----------
    kernel_size : int or pair of int
    stride : int, pair of int or None, default None
        None means `kernel_size`.
    padding : int or pair of int, default 0
        Zero padding, at most half the kernel.
    ceil_mode : bool, default False
    count_include_pad : bool, default True
        Whether the zero padding counts in each window's divisor.
    divisor_override : int or None, default None
        Divide every window sum by this instead.

    Notes
    -----
    See `cnnbook.avg_pool2d`: $y_{ij} = \frac{1}{D_{ij}}\sum$ of window $(i, j)$; the
    backward spreads $g_{ij}/D_{ij}$ evenly back over the window.

    Examples
    --------
    >>> pool = AvgPool2d(2)
    >>> pool
    AvgPool2d(kernel_size=2, stride=2, padding=0)
    >>> pool(np.array([[[[1., 2.], [4., 3.]]]]))
    array([[[[2.5]]]])
    >>> pool.backward(np.ones((1, 1, 1, 1)))
    array([[[[0.25, 0.25],
             [0.25, 0.25]]]])
    """

    def __init__(
        self,
        kernel_size: Any,
        stride: Any = None,
        padding: Any = 0,
        ceil_mode: bool = False,
        count_include_pad: bool = True,
        divisor_override: int | None = None,
    ) -> None:
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = kernel_size if stride is None else stride
        self.padding = padding
        self.ceil_mode = ceil_mode
        self.count_include_pad = count_include_pad
        self.divisor_override = divisor_override
        avg_pool2d(_smallest_input(kernel_size, 1), *self._args())
        self._x: np.ndarray | None = None

    def _args(self) -> tuple[Any, Any, Any, bool, bool, int | None]:
        return (
            self.kernel_size,
            self.stride,
            self.padding,
            self.ceil_mode,
            self.count_include_pad,
            self.divisor_override,
        )

    def forward(self, x: np.ndarray) -> np.ndarray:
        """Pool `x` of shape ``(N, C, H, W)`` (or ``(C, H, W)``)."""
        x = as_numeric_array("x", x)
        out = named_errors(self, x, lambda: avg_pool2d(x, *self._args()))
        self._x = x
        return out

    def backward(self, grad_output: np.ndarray) -> np.ndarray:
        """Spread each output gradient evenly over its window."""
        x = self._saved(self._x)
        return avg_pool2d_backward(grad_output, x, *self._args())

    def extra_repr(self) -> str:
        """Torch's ``kernel_size=..., stride=..., padding=...``."""
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class AdaptiveAvgPool2d(Module):
    r"""Average pooling to a fixed output size, whatever the input size (torch's windows).

    Parameters
    ----------
    output_size : int or pair of (int or None)
        ``(OH, OW)``; None keeps that input size.

    Notes
    -----
    See `cnnbook.adaptive_avg_pool2d`: output cell $o$ averages the input window
    $[\lfloor oI/O \rfloor, \lceil (o+1)I/O \rceil)$ along each axis. ``output_size=1``
    is global average pooling, the usual head of a modern CNN.

    Examples
    --------
    >>> pool = AdaptiveAvgPool2d(1)
    >>> pool
    AdaptiveAvgPool2d(output_size=1)
    >>> pool(np.array([[[[1., 2.], [4., 3.]]]]))
    array([[[[2.5]]]])
    >>> pool.backward(np.ones((1, 1, 1, 1)))
    array([[[[0.25, 0.25],
             [0.25, 0.25]]]])
    """

    def __init__(self, output_size: Any) -> None:
        super().__init__()
        output_size_of(output_size, (1, 1))  # checks the argument now
        self.output_size = output_size
        self._x: np.ndarray | None = None

    def forward(self, x: np.ndarray) -> np.ndarray:
        """Pool `x` of shape ``(N, C, H, W)`` (or ``(C, H, W)``) to `output_size`."""
        x = as_numeric_array("x", x)
        out = named_errors(self, x, lambda: adaptive_avg_pool2d(x, self.output_size))
        self._x = x
        return out

    def backward(self, grad_output: np.ndarray) -> np.ndarray:
        """Spread each output gradient evenly over its window."""
        x = self._saved(self._x)
        return adaptive_avg_pool2d_backward(grad_output, x, self.output_size)

    def extra_repr(self) -> str:
        """Torch's ``output_size=...``."""
        return f"output_size={self.output_size}"
