r"""Cosine annealing: the rate follows half a cosine from its base value down to `eta_min`."""

from __future__ import annotations

import math

from cnnbook._validation import positive_int
from cnnbook.optim.lr_scheduler.scheduler import LRScheduler
from cnnbook.optim.optimizer import Optimizer, check_nonnegative

__all__ = ["CosineAnnealingLR"]


class CosineAnnealingLR(LRScheduler):
    r"""Anneal each group's rate along a cosine over `T_max` epochs (torch's ``CosineAnnealingLR``).

    Parameters
    ----------
    optimizer : Optimizer
    T_max : int
        Number of epochs of the half cosine ($\ge 1$); after it the rate rises again.
    eta_min : float, default 0
        The lowest rate ($\ge 0$, finite), reached after `T_max` steps.
    last_epoch : int, default -1

    Raises
    ------
    TypeError
        `T_max` not an int, `eta_min` not a real number.
    ValueError
        `T_max` < 1, `eta_min` negative or infinite.

    Notes
    -----
    The closed form (Loshchilov & Hutter's SGDR without restarts) is

    $$\eta_e = \eta_{\min} + \tfrac12(\eta_0 - \eta_{\min})\bigl(1 + \cos(\pi e / T)\bigr).$$

    Like torch, `step` computes it recursively from the current rate,
    $\eta_{e} = \eta_{\min} + (\eta_{e-1} - \eta_{\min})
    \frac{1 + \cos(\pi e/T)}{1 + \cos(\pi (e-1)/T)}$, which follows a rate changed by hand
    or by a second scheduler (and at $e - 1 = T$, where the ratio is 0/0, adds the
    first step of the rise).

    Examples
    --------
    >>> from cnnbook.nn import Parameter
    >>> from cnnbook.optim import SGD
    >>> opt = SGD([Parameter(np.zeros(1))], lr=1.0)
    >>> scheduler = CosineAnnealingLR(opt, T_max=4)
    >>> rates = []
    >>> for _ in range(5):
    ...     rates.append(round(scheduler.get_last_lr()[0], 4)); opt.step(); scheduler.step()
    >>> rates
    [1.0, 0.8536, 0.5, 0.1464, 0.0]
    """

    def __init__(
        self, optimizer: Optimizer, T_max: int, eta_min: float = 0.0, last_epoch: int = -1
    ) -> None:
        self.T_max = positive_int("T_max", T_max)
        self.eta_min = check_nonnegative("eta_min", eta_min)
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        """Return the rates at ``last_epoch``, by torch's recursive (chainable) formula."""
        groups, e, T, lo = self.optimizer.param_groups, self.last_epoch, self.T_max, self.eta_min
        if self._is_initial:
            return [group["lr"] for group in groups]
        if self._step_count == 1 and e > 0:  # resumed: start from the closed form
            return [
                lo + (base - lo) * (1 + math.cos(e * math.pi / T)) / 2 for base in self.base_lrs
            ]
        if (e - 1 - T) % (2 * T) == 0:  # at the bottom the ratio is 0/0: take the rise's step
            return [
                group["lr"] + (base - lo) * (1 - math.cos(math.pi / T)) / 2
                for base, group in zip(self.base_lrs, groups, strict=True)
            ]
        return [
            (1 + math.cos(math.pi * e / T))
            / (1 + math.cos(math.pi * (e - 1) / T))
            * (group["lr"] - lo)
            + lo
            for group in groups
        ]

    def _get_closed_form_lr(self) -> list[float]:
        e, T, lo = self.last_epoch, self.T_max, self.eta_min
        return [lo + (base - lo) * (1 + math.cos(math.pi * e / T)) / 2 for base in self.base_lrs]
