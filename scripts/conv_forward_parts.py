"""The parts of one ``conv2d`` forward, as calls; and their table at the bench's thread count.

``forward_parts`` returns the forward (3x3, padding 1, bias) and each pass it makes, as
zero-argument calls on the engine's own functions and arguments: im2col (the engine's
``column_blocks``), the GEMM, and the copy of the product into the NCHW output (none on
the path that writes its products straight into the output). ``scripts/profile_conv2d.py``
times them in CPU time on one thread; ``print_two_thread_table`` times them as
``make bench`` does (wall clock, two threads, alternating rounds with a pause at each
change of library) next to torch's forward. The sum of the parts is what the forward would
take with no cost beyond its three passes, so ``parts / torch`` is the ratio the
im2col-and-GEMM forward can reach on NumPy in that run. Not a benchmark itself
(``scripts/bench.py`` runs only ``bench_*.py``).
"""

from __future__ import annotations

from collections.abc import Callable

import alternating_rounds
import call_profile
import numpy as np
import torch
import torch.nn.functional as F
from bench_conv2d import SHAPES

from cnnbook import conv2d, kernel_row_products
from cnnbook.column_layout import column_geometry
from cnnbook.convolution_engine import BLOCK_BYTES, DIRECT_PIXELS
from cnnbook.im2col import column_blocks
from cnnbook.row_padding import empty_rows

ONE = (1, 1)
PAD = (1, 1, 1, 1)


def forward_parts(x: np.ndarray, w: np.ndarray, b: np.ndarray) -> dict[str, Callable[[], object]]:
    """Return the forward ``conv2d(x, w, b, padding=1)`` ("total") and its passes, as calls.

    The passes are those of the engine's im2col paths (``convolution_engine.forward``);
    a shape that the engine sends to ``kernel_row_products`` gets the forward alone.
    """
    (n, c, _, _), o = x.shape, w.shape[0]
    _, _, oh, ow, pitch = column_geometry(x.shape, (3, 3), ONE, PAD, ONE)
    k = c * 9
    direct = oh * ow >= DIRECT_PIXELS  # the forward's path (see convolution_engine.forward)
    total = {"total": lambda: conv2d(x, w, b, padding=1)}
    if direct and kernel_row_products.applies(c, (3, 3), ONE, ONE, 1):
        return total
    pitch = ow if direct else pitch
    images = max(1, min(n, BLOCK_BYTES // (k * oh * pitch * x.itemsize)))
    w1 = np.concatenate([w.reshape(o, k), b[:, None]], axis=1)
    blocks = []  # kept as the engine keeps them: rows padded apart (cnnbook.row_padding)
    for _, blk in column_blocks(x, (3, 3), ONE, PAD, ONE, images, None, True, direct):
        blocks.append(empty_rows(blk.shape, 3, blk.dtype))
        np.copyto(blocks[-1], blk)
    out = np.empty((n, o, oh, ow), x.dtype)

    def gemms() -> None:
        for blk in blocks:
            m = blk.shape[1]
            if direct:
                np.matmul(w1, blk.reshape(k + 1, m, oh * ow).transpose(1, 0, 2))
            else:
                np.matmul(w1, blk.reshape(k + 1, -1))

    def im2col() -> None:
        for _ in column_blocks(x, (3, 3), ONE, PAD, ONE, images, None, True, direct):
            pass

    # The direct path writes its products straight into the output: no copy.
    y = None
    if not direct:
        y = np.matmul(w1, np.concatenate([blk.reshape(k + 1, -1) for blk in blocks], 1))

    def copy_out() -> None:
        if y is not None:
            np.copyto(out, y.reshape(o, n, oh, pitch)[..., :ow].transpose(1, 0, 2, 3))

    return total | {"im2col": im2col, "gemm": gemms, "copy": copy_out}


def two_thread_row(shape: tuple[int, int, int, int], o: int, repeats: int) -> str:
    """One row: the forward, its parts and their sum against torch's forward, in ms."""
    rng = np.random.default_rng(0)
    x = rng.standard_normal(shape, dtype=np.float32)
    w = rng.standard_normal((o, shape[1], 3, 3), dtype=np.float32) * 0.1
    b = rng.standard_normal(o, dtype=np.float32)
    xt, wt, bt = (torch.from_numpy(a.copy()) for a in (x, w, b))

    def torch_fwd() -> None:
        with torch.no_grad():
            F.conv2d(xt, wt, bt, padding=1)

    fns = forward_parts(x, w, b) | {"torch": torch_fwd}
    ms = alternating_rounds.median_ms(fns, repeats)
    cells = [f"{shape} -> {o}", f"{ms['total']:.2f}"]
    if "gemm" not in ms:  # kernel_row_products: no im2col passes to split
        return call_profile.row([*cells, "", "", "", "", f"{ms['torch']:.2f}", "", ""])
    parts = ms["im2col"] + ms["gemm"] + ms["copy"]
    cells += [f"{ms[key]:.2f}" for key in ("im2col", "gemm", "copy")]
    cells += [f"{parts:.2f}", f"{ms['torch']:.2f}"]
    cells += [f"{ms['total'] / ms['torch']:.2f}", f"{parts / ms['torch']:.2f}"]
    return call_profile.row(cells)


def print_two_thread_table(repeats: int, threads: int) -> None:
    """Print the table of the forward's parts against torch on `SHAPES`, at `threads`."""
    print(f"\n### conv2d forward at {threads} threads, as make bench times it (wall clock, ms)\n")
    call_profile.print_head(
        [
            "input -> out",
            "fwd",
            "im2col",
            "GEMM",
            "copy out",
            "parts",
            "torch fwd",
            "fwd / torch",
            "parts / torch",
        ]
    )
    for shape, o in SHAPES:
        print(two_thread_row(shape, o, repeats), flush=True)
    print(
        "\nparts = im2col + GEMM + copy out, each timed alone: the forward with no cost "
        "beyond its three passes. A blank: the kernel-row products path (no im2col)."
    )
