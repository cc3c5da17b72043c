"""The ``conv_transpose2d`` table of ``scripts/profile_conv2d.py``: where one call's time goes.

On the transposed shapes of ``bench_conv2d.py`` (3x3, stride 2, padding 1, output_padding
1, bias): the forward split into argument checks, the input's copy into the columns'
layout (with the scratch columns of its pitch), the GEMM ``W^T X`` and col2im (the stride-2
fold straight onto the output, through the padding, its sums starting from the bias); the
backward (``conv_transpose2d_backward``) split into the checks, im2col of the output
gradient, its GEMM with the weight (the input gradient, a strided ``conv2d``), the copy of
that product into NCHW, the weight gradient (the input in the columns' layout and its GEMM)
and the bias sum; torch's forward and backward for scale. Each part calls the transposed
engine's own functions (``conv_transpose2d._prepare``, ``fold_columns``, ``column_blocks``)
on its own arguments. Not a benchmark itself (``scripts/bench.py`` runs only ``bench_*.py``).
"""

from __future__ import annotations

import call_profile
import numpy as np
import torch
import torch.nn.functional as F
from bench_conv2d import TRANSPOSED, TRANSPOSED_SHAPES, transposed_inputs
from call_profile import cpu_us

from cnnbook import conv_transpose2d, conv_transpose2d_backward
from cnnbook.col2im import fold_columns
from cnnbook.column_layout import column_geometry
from cnnbook.conv2d_cache import conv2d_forward
from cnnbook.conv_transpose2d import _prepare as transposed_prepare
from cnnbook.im2col import column_blocks

ONE = (1, 1)
TWO = (2, 2)
PAD = (1, 1, 1, 1)
HEAD = [
    "input -> out, x2",
    "fwd",
    "prepare",
    "x layout",
    "GEMM",
    "col2im (from the bias)",
    "rest",
    "torch fwd",
    "bwd",
    "prepare",
    "im2col",
    "gX GEMM",
    "copy out",
    "gW",
    "bias sum",
    "rest",
    "torch bwd",
]


def transposed_row(shape: tuple[int, int, int, int], o: int, repeats: int) -> str:
    """Return one row of the conv_transpose2d table: forward and backward parts, in us."""
    n, c, h, w = shape
    x, wt, b, g = transposed_inputs(shape, o)
    # Forward: X in the columns' layout, W^T X, fold (stride 2) onto the output, each
    # channel's sums starting from its bias.
    out_shape = (n, o, 2 * h, 2 * w)
    pitch = column_geometry(out_shape, (3, 3), TWO, PAD, ONE)[4]
    x_cols = np.zeros((c, n, h, pitch), np.float32)
    x_cols[..., :w] = x.transpose(1, 0, 2, 3)
    g2 = x_cols.reshape(c, -1)
    w_t = wt.reshape(c, o * 9).T
    rows = (w_t @ g2).reshape(o, 3, 3, n, h, pitch)
    fwd = {
        "total": cpu_us(lambda: conv_transpose2d(x, wt, b, **TRANSPOSED), repeats),
        "prepare": cpu_us(lambda: transposed_prepare(x, wt, b, 2, 1, 1, 1, 1), repeats),
        "x layout": cpu_us(lambda: np.copyto(x_cols[..., :w], x.transpose(1, 0, 2, 3)), repeats),
        "gemm": cpu_us(lambda: w_t @ g2, repeats),
        "col2im": cpu_us(
            lambda: fold_columns(rows, out_shape, (3, 3), TWO, PAD, ONE, pitch, True, b),
            repeats,
        ),
    }
    fwd["rest"] = fwd["total"] - sum(v for key, v in fwd.items() if key != "total")
    # Backward: conv2d_forward of G (im2col, GEMM, copy out) and the weight gradient.
    _, cache = conv2d_forward(g, wt, None, 2, 1)
    k, _, oh, pitch = cache.cols.shape  # pitch: ceil((2w + 1) / 2) = w + 1, one scratch column
    blocks = [blk.copy() for _, blk in column_blocks(g, (3, 3), TWO, PAD, ONE, n)]
    w2 = wt.reshape(c, k)
    prod = w2 @ blocks[0].reshape(k, -1)
    gx = np.empty_like(x)
    x_cols = np.zeros((c, n, oh, pitch), np.float32)

    def x_layout_and_gw() -> None:
        x_cols[..., :w] = x.transpose(1, 0, 2, 3)
        x2, c2 = x_cols.reshape(c, -1), cache.cols.reshape(k, -1)
        # As conv2d_backward_from_cache: the longer side as the GEMM's rows.
        _ = (c2 @ x2.T).T if k > c else x2 @ c2.T

    bwd = {
        "total": cpu_us(lambda: conv_transpose2d_backward(g, x, wt, **TRANSPOSED), repeats),
        "prepare": cpu_us(lambda: transposed_prepare(x, wt, None, 2, 1, 1, 1, 1), repeats),
        "im2col": cpu_us(
            lambda: [None for _ in column_blocks(g, (3, 3), TWO, PAD, ONE, n)], repeats
        ),
        "gX gemm": cpu_us(lambda: w2 @ blocks[0].reshape(k, -1), repeats),
        "copy out": cpu_us(
            lambda: np.copyto(gx, prod.reshape(c, n, oh, pitch)[..., :w].transpose(1, 0, 2, 3)),
            repeats,
        ),
        "gW": cpu_us(x_layout_and_gw, repeats),
        "bias sum": cpu_us(lambda: g.reshape(n * o, -1) @ np.ones(4 * h * w, g.dtype), repeats),
    }
    bwd["rest"] = bwd["total"] - sum(v for key, v in bwd.items() if key != "total")
    xt, wtt, bt, gt = (torch.from_numpy(a.copy()) for a in (x, wt, b, g))
    xr, wr, br = (t.clone().requires_grad_() for t in (xt, wtt, bt))

    def torch_fwd() -> None:
        with torch.no_grad():
            F.conv_transpose2d(xt, wtt, bt, **TRANSPOSED)

    def torch_fb() -> None:
        for t in (xr, wr, br):
            t.grad = None
        F.conv_transpose2d(xr, wr, br, **TRANSPOSED).backward(gt)

    t_fwd, t_fb = cpu_us(torch_fwd, repeats), cpu_us(torch_fb, repeats)
    cells = [f"{shape} -> {o}"]
    cells += [
        f"{fwd[key]:.0f}" for key in ("total", "prepare", "x layout", "gemm", "col2im", "rest")
    ]
    cells.append(f"{t_fwd:.0f}")
    cells += [
        f"{bwd[key]:.0f}"
        for key in ("total", "prepare", "im2col", "gX gemm", "copy out", "gW", "bias sum", "rest")
    ]
    cells.append(f"{t_fb - t_fwd:.0f}")
    return call_profile.row(cells)


def print_transposed_table(repeats: int) -> None:
    """Print the table's title, head and one row per shape of `TRANSPOSED_SHAPES`."""
    print("\n### conv_transpose2d per call (3x3, stride 2, padding 1, output_padding 1)\n")
    call_profile.print_head(HEAD)
    for shape, o in TRANSPOSED_SHAPES:
        print(transposed_row(shape, o, repeats), flush=True)
