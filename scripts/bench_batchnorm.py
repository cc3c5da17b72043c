"""Benchmark `cnnbook.nn.BatchNorm2d` against ``torch.nn.BatchNorm2d``, training mode, same run.

For float32 NCHW inputs from MNIST- to CIFAR-sized batches it prints the median
time (ms) of the forward pass and of forward+backward (input, weight and bias
gradients) for both, and the ratios cnnbook/torch. The outputs are checked equal
(to float32 precision) before timing.
Run: ``.venv/bin/python scripts/bench_batchnorm.py`` (or ``make bench``).
"""

from __future__ import annotations

import os
from collections.abc import Callable

import alternating_rounds
import numpy as np
import speed_targets
import torch

import cnnbook
from cnnbook import nn

SHAPES = [(64, 8, 28, 28), (64, 16, 14, 14), (128, 32, 32, 32), (128, 64, 16, 16)]
REPEATS = alternating_rounds.REPEATS


def median_ms(fns: dict[str, Callable[[], object]], repeats: int = REPEATS) -> dict[str, float]:
    """Median time (ms) of each function, timed in alternating rounds (`alternating_rounds`)."""
    return alternating_rounds.median_ms(fns, repeats)


def row(x: np.ndarray) -> str:
    """Time forward and forward+backward of both layers on `x`; one Markdown row."""
    c = x.shape[1]
    ours = nn.BatchNorm2d(c)
    theirs = torch.nn.BatchNorm2d(c)
    xt = torch.from_numpy(x)
    g = np.random.default_rng(1).standard_normal(x.shape, dtype=np.float32)
    gt = torch.from_numpy(g)
    np.testing.assert_allclose(ours(x), theirs(xt).detach().numpy(), atol=1e-4)

    def ours_fb() -> None:
        ours(x)
        ours.backward(g)

    def torch_fb() -> None:
        xr = xt.detach().requires_grad_(True)
        theirs(xr).backward(gt)

    def torch_fwd() -> None:
        with torch.no_grad():
            theirs(xt)

    t = median_ms(
        {
            "fwd_ours": lambda: ours(x),
            "fwd_torch": torch_fwd,
            "fb_ours": ours_fb,
            "fb_torch": torch_fb,
        }
    )
    cells = [
        f"{t['fwd_ours']:.2f}",
        f"{t['fwd_torch']:.2f}",
        f"{t['fwd_ours'] / t['fwd_torch']:.2f}x",
        f"{t['fb_ours']:.2f}",
        f"{t['fb_torch']:.2f}",
        f"{t['fb_ours'] / t['fb_torch']:.2f}x",
    ]
    speed_targets.record(speed_targets.BATCHNORM, f"{x.shape} fwd", t["fwd_ours"] / t["fwd_torch"])
    speed_targets.record(speed_targets.BATCHNORM, f"{x.shape} f+b", t["fb_ours"] / t["fb_torch"])
    return f"| {x.shape} | " + " | ".join(cells) + " |"


def main() -> None:
    threads = int(os.environ.get("OMP_NUM_THREADS", "2"))
    torch.set_num_threads(threads)
    cnnbook.set_num_threads(threads)  # its element-wise passes, like torch's
    print(
        f"float32 BatchNorm2d, training mode; median of {REPEATS} in "
        f"{alternating_rounds.ROUNDS} alternating rounds; "
        f"torch threads={threads}\n"
    )
    head = [
        "shape",
        "fwd cnnbook",
        "fwd torch",
        "ratio",
        "fwd+bwd cnnbook",
        "fwd+bwd torch",
        "ratio",
    ]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    rng = np.random.default_rng(0)
    for shape in SHAPES:
        x = rng.normal(0.5, 2.0, size=shape).astype(np.float32)
        print(row(x), flush=True)


if __name__ == "__main__":
    main()
