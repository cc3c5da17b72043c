"""Why convolutions: a CNN versus an MLP, same budget, on digits, moved digits and scrambled pixels.

The experiment of the page [[Why Convolutions: CNN versus MLP]]. Two networks learn the
same ten classes with the same optimizer (Adam), learning rate, batch size and number of
epochs, on four data sets built from scikit-learn's 1,797 handwritten 8×8 digits:

- ``digits``: the digits as they are (centred, cropped to their box);
- ``canvas``: each digit pasted at a random place on a 16×16 canvas, so the position
  varies (a fixed random position per image, the same for every network);
- ``digits_permuted`` and ``canvas_permuted``: the same images with their pixels
  scrambled by one fixed permutation — the same information, with no neighbourhoods.

The CNN (three 3×3 convolutions, max pooling, a global max pool and one linear layer)
assumes that nearby pixels belong together and that a pattern means the same thing
anywhere; the MLP (one hidden layer) assumes nothing. The permuted MLP starts from the
*same* weights as the plain one, permuted with the pixels, so it is the same network up to
a relabelling of its inputs: any difference between the two is rounding. A learning curve
(accuracy against the number of training images, on the canvas) completes the picture.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from cnnbook import nn
from cnnbook.data import load_digits, train_test_split
from cnnbook.train import evaluate, predict
from cnnbook.usecases.cache import DemoResult, cached_run
from cnnbook.usecases.canvas import permute_pixels, place_on_canvas, random_positions
from cnnbook.usecases.training import check_run_arguments, parameter_total, train

__all__ = ["CONFIG", "DATASETS", "cnn", "mlp", "run"]

NAME = "inductive-bias"
#: The four data sets, in the order of the page's table.
DATASETS = ("digits", "digits_permuted", "canvas", "canvas_permuted")
#: The full run and the reduced one of the tests (``small=True``).
CONFIG: dict[bool, dict[str, Any]] = {
    False: {
        "n_images": None,
        "canvas_size": 16,
        "test_fraction": 0.3,
        "epochs": 10,
        "lr": 5e-3,
        "batch_size": 32,
        "hidden": 64,
        "curve_sizes": (100, 200, 400, 800),
    },
    True: {
        "n_images": 200,
        "canvas_size": 12,
        "test_fraction": 0.3,
        "epochs": 1,
        "lr": 5e-3,
        "batch_size": 32,
        "hidden": 16,
        "curve_sizes": (60,),
    },
}


def cnn(image_size: int, rng: np.random.Generator) -> nn.Sequential:
    """Build the CNN: conv 8 → pool → conv 16 → pool → conv 32 → global max pool → linear 10.

    Every convolution is 3×3 with ``padding=1`` followed by ReLU; the global max pool
    reports, for each of the 32 last feature maps, its strongest response *anywhere*, so
    the parameter count does not depend on the image size.

    Parameters
    ----------
    image_size : int
        Side of the square input, a multiple of 4 (8 for the digits, 16 for the canvas).
    rng : numpy.random.Generator

    Examples
    --------
    >>> parameter_total(cnn(8, np.random.default_rng(0)))
    6218
    >>> parameter_total(cnn(16, np.random.default_rng(0)))
    6218
    """
    if not isinstance(image_size, int) or image_size < 4 or image_size % 4:
        raise ValueError(f"image_size (={image_size!r}) must be a multiple of 4")
    return nn.Sequential(
        nn.Conv2d(1, 8, 3, padding=1, rng=rng),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(8, 16, 3, padding=1, rng=rng),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 3, padding=1, rng=rng),
        nn.ReLU(),
        nn.MaxPool2d(image_size // 4),
        nn.Flatten(),
        nn.Linear(32, 10, rng=rng),
    )


def mlp(image_size: int, rng: np.random.Generator, hidden: int = 64) -> nn.Sequential:
    """Build the MLP: flatten → linear `hidden` → ReLU → linear 10.

    Examples
    --------
    >>> parameter_total(mlp(8, np.random.default_rng(0)))
    4810
    >>> parameter_total(mlp(16, np.random.default_rng(0)))
    17098
    """
    if not isinstance(image_size, int) or image_size < 1:
        raise ValueError(f"image_size (={image_size!r}) must be a positive int")
    return nn.Sequential(
        nn.Flatten(),
        nn.Linear(image_size * image_size, hidden, rng=rng),
        nn.ReLU(),
        nn.Linear(hidden, 10, rng=rng),
    )


def _datasets(seed: int, cfg: dict[str, Any]) -> dict[str, Any]:
    x, y = load_digits(dtype=np.float32)
    if cfg["n_images"] is not None:
        keep = np.random.default_rng(seed).permutation(len(y))[: cfg["n_images"]]
        x, y = x[np.sort(keep)], y[np.sort(keep)]
    rng = np.random.default_rng([seed, 1])
    side = cfg["canvas_size"]
    positions = random_positions(len(y), 8, side, rng)
    canvas = place_on_canvas(x, side, positions)
    perms = {8: rng.permutation(64), side: rng.permutation(side * side)}
    images = {
        "digits": x,
        "digits_permuted": permute_pixels(x, perms[8]),
        "canvas": canvas,
        "canvas_permuted": permute_pixels(canvas, perms[side]),
    }
    # One split for all four: the same digits are held out everywhere.
    index = np.arange(len(y))
    (train_index, _), (test_index, _) = train_test_split(index, y, cfg["test_fraction"], seed)
    return {
        "images": images,
        "y": y,
        "train": train_index,
        "test": test_index,
        "positions": positions,
        "permutations": perms,
    }


def _train_pair(
    x: np.ndarray,
    y: np.ndarray,
    train_index: np.ndarray,
    test_index: np.ndarray,
    seed: int,
    cfg: dict[str, Any],
    progress: bool,
    mlp_permutation: np.ndarray | None = None,
    epochs: int | None = None,
) -> dict[str, Any]:
    """Train the CNN and the MLP on the same data with the same budget; evaluate both."""
    side = x.shape[-1]
    out: dict[str, Any] = {}
    for kind in ("cnn", "mlp"):
        rng = np.random.default_rng([seed, 2])
        model = cnn(side, rng) if kind == "cnn" else mlp(side, rng, cfg["hidden"])
        if kind == "mlp" and mlp_permutation is not None:
            # Permute the first layer's inputs with the pixels: the same network, relabelled.
            layer = model[1]
            assert isinstance(layer, nn.Linear)  # mlp() puts it there
            first = layer.weight.data
            first[:] = first[:, mlp_permutation]
        train_data = (x[train_index], y[train_index])
        test_data = (x[test_index], y[test_index])
        history = train(
            model,
            train_data,
            test_data,
            epochs=cfg["epochs"] if epochs is None else epochs,
            lr=cfg["lr"],
            batch_size=cfg["batch_size"],
            rng=rng,
            progress=progress,
        )
        out[kind] = {
            "model": model,
            "history": history,
            "accuracy": evaluate(model, *test_data).accuracy,
            "parameters": parameter_total(model),
        }
    return out


def _subset(train_index: np.ndarray, y: np.ndarray, size: int, seed: int) -> np.ndarray:
    """Return the first `size` training images of a fixed shuffle (nested: 100 ⊂ 200 ⊂ ...)."""
    order = np.random.default_rng([seed, 3]).permutation(train_index)
    return np.sort(order[:size])


def _compute(seed: int, small: bool, progress: bool) -> tuple[dict[str, Any], dict[str, Any]]:
    cfg = CONFIG[small]
    data = _datasets(seed, cfg)
    y, train_index, test_index = data["y"], data["train"], data["test"]
    metrics: dict[str, Any] = {}
    arrays: dict[str, np.ndarray] = {}
    for name in DATASETS:
        perm = None
        if name.endswith("_permuted"):
            perm = data["permutations"][data["images"][name].shape[-1]]
        pair = _train_pair(
            data["images"][name], y, train_index, test_index, seed, cfg, progress, perm
        )
        metrics[name] = {
            f"{kind}_{key}": pair[kind][key]
            for kind in ("cnn", "mlp")
            for key in ("accuracy", "parameters")
        }
        for kind in ("cnn", "mlp"):
            history = pair[kind]["history"]
            arrays[f"{name}_{kind}_train_loss"] = np.array(history.train_loss)
            arrays[f"{name}_{kind}_test_accuracy"] = np.array(history.test_accuracy)
        if name == "canvas":
            x_test = data["images"][name][test_index]
            arrays["canvas_x_test"] = x_test
            arrays["canvas_y_test"] = y[test_index]
            arrays["canvas_positions_test"] = data["positions"][test_index]
            for kind in ("cnn", "mlp"):
                arrays[f"canvas_{kind}_pred"] = predict(pair[kind]["model"], x_test)
                for key, value in pair[kind]["model"].state_dict().items():
                    arrays[f"canvas_{kind}_weights.{key}"] = value
            arrays["canvas_permutation"] = data["permutations"][cfg["canvas_size"]]
            arrays["digits_permutation"] = data["permutations"][8]
            arrays["digits_x_test"] = data["images"]["digits"][test_index]
    # Learning curve on the canvas: nested subsets, then the full training set. Every point
    # gets the same number of optimizer steps as the full run (more epochs on fewer images),
    # so that a small set measures too few examples, not too little training.
    sizes = [s for s in cfg["curve_sizes"] if s < len(train_index)]
    curve: dict[str, list[float]] = {"cnn": [], "mlp": []}
    x = data["images"]["canvas"]
    batches = -(-len(train_index) // cfg["batch_size"])  # per epoch of the full set
    for size in sizes:
        epochs = max(1, round(cfg["epochs"] * batches / -(-size // cfg["batch_size"])))
        subset = _subset(train_index, y, size, seed)
        pair = _train_pair(x, y, subset, test_index, seed, cfg, progress, None, epochs)
        for kind in ("cnn", "mlp"):
            curve[kind].append(pair[kind]["accuracy"])
    sizes.append(len(train_index))
    for kind in ("cnn", "mlp"):
        curve[kind].append(metrics["canvas"][f"{kind}_accuracy"])
    metrics["learning_curve"] = {"train_sizes": sizes, **curve}
    metrics["steps"] = batches * cfg["epochs"]
    metrics["train_size"] = len(train_index)
    metrics["test_size"] = len(test_index)
    metrics["canvas_size"] = cfg["canvas_size"]
    metrics["epochs"] = cfg["epochs"]
    metrics["lr"] = cfg["lr"]
    metrics["batch_size"] = cfg["batch_size"]
    metrics["mlp_hidden"] = cfg["hidden"]
    arrays["curve_sizes"] = np.array(sizes)
    arrays["curve_cnn"] = np.array(curve["cnn"])
    arrays["curve_mlp"] = np.array(curve["mlp"])
    return metrics, arrays


def run(
    seed: int = 0, *, small: bool = False, cache: bool = True, progress: bool = False
) -> DemoResult:
    """Train and evaluate the CNN and the MLP on the four data sets (or load the cached run).

    Parameters
    ----------
    seed : int, default 0
        Seeds the canvas positions, the permutations, the split, the weights, the shuffles.
    small : bool, default False
        A reduced run for the tests (200 digits, a 12×12 canvas, 1 epoch).
    cache : bool, default True
    progress : bool, default False

    Returns
    -------
    DemoResult
        ``metrics[dataset]`` holds ``cnn_accuracy``, ``mlp_accuracy`` (held-out fractions)
        and ``cnn_parameters``, ``mlp_parameters`` for each name of `DATASETS`;
        ``metrics["learning_curve"]`` the canvas accuracies against ``train_sizes``.
    """
    check_run_arguments(small, cache, progress)
    return cached_run(NAME, seed, small, lambda: _compute(seed, small, progress), cache)
