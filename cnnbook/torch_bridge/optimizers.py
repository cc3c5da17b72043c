"""cnnbook's optimizers ↔ ``torch.optim``: same class, same groups and hyper-parameters."""

from __future__ import annotations

from typing import Any

import torch

from cnnbook import nn, optim

__all__ = ["OPTIMIZERS", "optimizer_to_torch"]

# name → (cnnbook class, torch class); the names parity_report accepts.
OPTIMIZERS: dict[str, tuple[type[optim.Optimizer], Any]] = {
    "sgd": (optim.SGD, torch.optim.SGD),
    "adam": (optim.Adam, torch.optim.Adam),
    "adamw": (optim.AdamW, torch.optim.AdamW),
}


def optimizer_to_torch(
    optimizer: optim.Optimizer, model: nn.Module, tmodel: torch.nn.Module
) -> torch.optim.Optimizer:
    """Build the torch optimizer that `optimizer` is, over `tmodel`'s parameters.

    Every parameter group keeps its hyper-parameters (``lr``, ``momentum``,
    ``betas``, ``amsgrad``, ``maximize``, ``decoupled_weight_decay``, ...); each
    cnnbook parameter is matched to the torch parameter of the same name
    (`tmodel` is ``to_torch(model)``).

    Parameters
    ----------
    optimizer : cnnbook.optim.SGD, Adam or AdamW
        Not yet stepped (its state, e.g. momentum buffers, is not carried over).
    model : cnnbook.nn.Module
        The model whose parameters `optimizer` updates.
    tmodel : torch.nn.Module
        Its torch twin.

    Raises
    ------
    TypeError
        For an optimizer without a torch twin, or a parameter not in `model`.
    ValueError
        If the optimizer has already taken a step (it has state).

    Examples
    --------
    >>> from cnnbook import nn, optim
    >>> from cnnbook.torch_bridge import to_torch
    >>> model = nn.Sequential(nn.Linear(3, 2, rng=np.random.default_rng(0)))
    >>> opt = optim.AdamW(model.parameters(), lr=0.01, amsgrad=True)
    >>> topt = optimizer_to_torch(opt, model, to_torch(model))
    >>> type(topt).__name__, topt.param_groups[0]["amsgrad"], topt.param_groups[0]["lr"]
    ('AdamW', True, 0.01)
    """
    classes = {ours: theirs for ours, theirs in OPTIMIZERS.values()}
    t_cls = classes.get(type(optimizer))
    if t_cls is None:
        raise TypeError(
            f"optimizer_to_torch cannot convert {type(optimizer).__name__}; it knows "
            f"{', '.join(c.__name__ for c in classes)}"
        )
    if optimizer.state:
        raise ValueError(
            f"optimizer ({type(optimizer).__name__}) has already stepped: its state is not "
            "carried over to torch; convert it before the first step"
        )
    names = {id(p): name for name, p in model.named_parameters()}
    tparams = dict(tmodel.named_parameters())
    groups: list[dict[str, Any]] = []
    for i, group in enumerate(optimizer.param_groups):
        params = []
        for j, p in enumerate(group["params"]):
            if id(p) not in names:
                raise TypeError(
                    f"optimizer.param_groups[{i}]['params'][{j}] is not a parameter of model"
                )
            params.append(tparams[names[id(p)]])
        groups.append({**{k: v for k, v in group.items() if k != "params"}, "params": params})
    return t_cls(groups)
