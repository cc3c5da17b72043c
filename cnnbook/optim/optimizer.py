"""The optimizer protocol shared by `SGD`, `Adam` and `AdamW`: parameter groups, state, checks.

As in ``torch.optim``, an optimizer holds ``param_groups`` (a list of dicts,
each with its ``"params"`` and hyper-parameters, so ``group["lr"]`` can be
changed between steps, by hand or by a scheduler of `cnnbook.optim.lr_scheduler`),
per-parameter ``state`` (momentum buffers, moment estimates), and skips
parameters whose ``.grad`` is None. Updates are in place on ``Parameter.data``,
so the model sees them without copying.

Every `step` first checks every group's hyper-parameters (they may have been
edited since construction) and every gradient's shape, and only then updates
anything: a bad value raises before a single parameter has moved.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from cnnbook._validation import boolean, finite_real
from cnnbook.nn.module import Parameter

__all__ = ["Optimizer"]

ParamsT = Iterable[Parameter] | Iterable[dict[str, Any]]


def group_key(where: str, key: str) -> str:
    """Name a hyper-parameter: ``"lr"`` as given, ``"param_groups[0]['lr']"`` at step time."""
    return f"{where}[{key!r}]" if where else key


def check_lr(name: str, value: Any, *, at_step: bool) -> float:
    """Check a learning rate: finite; ``> 0`` when given, ``>= 0`` at step time.

    A schedule may legitimately anneal the rate to 0 (``CosineAnnealingLR`` with
    ``eta_min=0``), so a step accepts 0; a constructor refuses it, since an
    optimizer built with ``lr=0`` would never move a parameter.
    """
    v = finite_real(name, value)
    if at_step and v < 0:
        raise ValueError(f"{name} (={value!r}) must be non-negative (>= 0)")
    if not at_step and v <= 0:
        raise ValueError(f"{name} (={value!r}) must be positive (> 0)")
    return v


def check_nonnegative(name: str, value: Any) -> float:
    """Check a finite real ``>= 0`` (momentum, weight decay, eps)."""
    v = finite_real(name, value)
    if v < 0:
        raise ValueError(f"{name} (={value!r}) must be non-negative (>= 0)")
    return v


def check_unit(name: str, value: Any, *, closed: bool) -> float:
    """Check a finite real in ``[0, 1]`` (`closed`) or ``[0, 1)`` (a decay rate such as a beta)."""
    v = finite_real(name, value)
    if not (0 <= v <= 1 if closed else 0 <= v < 1):
        raise ValueError(f"{name} (={value!r}) must be in [0, 1{']' if closed else ')'}")
    return v


def _as_list(name: str, params: Any) -> list[Any]:
    """Return an iterable of parameters (or of groups) as a list; refuse what is not one."""
    if isinstance(params, set | frozenset):
        raise TypeError(
            f"{name} is a set; pass a list (a set's order changes between runs, "
            "and the order of the parameters defines the state)"
        )
    if (
        params is None
        or isinstance(params, str | bytes | dict | np.ndarray | Parameter)
        or not isinstance(params, Iterable)
    ):
        raise TypeError(
            f"{name} (={params!r}) must be an iterable of cnnbook.nn.Parameter "
            "(e.g. model.parameters() or [p]) or of parameter-group dicts"
        )
    return list(params)


def _check_params(owner: str, name: str, params: Any) -> list[Parameter]:
    """Return `params` as a list of distinct floating-point `Parameter` objects."""
    out = [params] if isinstance(params, Parameter) else _as_list(name, params)
    seen: dict[int, int] = {}
    for i, p in enumerate(out):
        if not isinstance(p, Parameter):
            raise TypeError(
                f"{owner} optimises cnnbook.nn.Parameter objects; got {type(p).__name__} "
                f"at {name}[{i}]"
            )
        if not np.issubdtype(p.data.dtype, np.floating):
            raise TypeError(
                f"{name}[{i}] has dtype {p.data.dtype}; an optimizer updates floating-point "
                "parameters only"
            )
        if id(p) in seen:
            raise ValueError(
                f"{name} lists the same parameter twice (at {seen[id(p)]} and {i}); it would be "
                "updated twice per step: each parameter may appear once (duplicate parameters)"
            )
        seen[id(p)] = i
    return out


class Optimizer:
    """Base class: holds the parameter groups and the per-parameter state.

    Parameters
    ----------
    params : iterable of Parameter, or of dicts with a ``"params"`` key
        What to optimise (e.g. ``model.parameters()``); dicts form groups whose
        other keys override `defaults`. Each parameter may appear once.
    defaults : dict
        Hyper-parameters of every group.

    Raises
    ------
    ValueError
        If `params` is empty, or lists a parameter twice (in one group or in two).
    TypeError
        If `params` is not an iterable (e.g. None, a single array, a set), or an item
        is not a floating-point `Parameter`.

    Examples
    --------
    >>> from cnnbook.nn import Parameter
    >>> from cnnbook.optim import SGD
    >>> a, b = Parameter(np.zeros(2)), Parameter(np.zeros(3))
    >>> opt = SGD([{"params": [a]}, {"params": [b], "lr": 0.5}], lr=0.1)
    >>> [group["lr"] for group in opt.param_groups]
    [0.1, 0.5]
    """

    def __init__(self, params: ParamsT, defaults: dict[str, Any]) -> None:
        self.defaults = dict(defaults)
        self.state: dict[Parameter, dict[str, Any]] = {}
        self.param_groups: list[dict[str, Any]] = []
        # Set by the first `step`: a scheduler warns when it is stepped before the optimizer.
        self._opt_called = False
        self._checked: dict[int, tuple[Any, ...]] = {}  # group index -> values last checked
        items = _as_list("params", params)
        if not items:
            raise ValueError(f"{type(self).__name__} got an empty parameter list")
        kinds = {isinstance(item, dict) for item in items}
        if kinds == {True, False}:
            raise TypeError(
                "params mixes parameter-group dicts and parameters; use one or the other"
            )
        groups = items if kinds == {True} else [{"params": items}]
        for group in groups:
            self.add_param_group(group)

    def add_param_group(self, param_group: dict[str, Any]) -> None:
        """Add a group ``{"params": [...], **hyper-parameters}`` (missing keys from defaults).

        Raises
        ------
        TypeError
            If `param_group` is not a dict or holds something other than `Parameter` objects.
        ValueError
            If it has no ``"params"``, or shares a parameter with another group.
        """
        if not isinstance(param_group, dict):
            raise TypeError(f"param_group (={param_group!r}) must be a dict with a 'params' key")
        if "params" not in param_group:
            raise ValueError(f"param_group (keys {sorted(param_group)}) has no 'params' key")
        i = len(self.param_groups)
        params = _check_params(
            type(self).__name__, f"param_groups[{i}]['params']", param_group["params"]
        )
        seen = {id(p) for g in self.param_groups for p in g["params"]}
        if any(id(p) in seen for p in params):
            raise ValueError(
                "some parameters appear in more than one parameter group; each parameter may "
                "belong to one group only (duplicate parameters)"
            )
        full = {**self.defaults, **param_group, "params": params}
        self._check_group(full, "", at_step=False)
        self.param_groups.append(full)

    def _check_group(self, group: dict[str, Any], where: str, *, at_step: bool) -> None:
        """Check a group's hyper-parameters; `where` prefixes the names (``param_groups[0]``)."""

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Forget the gradient of every optimised parameter (``None``, or zeros)."""
        set_to_none = boolean("set_to_none", set_to_none)
        for group in self.param_groups:
            for p in group["params"]:
                p.zero_grad(set_to_none)

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Update every parameter that has a gradient; return ``closure()`` if given.

        Raises
        ------
        ValueError
            A hyper-parameter of some group is no longer valid (e.g. a negative
            ``param_groups[0]["lr"]`` set by hand), or a ``.grad`` does not have
            exactly its parameter's shape. Nothing is updated then.
        TypeError
            A ``.grad`` that is not a real-valued ndarray.
        """
        loss = None if closure is None else closure()
        todo = []
        for i, group in enumerate(self.param_groups):
            # Re-check a group only when its values changed since they last passed (cheap).
            snapshot = tuple(
                (k, tuple(v) if isinstance(v, list) else v)
                for k, v in group.items()
                if k != "params"
            )
            if self._checked.get(i) != snapshot:
                self._check_group(group, f"param_groups[{i}]", at_step=True)
                self._checked[i] = snapshot
            for j, p in enumerate(group["params"]):
                if p.grad is not None:
                    todo.append((p, _checked_grad(p, f"param_groups[{i}]['params'][{j}]"), group))
        self._opt_called = True
        for p, grad, group in todo:
            self._update(p, grad, group)
        return loss

    def _update(self, p: Parameter, grad: np.ndarray, group: dict[str, Any]) -> None:
        """Apply the update rule to one parameter (subclasses)."""
        raise NotImplementedError

    def __repr__(self) -> str:
        lines = [f"{type(self).__name__} ("]
        for i, group in enumerate(self.param_groups):
            lines.append(f"Parameter Group {i}")
            lines += [f"    {k}: {v}" for k, v in sorted(group.items()) if k != "params"]
        lines.append(")")
        return "\n".join(lines)


def _checked_grad(p: Parameter, name: str) -> np.ndarray:
    """Return ``p.grad`` if it is a real ndarray of exactly ``p``'s shape (no broadcasting)."""
    grad = p.grad
    if not isinstance(grad, np.ndarray) or grad.dtype.kind not in "biuf":
        kind = type(grad).__name__ if not isinstance(grad, np.ndarray) else f"dtype {grad.dtype}"
        raise TypeError(f"{name}.grad is a {kind}; expected a real-valued ndarray (or None)")
    if grad.shape != p.data.shape:
        raise ValueError(
            f"{name}.grad has shape {grad.shape}; expected exactly {p.data.shape}, the "
            "parameter's shape (a gradient is never broadcast)"
        )
    return grad
