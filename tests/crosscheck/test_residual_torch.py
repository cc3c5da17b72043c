"""ResNet-18 as data against torch (meta device, plain torch.nn); gradient norms vs autograd."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch import nn as tnn

from cnnbook import RESNET18, architecture_summary, gradient_norms, parameter_count, residual_stack
from cnnbook.torch_bridge import to_torch
from cnnbook.torch_bridge.blocks import TorchBasicBlock

pytestmark = pytest.mark.torch


def _block(inplanes: int, planes: int, stride: int) -> tnn.Module:
    down = None
    if stride != 1 or inplanes != planes:
        down = tnn.Sequential(
            tnn.Conv2d(inplanes, planes, 1, stride, bias=False), tnn.BatchNorm2d(planes)
        )
    return TorchBasicBlock(
        tnn.Conv2d(inplanes, planes, 3, stride, 1, bias=False),
        tnn.BatchNorm2d(planes),
        tnn.Conv2d(planes, planes, 3, 1, 1, bias=False),
        tnn.BatchNorm2d(planes),
        down,
    )


def test_resnet18_data_has_torchvisions_parameter_count_and_shapes():
    """torchvision's resnet18 layout, written with plain torch.nn (torchvision is not installed)."""
    with torch.device("meta"):
        modules = [
            tnn.Conv2d(3, 64, 7, 2, 3, bias=False), tnn.BatchNorm2d(64), tnn.ReLU(),
            tnn.MaxPool2d(3, 2, 1),
            _block(64, 64, 1), _block(64, 64, 1), _block(64, 128, 2), _block(128, 128, 1),
            _block(128, 256, 2), _block(256, 256, 1), _block(256, 512, 2), _block(512, 512, 1),
            tnn.AdaptiveAvgPool2d((1, 1)), tnn.Flatten(0), tnn.Linear(512, 1000),
        ]  # fmt: skip
        x = torch.empty(RESNET18.input_shape)
        shapes = []
        for m in modules:
            x = (
                m(x.unsqueeze(0)).squeeze(0)
                if not isinstance(m, tnn.Flatten | tnn.Linear)
                else m(x)
            )
            shapes.append(tuple(x.shape))
    total = sum(p.numel() for m in modules for p in m.parameters())
    assert total == parameter_count(RESNET18) == 11_689_512
    assert shapes == [r.output_shape for r in architecture_summary(RESNET18)]


@pytest.mark.parametrize("residual", [False, True])
def test_gradient_norms_equal_torch_autograd(residual):
    depth, channels, seed = 6, 4, 3
    model = residual_stack(depth, channels, residual, seed=seed)
    blocks = list(model)
    x = np.random.default_rng(seed + 1).standard_normal((8, channels, 16, 16))
    t_in = torch.from_numpy(x)
    t_blocks = [to_torch(b.body if residual else b) for b in blocks]
    inputs, h = [], t_in
    for tb in t_blocks:
        h = h.detach().requires_grad_(True) if not inputs else h
        h.retain_grad()
        inputs.append(h)
        h = h + tb(h) if residual else tb(h)
    g = np.random.default_rng(seed + 2).standard_normal(tuple(h.shape))
    h.backward(torch.from_numpy(g))
    expected = [float(t.grad.norm()) / np.linalg.norm(g) for t in inputs]
    np.testing.assert_allclose(
        gradient_norms(depth, channels, residual, seed=seed), expected, rtol=1e-10
    )
