"""Argument checks and geometry shared by `conv2d` and `conv_transpose2d` (and their layers).

Both take torch's arguments (NCHW input, a 4-D weight, int-or-pair `stride`,
`padding`, `dilation`, `groups`; `output_padding` for the transposed one); this
module turns them into arrays of one compute dtype and plain tuples, or raises an
error naming the argument.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from cnnbook._validation import (
    as_numeric_array,
    check_bytes,
    nonnegative_pair,
    positive_int,
    positive_pair,
)

__all__: list[str] = []

Pair = tuple[int, int]
Padding4 = tuple[int, int, int, int]  # (top, bottom, left, right)


def kernel_size_of(weight: np.ndarray) -> Pair:
    """``(kh, kw)`` of a 4-D weight."""
    return (weight.shape[2], weight.shape[3])


def padding4_of(padding: Any, kernel_size: Pair, stride: Pair, dilation: Pair) -> Padding4:
    """Resolve `padding` (int, pair, "valid" or "same") to ``(top, bottom, left, right)``."""
    if isinstance(padding, str):
        if padding == "valid":
            return (0, 0, 0, 0)
        if padding == "same":
            if stride != (1, 1):
                raise ValueError(
                    f"padding='same' needs stride 1, got stride (={stride}) (as in torch)"
                )
            # torch: total d*(k-1); the odd extra pixel goes to the bottom/right.
            th, tw = (d * (k - 1) for d, k in zip(dilation, kernel_size, strict=True))
            return (th // 2, th - th // 2, tw // 2, tw - tw // 2)
        raise ValueError(f"padding (={padding!r}) must be 'valid', 'same', an int or a pair")
    ph, pw = nonnegative_pair("padding", padding)
    return (ph, ph, pw, pw)


def prepare_arrays(
    x: Any, weight: Any, bias: Any, groups: Any, bias_length: str = "out_channels"
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None, int, bool]:
    """Check `x` (3-D or 4-D), a 4-D `weight`, an optional 1-D `bias` and `groups`.

    Returns ``(x, weight, bias, groups, batched)``, the arrays in one float compute
    dtype (``np.result_type`` of them, float64 when that is not a float) and `x` batched.
    """
    x = as_numeric_array("x", x)
    if x.ndim not in (3, 4):
        raise ValueError(
            f"x has ndim {x.ndim} (shape {x.shape}); expected 4 (N, C, H, W) or 3 (C, H, W)"
        )
    weight = as_numeric_array("weight", weight, ndim=4)
    arrays = [x, weight]
    if bias is not None:
        bias = as_numeric_array("bias", bias, ndim=1)
        arrays.append(bias)
    dtype = np.result_type(*arrays)
    if dtype.kind != "f":
        dtype = np.dtype(np.float64)
    groups = positive_int("groups", groups)
    batched = x.ndim == 4
    if not batched:
        x = x[None]
    for name, arr in (("x", x), ("weight", weight)):
        if arr.dtype != dtype:  # the cast copies: refuse a huge one before making it
            check_bytes(f"{name} converted to {dtype}", arr.shape, dtype.itemsize)
    x = x.astype(dtype, copy=False)
    weight = weight.astype(dtype, copy=False)
    bias = None if bias is None else bias.astype(dtype, copy=False)
    return x, weight, bias, groups, batched


def output_padding_pair(output_padding: Any, stride: Pair, dilation: Pair) -> Pair:
    """`output_padding` as a pair, each smaller than the stride or the dilation (torch's rule)."""
    out_pad = nonnegative_pair("output_padding", output_padding)
    for op, s, d in zip(out_pad, stride, dilation, strict=True):
        if op >= max(s, d):
            raise ValueError(
                f"output_padding (={output_padding!r}) must be smaller than either stride "
                f"(={stride}) or dilation (={dilation}), per axis (as in torch)"
            )
    return out_pad


def check_bias_length(bias: np.ndarray | None, o: int) -> None:
    """Raise unless `bias` is None or has one value per output channel (`o` of them)."""
    if bias is not None and bias.shape[0] != o:
        raise ValueError(f"bias has length {bias.shape[0]}; expected out_channels = {o}")


def prepare(
    x: Any, weight: Any, bias: Any, stride: Any, padding: Any, dilation: Any, groups: Any
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None, Pair, Padding4, Pair, int, bool]:
    """Validate every argument of `conv2d`; return arrays in the compute dtype and geometry."""
    x, weight, bias, groups, batched = prepare_arrays(x, weight, bias, groups)
    c, (o, cg, kh, kw) = x.shape[1], weight.shape
    if c % groups:
        raise ValueError(f"groups (={groups}) must divide in_channels (={c})")
    if o % groups:
        raise ValueError(f"groups (={groups}) must divide out_channels (={o})")
    if cg * groups != c:
        raise ValueError(
            f"weight has {cg} input channels (shape {weight.shape}); expected "
            f"in_channels / groups = {c} / {groups} = {c // groups}"
        )
    check_bias_length(bias, o)
    stride = positive_pair("stride", stride)
    dilation = positive_pair("dilation", dilation)
    pad = padding4_of(padding, (kh, kw), stride, dilation)
    hp, wp = x.shape[2] + pad[0] + pad[1], x.shape[3] + pad[2] + pad[3]
    eh, ew = dilation[0] * (kh - 1) + 1, dilation[1] * (kw - 1) + 1
    if eh > hp or ew > wp:
        raise ValueError(
            f"kernel of size {(kh, kw)} with dilation {dilation} spans {(eh, ew)}, more than "
            f"the padded input {(hp, wp)}; the output size would be below 1"
        )
    return x, weight, bias, stride, pad, dilation, groups, batched
