r"""The 1cycle policy (Smith & Topin, 2019): warm the rate up to `max_lr`, then anneal it."""

from __future__ import annotations

import math
from typing import Any, Literal

from cnnbook._validation import boolean, finite_real, positive_int
from cnnbook.optim.lr_scheduler.scheduler import (
    LRScheduler,
    check_epoch,
    check_optimizer,
    check_resumable,
    per_group,
)
from cnnbook.optim.optimizer import Optimizer, check_nonnegative, check_unit

__all__ = ["OneCycleLR"]


def _annealing_cos(start: float, end: float, pct: float) -> float:
    """Cosine from `start` (pct 0) to `end` (pct 1)."""
    return end + (start - end) / 2.0 * (math.cos(math.pi * pct) + 1)


def _annealing_linear(start: float, end: float, pct: float) -> float:
    """Straight line from `start` (pct 0) to `end` (pct 1)."""
    return (end - start) * pct + start


class OneCycleLR(LRScheduler):
    r"""Torch's ``OneCycleLR``: per batch, rate up from max_lr/div_factor to max_lr, then down.

    Parameters
    ----------
    optimizer : Optimizer
    max_lr : float or list of float (one per group)
        The peak rate ($> 0$, finite).
    total_steps : int, optional
        Number of steps of the cycle; else ``epochs * steps_per_epoch``.
    epochs, steps_per_epoch : int, optional
        Used when `total_steps` is None (both needed).
    pct_start : float, default 0.3
        Fraction of the cycle spent warming up, in [0, 1].
    anneal_strategy : {"cos", "linear"}, default "cos"
    cycle_momentum : bool, default True
        Move the momentum (SGD's ``momentum``, Adam's ``betas[0]``) against the rate,
        between `max_momentum` and `base_momentum`.
    base_momentum, max_momentum : float or list of float, default 0.85, 0.95
    div_factor : float, default 25
        The start rate is ``max_lr / div_factor`` ($> 0$).
    final_div_factor : float, default 1e4
        The final rate is ``max_lr / div_factor / final_div_factor`` ($> 0$).
    three_phase : bool, default False
        Warm up, come back down symmetrically, then anneal (the paper's schedule)
        instead of warm up and anneal (fastai's).
    last_epoch : int, default -1

    Raises
    ------
    TypeError
        A count that is not an int, a factor that is not a real number, a flag not a bool.
    ValueError
        Neither `total_steps` nor both `epochs` and `steps_per_epoch`; a value out of its
        range; a phase of zero length, where torch divides by zero
        (``pct_start * total_steps == 1``, `pct_start` = 1, or with `three_phase` a last
        phase of no steps); `step` called more than `total_steps` times.

    Notes
    -----
    Steps 0 to $T - 1$ make the cycle (the rate is ``max_lr / div_factor /
    final_div_factor`` at step $T - 1$); as in torch, one more `step` is allowed and
    continues the last phase's curve, and the one after raises.

    The phases end at steps $p T - 1$, ($2pT - 2$,) and $T - 1$; within a phase
    running from step $a$ to $b$, step $s$ is at fraction $(s - a)/(b - a)$ of the way
    from the phase's start rate to its end rate, by a half cosine or a straight line.
    Exactly torch's arithmetic: the rates agree to the last bit.

    Examples
    --------
    >>> from cnnbook.nn import Parameter
    >>> from cnnbook.optim import SGD
    >>> opt = SGD([Parameter(np.zeros(1))], lr=0.1, momentum=0.9)
    >>> scheduler = OneCycleLR(opt, max_lr=1.0, total_steps=10, anneal_strategy="linear")
    >>> rates = []
    >>> for _ in range(10):
    ...     rates.append(round(scheduler.get_last_lr()[0], 3)); opt.step(); scheduler.step()
    >>> rates
    [0.04, 0.52, 1.0, 0.857, 0.714, 0.571, 0.429, 0.286, 0.143, 0.0]
    """

    def __init__(
        self,
        optimizer: Optimizer,
        max_lr: float | list[float],
        total_steps: int | None = None,
        epochs: int | None = None,
        steps_per_epoch: int | None = None,
        pct_start: float = 0.3,
        anneal_strategy: Literal["cos", "linear"] = "cos",
        cycle_momentum: bool = True,
        base_momentum: float | list[float] = 0.85,
        max_momentum: float | list[float] = 0.95,
        div_factor: float = 25.0,
        final_div_factor: float = 1e4,
        three_phase: bool = False,
        last_epoch: int = -1,
    ) -> None:
        check_optimizer(optimizer)
        if total_steps is not None:
            self.total_steps = positive_int("total_steps", total_steps)
        elif epochs is not None and steps_per_epoch is not None:
            self.total_steps = positive_int("epochs", epochs) * positive_int(
                "steps_per_epoch", steps_per_epoch
            )
        else:
            raise ValueError(
                f"give total_steps, or both epochs and steps_per_epoch (got total_steps=None, "
                f"epochs={epochs!r}, steps_per_epoch={steps_per_epoch!r})"
            )
        pct = check_unit("pct_start", pct_start, closed=True)
        if anneal_strategy not in ("cos", "linear"):
            raise ValueError(f"anneal_strategy (={anneal_strategy!r}) must be 'cos' or 'linear'")
        self.anneal_strategy = anneal_strategy
        self.three_phase = boolean("three_phase", three_phase)
        self.cycle_momentum = boolean("cycle_momentum", cycle_momentum)
        div = self._positive("div_factor", div_factor)
        final_div = self._positive("final_div_factor", final_div_factor)
        if check_epoch("last_epoch", last_epoch, -1) >= 0:
            momentum_keys = ("max_momentum", "base_momentum") * self.cycle_momentum
            check_resumable(optimizer, last_epoch, ("max_lr", "min_lr", *momentum_keys))
        T = self.total_steps
        # The phase ends exactly as torch computes them (floats), with their rate keys.
        ends = (
            [float(pct * T) - 1, float(2 * pct * T) - 2, T - 1]
            if three_phase
            else [float(pct * T) - 1, T - 1]
        )
        keys = (
            [("initial_lr", "max_lr"), ("max_lr", "initial_lr"), ("initial_lr", "min_lr")]
            if three_phase
            else [("initial_lr", "max_lr"), ("max_lr", "min_lr")]
        )
        moms = [("max_momentum", "base_momentum"), ("base_momentum", "max_momentum")] + [
            ("max_momentum", "max_momentum")
        ] * three_phase
        self._phases = [(end, lr, mom) for end, lr, mom in zip(ends, keys, moms, strict=True)]
        self._check_phases(pct)

        max_lrs = [
            self._positive(f"max_lr[{i}]" if isinstance(max_lr, list | tuple) else "max_lr", v)
            for i, v in enumerate(per_group("max_lr", optimizer, max_lr))
        ]
        groups = optimizer.param_groups
        if last_epoch == -1:
            for group, peak in zip(groups, max_lrs, strict=True):
                group["initial_lr"] = peak / div
                group["max_lr"] = peak
                group["min_lr"] = group["initial_lr"] / final_div
        if self.cycle_momentum:
            self.use_beta1 = "betas" in optimizer.defaults
            if not self.use_beta1 and "momentum" not in optimizer.defaults:
                raise ValueError(
                    f"cycle_momentum (=True) needs an optimizer with momentum or betas; "
                    f"{type(optimizer).__name__} has neither"
                )
            highs = self._momenta("max_momentum", optimizer, max_momentum)
            lows = self._momenta("base_momentum", optimizer, base_momentum)
            if last_epoch == -1:
                for high, low, group in zip(highs, lows, groups, strict=True):
                    if self.use_beta1:
                        group["betas"] = (high, *group["betas"][1:])
                    else:
                        group["momentum"] = high
                    group["max_momentum"], group["base_momentum"] = high, low
        super().__init__(optimizer, last_epoch)

    @staticmethod
    def _positive(name: str, value: Any) -> float:
        v = finite_real(name, value)
        if v <= 0:
            raise ValueError(f"{name} (={value!r}) must be positive (> 0)")
        return v

    def _momenta(self, name: str, optimizer: Optimizer, value: Any) -> list[float]:
        """One momentum per group; within [0, 1) for Adam's beta1, >= 0 for SGD."""
        out = []
        for i, v in enumerate(per_group(name, optimizer, value)):
            label = f"{name}[{i}]" if isinstance(value, list | tuple) else name
            m = check_nonnegative(label, v)
            if self.use_beta1 and m >= 1:
                raise ValueError(f"{label} (={v!r}) becomes betas[0]: it must be in [0, 1)")
            out.append(m)
        return out

    def _check_phases(self, pct: float) -> None:
        """Refuse the phases torch would divide by zero in, at a step the cycle reaches."""
        first_end, last_start = self._phases[0][0], self._phases[-2][0]
        if first_end == 0:  # step 0 falls in a warm-up of zero length
            raise ValueError(
                f"pct_start (={pct!r}) * total_steps (={self.total_steps}) is 1: the warm-up "
                "phase has zero length; choose another pct_start"
            )
        if self._phases[-1][0] == last_start:  # the last step falls in a final phase of zero length
            raise ValueError(
                f"pct_start (={pct!r}) leaves the final phase of {self.total_steps} steps no "
                "length; choose a smaller pct_start"
            )

    def get_lr(self) -> list[float]:
        """Return the rates of step ``last_epoch`` (with cycle_momentum, also set the momenta)."""
        step = self.last_epoch
        if step > self.total_steps:
            raise ValueError(
                f"OneCycleLR stepped {step} times; the cycle has total_steps "
                f"(={self.total_steps}) steps"
            )
        anneal = _annealing_cos if self.anneal_strategy == "cos" else _annealing_linear
        lrs = []
        for group in self.optimizer.param_groups:
            start = 0.0
            for i, (end, (lr_a, lr_b), (mom_a, mom_b)) in enumerate(self._phases):
                if step <= end or i == len(self._phases) - 1:
                    pct = (step - start) / (end - start)
                    lr = anneal(group[lr_a], group[lr_b], pct)
                    momentum = (
                        anneal(group[mom_a], group[mom_b], pct) if self.cycle_momentum else None
                    )
                    break
                start = end
            lrs.append(lr)
            if momentum is not None:
                if self.use_beta1:
                    group["betas"] = (momentum, *group["betas"][1:])
                else:
                    group["momentum"] = momentum
        return lrs
