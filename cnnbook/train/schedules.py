r"""Learning-rate schedules for `fit`: a function of the epoch."""

from __future__ import annotations

import numbers
from collections.abc import Callable, Sequence

import numpy as np

from cnnbook._validation import finite_real

__all__ = ["step_lr"]


def step_lr(lr: float, milestones: Sequence[int], gamma: float = 0.1) -> Callable[[int], float]:
    r"""Return a learning-rate schedule for `fit`: multiply `lr` by `gamma` at each milestone epoch.

    Like ``torch.optim.lr_scheduler.MultiStepLR``: epoch $e$ (from 1) trains with
    $\eta\,\gamma^{\#\{m \in \text{milestones} : m < e\}}$.

    Raises
    ------
    ValueError
        If `lr` is not finite and positive, `gamma` not in (0, 1], or a milestone
        is not a non-negative int (``1.7`` is refused, not truncated).

    Examples
    --------
    >>> schedule = step_lr(0.1, milestones=[2])
    >>> [round(schedule(e), 4) for e in (1, 2, 3, 4)]
    [0.1, 0.1, 0.01, 0.01]
    """
    if not finite_real("lr", lr) > 0:
        raise ValueError(f"lr (={lr!r}) must be positive (> 0)")
    if not 0 < finite_real("gamma", gamma) <= 1:
        raise ValueError(f"gamma (={gamma!r}) must be in (0, 1]")
    if isinstance(milestones, str) or not isinstance(milestones, Sequence | np.ndarray):
        raise TypeError(f"milestones (={milestones!r}) must be a sequence of epochs (ints)")
    for m in milestones:
        if not isinstance(m, numbers.Integral) or isinstance(m, bool | np.bool_) or m < 0:
            raise ValueError(
                f"milestones (={list(milestones)!r}) must hold non-negative int epochs; got {m!r}"
            )
    marks = sorted(int(m) for m in milestones)
    return lambda epoch: lr * gamma ** sum(m < epoch for m in marks)
