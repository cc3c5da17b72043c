"""The optimizer protocol shared by `SGD` and `Adam`: parameter groups, state, `zero_grad`.

As in ``torch.optim``, an optimizer holds ``param_groups`` (a list of dicts,
each with its ``"params"`` and hyper-parameters, so ``group["lr"]`` can be
changed between steps), per-parameter ``state`` (momentum buffers, moment
estimates), and skips parameters whose ``.grad`` is None. Updates are in place
on ``Parameter.data``, so the model sees them without copying.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable
from typing import Any

from cnnbook.nn.module import Parameter

__all__ = ["Optimizer"]

ParamsT = Iterable[Parameter] | Iterable[dict[str, Any]]


def check_hyperparameter(name: str, value: Any, rule: str) -> float:
    """Return `value` as a float if it satisfies `rule` (``">0"``, ``">=0"``, ``"[0,1)"``)."""
    if not isinstance(value, numbers.Real) or isinstance(value, bool):
        raise TypeError(f"{name} (={value!r}) must be a real number")
    v = float(value)
    ok = {">0": v > 0, ">=0": v >= 0, "[0,1)": 0 <= v < 1}[rule]
    if not ok:
        text = {">0": "positive (> 0)", ">=0": "non-negative (>= 0)", "[0,1)": "in [0, 1)"}[rule]
        raise ValueError(f"{name} (={value!r}) must be {text}")
    return v


class Optimizer:
    """Base class: holds the parameter groups and the per-parameter state.

    Parameters
    ----------
    params : iterable of Parameter, or of dicts with a ``"params"`` key
        What to optimise (e.g. ``model.parameters()``); dicts form groups whose
        other keys override `defaults`.
    defaults : dict
        Hyper-parameters of every group.

    Raises
    ------
    ValueError
        If `params` is empty.
    TypeError
        If an item is not a `Parameter`.
    """

    def __init__(self, params: ParamsT, defaults: dict[str, Any]) -> None:
        self.defaults = dict(defaults)
        self.state: dict[Parameter, dict[str, Any]] = {}
        self.param_groups: list[dict[str, Any]] = []
        items = list(params)
        if not items:
            raise ValueError(f"{type(self).__name__} got an empty parameter list")
        groups = items if isinstance(items[0], dict) else [{"params": items}]
        for group in groups:
            self.add_param_group(group)  # type: ignore[arg-type]

    def add_param_group(self, group: dict[str, Any]) -> None:
        """Add a group ``{"params": [...], **hyper-parameters}`` (missing keys from defaults)."""
        if not isinstance(group, dict) or "params" not in group:
            raise TypeError("a parameter group must be a dict with a 'params' key")
        params = list(group["params"])
        for p in params:
            if not isinstance(p, Parameter):
                raise TypeError(
                    f"{type(self).__name__} optimises cnnbook.nn.Parameter objects; "
                    f"got {type(p).__name__}"
                )
        seen = {id(p) for g in self.param_groups for p in g["params"]}
        if any(id(p) in seen for p in params):
            raise ValueError("some parameters appear in more than one parameter group")
        full = {**self.defaults, **group, "params": params}
        self._check_group(full)
        self.param_groups.append(full)

    def _check_group(self, group: dict[str, Any]) -> None:
        """Validate a group's hyper-parameters (subclasses raise ValueError naming the bad one)."""

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Forget the gradient of every optimised parameter."""
        for group in self.param_groups:
            for p in group["params"]:
                p.zero_grad(set_to_none)

    def step(self) -> None:
        """Update every parameter that has a gradient."""
        raise NotImplementedError

    def __repr__(self) -> str:
        lines = [f"{type(self).__name__} ("]
        for i, group in enumerate(self.param_groups):
            lines.append(f"Parameter Group {i}")
            lines += [f"    {k}: {v}" for k, v in sorted(group.items()) if k != "params"]
        lines.append(")")
        return "\n".join(lines)
