r"""Adam: per-parameter step sizes from running moment estimates, as ``torch.optim.Adam``."""

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

__all__ = ["Adam"]


def _lerp_(start: np.ndarray, end: np.ndarray, weight: float, tmp: np.ndarray) -> None:
    """``start.lerp_(end, weight)`` in place, with torch's two formulas (by ``|weight| < 0.5``)."""
    np.subtract(end, start, out=tmp)
    if abs(weight) < 0.5:
        tmp *= weight
        start += tmp
    else:
        tmp *= 1 - weight
        np.subtract(end, tmp, out=start)


class Adam(Optimizer):
    r"""Adam with torch's signature, defaults and exact update rule (bias corrections, eps).

    Parameters
    ----------
    params : iterable of Parameter or of parameter-group dicts
    lr : float, default 1e-3
        Learning rate $\eta > 0$ (a scheduler may later lower it to 0).
    betas : pair of float, default (0.9, 0.999)
        Decay rates $\beta_1, \beta_2 \in [0, 1)$ of the first and second moments.
    eps : float, default 1e-8
        $\epsilon \ge 0$ added to the denominator *after* its bias correction.
    weight_decay : float, default 0
        $\lambda \ge 0$: an L2 penalty added to the gradient, or with
        `decoupled_weight_decay` a shrinking of the weights (that is `AdamW`).
    amsgrad : bool, default False
        Divide by the running *maximum* of the second moment (Reddi et al., 2018).
    maximize : bool, default False (keyword only)
        Ascend the objective instead of descending it.
    decoupled_weight_decay : bool, default False (keyword only)
        Decay the weights directly, $\theta \leftarrow \theta(1 - \eta\lambda)$, as `AdamW`.

    Raises
    ------
    ValueError
        A non-positive `lr`, a negative `eps` or `weight_decay`, a beta outside [0, 1),
        an infinite or NaN value. The same checks run again at every `step`.
    TypeError
        A hyper-parameter that is not a real number, `betas` not a pair, a flag not a bool.

    Notes
    -----
    At step $t$, with $g \leftarrow -g$ if maximising and $g \leftarrow g + \lambda\theta$
    (or $\theta \leftarrow \theta(1-\eta\lambda)$ when decoupled):
    $m \leftarrow m + (1-\beta_1)(g - m)$, $v \leftarrow \beta_2 v + (1-\beta_2) g^2$,
    $\hat v = \max(\hat v, v)$ with `amsgrad` (else $\hat v = v$), and

    $$\theta \leftarrow \theta - \frac{\eta}{1-\beta_1^t}\,
    \frac{m}{\sqrt{\hat v}/\sqrt{1-\beta_2^t} + \epsilon}.$$

    Examples
    --------
    >>> from cnnbook.nn import Parameter
    >>> p = Parameter(np.array([1.0, -1.0]))
    >>> opt = Adam([p], lr=0.1)
    >>> p.grad = np.array([0.5, -2.0]); opt.step()
    >>> p.data  # the first step moves every coordinate by about lr against its gradient
    array([ 0.9, -0.9])
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        amsgrad: bool = False,
        *,
        maximize: bool = False,
        decoupled_weight_decay: bool = False,
    ) -> None:
        defaults = {
            "lr": lr,
            "betas": betas,
            "eps": eps,
            "weight_decay": weight_decay,
            "amsgrad": amsgrad,
            "maximize": maximize,
            "decoupled_weight_decay": decoupled_weight_decay,
        }
        super().__init__(params, defaults)

    def _check_group(self, group: dict[str, Any], where: str, *, at_step: bool) -> None:
        def name(key: str) -> str:
            return group_key(where, key)

        check_lr(name("lr"), group["lr"], at_step=at_step)
        check_nonnegative(name("eps"), group["eps"])
        check_nonnegative(name("weight_decay"), group["weight_decay"])
        betas = group["betas"]
        if not isinstance(betas, tuple | list) or len(betas) != 2:
            raise TypeError(f"{name('betas')} (={betas!r}) must be a pair of floats")
        check_unit(f"{name('betas')}[0]", betas[0], closed=False)
        check_unit(f"{name('betas')}[1]", betas[1], closed=False)
        for flag in ("amsgrad", "maximize", "decoupled_weight_decay"):
            boolean(name(flag), group[flag])

    def _update(self, p: Parameter, grad: np.ndarray, group: dict[str, Any]) -> None:
        lr, eps, wd = group["lr"], group["eps"], group["weight_decay"]
        beta1, beta2 = group["betas"]
        if group["maximize"]:
            grad = -grad
        state = self.state.get(p)
        if state is None:
            state = self.state[p] = {
                "step": 0,
                "exp_avg": np.zeros_like(p.data),
                "exp_avg_sq": np.zeros_like(p.data),
                "scratch": np.empty_like(p.data),
            }
            if group["amsgrad"]:
                state["max_exp_avg_sq"] = np.zeros_like(p.data)
        state["step"] += 1
        t = state["step"]
        if wd != 0:
            if group["decoupled_weight_decay"]:
                p.data *= 1 - lr * wd
            else:
                grad = grad + wd * p.data  # a new array: the caller's .grad stays intact
        m, v, tmp = state["exp_avg"], state["exp_avg_sq"], state["scratch"]
        _lerp_(m, grad, 1 - beta1, tmp)
        v *= beta2
        np.multiply(grad, grad, out=tmp)
        tmp *= 1 - beta2
        v += tmp
        if group["amsgrad"]:
            # A group switched to amsgrad after its first step starts its maximum from zero.
            v_max = state.setdefault("max_exp_avg_sq", np.zeros_like(p.data))
            np.maximum(v_max, v, out=v_max)
            v = v_max
        step_size = lr / (1 - beta1**t)
        np.sqrt(v, out=tmp)
        tmp /= (1 - beta2**t) ** 0.5
        tmp += eps
        np.divide(m, tmp, out=tmp)
        tmp *= -step_size
        p.data += tmp
