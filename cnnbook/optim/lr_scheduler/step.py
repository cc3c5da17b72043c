r"""Step decay: multiply the rate by gamma every `step_size` epochs, or at given milestones."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from itertools import pairwise

from cnnbook._validation import finite_real, positive_int
from cnnbook.optim.lr_scheduler.scheduler import LRScheduler, check_epoch
from cnnbook.optim.optimizer import Optimizer

__all__ = ["MultiStepLR", "StepLR"]


def _gamma(value: float) -> float:
    gamma = finite_real("gamma", value)
    if gamma <= 0:
        raise ValueError(f"gamma (={value!r}) must be positive (> 0)")
    return gamma


class StepLR(LRScheduler):
    r"""Multiply each group's rate by `gamma` every `step_size` epochs (torch's ``StepLR``).

    Parameters
    ----------
    optimizer : Optimizer
    step_size : int
        Period of the decay, in epochs ($\ge 1$).
    gamma : float, default 0.1
        Multiplicative factor ($> 0$, finite).
    last_epoch : int, default -1

    Raises
    ------
    TypeError
        A `step_size` that is not an int, a `gamma` that is not a real number.
    ValueError
        A `step_size` < 1, a `gamma` <= 0 or infinite.

    Notes
    -----
    After $e$ calls of `step`, the rate is $\eta_0\,\gamma^{\lfloor e / s \rfloor}$,
    computed as torch does: multiply the current rate by $\gamma$ whenever $e$ is a
    positive multiple of $s$.

    Examples
    --------
    >>> from cnnbook.nn import Parameter
    >>> from cnnbook.optim import SGD
    >>> opt = SGD([Parameter(np.zeros(1))], lr=0.1)
    >>> scheduler = StepLR(opt, step_size=3)
    >>> for _ in range(3):
    ...     opt.step(); scheduler.step()
    >>> scheduler.last_epoch, scheduler.get_last_lr()
    (3, [0.010000000000000002])
    """

    def __init__(
        self, optimizer: Optimizer, step_size: int, gamma: float = 0.1, last_epoch: int = -1
    ) -> None:
        self.step_size = positive_int("step_size", step_size)
        self.gamma = _gamma(gamma)
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        """Return the rates, times `gamma` if ``last_epoch`` is a positive multiple of step_size."""
        lrs = [group["lr"] for group in self.optimizer.param_groups]
        if self.last_epoch == 0 or self.last_epoch % self.step_size != 0:
            return lrs
        return [lr * self.gamma for lr in lrs]

    def _get_closed_form_lr(self) -> list[float]:
        return [base * self.gamma ** (self.last_epoch // self.step_size) for base in self.base_lrs]


class MultiStepLR(LRScheduler):
    r"""Multiply each group's rate by `gamma` at each milestone epoch (torch's ``MultiStepLR``).

    Parameters
    ----------
    optimizer : Optimizer
    milestones : iterable of int
        Strictly increasing epoch indices ($\ge 0$).
    gamma : float, default 0.1
        Multiplicative factor ($> 0$, finite).
    last_epoch : int, default -1

    Raises
    ------
    TypeError
        `milestones` not an iterable of ints (``[1.7]`` is refused: it would silently
        act at epoch 2), `gamma` not a real number.
    ValueError
        Milestones negative or not strictly increasing; `gamma` <= 0 or infinite.

    Notes
    -----
    After $e$ calls of `step`, the rate is $\eta_0\,\gamma^{\#\{m \,:\, m \le e\}}$. A
    training loop that sets the rate before epoch $k$ (from 1) with $k - 1$ calls gives
    $\eta_0\,\gamma^{\#\{m < k\}}$: exactly `cnnbook.train.step_lr`.

    Examples
    --------
    >>> from cnnbook.nn import Parameter
    >>> from cnnbook.optim import SGD
    >>> opt = SGD([Parameter(np.zeros(1))], lr=1.0)
    >>> scheduler = MultiStepLR(opt, milestones=[2, 4], gamma=0.5)
    >>> rates = []
    >>> for _ in range(5):
    ...     rates.append(scheduler.get_last_lr()[0]); opt.step(); scheduler.step()
    >>> rates
    [1.0, 1.0, 0.5, 0.5, 0.25]
    """

    def __init__(
        self,
        optimizer: Optimizer,
        milestones: Iterable[int],
        gamma: float = 0.1,
        last_epoch: int = -1,
    ) -> None:
        if isinstance(milestones, str | bytes | dict) or not isinstance(milestones, Iterable):
            raise TypeError(f"milestones (={milestones!r}) must be an iterable of ints")
        marks = list(milestones)
        for i, m in enumerate(marks):
            check_epoch(f"milestones[{i}]", m, 0)
        if any(b <= a for a, b in pairwise(marks)):
            raise ValueError(f"milestones (={marks!r}) must be strictly increasing")
        self.milestones = [int(m) for m in marks]
        self.gamma = _gamma(gamma)
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        """Return the current rates, times `gamma` if ``last_epoch`` is a milestone."""
        lrs = [group["lr"] for group in self.optimizer.param_groups]
        if self.last_epoch not in self.milestones:
            return lrs
        return [lr * self.gamma for lr in lrs]

    def _get_closed_form_lr(self) -> list[float]:
        count = bisect_right(self.milestones, self.last_epoch)
        return [base * self.gamma**count for base in self.base_lrs]
