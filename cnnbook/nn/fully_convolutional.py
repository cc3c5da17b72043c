r"""A dense layer is a convolution: `linear_to_conv2d` rewrites one, number for number.

A `Linear` layer reading the flattened ``(C, k_h, k_w)`` feature maps of a window
computes $y_o = b_o + \sum_{c,i,j} W_{o,(c,i,j)}\, x_{c,i,j}$. A `Conv2d` with
``C`` input channels, a $k_h \times k_w$ kernel and weight ``W.reshape(out, C, k_h, k_w)``
computes exactly that sum at one position, and at every other position of a larger input
too (equal up to the rounding of a different summation order). So a classifier of
fixed-size windows becomes, with no retraining, a network that classifies every window
of a whole image in one pass: a [[Feature Map]] of scores (see [[Fully Connected Layers]]
and [[Translation Invariance]]).

Examples
--------
>>> from cnnbook import nn
>>> rng = np.random.default_rng(0)
>>> fc = nn.Linear(2 * 3 * 3, 4, rng=rng, dtype=np.float64)
>>> conv = linear_to_conv2d(fc, (2, 3, 3))
>>> x = rng.standard_normal((1, 2, 3, 3))
>>> float(np.abs(conv(x).reshape(1, 4) - fc(x.reshape(1, -1))).max()) < 1e-14  # rounding only
True
"""

from __future__ import annotations

from typing import Any

import numpy as np

from cnnbook._validation import positive_int
from cnnbook.nn.conv import Conv2d
from cnnbook.nn.linear import Linear

__all__ = ["linear_to_conv2d"]


def linear_to_conv2d(linear: Linear, input_shape: Any) -> Conv2d:
    r"""Return the `Conv2d` that computes `linear` on every ``input_shape`` window.

    Parameters
    ----------
    linear : Linear
        A dense layer whose input is a flattened ``(C, k_h, k_w)`` feature map
        (``in_features == C * k_h * k_w``).
    input_shape : tuple of 3 ints ``(C, k_h, k_w)``
        The shape, without the batch axis, that was flattened into `linear`
        (``(in_features, 1, 1)`` for a dense layer after another dense layer).

    Returns
    -------
    Conv2d
        ``Conv2d(C, out_features, (k_h, k_w))`` with weight
        ``linear.weight.reshape(out_features, C, k_h, k_w)`` and the same bias and dtype
        (copies: training one does not change the other). On a ``(C, k_h, k_w)`` input it
        returns ``linear``'s output as ``(N, out_features, 1, 1)``; on a larger input, the
        output at ``(i, j)`` is ``linear`` applied to the window starting at ``(i, j)``.

    Raises
    ------
    TypeError
        If `linear` is not a `Linear`.
    ValueError
        If `input_shape` is not three positive ints whose product is ``in_features``.

    Examples
    --------
    >>> from cnnbook import nn
    >>> fc = nn.Linear(16 * 4 * 4, 32, rng=np.random.default_rng(0))
    >>> linear_to_conv2d(fc, (16, 4, 4))
    Conv2d(16, 32, kernel_size=(4, 4), stride=(1, 1))
    """
    if not isinstance(linear, Linear):
        raise TypeError(f"linear (={type(linear).__name__}) must be a cnnbook.nn.Linear")
    if not isinstance(input_shape, (tuple, list)) or len(input_shape) != 3:
        raise ValueError(f"input_shape (={input_shape!r}) must be a tuple (C, kh, kw)")
    c, kh, kw = (positive_int("input_shape", v) for v in input_shape)
    if c * kh * kw != linear.in_features:
        raise ValueError(
            f"input_shape (={tuple(input_shape)!r}) holds {c * kh * kw} values but "
            f"linear.in_features (={linear.in_features}) must equal C * kh * kw"
        )
    conv = Conv2d(
        c,
        linear.out_features,
        (kh, kw),
        bias=linear.bias is not None,
        rng=np.random.default_rng(0),  # overwritten below; fixed so no global state is drawn
        dtype=linear.weight.dtype,
    )
    conv.weight.data[...] = linear.weight.data.reshape(linear.out_features, c, kh, kw)
    if linear.bias is not None and conv.bias is not None:
        conv.bias.data[...] = linear.bias.data
    return conv
