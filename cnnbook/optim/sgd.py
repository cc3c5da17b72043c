r"""Stochastic gradient descent with momentum, dampening, Nesterov, as ``torch.optim.SGD``."""

from __future__ import annotations

from typing import Any

import numpy as np

from cnnbook._validation import boolean
from cnnbook.nn.module import Parameter
from cnnbook.optim.optimizer import (
    Optimizer,
    ParamsT,
    check_lr,
    check_nonnegative,
    check_unit,
    group_key,
)

__all__ = ["SGD"]


class SGD(Optimizer):
    r"""Stochastic gradient descent, with torch's signature, defaults and exact update rule.

    Parameters
    ----------
    params : iterable of Parameter or of parameter-group dicts
    lr : float, default 1e-3
        Learning rate $\eta > 0$ (a scheduler may later lower it to 0).
    momentum : float, default 0
        Momentum factor $\mu \ge 0$.
    dampening : float, default 0
        Dampening $\tau \in [0, 1]$ of the momentum.
    weight_decay : float, default 0
        L2 penalty $\lambda \ge 0$ added to the gradient.
    nesterov : bool, default False
        Nesterov momentum (needs $\mu > 0$ and $\tau = 0$).
    maximize : bool, default False (keyword only)
        Ascend the objective instead of descending it.

    Raises
    ------
    ValueError
        A non-positive `lr`; a negative `momentum` or `weight_decay`; a `dampening`
        outside [0, 1]; an infinite or NaN value; `nesterov` without momentum or with
        dampening. The same checks run again at every `step`, on each group.
    TypeError
        A hyper-parameter that is not a real number; a flag that is not a bool.

    Notes
    -----
    For each parameter $\theta$ with gradient $g$, as in ``torch.optim.SGD``:
    $g \leftarrow -g$ if maximising; $g \leftarrow g + \lambda\theta$; with momentum,
    the buffer is $b \leftarrow g$ at the first step and
    $b \leftarrow \mu b + (1-\tau) g$ after; then $g \leftarrow g + \mu b$ (Nesterov)
    or $g \leftarrow b$; finally $\theta \leftarrow \theta - \eta g$.

    Examples
    --------
    >>> from cnnbook.nn import Parameter
    >>> p = Parameter(np.array([1.0]))
    >>> opt = SGD([p], lr=0.1, momentum=0.9)
    >>> for _ in range(2):
    ...     p.grad = np.array([1.0]); opt.step()
    >>> p.data  # 1 - 0.1 * 1 - 0.1 * (0.9 + 1)
    array([0.71])
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-3,
        momentum: float = 0.0,
        dampening: float = 0.0,
        weight_decay: float = 0.0,
        nesterov: bool = False,
        *,
        maximize: bool = False,
    ) -> None:
        defaults = {
            "lr": lr,
            "momentum": momentum,
            "dampening": dampening,
            "weight_decay": weight_decay,
            "nesterov": nesterov,
            "maximize": maximize,
        }
        super().__init__(params, defaults)

    def _check_group(self, group: dict[str, Any], where: str, *, at_step: bool) -> None:
        def name(key: str) -> str:
            return group_key(where, key)

        check_lr(name("lr"), group["lr"], at_step=at_step)
        mu = check_nonnegative(name("momentum"), group["momentum"])
        damp = check_unit(name("dampening"), group["dampening"], closed=True)
        check_nonnegative(name("weight_decay"), group["weight_decay"])
        boolean(name("maximize"), group["maximize"])
        if boolean(name("nesterov"), group["nesterov"]) and (mu <= 0 or damp != 0):
            raise ValueError(
                f"{name('nesterov')} (=True) needs momentum > 0 and dampening == 0; got "
                f"momentum={group['momentum']!r}, dampening={group['dampening']!r}"
            )

    def _update(self, p: Parameter, grad: np.ndarray, group: dict[str, Any]) -> None:
        lr, mu, wd = group["lr"], group["momentum"], group["weight_decay"]
        damp, nesterov = group["dampening"], group["nesterov"]
        # Every branch makes a new array before modifying: the caller's .grad stays intact.
        d_p = -grad if group["maximize"] else grad
        if wd != 0:
            d_p = d_p + wd * p.data
        if mu != 0:
            state = self.state.setdefault(p, {})
            buf = state.get("momentum_buffer")
            if buf is None:
                buf = state["momentum_buffer"] = np.array(d_p, dtype=p.data.dtype)
            else:
                buf *= mu
                buf += d_p if damp == 0 else (1 - damp) * d_p
            d_p = d_p + mu * buf if nesterov else buf
        p.data -= lr * d_p
