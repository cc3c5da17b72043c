"""Time cnnbook.conv2d and conv_transpose2d against torch's (CPU, same threads, same run).

For float32 NCHW layers (3x3, padding 1, stride 1, with bias) prints the median time of
the forward pass and of forward+backward (all three gradients) for both, their ratio,
and cnnbook's achieved GFLOP/s as a fraction of NumPy's own float32 GEMM peak
(a 1024 x 1024 sgemm, measured in the same run). Each function is timed in blocks of
back-to-back calls (each block after one untimed call), in rounds that alternate NumPy
and torch, so that load from other processes hits both alike.

A second table times stride-2 layers (an encoder's downsampling layer, halving H and
W), and a third `conv_transpose2d` (3x3, stride 2, padding 1, output_padding 1: a
decoder's upsampling layer, doubling H and W) the same way against
torch.nn.functional.conv_transpose2d.

    python scripts/bench_conv2d.py [--repeats N] [--threads T]

The thread count defaults to the BLAS's own (threadpoolctl), which torch is then set to.
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable

import alternating_rounds
import numpy as np
import speed_targets
import torch
import torch.nn.functional as F
from threadpoolctl import threadpool_info, threadpool_limits

import cnnbook
from cnnbook import (
    conv2d,
    conv2d_backward_from_cache,
    conv2d_forward,
    conv_transpose2d,
    conv_transpose2d_backward,
)

SHAPES = [  # (N, C, H, W) -> out_channels
    ((64, 1, 28, 28), 8),
    ((64, 8, 14, 14), 16),
    ((32, 3, 32, 32), 32),
    ((8, 64, 56, 56), 64),
]
LARGE = SHAPES[-1]  # the layer whose forward must reach a share of the SGEMM peak

STRIDED_SHAPES = [  # (N, C, H, W) -> out_channels, downsampled /2 (stride 2)
    ((64, 16, 28, 28), 32),  # the convolutional autoencoder's encoder
    ((8, 64, 56, 56), 128),  # the first block of a ResNet stage
]

TRANSPOSED_SHAPES = [  # (N, C, H, W) -> out_channels, upsampled x2
    ((64, 16, 7, 7), 8),
    ((64, 16, 14, 14), 8),
    ((32, 32, 16, 16), 16),
    ((8, 64, 28, 28), 32),
]
TRANSPOSED = {"stride": 2, "padding": 1, "output_padding": 1}


def _blas() -> dict:
    infos = [i for i in threadpool_info() if i.get("user_api") == "blas"]
    numpy_dir = os.path.dirname(np.__file__)
    own = [
        i for i in infos if "numpy" in i.get("filepath", "") or numpy_dir in i.get("filepath", "")
    ]
    return (own or infos or [{}])[0]


def _time(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def _gemm_peak(repeats: int) -> float:
    a = np.random.default_rng(0).standard_normal((1024, 1024), dtype=np.float32)
    b = a.T.copy()
    a @ b
    best = np.median([_time(lambda: a @ b) for _ in range(repeats)])
    return 2 * 1024**3 / best / 1e9


def transposed_inputs(
    shape: tuple[int, int, int, int], out: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Input, weight, bias and output gradient of one `TRANSPOSED` layer (also profiled)."""
    rng = np.random.default_rng(0)
    n, c, h, w = shape
    x = rng.standard_normal(shape, dtype=np.float32)
    wt = rng.standard_normal((c, out, 3, 3), dtype=np.float32) * 0.1
    b = rng.standard_normal(out, dtype=np.float32)
    g = np.ones((n, out, 2 * h, 2 * w), dtype=np.float32)
    return x, wt, b, g


def bench_transposed(shape: tuple[int, int, int, int], out: int, repeats: int) -> dict[str, float]:
    """Median times of conv_transpose2d, forward and forward+backward, cnnbook and torch."""
    n, c, h, w = shape
    x, wt, b, g = transposed_inputs(shape, out)
    xt, wtt, bt, gt = (torch.from_numpy(a.copy()) for a in (x, wt, b, g))
    xr, wr, br = (t.clone().requires_grad_() for t in (xt, wtt, bt))

    def np_fwd() -> object:
        return conv_transpose2d(x, wt, b, **TRANSPOSED)

    def np_fb() -> object:
        conv_transpose2d(x, wt, b, **TRANSPOSED)
        return conv_transpose2d_backward(g, x, wt, **TRANSPOSED)

    def torch_fwd() -> object:
        with torch.no_grad():
            return F.conv_transpose2d(xt, wtt, bt, **TRANSPOSED)

    def torch_fb() -> object:
        for t in (xr, wr, br):
            t.grad = None
        F.conv_transpose2d(xr, wr, br, **TRANSPOSED).backward(gt)
        return xr.grad

    med = alternating_rounds.median_seconds(
        {"np_fwd": np_fwd, "torch_fwd": torch_fwd, "np_fb": np_fb, "torch_fb": torch_fb}, repeats
    )
    med["flops"] = 2.0 * n * out * c * 9 * h * w
    return med


def bench(
    shape: tuple[int, int, int, int], out: int, repeats: int, stride: int = 1
) -> dict[str, float]:
    """Median times of conv2d (3x3, padding 1), forward and forward+backward, both libraries."""
    rng = np.random.default_rng(0)
    n, c, h, w_ = shape
    oh, ow = (h - 1) // stride + 1, (w_ - 1) // stride + 1
    x = rng.standard_normal(shape, dtype=np.float32)
    w = rng.standard_normal((out, c, 3, 3), dtype=np.float32) * 0.1
    b = rng.standard_normal(out, dtype=np.float32)
    g = np.ones((n, out, oh, ow), dtype=np.float32)
    xt, wt, bt, gt = (torch.from_numpy(a.copy()) for a in (x, w, b, g))
    xr, wr, br = (t.clone().requires_grad_() for t in (xt, wt, bt))

    def np_fwd() -> object:
        return conv2d(x, w, b, stride, padding=1)

    def np_fb() -> object:
        _, cache = conv2d_forward(x, w, b, stride, padding=1)
        return conv2d_backward_from_cache(g, cache)

    def torch_fwd() -> object:
        with torch.no_grad():
            return F.conv2d(xt, wt, bt, stride, padding=1)

    def torch_fb() -> object:
        for t in (xr, wr, br):
            t.grad = None
        F.conv2d(xr, wr, br, stride, padding=1).backward(gt)
        return xr.grad

    fns = {"np_fwd": np_fwd, "torch_fwd": torch_fwd, "np_fb": np_fb, "torch_fb": torch_fb}
    med = alternating_rounds.median_seconds(fns, repeats)
    med["flops"] = 2.0 * n * out * c * 9 * oh * ow
    return med


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=alternating_rounds.REPEATS)
    parser.add_argument("--threads", type=int, default=None, help="BLAS and torch threads")
    args = parser.parse_args()
    if args.threads:
        threadpool_limits(args.threads, user_api="blas")
    blas = _blas()
    threads = int(blas.get("num_threads") or 2)
    torch.set_num_threads(threads)
    cnnbook.set_num_threads(threads)  # its element-wise passes, like torch's
    env = {v: os.environ.get(v, "unset") for v in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")}
    print(
        f"NumPy {np.__version__} BLAS: {blas.get('internal_api')} {blas.get('version')}, "
        f"kernel {blas.get('architecture')}, {threads} threads "
        f"({', '.join(f'{k}={v}' for k, v in env.items())}); "
        f"torch {torch.__version__} with {torch.get_num_threads()} threads"
    )
    peak = _gemm_peak(max(args.repeats, 9))
    print(f"NumPy float32 GEMM peak (1024^3 sgemm, median): {peak:.1f} GFLOP/s\n")
    head = (
        "| input (N,C,H,W) -> out | cnnbook fwd ms | torch fwd ms | ratio | "
        "cnnbook f+b ms | torch f+b ms | ratio | fwd GFLOP/s (% peak) | f+b GFLOP/s (% peak) |"
    )

    def table(
        title: str,
        shapes: list,
        run: Callable[..., dict[str, float]],
        targets: tuple[speed_targets.Target, speed_targets.Target],
    ) -> None:
        if title:
            print(f"\n### {title}\n")
        print(head.replace("-> out", "-> out, x2") if "transpose" in title else head)
        print("|" + "---|" * 9)
        for shape, out in shapes:
            m = run(shape, out)
            fwd_gf = m["flops"] / m["np_fwd"] / 1e9
            fb_gf = 3 * m["flops"] / m["np_fb"] / 1e9
            print(
                f"| {shape} -> {out} | {m['np_fwd'] * 1e3:.2f} | {m['torch_fwd'] * 1e3:.2f} | "
                f"{m['np_fwd'] / m['torch_fwd']:.2f} | {m['np_fb'] * 1e3:.2f} | "
                f"{m['torch_fb'] * 1e3:.2f} | {m['np_fb'] / m['torch_fb']:.2f} | "
                f"{fwd_gf:.1f} ({100 * fwd_gf / peak:.0f}%) | "
                f"{fb_gf:.1f} ({100 * fb_gf / peak:.0f}%) |",
                flush=True,
            )
            name = f"{shape} -> {out}" + (f", {title.split(' (')[0]}" if title else "")
            speed_targets.record(targets[0], f"{name} fwd", m["np_fwd"] / m["torch_fwd"])
            speed_targets.record(targets[1], f"{name} f+b", m["np_fb"] / m["torch_fb"])
            if not title and (shape, out) == LARGE:
                speed_targets.record(speed_targets.LARGE_PEAK, name, 100 * fwd_gf / peak)

    conv = (speed_targets.CONV_FWD, speed_targets.CONV_FB)
    table("", SHAPES, lambda shape, out: bench(shape, out, args.repeats), conv)
    table(
        "conv2d, stride 2 (3x3, padding 1: a downsampling layer)",
        STRIDED_SHAPES,
        lambda shape, out: bench(shape, out, args.repeats, stride=2),
        conv,
    )
    table(
        "conv_transpose2d (3x3, stride 2, padding 1, output_padding 1)",
        TRANSPOSED_SHAPES,
        lambda shape, out: bench_transposed(shape, out, args.repeats),
        (speed_targets.TRANSPOSED, speed_targets.TRANSPOSED),
    )
    print(
        "\nratio = cnnbook / torch (median of repeats in alternating rounds;"
        " < 1 means cnnbook is faster)."
        "\nf+b = forward, then all three gradients; FLOPs counted as 2*N*O*C*kh*kw*OH*OW per pass"
        " (x3 for f+b)."
    )


if __name__ == "__main__":
    main()
