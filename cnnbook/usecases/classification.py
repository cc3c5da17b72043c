"""Image classification: the digits, and what a one-pixel shift costs when no ink is deleted.

The experiment of the page [[Image Classification]]. A LeNet-like network
([`lenet_like`][cnnbook.models.lenet_like]) learns scikit-learn's 1,797 handwritten 8×8
digits and is tested on held-out digits, as they are and each moved by one pixel (one of
the eight neighbouring positions, drawn at random).

The 8×8 digits touch their border, so the *old protocol* — shift the 8×8 image, zeros
entering at the edge — deletes part of a digit and measures a shift and an erasure at
once; its ink lost is computed here, digit by digit. The *fixed protocol* first places
every digit, for training and testing alike, in the middle of a 10×10 canvas (a one-pixel
empty border), so that a one-pixel move keeps all the ink (checked: the ink lost is
exactly zero) and the accuracy drop is the cost of the shift alone. A second, identical
network trained on digits shifted at random inside the canvas (data augmentation) shows
how much of that cost training removes. Rotated digits (a quarter and a half turn, which
keep every pixel) give the limit.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from cnnbook.data import load_digits, random_shifts, train_test_split
from cnnbook.models import lenet_like
from cnnbook.train import predict
from cnnbook.usecases.cache import DemoResult, cached_run
from cnnbook.usecases.canvas import ink_lost, place_on_canvas, shift_images
from cnnbook.usecases.training import check_run_arguments, parameter_total, train

__all__ = ["CONFIG", "NEIGHBOUR_SHIFTS", "run"]

NAME = "classification"
#: The eight one-pixel moves ``(dy, dx)`` a test digit may get.
NEIGHBOUR_SHIFTS = np.array(
    [(dy, dx) for dy in (-1, 0, 1) for dx in (-1, 0, 1) if (dy, dx) != (0, 0)]
)
#: The full run and the reduced one of the tests (``small=True``).
CONFIG: dict[bool, dict[str, Any]] = {
    False: {"n_images": None, "test_fraction": 0.2, "epochs": 15, "lr": 5e-3, "batch_size": 32},
    True: {"n_images": 200, "test_fraction": 0.3, "epochs": 1, "lr": 5e-3, "batch_size": 32},
}
CANVAS = 10  # the 8×8 digit with a one-pixel empty border: a one-pixel move keeps all ink


def _augment(xb: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    return random_shifts(xb, rng, max_shift=1, fraction=1.0)


def _compute(seed: int, small: bool, progress: bool) -> tuple[dict[str, Any], dict[str, Any]]:
    cfg = CONFIG[small]
    x8, y = load_digits(dtype=np.float32)
    if cfg["n_images"] is not None:
        keep = np.sort(np.random.default_rng(seed).permutation(len(y))[: cfg["n_images"]])
        x8, y = x8[keep], y[keep]
    x10 = place_on_canvas(x8, CANVAS, np.ones((len(y), 2), dtype=np.int64))
    index = np.arange(len(y))
    (tr, _), (te, _) = train_test_split(index, y, cfg["test_fraction"], seed)
    moves = NEIGHBOUR_SHIFTS[np.random.default_rng([seed, 4]).integers(0, 8, size=len(te))]
    old_moved = shift_images(x8[te], moves)
    new_moved = shift_images(x10[te], moves)
    old_ink = ink_lost(x8[te], old_moved)
    new_ink = ink_lost(x10[te], new_moved)

    runs = {
        "old": (x8, 8, None),  # the old protocol: 8×8, zero-filled shifts delete ink
        "plain": (x10, CANVAS, None),  # the fixed protocol
        "augmented": (x10, CANVAS, _augment),  # the fixed protocol, trained on shifts
    }
    metrics: dict[str, Any] = {}
    arrays: dict[str, np.ndarray] = {}
    models = {}
    for key, (x, side, transform) in runs.items():
        rng = np.random.default_rng([seed, 5])
        model = lenet_like(rng, image_size=side, padding=1)
        history = train(
            model,
            (x[tr], y[tr]),
            (x[te], y[te]),
            epochs=cfg["epochs"],
            lr=cfg["lr"],
            batch_size=cfg["batch_size"],
            rng=rng,
            progress=progress,
            transform=transform,
        )
        models[key] = model
        arrays[f"{key}_train_loss"] = np.array(history.train_loss)
        arrays[f"{key}_test_accuracy"] = np.array(history.test_accuracy)
        moved = old_moved if key == "old" else new_moved
        arrays[f"{key}_pred"] = predict(model, x[te])
        arrays[f"{key}_shifted_pred"] = predict(model, moved)
        for name, value in model.state_dict().items():
            arrays[f"{key}_weights.{name}"] = value

    def accuracy(pred: np.ndarray) -> float:
        return float(np.mean(pred == y[te]))

    metrics["accuracy"] = accuracy(arrays["plain_pred"])
    metrics["shifted_accuracy"] = accuracy(arrays["plain_shifted_pred"])
    metrics["augmented_accuracy"] = accuracy(arrays["augmented_pred"])
    metrics["augmented_shifted_accuracy"] = accuracy(arrays["augmented_shifted_pred"])
    metrics["old_protocol_accuracy"] = accuracy(arrays["old_pred"])
    metrics["old_protocol_shifted_accuracy"] = accuracy(arrays["old_shifted_pred"])
    metrics["ink_lost_mean"] = float(old_ink.mean())
    metrics["ink_lost_over_10_percent"] = float(np.mean(old_ink > 0.1))
    metrics["canvas_ink_lost_max"] = float(new_ink.max())
    # The limit: turned digits keep every pixel, yet the network was never shown one.
    rotated = {}
    for quarter_turns in (1, 2):
        turned = np.rot90(x10[te], k=quarter_turns, axes=(2, 3)).copy()
        pred = predict(models["augmented"], turned)
        rotated[str(90 * quarter_turns)] = accuracy(pred)
        arrays[f"rotated_{90 * quarter_turns}_pred"] = pred
    metrics["rotated_accuracy"] = rotated
    metrics["parameters"] = parameter_total(models["plain"])
    metrics["old_protocol_parameters"] = parameter_total(models["old"])
    metrics["canvas_size"] = CANVAS
    metrics["train_size"] = len(tr)
    metrics["test_size"] = len(te)
    metrics["epochs"] = cfg["epochs"]
    metrics["lr"] = cfg["lr"]
    metrics["batch_size"] = cfg["batch_size"]
    arrays["x_test"] = x10[te]
    arrays["y_test"] = y[te]
    arrays["moves"] = moves
    arrays["old_ink_lost"] = old_ink
    arrays["new_ink_lost"] = new_ink
    return metrics, arrays


def run(
    seed: int = 0, *, small: bool = False, cache: bool = True, progress: bool = False
) -> DemoResult:
    """Train and test the digit classifier under the old and the fixed shift protocols.

    Parameters
    ----------
    seed : int, default 0
        Seeds the split, the test moves, the weights and the shuffles.
    small : bool, default False
        A reduced run for the tests (200 digits, 1 epoch).
    cache : bool, default True
    progress : bool, default False

    Returns
    -------
    DemoResult
        ``metrics``: ``accuracy`` and ``shifted_accuracy`` (the fixed protocol: digits on a
        10×10 canvas, every test digit moved by one pixel, no ink lost),
        ``augmented_accuracy`` / ``augmented_shifted_accuracy`` (the same network trained
        on random shifts), ``old_protocol_accuracy`` / ``old_protocol_shifted_accuracy``
        (8×8, zero-filled shifts) with ``ink_lost_mean`` and ``ink_lost_over_10_percent``
        (the fraction of test digits that lose more than a tenth of their ink), and
        ``rotated_accuracy`` (quarter and half turns).
    """
    check_run_arguments(small, cache, progress)
    return cached_run(NAME, seed, small, lambda: _compute(seed, small, progress), cache)
