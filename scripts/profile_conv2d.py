"""Where the time of a convolution, and of a training step, goes: a per-call profile.

Prints five tables. The first four are on one thread (NumPy's BLAS and torch), in CPU
time of the calling thread (``time.thread_time``: on a shared machine the wall clock also
counts the time other processes hold the core; CPU time does not, though shared caches
still add noise):

1. ``conv2d`` on the shapes of ``bench_conv2d.py`` (3x3, padding 1, bias) and on the
   digits network's two layers: the forward split into argument checks (``prepare``),
   im2col (the engine's ``column_blocks``), the GEMM, the copy of the product into the
   NCHW output and the rest (allocation, Python: total minus the parts; blank for the
   large layer, whose forward runs ``kernel_row_products`` without im2col), and the
   backward (``conv2d_backward_from_cache``) split into the copy of the output gradient
   into the columns' layout, the weight-gradient GEMM, the input-gradient GEMM and
   col2im; torch's forward and forward+backward for scale.
2. ``conv_transpose2d`` on the shapes of ``bench_conv2d.py`` (3x3, stride 2, padding 1,
   output_padding 1, bias): the forward split into argument checks, the input's copy into
   the columns' layout, the GEMM ``W^T X``, col2im (the stride-2 fold straight onto the
   output, through the padding) and the bias; the backward (``conv_transpose2d_backward``)
   split into the checks, im2col of the output gradient, its GEMM with the weight (the
   input gradient, a strided ``conv2d``), the copy of that product into NCHW, the weight
   gradient (the input in the columns' layout and its GEMM) and the bias sum (the helper
   module ``transposed_conv_profile.py`` next to this script).
3. The fixed cost of one call (Python and NumPy overhead: a 1x1x4x4 input, 3x3 kernel),
   forward and backward, functional and as a layer, next to torch's.
4. One training step (forward, loss, backward, Adam) of the digits network and of
   ``lenet_like(28)`` on 64 images, per layer, as a share of the step (the helper module
   ``training_step_profile.py`` next to this script).
5. The forward of table 1's first four shapes at ``--threads`` (default 2) as
   ``make bench`` times it: wall clock, alternating rounds with a pause at each change of
   library; its parts, their sum and both against torch's forward (the helper module
   ``conv_forward_parts.py`` next to this script, which also gives table 1 its parts).

Every part is timed by calling the engine's own functions on the engine's own
arguments, one at a time (medians of repeats, ``call_profile.cpu_us``), so the parts add
up to about the total but not exactly.

    python scripts/profile_conv2d.py [--repeats N] [--threads T]
"""

from __future__ import annotations

import argparse

import call_profile
import numpy as np
import torch
import torch.nn.functional as F
import training_step_profile
import transposed_conv_profile
from call_profile import cpu_us
from conv_forward_parts import forward_parts, print_two_thread_table
from threadpoolctl import threadpool_limits

import cnnbook
from cnnbook import nn
from cnnbook.col2im import fold_columns
from cnnbook.column_layout import column_geometry
from cnnbook.conv2d_cache import conv2d_backward_from_cache, conv2d_forward
from cnnbook.conv_arguments import prepare

SHAPES = [  # (N, C, H, W) -> out_channels; the last two are the digits network's layers
    ((64, 1, 28, 28), 8),
    ((64, 8, 14, 14), 16),
    ((32, 3, 32, 32), 32),
    ((8, 64, 56, 56), 64),
    ((32, 1, 8, 8), 32),
    ((32, 32, 4, 4), 64),
]
ONE = (1, 1)
PAD = (1, 1, 1, 1)


def conv_row(shape: tuple[int, int, int, int], o: int, repeats: int) -> str:
    rng = np.random.default_rng(0)
    n, c = shape[:2]
    x = rng.standard_normal(shape, dtype=np.float32)
    w = rng.standard_normal((o, c, 3, 3), dtype=np.float32) * 0.1
    b = rng.standard_normal(o, dtype=np.float32)
    _, _, oh, ow, _ = column_geometry(shape, (3, 3), ONE, PAD, ONE)
    k = c * 9
    parts = forward_parts(x, w, b)
    fwd = {"total": cpu_us(parts.pop("total"), repeats)}
    fwd["prepare"] = cpu_us(lambda: prepare(x, w, b, 1, 1, 1, 1), repeats)
    fwd |= {key: cpu_us(fn, repeats) for key, fn in parts.items()}
    if "gemm" in fwd:
        fwd["rest"] = fwd["total"] - sum(v for key, v in fwd.items() if key != "total")
    # Backward, from the cache of the forward (what a layer does).
    y_out, cache = conv2d_forward(x, w, b, padding=1)
    g = np.ones_like(y_out)
    bpitch = cache.cols.shape[3]
    g_cols = np.zeros((o, n, oh, bpitch), np.float32)

    def g_layout() -> None:
        g_cols[..., :ow] = g.transpose(1, 0, 2, 3)

    g2, c2 = g_cols.reshape(o, -1), cache.cols.reshape(k, -1)
    gx_cols = w.reshape(o, k).T @ g2
    rows = gx_cols.reshape(c, 3, 3, n, oh, bpitch)
    bwd = {
        "total": cpu_us(lambda: conv2d_backward_from_cache(g, cache), repeats),
        "g layout": cpu_us(g_layout, repeats),
        "gW gemm": cpu_us(lambda: g2 @ c2.T, repeats),
        "gX gemm": cpu_us(lambda: w.reshape(o, k).T @ g2, repeats),
        "col2im": cpu_us(
            lambda: fold_columns(rows, shape, (3, 3), ONE, PAD, ONE, bpitch, True), repeats
        ),
    }
    bwd["rest"] = bwd["total"] - sum(v for key, v in bwd.items() if key != "total")
    xt, wt, bt, gt = (torch.from_numpy(a.copy()) for a in (x, w, b, g))
    xr, wr, br = (t.clone().requires_grad_() for t in (xt, wt, bt))

    def torch_fwd() -> None:
        with torch.no_grad():
            F.conv2d(xt, wt, bt, padding=1)

    def torch_fb() -> None:
        for t in (xr, wr, br):
            t.grad = None
        F.conv2d(xr, wr, br, padding=1).backward(gt)

    t_fwd, t_fb = cpu_us(torch_fwd, repeats), cpu_us(torch_fb, repeats)
    cells = [f"{shape} -> {o}"]
    # A blank: the kernel-row products path, which has no im2col passes to split.
    cells += [
        f"{fwd[key]:.0f}" if key in fwd else ""
        for key in ("total", "prepare", "im2col", "gemm", "copy", "rest")
    ]
    cells.append(f"{t_fwd:.0f}")
    cells += [
        f"{bwd[key]:.0f}" for key in ("total", "g layout", "gW gemm", "gX gemm", "col2im", "rest")
    ]
    cells.append(f"{t_fb - t_fwd:.0f}")
    return call_profile.row(cells)


def overhead_rows(repeats: int) -> list[str]:
    """Time one call on a 1x1x4x4 input: its fixed cost, with no data to move."""
    x = np.ones((1, 1, 4, 4), np.float32)
    w = np.ones((1, 1, 3, 3), np.float32)
    b = np.ones(1, np.float32)
    y, cache = conv2d_forward(x, w, b, padding=1)
    g = np.ones_like(y)
    layer = nn.Conv2d(1, 1, 3, padding=1)
    layer(x)
    xt, wt, bt, gt = (torch.from_numpy(a.copy()) for a in (x, w, b, g))
    xr, wr, br = (t.clone().requires_grad_() for t in (xt, wt, bt))

    def torch_fb() -> None:
        F.conv2d(xr, wr, br, padding=1).backward(gt)

    def torch_fwd() -> None:
        with torch.no_grad():
            F.conv2d(xt, wt, bt, padding=1)

    # A fixed cost is what remains when nothing disturbs the call: the minimum of many.
    many = 20 * repeats
    ours_f = cpu_us(lambda: conv2d_forward(x, w, b, padding=1), many, np.min)
    ours_b = cpu_us(lambda: conv2d_backward_from_cache(g, cache), many, np.min)
    layer_f = cpu_us(lambda: layer(x), many, np.min)
    layer_b = cpu_us(lambda: layer.backward(g), many, np.min)
    t_f, t_fb = cpu_us(torch_fwd, many, np.min), cpu_us(torch_fb, many, np.min)
    return [
        f"| conv2d_forward / backward_from_cache | {ours_f:.0f} | {ours_b:.0f} |",
        f"| nn.Conv2d forward / backward | {layer_f:.0f} | {layer_b:.0f} |",
        f"| torch F.conv2d / autograd backward | {t_f:.0f} | {t_fb - t_f:.0f} |",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=40)
    parser.add_argument("--threads", type=int, default=2, help="threads of the last table")
    args = parser.parse_args()
    threadpool_limits(1, user_api="blas")
    torch.set_num_threads(1)
    cnnbook.set_num_threads(1)
    print("One thread (NumPy BLAS and torch); CPU time of the calling thread, medians, in us.\n")
    print("### conv2d per call: forward | backward (from the cache)\n")
    head = [
        "input -> out",
        "fwd",
        "prepare",
        "im2col",
        "GEMM",
        "copy out",
        "rest",
        "torch fwd",
        "bwd",
        "g layout",
        "gW GEMM",
        "gX GEMM",
        "col2im",
        "rest",
        "torch bwd",
    ]
    call_profile.print_head(head)
    for shape, o in SHAPES:
        print(conv_row(shape, o, args.repeats), flush=True)
    print(
        "\n`rest` = total minus the parts (allocations, Python, cache effects; may be < 0 "
        "when a part timed alone misses the cache); torch bwd = torch f+b minus torch fwd."
    )
    transposed_conv_profile.print_transposed_table(args.repeats)
    print("\n### Fixed cost of one call (1x1x4x4 input, 3x3 kernel, padding 1), us (minimum)\n")
    print("| call | forward | backward |")
    print("|---|---|---|")
    for row in overhead_rows(args.repeats):
        print(row, flush=True)
    training_step_profile.print_training_steps(args.repeats)
    threadpool_limits(args.threads, user_api="blas")
    torch.set_num_threads(args.threads)
    cnnbook.set_num_threads(args.threads)
    print_two_thread_table(args.repeats, args.threads)


if __name__ == "__main__":
    main()
