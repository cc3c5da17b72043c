"""Benchmark 2x2 stride-2 max pooling: three NumPy formulations, cnnbook and torch, same run.

For float32 NCHW inputs it prints the median time (ms) of

- ``slices``:   ``np.maximum`` over the four strided slices (cnnbook's fast path),
- ``reshape``:  ``x.reshape(N, C, H/2, 2, W/2, 2).max(axis=(3, 5))``,
- ``windows``:  the generic window view ``sliding_windows(x, 2, 2).max(axis=(-2, -1))``,
- ``cnnbook``:  ``cnnbook.max_pool2d(x, 2)``,
- ``cnnbook+i``: ``max_pool2d(x, 2, return_indices=True)`` (what a layer caches),
- ``torch``:    ``torch.nn.functional.max_pool2d(x, 2)`` on CPU, same thread count,

and the forward+backward time of cnnbook (indices path) and torch, with ratios to torch.
Run: ``.venv/bin/python scripts/bench_pooling.py`` (or ``make bench``).
"""

from __future__ import annotations

import os
from collections.abc import Callable

import alternating_rounds
import numpy as np
import torch
import torch.nn.functional as F

import cnnbook
from cnnbook import max_pool2d, max_pool2d_backward, sliding_windows

SHAPES = [(64, 16, 28, 28), (32, 64, 56, 56), (8, 64, 112, 112)]
REPEATS = alternating_rounds.REPEATS


def median_ms(fns: dict[str, Callable[[], object]], repeats: int = REPEATS) -> dict[str, float]:
    """Median time (ms) of each function, timed in alternating rounds (`alternating_rounds`)."""
    return alternating_rounds.median_ms(fns, repeats)


def slices(x: np.ndarray) -> np.ndarray:
    top = np.maximum(x[..., 0::2, 0::2], x[..., 0::2, 1::2])
    return np.maximum(top, np.maximum(x[..., 1::2, 0::2], x[..., 1::2, 1::2]))


def reshape_max(x: np.ndarray) -> np.ndarray:
    n, c, h, w = x.shape
    return x.reshape(n, c, h // 2, 2, w // 2, 2).max(axis=(3, 5))


def windows_max(x: np.ndarray) -> np.ndarray:
    return sliding_windows(x, (2, 2), (2, 2)).max(axis=(-2, -1))


def row(x: np.ndarray) -> str:
    """Time every formulation on `x` and return one Markdown table row."""
    xt = torch.from_numpy(x)
    ref = F.max_pool2d(xt, 2).numpy()
    for f in (slices, reshape_max, windows_max):
        np.testing.assert_array_equal(f(x), ref)
    g = np.ones_like(ref)
    gt = torch.from_numpy(g)

    def ours_fb() -> None:
        _, idx = max_pool2d(x, 2, return_indices=True)
        max_pool2d_backward(g, x, 2, indices=idx)

    def torch_fb() -> None:
        xr = xt.clone().requires_grad_(True)
        F.max_pool2d(xr, 2).backward(gt)

    t = median_ms(
        {
            "slices": lambda: slices(x),
            "reshape": lambda: reshape_max(x),
            "windows": lambda: windows_max(x),
            "cnnbook": lambda: max_pool2d(x, 2),
            "cnnbook+i": lambda: max_pool2d(x, 2, return_indices=True),
            "torch": lambda: F.max_pool2d(xt, 2),
            "fb_ours": ours_fb,
            "fb_torch": torch_fb,
        }
    )
    cells = [
        f"{t[k]:.2f}" for k in ("slices", "reshape", "windows", "cnnbook", "cnnbook+i", "torch")
    ]
    cells += [f"{t['reshape'] / t['slices']:.1f}x", f"{t['cnnbook'] / t['torch']:.2f}x"]
    cells += [
        f"{t['fb_ours']:.2f}",
        f"{t['fb_torch']:.2f}",
        f"{t['fb_ours'] / t['fb_torch']:.2f}x",
    ]
    return f"| {x.shape} | " + " | ".join(cells) + " |"


def main() -> None:
    threads = int(os.environ.get("OMP_NUM_THREADS", "2"))
    torch.set_num_threads(threads)
    cnnbook.set_num_threads(threads)  # its element-wise passes, like torch's
    print(
        f"float32, 2x2 max pooling, stride 2; median of {REPEATS} in "
        f"{alternating_rounds.ROUNDS} alternating rounds; "
        f"torch threads={threads}\n"
    )
    head = [
        "shape",
        "slices",
        "reshape",
        "windows",
        "cnnbook",
        "cnnbook+i",
        "torch",
        "reshape/slices",
        "cnnbook/torch",
        "fwd+bwd cnnbook",
        "fwd+bwd torch",
        "ratio",
    ]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    rng = np.random.default_rng(0)
    for shape in SHAPES:
        print(row(rng.standard_normal(shape, dtype=np.float32)), flush=True)


if __name__ == "__main__":
    main()
