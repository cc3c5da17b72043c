"""cnnbook's losses ↔ torch's, with every option, and the targets each expects as a tensor.

The options are torch's: ``weight``, ``ignore_index``, ``label_smoothing``,
``pos_weight`` and ``reduction``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import torch

from cnnbook import nn
from cnnbook.torch_bridge.layers import build_twin

__all__ = ["loss_from_torch", "loss_to_torch", "target_tensor"]


def _tensor_or_none(a: np.ndarray | None) -> torch.Tensor | None:
    return None if a is None else torch.from_numpy(np.array(a, copy=True))


def _array_or_none(t: torch.Tensor | None) -> np.ndarray | None:
    return None if t is None else t.detach().cpu().numpy().copy()


_TO_TORCH: dict[type, Callable[[Any], torch.nn.Module]] = {
    nn.CrossEntropyLoss: lambda m: torch.nn.CrossEntropyLoss(
        _tensor_or_none(m.weight),
        ignore_index=m.ignore_index,
        reduction=m.reduction,
        label_smoothing=m.label_smoothing,
    ),
    nn.MSELoss: lambda m: torch.nn.MSELoss(reduction=m.reduction),
    nn.L1Loss: lambda m: torch.nn.L1Loss(reduction=m.reduction),
    nn.BCEWithLogitsLoss: lambda m: torch.nn.BCEWithLogitsLoss(
        _tensor_or_none(m.weight), reduction=m.reduction, pos_weight=_tensor_or_none(m.pos_weight)
    ),
}

_FROM_TORCH: dict[type, Callable[[Any], nn.Module]] = {
    torch.nn.CrossEntropyLoss: lambda m: nn.CrossEntropyLoss(
        _array_or_none(m.weight),
        ignore_index=m.ignore_index,
        reduction=m.reduction,
        label_smoothing=m.label_smoothing,
    ),
    torch.nn.MSELoss: lambda m: nn.MSELoss(reduction=m.reduction),
    torch.nn.L1Loss: lambda m: nn.L1Loss(reduction=m.reduction),
    torch.nn.BCEWithLogitsLoss: lambda m: nn.BCEWithLogitsLoss(
        _array_or_none(m.weight), reduction=m.reduction, pos_weight=_array_or_none(m.pos_weight)
    ),
}


def loss_to_torch(loss: nn.Module) -> torch.nn.Module | None:
    """Return torch's loss with the same options (weights copied), or None if not a loss."""
    return build_twin(_TO_TORCH, loss)


def loss_from_torch(loss: torch.nn.Module) -> nn.Module | None:
    """Return cnnbook's loss with the same options (weights copied), or None if not a loss."""
    return build_twin(_FROM_TORCH, loss)


def target_tensor(loss: nn.Module, target: np.ndarray) -> torch.Tensor:
    """Return the target as torch's loss wants it: class indices as int64, anything else as is."""
    target = np.asarray(target)
    if isinstance(loss, nn.CrossEntropyLoss) and target.dtype.kind in "iub":
        return torch.from_numpy(target.astype(np.int64))
    return torch.from_numpy(np.array(target, copy=True))
