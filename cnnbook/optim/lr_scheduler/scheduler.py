"""The scheduler protocol of ``torch.optim.lr_scheduler``: base rates, `step`, `get_last_lr`.

A scheduler owns the ``"lr"`` of its optimizer's parameter groups. Built, it
records each group's ``"initial_lr"`` (the base rate) and takes its first step
(epoch 0); each later `step` advances ``last_epoch`` by one and writes the new
rates into ``param_groups``. Like torch, `get_lr` is the *chainable* form: it
updates the rates the groups hold now (so two schedulers may drive one
optimizer, and a rate changed by hand is carried along), while
``step(epoch)`` uses the closed form from the base rates.
"""

from __future__ import annotations

import numbers
import warnings
from typing import Any

from cnnbook.optim.optimizer import Optimizer

__all__ = ["LRScheduler"]


def check_epoch(name: str, value: Any, minimum: int) -> int:
    """Return `value` as an int ``>= minimum`` (bools and floats refused)."""
    if not isinstance(value, numbers.Integral) or isinstance(value, bool):
        raise TypeError(f"{name} (={value!r}) must be an int")
    if value < minimum:
        raise ValueError(f"{name} (={value!r}) must be >= {minimum}")
    return int(value)


def check_optimizer(optimizer: Any) -> None:
    """Refuse anything but a `cnnbook.optim` optimizer (None, a torch optimizer, a model...)."""
    if not isinstance(optimizer, Optimizer):
        raise TypeError(
            f"optimizer (={optimizer!r}) must be a cnnbook.optim optimizer "
            f"(SGD, Adam, AdamW); got {type(optimizer).__name__}"
        )


def check_resumable(optimizer: Optimizer, last_epoch: int, keys: tuple[str, ...]) -> None:
    """Resuming (``last_epoch >= 0``) needs the keys a scheduler stored in every group."""
    for i, group in enumerate(optimizer.param_groups):
        missing = [key for key in keys if key not in group]
        if missing:
            raise ValueError(
                f"optimizer.param_groups[{i}] has no {missing[0]!r}, needed to resume with "
                f"last_epoch (={last_epoch}) >= 0: resume the optimizer of a scheduled run, "
                "or start with last_epoch=-1"
            )


def per_group(name: str, optimizer: Optimizer, value: Any) -> list[Any]:
    """One value per parameter group: a list/tuple of the groups' length, or one value for all."""
    if isinstance(value, list | tuple):
        if len(value) != len(optimizer.param_groups):
            raise ValueError(
                f"{name} has {len(value)} values; expected one per parameter group "
                f"({len(optimizer.param_groups)})"
            )
        return list(value)
    return [value] * len(optimizer.param_groups)


class LRScheduler:
    """Base class of the learning-rate schedulers (torch's ``LRScheduler``).

    Parameters
    ----------
    optimizer : Optimizer
        Whose ``param_groups[i]["lr"]`` the scheduler sets.
    last_epoch : int, default -1
        Index of the last epoch seen; -1 starts a new schedule. A value ``>= 0``
        resumes one and needs ``"initial_lr"`` in every group.

    Attributes
    ----------
    base_lrs : list of float
        Each group's ``"initial_lr"``.
    last_epoch : int
        Number of `step` calls since the schedule started (0 after construction).

    Raises
    ------
    TypeError
        If `optimizer` is not a `cnnbook.optim.Optimizer`, or `last_epoch` not an int.
    ValueError
        If `last_epoch` < -1, or resuming without ``"initial_lr"`` in a group.

    Examples
    --------
    >>> from cnnbook.nn import Parameter
    >>> from cnnbook.optim import SGD
    >>> from cnnbook.optim.lr_scheduler import StepLR
    >>> opt = SGD([Parameter(np.zeros(1))], lr=1.0)
    >>> scheduler = StepLR(opt, step_size=2, gamma=0.5)
    >>> rates = []
    >>> for epoch in range(5):
    ...     rates.append(scheduler.get_last_lr()[0])
    ...     opt.step()  # train one epoch (here: no gradient, so nothing moves)
    ...     scheduler.step()
    >>> rates
    [1.0, 1.0, 0.5, 0.5, 0.25]
    """

    def __init__(self, optimizer: Optimizer, last_epoch: int = -1) -> None:
        check_optimizer(optimizer)
        last_epoch = check_epoch("last_epoch", last_epoch, -1)
        self.optimizer = optimizer
        if last_epoch == -1:
            for group in optimizer.param_groups:
                group.setdefault("initial_lr", group["lr"])
        else:
            check_resumable(optimizer, last_epoch, ("initial_lr",))
        self.base_lrs: list[float] = [group["initial_lr"] for group in optimizer.param_groups]
        self.last_epoch = last_epoch
        self._step_count = 0
        self._is_initial = True
        self.step()
        self._is_initial = False

    def get_lr(self) -> list[float]:
        """Return the rates of ``last_epoch``, computed from the groups' current rates."""
        raise NotImplementedError

    def get_last_lr(self) -> list[float]:
        """Return the rates the scheduler last set, one per parameter group (a new list)."""
        return list(self._last_lr)

    def step(self, epoch: int | None = None) -> None:
        """Advance one epoch and set every group's ``"lr"``.

        Call it after the optimizer's `step` (a warning says so otherwise, as torch's).
        `epoch` (deprecated in torch, warns likewise) jumps to that epoch and uses the
        closed form where the scheduler has one.
        """
        if epoch is not None:
            epoch = check_epoch("epoch", epoch, 0)
        if self._step_count == 1 and not self.optimizer._opt_called:
            warnings.warn(
                "Detected call of `lr_scheduler.step()` before `optimizer.step()`: call them "
                "in the opposite order, or the first value of the schedule is skipped",
                UserWarning,
                stacklevel=2,
            )
        self._step_count += 1
        if epoch is None:
            self.last_epoch += 1
            values = self.get_lr()
        else:
            warnings.warn(
                "passing an epoch to step() is deprecated (as in torch): call step() once "
                "per epoch instead",
                UserWarning,
                stacklevel=2,
            )
            self.last_epoch = epoch
            closed = getattr(self, "_get_closed_form_lr", None)
            values = closed() if closed is not None else self.get_lr()
        for group, lr in zip(self.optimizer.param_groups, values, strict=True):
            group["lr"] = lr
        self._last_lr = [group["lr"] for group in self.optimizer.param_groups]

    def state_dict(self) -> dict[str, Any]:
        """Everything the scheduler holds except its optimizer (to save with a checkpoint)."""
        return {key: value for key, value in self.__dict__.items() if key != "optimizer"}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore what `state_dict` returned."""
        if not isinstance(state_dict, dict):
            raise TypeError(f"state_dict (={state_dict!r}) must be a dict from state_dict()")
        self.__dict__.update(state_dict)
