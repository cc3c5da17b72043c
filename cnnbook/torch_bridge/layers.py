"""One cnnbook layer ↔ its torch twin: the constructor arguments, both ways.

Weights and buffers are not copied here (see `cnnbook.torch_bridge.convert`): a
twin is built empty, with the same hyper-parameters and dtype, and its
``state_dict`` keys equal the cnnbook layer's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import torch

from cnnbook import nn

__all__ = ["build_twin", "layer_from_torch", "layer_to_torch", "numpy_dtype", "torch_dtype"]


def build_twin(table: dict[type, Callable[[Any], Any]], obj: Any) -> Any:
    """Build with the entry of the nearest class in `obj`'s MRO (a subclass crosses as its base)."""
    for cls in type(obj).__mro__:
        if cls in table:
            return table[cls](obj)
    return None


def torch_dtype(dtype: np.dtype) -> torch.dtype:
    """Return torch's dtype for a NumPy dtype (float64 → ``torch.float64``)."""
    return torch.from_numpy(np.zeros(0, dtype=dtype)).dtype


def numpy_dtype(t: torch.Tensor) -> np.dtype:
    """Return NumPy's dtype for a (CPU) tensor."""
    return t.detach().cpu().numpy().dtype


def _layer_dtype(layer: nn.Module) -> torch.dtype | None:
    """Return the dtype of a layer's first parameter or float buffer (None: the layer has none)."""
    for p in layer.parameters():
        return torch_dtype(p.data.dtype)
    for b in layer.buffers():
        if b.dtype.kind == "f":
            return torch_dtype(b.dtype)
    return None


def _conv2d(layer: nn.Conv2d) -> torch.nn.Module:
    mode: Any = layer.padding_mode  # checked by cnnbook; torch types it as a Literal
    return torch.nn.Conv2d(
        layer.in_channels,
        layer.out_channels,
        layer.kernel_size,
        layer.stride,
        layer.padding,
        layer.dilation,
        layer.groups,
        layer.bias is not None,
        mode,
        dtype=_layer_dtype(layer),
    )


def _conv_transpose2d(layer: nn.ConvTranspose2d) -> torch.nn.Module:
    mode: Any = layer.padding_mode
    return torch.nn.ConvTranspose2d(
        layer.in_channels,
        layer.out_channels,
        layer.kernel_size,
        layer.stride,
        layer.padding,
        layer.output_padding,
        layer.groups,
        layer.bias is not None,
        layer.dilation,
        mode,
        dtype=_layer_dtype(layer),
    )


def _linear(layer: nn.Linear) -> torch.nn.Module:
    return torch.nn.Linear(
        layer.in_features, layer.out_features, layer.bias is not None, dtype=_layer_dtype(layer)
    )


def _batchnorm(layer: nn.BatchNorm2d) -> torch.nn.Module:
    return torch.nn.BatchNorm2d(
        layer.num_features,
        layer.eps,
        layer.momentum,
        layer.affine,
        layer.track_running_stats,
        dtype=_layer_dtype(layer),
        bias=layer.bias is not None,
    )


# cnnbook type → builder of the torch twin. Order matters only for subclasses (none here).
_TO_TORCH: dict[type, Callable[[Any], torch.nn.Module]] = {
    nn.Conv2d: _conv2d,
    nn.ConvTranspose2d: _conv_transpose2d,
    nn.Linear: _linear,
    nn.BatchNorm2d: _batchnorm,
    nn.MaxPool2d: lambda m: torch.nn.MaxPool2d(
        m.kernel_size, m.stride, m.padding, m.dilation, ceil_mode=m.ceil_mode
    ),
    nn.AvgPool2d: lambda m: torch.nn.AvgPool2d(
        m.kernel_size, m.stride, m.padding, m.ceil_mode, m.count_include_pad, m.divisor_override
    ),
    nn.Flatten: lambda m: torch.nn.Flatten(m.start_dim, m.end_dim),
    nn.Dropout: lambda m: torch.nn.Dropout(m.p, m.inplace),
    nn.ReLU: lambda m: torch.nn.ReLU(),
    nn.Tanh: lambda m: torch.nn.Tanh(),
    nn.Sigmoid: lambda m: torch.nn.Sigmoid(),
    nn.LeakyReLU: lambda m: torch.nn.LeakyReLU(m.negative_slope),
    nn.Identity: lambda m: torch.nn.Identity(),
    nn.Upsample: lambda m: torch.nn.Upsample(
        m.size, m.scale_factor, m.mode, m.align_corners, m.recompute_scale_factor
    ),
    nn.AdaptiveAvgPool2d: lambda m: torch.nn.AdaptiveAvgPool2d(m.output_size),
}


def layer_to_torch(layer: nn.Module) -> torch.nn.Module | None:
    """Return the empty torch twin of one built-in cnnbook layer, or None if it has none."""
    return build_twin(_TO_TORCH, layer)


def _conv2d_back(layer: torch.nn.Conv2d) -> nn.Module:
    padding = layer.padding if isinstance(layer.padding, str) else tuple(layer.padding)
    return nn.Conv2d(
        layer.in_channels,
        layer.out_channels,
        tuple(layer.kernel_size),
        tuple(layer.stride),
        padding,
        tuple(layer.dilation),
        layer.groups,
        layer.bias is not None,
        layer.padding_mode,
        dtype=numpy_dtype(layer.weight),
    )


def _conv_transpose2d_back(layer: torch.nn.ConvTranspose2d) -> nn.Module:
    return nn.ConvTranspose2d(
        layer.in_channels,
        layer.out_channels,
        tuple(layer.kernel_size),
        tuple(layer.stride),
        tuple(layer.padding),
        tuple(layer.output_padding),
        layer.groups,
        layer.bias is not None,
        tuple(layer.dilation),
        layer.padding_mode,
        dtype=numpy_dtype(layer.weight),
    )


def _maxpool_back(layer: torch.nn.MaxPool2d) -> nn.Module:
    if layer.return_indices:
        raise TypeError(f"from_torch does not support return_indices=True; got {layer!r}")
    return nn.MaxPool2d(
        layer.kernel_size, layer.stride, layer.padding, layer.dilation, ceil_mode=layer.ceil_mode
    )


def _batchnorm_back(layer: torch.nn.BatchNorm2d) -> nn.Module:
    tensor = layer.weight if layer.weight is not None else layer.running_mean
    return nn.BatchNorm2d(
        layer.num_features,
        layer.eps,
        layer.momentum,
        layer.affine,
        layer.track_running_stats,
        bias=layer.bias is not None,
        dtype=np.float32 if tensor is None else numpy_dtype(tensor),
    )


def _inplace(layer: torch.nn.Module) -> None:
    # cnnbook's activations never work in place; an in-place torch one computes the same
    # values, but refusing keeps from_torch(m) from silently dropping an option.
    if getattr(layer, "inplace", False):
        raise TypeError(f"from_torch does not support inplace=True; got {layer!r}")


def _leaky_back(layer: torch.nn.LeakyReLU) -> nn.Module:
    _inplace(layer)
    return nn.LeakyReLU(layer.negative_slope)


def _relu_back(layer: torch.nn.ReLU) -> nn.Module:
    _inplace(layer)
    return nn.ReLU()


_FROM_TORCH: dict[type, Callable[[Any], nn.Module]] = {
    torch.nn.Conv2d: _conv2d_back,
    torch.nn.ConvTranspose2d: _conv_transpose2d_back,
    torch.nn.Linear: lambda m: nn.Linear(
        m.in_features, m.out_features, m.bias is not None, dtype=numpy_dtype(m.weight)
    ),
    torch.nn.BatchNorm2d: _batchnorm_back,
    torch.nn.MaxPool2d: _maxpool_back,
    torch.nn.AvgPool2d: lambda m: nn.AvgPool2d(
        m.kernel_size, m.stride, m.padding, m.ceil_mode, m.count_include_pad, m.divisor_override
    ),
    torch.nn.Flatten: lambda m: nn.Flatten(m.start_dim, m.end_dim),
    torch.nn.Dropout: lambda m: nn.Dropout(m.p, m.inplace),
    torch.nn.ReLU: _relu_back,
    torch.nn.Tanh: lambda m: nn.Tanh(),
    torch.nn.Sigmoid: lambda m: nn.Sigmoid(),
    torch.nn.LeakyReLU: _leaky_back,
    torch.nn.Identity: lambda m: nn.Identity(),
    torch.nn.Upsample: lambda m: nn.Upsample(
        m.size, m.scale_factor, m.mode, m.align_corners, m.recompute_scale_factor
    ),
    torch.nn.AdaptiveAvgPool2d: lambda m: nn.AdaptiveAvgPool2d(m.output_size),
}


def layer_from_torch(layer: torch.nn.Module) -> nn.Module | None:
    """Return the empty cnnbook twin of one built-in torch layer, or None if it has none."""
    return build_twin(_FROM_TORCH, layer)
