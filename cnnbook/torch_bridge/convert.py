"""`to_torch` / `from_torch`: a whole model across, with weights, buffers, dtype and mode.

A model is converted layer by layer: a `Sequential` becomes a ``torch.nn.Sequential``
of the converted children; a built-in layer or loss its twin (`layers`, `losses`);
a block that is not a chain (`cnnbook.models.BasicBlock`) its torch twin
(`blocks`); a user's own Module the twin registered with `register_twin`.
Anything else is refused with a `TypeError` naming the layer and its position.
Then every parameter and buffer is copied by its ``state_dict`` key.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import torch

from cnnbook import nn
from cnnbook.torch_bridge.blocks import block_from_torch, block_to_torch
from cnnbook.torch_bridge.layers import layer_from_torch, layer_to_torch
from cnnbook.torch_bridge.losses import loss_from_torch, loss_to_torch

__all__ = ["from_torch", "register_twin", "to_torch"]

_REGISTERED_TO: dict[type, Callable[[Any], torch.nn.Module]] = {}
_REGISTERED_FROM: dict[type, Callable[[Any], nn.Module]] = {}


def register_twin(
    cls: type,
    to_torch: Callable[[Any], torch.nn.Module],
    torch_cls: type | None = None,
    from_torch: Callable[[Any], nn.Module] | None = None,
) -> None:
    """Teach the bridge a user's own Module: how to build its torch twin, and back.

    Parameters
    ----------
    cls : type
        A subclass of `cnnbook.nn.Module`.
    to_torch : callable
        ``to_torch(layer)`` returns the torch twin of one instance, empty: its
        ``state_dict`` must have the keys of ``layer.state_dict()`` (the bridge
        copies the weights and buffers).
    torch_cls, from_torch : type and callable, optional
        The torch class and ``from_torch(module)`` building the cnnbook twin
        of one of its instances, for the way back.

    Examples
    --------
    >>> from cnnbook import nn
    >>> class Double(nn.Module):
    ...     def forward(self, x):
    ...         return 2 * x
    ...     def backward(self, g):
    ...         return 2 * g
    >>> class TorchDouble(torch.nn.Module):
    ...     def forward(self, x):
    ...         return 2 * x
    >>> register_twin(Double, lambda m: TorchDouble(), TorchDouble, lambda m: Double())
    >>> to_torch(nn.Sequential(Double()))
    Sequential(
      (0): TorchDouble()
    )
    """
    if not (isinstance(cls, type) and issubclass(cls, nn.Module)):
        raise TypeError(f"cls (={cls!r}) must be a subclass of cnnbook.nn.Module")
    if not callable(to_torch):
        raise TypeError(f"to_torch (={to_torch!r}) must be callable")
    if (torch_cls is None) != (from_torch is None):
        raise ValueError("torch_cls and from_torch go together: give both or neither")
    _REGISTERED_TO[cls] = to_torch
    if torch_cls is not None:
        if not (isinstance(torch_cls, type) and issubclass(torch_cls, torch.nn.Module)):
            raise TypeError(f"torch_cls (={torch_cls!r}) must be a subclass of torch.nn.Module")
        if not callable(from_torch):
            raise TypeError(f"from_torch (={from_torch!r}) must be callable")
        _REGISTERED_FROM[torch_cls] = from_torch


def _registered(table: dict[type, Callable[[Any], Any]], obj: Any) -> Any:
    """Return the registered builder of `obj`'s class (or of its nearest registered base)."""
    for cls in type(obj).__mro__:
        if cls in table:
            return table[cls]
    return None


def _to(layer: nn.Module, where: str) -> torch.nn.Module:
    """Return the empty torch twin of `layer`, found at position `where` of the model."""
    registered = _registered(_REGISTERED_TO, layer)
    if registered is not None:
        return registered(layer)
    if isinstance(layer, nn.Sequential):
        return torch.nn.Sequential(
            *(_to(child, f"{where}.{i}" if where else str(i)) for i, child in enumerate(layer))
        )
    twin = layer_to_torch(layer)
    if twin is None:
        twin = loss_to_torch(layer)
    if twin is None:
        twin = block_to_torch(layer, where, _to)
    if twin is None:
        name = type(layer).__name__
        raise TypeError(
            f"to_torch cannot convert {name} at {where or 'the top'!r} ({layer!r}): cnnbook "
            f"knows no torch twin for {name}; write one and pass it to "
            f"cnnbook.torch_bridge.register_twin({name}, ...)"
        )
    return twin


def _from(module: torch.nn.Module, where: str) -> nn.Module:
    """Return the empty cnnbook twin of torch `module`, found at position `where`."""
    registered = _registered(_REGISTERED_FROM, module)
    if registered is not None:
        return registered(module)
    if isinstance(module, torch.nn.Sequential):
        return nn.Sequential(
            *(_from(c, f"{where}.{i}" if where else str(i)) for i, c in enumerate(module))
        )
    twin = layer_from_torch(module)
    if twin is None:
        twin = loss_from_torch(module)
    if twin is None:
        twin = block_from_torch(module, where, _from)
    if twin is None:
        name = type(module).__name__
        raise TypeError(
            f"from_torch cannot convert {name} at {where or 'the top'!r} ({module!r}): "
            f"cnnbook has no layer {name}"
        )
    return twin


def _check_keys(direction: str, ours: dict[str, Any], theirs: dict[str, Any]) -> None:
    missing = [k for k in ours if k not in theirs]
    if missing:
        raise TypeError(
            f"{direction}: the twins' state_dict keys differ: {missing} only in cnnbook's "
            f"(torch's are {list(theirs)}); a registered twin must use the same names"
        )


def _copy_modes(model: nn.Module, tmodel: torch.nn.Module, *, into_torch: bool) -> None:
    """Give each module its twin's train/eval mode (parents first, so children win)."""
    ours = dict(model.named_modules())
    for name, tm in tmodel.named_modules():
        m = ours.get(name)
        if m is None:
            continue
        if into_torch:
            tm.train(m.training)
        else:
            m.train(tm.training)


def to_torch(model: nn.Module) -> torch.nn.Module:
    """Build the identical torch module: same layers, weights and buffers (copied), dtype, mode.

    Parameters
    ----------
    model : cnnbook.nn.Module
        A `Sequential` (possibly nested) of cnnbook layers, blocks and losses, or
        one of them.

    Returns
    -------
    torch.nn.Module
        ``torch.nn.Sequential`` for a Sequential; a `BatchNorm2d`'s running
        statistics and batch count come along. torch's global random state is
        left untouched (building torch layers would otherwise consume it).

    Raises
    ------
    TypeError
        For a layer without a torch twin (the message names it and its position).

    Examples
    --------
    >>> from cnnbook import nn
    >>> model = nn.Sequential(nn.Conv2d(1, 2, 3, rng=np.random.default_rng(0)), nn.ReLU())
    >>> tmodel = to_torch(model)
    >>> tmodel
    Sequential(
      (0): Conv2d(1, 2, kernel_size=(3, 3), stride=(1, 1))
      (1): ReLU()
    )
    >>> bool((tmodel[0].weight.detach().numpy() == model[0].weight.data).all())
    True
    """
    if not isinstance(model, nn.Module):
        raise TypeError(f"model (={model!r}) must be a cnnbook.nn.Module")
    with torch.random.fork_rng(devices=[]):
        tmodel = _to(model, "")
    ours = model.state_dict()
    theirs = tmodel.state_dict()
    _check_keys("to_torch", ours, theirs)
    with torch.no_grad():
        for key, value in ours.items():
            theirs[key].copy_(torch.from_numpy(value))
    _copy_modes(model, tmodel, into_torch=True)
    return tmodel


def from_torch(module: torch.nn.Module) -> nn.Module:
    """Build the identical cnnbook model from a torch one: same layers, weights, buffers, mode.

    Parameters
    ----------
    module : torch.nn.Module
        A ``torch.nn.Sequential`` (possibly nested) of layers, blocks and losses
        cnnbook has, or one of them.

    Raises
    ------
    TypeError
        For a layer or an option cnnbook does not have (e.g. ``return_indices=True``).

    Examples
    --------
    >>> tmodel = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(4, 2))
    >>> from_torch(tmodel)
    Sequential(
      (0): Flatten(start_dim=1, end_dim=-1)
      (1): Linear(in_features=4, out_features=2, bias=True)
    )
    """
    if not isinstance(module, torch.nn.Module):
        raise TypeError(f"module (={module!r}) must be a torch.nn.Module")
    model = _from(module, "")
    theirs = module.state_dict()
    ours = model.state_dict()
    _check_keys("from_torch", ours, theirs)
    model.load_state_dict({k: np.array(theirs[k].detach().cpu().numpy()) for k in ours})
    _copy_modes(model, module, into_torch=False)
    return model
