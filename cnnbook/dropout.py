r"""Dropout measured: the same small network trained with and without it on few digits.

`nn.Dropout` zeroes each activation with probability $p$ in training and scales the
survivors by $1/(1-p)$; at evaluation it is the identity. Whether that helps is an
empirical question, so this module measures it: `dropout_mlp` is a two-hidden-layer
perceptron with a `Dropout` after each hidden layer; `overfitting_run` trains it on a few
hundred of the 1,797 bundled 8×8 digits (`cnnbook.data.load_digits`) with Adam and
records, after every epoch and in evaluation mode, the loss and accuracy on those
training digits and on all the others (held out); `dropout_comparison` runs it for
several values of $p$ and seeds, each run cached like a use-case demonstration
(`cnnbook.usecases.cache.cached_run`), since the page and its figure both read them.
"""

from __future__ import annotations

import hashlib
import json
import numbers
from collections.abc import Iterable
from typing import Any, NamedTuple

import numpy as np

from cnnbook._rng import generator
from cnnbook._validation import finite_real, positive_int
from cnnbook.data import load_digits
from cnnbook.nn import CrossEntropyLoss, Dropout, Flatten, Linear, ReLU, Sequential
from cnnbook.optim import Adam
from cnnbook.train import evaluate, fit
from cnnbook.usecases.cache import cached_run

__all__ = ["OverfittingCurves", "dropout_comparison", "dropout_mlp", "overfitting_run"]

_CURVES = ("train_loss", "train_accuracy", "test_loss", "test_accuracy")


class OverfittingCurves(NamedTuple):
    """Per-epoch measurements of `overfitting_run`, all in evaluation mode (no dropout).

    Entry ``e`` is measured after ``e`` epochs (entry 0: the untrained network).
    """

    train_loss: np.ndarray
    """Mean cross-entropy on the training digits, shape ``(epochs + 1,)``."""
    train_accuracy: np.ndarray
    """Fraction of the training digits classified correctly."""
    test_loss: np.ndarray
    """Mean cross-entropy on the held-out digits."""
    test_accuracy: np.ndarray
    """Fraction of the held-out digits classified correctly."""


def _probability(p: Any) -> float:
    if not isinstance(p, numbers.Real) or isinstance(p, bool) or not 0 <= float(p) < 1:
        raise ValueError(f"p (={p!r}) must be a probability in [0, 1)")
    return float(p)


def dropout_mlp(
    p: float = 0.5,
    hidden: int = 128,
    in_features: int = 64,
    classes: int = 10,
    rng: np.random.Generator | int | None = None,
) -> Sequential:
    """``Flatten → (Linear → ReLU → Dropout(p)) × 2 → Linear``, float32.

    Parameters
    ----------
    p : float in [0, 1), default 0.5
        Dropout probability of both `Dropout` layers (0: no dropout, the same network).
    hidden : int, default 128
        Width of both hidden layers.
    in_features : int, default 64
        Pixels per image (8 × 8 digits).
    classes : int, default 10
    rng : numpy.random.Generator or int, optional
        Source of the initial weights *and* of the dropout masks.

    Returns
    -------
    cnnbook.nn.Sequential

    Raises
    ------
    ValueError, TypeError
        For `p` outside [0, 1), sizes below 1, or a bad `rng`.

    Examples
    --------
    >>> dropout_mlp(0.5, hidden=16, rng=0)
    Sequential(
      (0): Flatten(start_dim=1, end_dim=-1)
      (1): Linear(in_features=64, out_features=16, bias=True)
      (2): ReLU()
      (3): Dropout(p=0.5, inplace=False)
      (4): Linear(in_features=16, out_features=16, bias=True)
      (5): ReLU()
      (6): Dropout(p=0.5, inplace=False)
      (7): Linear(in_features=16, out_features=10, bias=True)
    )
    """
    p = _probability(p)
    hidden = positive_int("hidden", hidden)
    in_features = positive_int("in_features", in_features)
    classes = positive_int("classes", classes)
    g = generator("rng", rng)
    return Sequential(
        Flatten(),
        Linear(in_features, hidden, rng=g),
        ReLU(),
        Dropout(p, rng=g),
        Linear(hidden, hidden, rng=g),
        ReLU(),
        Dropout(p, rng=g),
        Linear(hidden, classes, rng=g),
    )


def overfitting_run(
    p: float = 0.5,
    seed: int = 0,
    train_size: int = 200,
    epochs: int = 100,
    hidden: int = 128,
    lr: float = 3e-3,
    batch_size: int = 32,
) -> OverfittingCurves:
    """Train `dropout_mlp` on `train_size` digits; measure train and held-out curves.

    The digits are shuffled with `seed`; the first `train_size` train the network,
    all the others are held out. Adam(`lr`) on mini-batches of `batch_size`
    (`cnnbook.train.fit`, one epoch at a time); after each epoch both sets are
    scored in evaluation mode (`cnnbook.train.evaluate`). With the same `seed`, the
    split, the initial weights and the batch order are the same for every `p`.

    Parameters
    ----------
    p : float in [0, 1), default 0.5
    seed : int >= 0, default 0
    train_size : int, default 200
        Training digits, fewer than the 1,797 of the set.
    epochs : int, default 100
    hidden : int, default 128
    lr : float, default 3e-3
    batch_size : int, default 32

    Returns
    -------
    OverfittingCurves

    Raises
    ------
    ValueError, TypeError
        For `p` outside [0, 1), a negative `seed`, counts below 1, `train_size` that
        leaves no held-out digit, or a non-positive `lr`.

    Examples
    --------
    >>> curves = overfitting_run(p=0.5, train_size=50, epochs=3, hidden=16)
    >>> curves.test_accuracy.shape, bool(curves.train_loss[-1] < curves.train_loss[0])
    ((4,), True)
    """
    p = _probability(p)
    if not isinstance(seed, numbers.Integral) or isinstance(seed, bool) or seed < 0:
        raise ValueError(f"seed (={seed!r}) must be a non-negative int")
    x, y = load_digits(dtype=np.float32)
    train_size = positive_int("train_size", train_size)
    if train_size >= len(y):
        raise ValueError(f"train_size (={train_size}) must leave held-out digits (< {len(y)})")
    epochs = positive_int("epochs", epochs)
    if not finite_real("lr", lr) > 0:
        raise ValueError(f"lr (={lr!r}) must be > 0")
    batch_size = positive_int("batch_size", batch_size)
    # One split per seed; weights, masks and batch order from separate streams of the seed,
    # so the runs with and without dropout share the split, the initial weights and the
    # order of the batches, and differ only by the dropout.
    split, weights, shuffles = (np.random.default_rng([int(seed), k]) for k in range(3))
    order = split.permutation(len(y))
    train, test = (
        (x[order[:train_size]], y[order[:train_size]]),
        (
            x[order[train_size:]],
            y[order[train_size:]],
        ),
    )
    model = dropout_mlp(p, hidden=hidden, rng=weights)
    loss_fn = CrossEntropyLoss()
    optimizer = Adam(model.parameters(), lr=lr)
    curves: dict[str, list[float]] = {name: [] for name in _CURVES}
    for epoch in range(epochs + 1):
        if epoch:
            fit(model, loss_fn, optimizer, train, 1, batch_size, rng=shuffles, progress=False)
        for part, (xs, ys) in (("train", train), ("test", test)):
            score = evaluate(model, xs, ys)
            curves[f"{part}_loss"].append(score.loss)
            curves[f"{part}_accuracy"].append(score.accuracy)
    return OverfittingCurves(*(np.array(curves[name]) for name in _CURVES))


def dropout_comparison(
    ps: Iterable[float] = (0.0, 0.5),
    seeds: Iterable[int] = (0, 1, 2),
    cache: bool = True,
    **run_kwargs: Any,
) -> dict[tuple[float, int], OverfittingCurves]:
    """`overfitting_run` for every dropout probability and seed, each run cached.

    Parameters
    ----------
    ps : iterable of float, default (0.0, 0.5)
    seeds : iterable of int, default (0, 1, 2)
    cache : bool, default True
        Load a cached run whose key matches (the arguments and the code this module
        imports, see `cnnbook.usecases.cache`), and store new ones.
    **run_kwargs
        The other arguments of `overfitting_run` (``train_size``, ``epochs``...).

    Returns
    -------
    dict of (p, seed) to OverfittingCurves

    Raises
    ------
    ValueError, TypeError
        As `overfitting_run`; an unknown keyword is a TypeError.

    Examples
    --------
    >>> runs = dropout_comparison((0.0, 0.5), (0,), cache=False, train_size=50, epochs=2,
    ...                           hidden=16)
    >>> sorted(runs), runs[0.5, 0].test_loss.shape
    ([(0.0, 0), (0.5, 0)], (3,))
    """
    unknown = set(run_kwargs) - {"train_size", "epochs", "hidden", "lr", "batch_size"}
    if unknown:
        raise TypeError(f"unknown argument(s) of overfitting_run: {sorted(unknown)}")
    runs: dict[tuple[float, int], OverfittingCurves] = {}
    for p in ps:
        p = _probability(p)
        # The cache key holds the name and the seed: the name carries p and the arguments.
        spec = json.dumps({"p": p, **run_kwargs}, sort_keys=True)
        name = f"dropout-p{p:g}-{hashlib.sha256(spec.encode()).hexdigest()[:10]}"
        for seed in seeds:
            if not isinstance(seed, numbers.Integral) or isinstance(seed, bool) or seed < 0:
                raise ValueError(f"seed (={seed!r}) must be a non-negative int")

            def compute(p: float = p, seed: int = int(seed)) -> tuple[dict, dict]:
                # One BLAS thread: the same sums (so the same curves) on every machine, and
                # no threads spinning against each other on a busy one. threadpoolctl comes
                # with the ``train`` extra, like the digits.
                from threadpoolctl import threadpool_limits

                with threadpool_limits(limits=1):
                    return {"p": p}, overfitting_run(p, seed, **run_kwargs)._asdict()

            # Keyed by the code this module reaches through its imports: an edit elsewhere
            # in the package does not re-run the comparison.
            result = cached_run(name, int(seed), False, compute, cache=cache, module=__name__)
            runs[p, int(seed)] = OverfittingCurves(*(result.arrays[k] for k in _CURVES))
    return runs
