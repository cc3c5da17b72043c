"""Time cnnbook.interpolate against torch.nn.functional.interpolate (CPU, same threads, same run).

For float32 NCHW inputs of MNIST to CIFAR sizes it prints the median time (ms) of the
forward and of forward+backward, nearest and bilinear, for cnnbook and torch, and the
ratio cnnbook/torch. Rounds of back-to-back blocks (one untimed call first) as in
``bench_conv2d.py``, so torch's spinning worker threads do not inflate NumPy's times.

    python scripts/bench_interpolation.py [--repeats N] [--threads T]
"""

from __future__ import annotations

import argparse

import alternating_rounds
import numpy as np
import speed_targets
import torch
import torch.nn.functional as F
from threadpoolctl import threadpool_limits

import cnnbook
from cnnbook import interpolate, interpolate_backward

CASES = [  # (shape, resize keyword arguments)
    ((64, 1, 28, 28), {"scale_factor": 2}),
    ((64, 16, 14, 14), {"scale_factor": 2}),
    ((64, 3, 32, 32), {"scale_factor": 2}),
    ((64, 16, 32, 32), {"scale_factor": 2}),
    ((64, 16, 32, 32), {"scale_factor": 1.5}),
    ((64, 16, 32, 32), {"scale_factor": 0.5}),
]
MODES = [("nearest", None), ("bilinear", False), ("bilinear", True)]


def bench(shape: tuple[int, ...], resize: dict, mode: str, align: bool | None, repeats: int):
    """Median seconds of forward and forward+backward for cnnbook and torch."""
    x = np.random.default_rng(0).standard_normal(shape, dtype=np.float32)
    kw = dict(mode=mode, align_corners=align, **resize)
    xt = torch.from_numpy(x.copy())
    xr = xt.clone().requires_grad_()
    g = np.ones(interpolate(x, **kw).shape, dtype=np.float32)
    gt = torch.from_numpy(g.copy())
    np.testing.assert_allclose(interpolate(x, **kw), F.interpolate(xt, **kw).numpy(), atol=1e-5)

    def np_fb() -> object:
        interpolate(x, **kw)
        return interpolate_backward(g, x, **kw)

    def torch_fwd() -> object:
        with torch.no_grad():
            return F.interpolate(xt, **kw)

    def torch_fb() -> object:
        xr.grad = None
        F.interpolate(xr, **kw).backward(gt)
        return xr.grad

    fns = {"np_fwd": lambda: interpolate(x, **kw), "torch_fwd": torch_fwd}
    fns |= {"np_fb": np_fb, "torch_fb": torch_fb}
    return alternating_rounds.median_seconds(fns, repeats)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=alternating_rounds.REPEATS)
    parser.add_argument("--threads", type=int, default=None, help="BLAS and torch threads")
    args = parser.parse_args()
    if args.threads:
        threadpool_limits(args.threads, user_api="blas")
        torch.set_num_threads(args.threads)
        cnnbook.set_num_threads(args.threads)
    print(
        f"float32; median of {args.repeats} in {alternating_rounds.ROUNDS} alternating rounds; "
        f"torch {torch.__version__} with "
        f"{torch.get_num_threads()} threads\n"
    )
    head = ["input", "resize", "mode", "fwd cnnbook", "fwd torch", "ratio"]
    head += ["fwd+bwd cnnbook", "fwd+bwd torch", "ratio"]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for shape, resize in CASES:
        for mode, align in MODES:
            t = bench(shape, resize, mode, align, args.repeats)
            name = mode if align is None else f"{mode}, align_corners={align}"
            cells = [str(shape), str(resize), name]
            cells += [f"{1e3 * t['np_fwd']:.2f}", f"{1e3 * t['torch_fwd']:.2f}"]
            cells += [f"{t['np_fwd'] / t['torch_fwd']:.2f}x"]
            cells += [f"{1e3 * t['np_fb']:.2f}", f"{1e3 * t['torch_fb']:.2f}"]
            cells += [f"{t['np_fb'] / t['torch_fb']:.2f}x"]
            print("| " + " | ".join(cells) + " |", flush=True)
            row = f"{shape} {resize} {name}"
            target = speed_targets.INTERPOLATE
            speed_targets.record(target, f"{row} fwd", t["np_fwd"] / t["torch_fwd"])
            speed_targets.record(target, f"{row} f+b", t["np_fb"] / t["torch_fb"])


if __name__ == "__main__":
    main()
