r"""AdamW: Adam with decoupled weight decay (Loshchilov & Hutter, 2019), as torch's AdamW."""

from __future__ import annotations

from cnnbook.optim.adam import Adam
from cnnbook.optim.optimizer import ParamsT

__all__ = ["AdamW"]


class AdamW(Adam):
    r"""Adam whose weight decay shrinks the weights directly instead of entering the moments.

    Parameters
    ----------
    params : iterable of Parameter or of parameter-group dicts
    lr : float, default 1e-3
        Learning rate $\eta > 0$.
    betas : pair of float, default (0.9, 0.999)
        Decay rates $\beta_1, \beta_2 \in [0, 1)$ of the first and second moments.
    eps : float, default 1e-8
        $\epsilon \ge 0$ added to the denominator after its bias correction.
    weight_decay : float, default 1e-2
        $\lambda \ge 0$: each step first multiplies the weights by $1 - \eta\lambda$.
    amsgrad : bool, default False
        Divide by the running maximum of the second moment.
    maximize : bool, default False (keyword only)
        Ascend the objective instead of descending it.

    Raises
    ------
    ValueError, TypeError
        As `Adam`.

    Notes
    -----
    With Adam's L2 penalty, $\lambda\theta$ is added to the gradient and then divided
    by $\sqrt{\hat v}$: weights with large gradients are barely decayed. AdamW applies
    $\theta \leftarrow \theta(1-\eta\lambda)$ before the Adam step, the same shrinkage
    for every weight, then the Adam step on the raw gradient.

    Examples
    --------
    >>> from cnnbook.nn import Parameter
    >>> p = Parameter(np.array([2.0]))
    >>> opt = AdamW([p], lr=0.1, weight_decay=0.5)
    >>> p.grad = np.array([0.0]); opt.step()
    >>> p.data  # a zero gradient: only the decay, 2 * (1 - 0.1 * 0.5)
    array([1.9])
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 1e-2,
        amsgrad: bool = False,
        *,
        maximize: bool = False,
    ) -> None:
        super().__init__(
            params,
            lr,
            betas,
            eps,
            weight_decay,
            amsgrad,
            maximize=maximize,
            decoupled_weight_decay=True,
        )
