"""How every demonstration trains: one seeded, single-threaded call of `cnnbook.train.fit`.

The networks of the use cases are small, so their matrices are small: one BLAS thread is
the fastest (more threads than free cores make OpenBLAS spin) and makes a run's numbers
the same on every machine with the same libraries. [`train`][cnnbook.usecases.training.train]
wraps [`fit`][cnnbook.train.fit] in that limit and returns the per-epoch history the pages
draw as training curves.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from threadpoolctl import threadpool_limits

from cnnbook import nn, optim
from cnnbook._validation import boolean
from cnnbook.train.loop import History, Transform, fit

__all__ = ["check_run_arguments", "parameter_total", "train"]


def check_run_arguments(small: Any, cache: Any, progress: Any) -> None:
    """Refuse non-boolean flags of a demonstration's ``run`` (``small='no'`` is truthy).

    Examples
    --------
    >>> check_run_arguments(True, True, False)
    """
    for name, value in (("small", small), ("cache", cache), ("progress", progress)):
        boolean(name, value)


def parameter_total(model: nn.Module) -> int:
    """Return the number of trainable numbers of `model`.

    Examples
    --------
    >>> parameter_total(nn.Linear(3, 2))
    8
    """
    if not isinstance(model, nn.Module):
        raise TypeError(f"model (={type(model).__name__}) must be a cnnbook.nn.Module")
    return int(sum(p.data.size for p in model.parameters()))


def train(
    model: nn.Module,
    train_data: tuple[np.ndarray, np.ndarray],
    test_data: tuple[np.ndarray, np.ndarray] | None,
    *,
    epochs: int,
    lr: float,
    rng: np.random.Generator,
    batch_size: int = 32,
    progress: bool = False,
    transform: Transform | None = None,
) -> History:
    """Train `model` with Adam and cross-entropy, on one BLAS thread; return its history.

    Parameters
    ----------
    model : nn.Module
    train_data, test_data : (x, y)
        `test_data` (optional) is evaluated after every epoch, for the training curve.
    epochs : int
    lr : float
        Adam's learning rate.
    rng : numpy.random.Generator
        Shuffles (and the `transform`'s randomness).
    batch_size : int, default 32
    progress : bool, default False
    transform : callable ``(xb, rng) -> xb``, optional

    Returns
    -------
    cnnbook.train.History

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> x = rng.standard_normal((32, 1, 2, 2)).astype(np.float32)
    >>> y = (x[:, 0, 0, 0] > 0).astype(np.int64)
    >>> model = nn.Sequential(nn.Flatten(), nn.Linear(4, 2, rng=rng))
    >>> train(model, (x, y), None, epochs=3, lr=0.1, rng=rng).epochs
    3
    """
    with threadpool_limits(limits=1, user_api="blas"):
        return fit(
            model,
            nn.CrossEntropyLoss(),
            optim.Adam(model.parameters(), lr=lr),
            train_data,
            epochs=epochs,
            batch_size=batch_size,
            test_data=test_data,
            rng=rng,
            progress=progress,
            transform=transform,
        )
