r"""Adam: per-parameter step sizes from running moment estimates, as ``torch.optim.Adam``."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from cnnbook.optim.optimizer import Optimizer, ParamsT, check_hyperparameter

__all__ = ["Adam"]


class Adam(Optimizer):
    r"""Adam with torch's exact update rule (bias corrections, placement of eps).

    Parameters
    ----------
    params : iterable of Parameter or of parameter-group dicts
    lr : float, default 1e-3
        Learning rate $\eta > 0$.
    betas : pair of float, default (0.9, 0.999)
        Decay rates $\beta_1, \beta_2 \in [0, 1)$ of the first and second moments.
    eps : float, default 1e-8
        $\epsilon \ge 0$ added to the denominator *after* its bias correction.
    weight_decay : float, default 0
        L2 penalty $\lambda \ge 0$ added to the gradient (Adam, not AdamW).

    Raises
    ------
    ValueError
        A non-positive `lr`, a negative `eps` or `weight_decay`, or a beta outside [0, 1).

    Notes
    -----
    At step $t$, with $g \leftarrow g + \lambda\theta$:
    $m \leftarrow m + (1-\beta_1)(g - m)$, $v \leftarrow \beta_2 v + (1-\beta_2) g^2$,

    $$\theta \leftarrow \theta - \frac{\eta}{1-\beta_1^t}\,
    \frac{m}{\sqrt{v}/\sqrt{1-\beta_2^t} + \epsilon}.$$

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
    ) -> None:
        defaults = {"lr": lr, "betas": betas, "eps": eps, "weight_decay": weight_decay}
        super().__init__(params, defaults)

    def _check_group(self, group: dict[str, Any]) -> None:
        check_hyperparameter("lr", group["lr"], ">0")
        check_hyperparameter("eps", group["eps"], ">=0")
        check_hyperparameter("weight_decay", group["weight_decay"], ">=0")
        betas = group["betas"]
        if not isinstance(betas, tuple | list) or len(betas) != 2:
            raise TypeError(f"betas (={betas!r}) must be a pair of floats")
        check_hyperparameter("betas[0]", betas[0], "[0,1)")
        check_hyperparameter("betas[1]", betas[1], "[0,1)")

    def step(self) -> None:
        """Apply one update to every parameter whose ``.grad`` is set."""
        for group in self.param_groups:
            lr, eps, wd = group["lr"], group["eps"], group["weight_decay"]
            beta1, beta2 = group["betas"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                grad = p.grad
                if wd != 0:
                    grad = p.data * wd
                    grad += p.grad
                state = self.state.get(p)
                if state is None:
                    state = self.state[p] = {
                        "step": 0,
                        "exp_avg": np.zeros_like(p.data),
                        "exp_avg_sq": np.zeros_like(p.data),
                        "scratch": np.empty_like(p.data),
                    }
                state["step"] += 1
                t = state["step"]
                m, v, tmp = state["exp_avg"], state["exp_avg_sq"], state["scratch"]
                # m.lerp_(g, 1 - beta1), written as torch's lerp computes it for weights < 0.5.
                np.subtract(grad, m, out=tmp)
                tmp *= 1 - beta1
                m += tmp
                v *= beta2
                np.multiply(grad, grad, out=tmp)
                tmp *= 1 - beta2
                v += tmp
                step_size = lr / (1 - beta1**t)
                np.sqrt(v, out=tmp)
                tmp /= math.sqrt(1 - beta2**t)
                tmp += eps
                np.divide(m, tmp, out=tmp)
                tmp *= -step_size
                p.data += tmp
