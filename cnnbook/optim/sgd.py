r"""Stochastic gradient descent with momentum, weight decay and Nesterov, as ``torch.optim.SGD``."""

from __future__ import annotations

from typing import Any

from cnnbook.optim.optimizer import Optimizer, ParamsT, check_hyperparameter

__all__ = ["SGD"]


class SGD(Optimizer):
    r"""Stochastic gradient descent, with torch's exact update rule.

    Parameters
    ----------
    params : iterable of Parameter or of parameter-group dicts
    lr : float
        Learning rate, $> 0$.
    momentum : float, default 0
        Momentum factor $\mu \ge 0$.
    weight_decay : float, default 0
        L2 penalty $\lambda \ge 0$ added to the gradient.
    nesterov : bool, default False
        Nesterov momentum (needs $\mu > 0$ and no dampening).
    dampening : float, default 0
        Dampening $\tau$ of the momentum (keyword only; torch's default 0).

    Raises
    ------
    ValueError
        A non-positive `lr`, a negative `momentum`, `weight_decay` or `dampening`,
        or `nesterov` without momentum / with dampening.

    Notes
    -----
    For each parameter $\theta$ with gradient $g$, as in ``torch.optim.SGD``:
    $g \leftarrow g + \lambda\theta$; with momentum, the buffer is
    $b \leftarrow g$ at the first step and $b \leftarrow \mu b + (1-\tau) g$ after;
    then $g \leftarrow g + \mu b$ (Nesterov) or $g \leftarrow b$; finally
    $\theta \leftarrow \theta - \eta g$.

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
        lr: float,
        momentum: float = 0.0,
        weight_decay: float = 0.0,
        nesterov: bool = False,
        *,
        dampening: float = 0.0,
    ) -> None:
        defaults = {
            "lr": lr,
            "momentum": momentum,
            "dampening": dampening,
            "weight_decay": weight_decay,
            "nesterov": nesterov,
        }
        super().__init__(params, defaults)

    def _check_group(self, group: dict[str, Any]) -> None:
        check_hyperparameter("lr", group["lr"], ">0")
        check_hyperparameter("momentum", group["momentum"], ">=0")
        check_hyperparameter("dampening", group["dampening"], ">=0")
        check_hyperparameter("weight_decay", group["weight_decay"], ">=0")
        if group["nesterov"] and (group["momentum"] <= 0 or group["dampening"] != 0):
            raise ValueError(
                f"nesterov (=True) needs momentum > 0 and dampening == 0; got "
                f"momentum={group['momentum']!r}, dampening={group['dampening']!r}"
            )

    def step(self) -> None:
        """Apply one update to every parameter whose ``.grad`` is set."""
        for group in self.param_groups:
            lr, mu = group["lr"], group["momentum"]
            wd, damp, nesterov = group["weight_decay"], group["dampening"], group["nesterov"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                d_p = p.grad
                if wd != 0:
                    d_p = p.data * wd
                    d_p += p.grad
                if mu != 0:
                    state = self.state.setdefault(p, {})
                    buf = state.get("momentum_buffer")
                    if buf is None:
                        buf = state["momentum_buffer"] = d_p.copy()
                    else:
                        buf *= mu
                        if damp == 0:
                            buf += d_p
                        else:
                            buf += (1 - damp) * d_p
                    if nesterov:
                        # d_p may be p.grad itself: make a new array, never modify the gradient.
                        d_p = d_p + mu * buf
                    else:
                        d_p = buf
                p.data -= lr * d_p
