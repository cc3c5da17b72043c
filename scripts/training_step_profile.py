"""Where the time of one training step goes, layer by layer: a table for the profiles.

One training step (forward, loss, backward, Adam) of the digits network on one batch of
the training split, and of ``lenet_like(28)`` on 64 random images, timed per layer in CPU
time of the calling thread (``time.thread_time``), as a share of the step. Printed as the
last table of ``scripts/profile_conv2d.py``; not a benchmark itself (``scripts/bench.py``
runs only ``bench_*.py``).
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np

from cnnbook import nn, optim
from cnnbook.__main__ import TRAIN_DEFAULTS
from cnnbook.data import DataLoader, load_digits, train_test_split
from cnnbook.models import lenet_like, reference_cnn


def step_profile(model: nn.Module, batch: tuple[np.ndarray, np.ndarray], repeats: int) -> dict:
    """Median CPU time (us) of each layer's forward and backward, the loss and Adam's step."""
    opt = optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    times: dict[str, list[float]] = {}

    def timed(key: str, fn: Callable, *args: object, **kwargs: object) -> object:
        start = time.thread_time()
        result = fn(*args, **kwargs)
        times.setdefault(key, []).append(time.thread_time() - start)
        return result

    layers = list(model)
    for _ in range(repeats + 3):
        opt.zero_grad()
        h = batch[0]
        for i, layer in enumerate(layers):
            h = timed(f"{type(layer).__name__} {i} fwd", layer, h)
        timed("loss fwd", loss_fn, h, batch[1])
        g = timed("loss bwd", loss_fn.backward)
        for i in reversed(range(len(layers))):
            kwargs = {"need_input_grad": False} if i == 0 else {}
            g = timed(f"{type(layers[i]).__name__} {i} bwd", layers[i].backward, g, **kwargs)
        timed("Adam step fwd", opt.step)
    per_layer: dict[str, float] = {}  # forward median + backward median, per layer
    for key, v in times.items():
        name = key.rsplit(" ", 1)[0]
        per_layer[name] = per_layer.get(name, 0.0) + 1e6 * float(np.median(v[3:]))
    return per_layer


def print_training_steps(repeats: int) -> None:
    """Print one table per network: each layer's forward + backward time and its share."""
    x, y = load_digits(dtype=np.float32)
    (xtr, ytr), _ = train_test_split(x, y, TRAIN_DEFAULTS["test_fraction"], 0)
    digits = next(iter(DataLoader(xtr, ytr, TRAIN_DEFAULTS["batch_size"], shuffle=True, rng=0)))
    rng = np.random.default_rng(0)
    mnist = (rng.random((64, 1, 28, 28), dtype=np.float32), rng.integers(0, 10, 64))
    for title, model, batch in (
        ("reference_cnn on the digits (batch 32)", reference_cnn(np.random.default_rng(0)), digits),
        (
            "lenet_like(28), 64 images 28x28",
            lenet_like(np.random.default_rng(0), image_size=28),
            mnist,
        ),
    ):
        prof = step_profile(model, batch, repeats)
        total = sum(prof.values())
        print(f"\n### One training step, {title}: {total / 1e3:.2f} ms CPU\n")
        print("| layer (forward + backward) | us | share |")
        print("|---|---|---|")
        for key, value in sorted(prof.items(), key=lambda kv: -kv[1]):
            print(f"| {key} | {value:.0f} | {100 * value / total:.0f} % |")
