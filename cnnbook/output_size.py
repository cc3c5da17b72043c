r"""Output size: how many positions a kernel (or a pooling window) visits along one axis.

A kernel of size $k$ slid over an input of size $I$ one step at a time fits
$Y = I - k + 1$ times. Padding $p$ on each side, stride $s$ and dilation $d$
(PyTorch's convention: $d = 1$ means no dilation, the kernel then spans
$d(k-1) + 1$ input cells) give the general rule

$$Y = \left\lfloor \frac{I + 2p - d(k-1) - 1}{s} \right\rfloor + 1 .$$

Every function here works on one axis and returns an ``int``; call it once per
axis for a 2-D layer. They agree exactly with the shapes PyTorch produces
(`torch.nn.functional.conv2d`, `max_pool2d`, `avg_pool2d`, `conv_transpose2d`),
which the tests check.
"""

from __future__ import annotations

import numbers
from typing import Any, Literal

from cnnbook._validation import boolean

__all__ = [
    "conv_output_size",
    "pool_output_size",
    "same_padding",
    "transposed_conv_output_size",
]

PaddingMode = Literal["valid", "same"]


def _int(name: str, value: Any, minimum: int) -> int:
    """Return `value` as an int ``>= minimum``, or raise naming `name`, the value and the rule."""
    if not isinstance(value, numbers.Integral) or isinstance(value, bool):
        raise TypeError(f"{name} (={value!r}) must be an int")
    if value < minimum:
        rule = "positive (>= 1)" if minimum == 1 else f"non-negative (>= {minimum})"
        raise ValueError(f"{name} (={value!r}) must be {rule}")
    return int(value)


def _check_output(y: int, formula: str) -> int:
    if y < 1:
        raise ValueError(f"output size {formula} = {y} must be at least 1")
    return y


def same_padding(kernel_size: int, dilation: int = 1) -> tuple[int, int]:
    r"""Return the padding ``(before, after)`` that keeps a stride-1 output the size of the input.

    Parameters
    ----------
    kernel_size : int
        Kernel size $k \ge 1$ along the axis.
    dilation : int, default 1
        Dilation $d \ge 1$ (1 means none).

    Returns
    -------
    tuple of int
        ``(before, after)``: the cells of zeros added before (top/left) and after
        (bottom/right) the input.

    Raises
    ------
    TypeError
        If an argument is not an int.
    ValueError
        If `kernel_size` or `dilation` is not positive.

    Notes
    -----
    The total padding is $d(k-1)$, split as PyTorch splits it for
    ``padding="same"``: $\text{before} = \lfloor d(k-1)/2 \rfloor$ and the rest
    after, so an even kernel gets its extra cell at the bottom/right.
    (SciPy's ``mode="same"`` crops the full output centrally instead; for an
    even kernel the two differ by one cell, see `cnnbook.correlate2d`.)

    Examples
    --------
    >>> same_padding(3), same_padding(4), same_padding(3, dilation=2)
    ((1, 1), (1, 2), (2, 2))
    """
    k = _int("kernel_size", kernel_size, 1)
    d = _int("dilation", dilation, 1)
    total = d * (k - 1)
    return total // 2, total - total // 2


def conv_output_size(
    input_size: int,
    kernel_size: int,
    stride: int = 1,
    padding: int | PaddingMode = 0,
    dilation: int = 1,
) -> int:
    r"""Size of a convolution's output along one axis, exactly as PyTorch computes it.

    Parameters
    ----------
    input_size : int
        Input size $I \ge 1$.
    kernel_size : int
        Kernel size $k \ge 1$.
    stride : int, default 1
        Step $s \ge 1$ between neighbouring output positions.
    padding : int or {"valid", "same"}, default 0
        Zeros added on *each* side ($p \ge 0$). ``"valid"`` means 0; ``"same"``
        means just enough padding to keep the output the size of the input
        (see `same_padding`), which like PyTorch requires ``stride == 1``.
    dilation : int, default 1
        Spacing $d \ge 1$ between kernel taps (1 means none).

    Returns
    -------
    int
        $Y = \lfloor (I + 2p - d(k-1) - 1)/s \rfloor + 1$.

    Raises
    ------
    TypeError
        If a size is not an int, or `padding` is neither an int nor a known string.
    ValueError
        If a size, `stride` or `dilation` is not positive, `padding` is negative or an
        unknown string, ``padding="same"`` is combined with ``stride > 1``, or the
        (dilated) kernel is larger than the padded input, so that $Y < 1$.

    Notes
    -----
    With no padding, stride or dilation this is the note's $Y = I - k + 1$. The
    floor means a stride that does not divide $I + 2p - d(k-1) - 1$ simply
    drops the incomplete last window (PyTorch's rule; some texts instead require
    the stride to divide). With ``"same"`` the total padding $d(k-1)$ may be odd,
    so it cannot be written as one per-side $p$; the output is $I$.

    Examples
    --------
    >>> conv_output_size(28, 5)  # Y = I - k + 1
    24
    >>> conv_output_size(32, 3, stride=2, padding=1), conv_output_size(7, 3, dilation=2)
    (16, 3)
    >>> conv_output_size(10, 4, padding="same")
    10
    """
    i = _int("input_size", input_size, 1)
    k = _int("kernel_size", kernel_size, 1)
    s = _int("stride", stride, 1)
    d = _int("dilation", dilation, 1)
    if isinstance(padding, str):
        if padding == "valid":
            p_total = 0
        elif padding == "same":
            if s != 1:
                raise ValueError(
                    f'padding="same" requires stride 1 (got stride={s}), as in PyTorch'
                )
            p_total = d * (k - 1)
        else:
            raise ValueError(f'padding (={padding!r}) must be an int, "valid" or "same"')
    else:
        p_total = 2 * _int("padding", padding, 0)
    y = (i + p_total - d * (k - 1) - 1) // s + 1
    return _check_output(
        y, f"floor((I + 2p - d(k-1) - 1)/s) + 1 with I={i}, 2p={p_total}, k={k}, d={d}, s={s}"
    )


def pool_output_size(
    input_size: int,
    kernel_size: int,
    stride: int | None = None,
    padding: int = 0,
    dilation: int = 1,
    ceil_mode: bool = False,
) -> int:
    r"""Size of a pooling layer's output along one axis, exactly as PyTorch computes it.

    Parameters
    ----------
    input_size : int
        Input size $I \ge 1$.
    kernel_size : int
        Window size $k \ge 1$.
    stride : int or None, default None
        Step $s \ge 1$; ``None`` means `kernel_size` (non-overlapping windows).
    padding : int, default 0
        Implicit padding $p$ on each side, $0 \le p \le \lfloor k/2 \rfloor$.
    dilation : int, default 1
        Spacing $d \ge 1$ between window taps (1 means none).
    ceil_mode : bool, default False
        Round the division up instead of down, keeping a last partial window.

    Returns
    -------
    int
        $Y = \lfloor (I + 2p - d(k-1) - 1)/s \rfloor + 1$, or with ``ceil_mode``
        the ceiling, minus one if the last window would start in the right padding.

    Raises
    ------
    TypeError
        If a size is not an int.
    ValueError
        If a size, `stride` or `dilation` is not positive, `padding` is negative or
        larger than half the kernel, or $Y < 1$.

    Notes
    -----
    PyTorch (and therefore this function) requires $p \le \lfloor k/2 \rfloor$:
    a window made only of padding would pool nothing. In ceil mode the last
    window must *start* inside the input or the left padding: if
    $(Y - 1)s \ge I + p$ the last window is dropped.

    Examples
    --------
    >>> pool_output_size(28, 2)  # stride defaults to the kernel size
    14
    >>> pool_output_size(5, 2), pool_output_size(5, 2, ceil_mode=True)
    (2, 3)
    >>> pool_output_size(5, 2, padding=1, ceil_mode=True)  # a 4th window would start in padding
    3
    """
    i = _int("input_size", input_size, 1)
    k = _int("kernel_size", kernel_size, 1)
    s = k if stride is None else _int("stride", stride, 1)
    p = _int("padding", padding, 0)
    d = _int("dilation", dilation, 1)
    ceil_mode = boolean("ceil_mode", ceil_mode)
    if p > k // 2:
        raise ValueError(
            f"padding (={p}) must be at most half the kernel size "
            f"(kernel_size={k}, so padding <= {k // 2})"
        )
    span = i + 2 * p - d * (k - 1) - 1
    y = (span + (s - 1 if ceil_mode else 0)) // s + 1
    if ceil_mode and (y - 1) * s >= i + p:
        y -= 1
    return _check_output(
        y,
        f"{'ceil' if ceil_mode else 'floor'}((I + 2p - d(k-1) - 1)/s) + 1 "
        f"with I={i}, p={p}, k={k}, d={d}, s={s}",
    )


def transposed_conv_output_size(
    input_size: int,
    kernel_size: int,
    stride: int = 1,
    padding: int = 0,
    output_padding: int = 0,
    dilation: int = 1,
) -> int:
    r"""Size of a transposed convolution's output along one axis, as PyTorch computes it.

    Parameters
    ----------
    input_size : int
        Input size $I \ge 1$.
    kernel_size : int
        Kernel size $k \ge 1$.
    stride : int, default 1
        Stride $s \ge 1$ of the convolution being transposed.
    padding : int, default 0
        Padding $p \ge 0$ of the convolution being transposed (removed from the output).
    output_padding : int, default 0
        Extra cells $0 \le o < \max(s, d)$ added on one side, to pick one of the
        input sizes that a strided convolution maps to the same output size.
    dilation : int, default 1
        Dilation $d \ge 1$ (1 means none).

    Returns
    -------
    int
        $Y = (I - 1)s - 2p + d(k-1) + o + 1$.

    Raises
    ------
    TypeError
        If a size is not an int.
    ValueError
        If a size, `stride` or `dilation` is not positive, `padding` or
        `output_padding` is negative, $o \ge \max(s, d)$, or $Y < 1$.

    Notes
    -----
    This inverts `conv_output_size` on sizes: a convolution with the same
    arguments maps $Y$ back to $I$.

    Examples
    --------
    >>> transposed_conv_output_size(16, 3, stride=2, padding=1, output_padding=1)
    32
    >>> conv_output_size(32, 3, stride=2, padding=1)
    16
    """
    i = _int("input_size", input_size, 1)
    k = _int("kernel_size", kernel_size, 1)
    s = _int("stride", stride, 1)
    p = _int("padding", padding, 0)
    o = _int("output_padding", output_padding, 0)
    d = _int("dilation", dilation, 1)
    if o >= max(s, d):
        raise ValueError(
            f"output_padding (={o}) must be smaller than stride (={s}) or dilation (={d})"
        )
    y = (i - 1) * s - 2 * p + d * (k - 1) + o + 1
    return _check_output(
        y, f"(I - 1)s - 2p + d(k-1) + o + 1 with I={i}, s={s}, p={p}, k={k}, d={d}, o={o}"
    )
