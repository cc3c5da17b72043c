"""The effective receptive field measured by cnnbook's backward equals torch autograd's."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from cnnbook import deep_stack, effective_receptive_field, nn
from cnnbook.torch_bridge import to_torch

pytestmark = pytest.mark.torch


def _torch_maps(model, x, unit, channel):
    tmodel = to_torch(model).eval()
    tx = torch.tensor(x, requires_grad=True)
    y = tmodel(tx)
    # y_n depends only on x_n, so the gradient of the sum is every d y_n / d x_n at once
    y[:, channel, unit[0], unit[1]].sum().backward()
    g = tx.grad.numpy()
    return np.abs(g).sum(1).mean(0), (g**2).sum(1).mean(0)


@pytest.mark.parametrize(
    ("model", "unit", "channel"),
    [
        (deep_stack(4, channels=3, seed=0), (6, 6), 0),
        (
            nn.Sequential(
                nn.Conv2d(
                    2, 4, 3, stride=2, padding=1, rng=np.random.default_rng(1), dtype=np.float64
                ),
                nn.ReLU(),
                nn.MaxPool2d(2),
                nn.Conv2d(
                    4, 3, 3, dilation=2, padding=2, rng=np.random.default_rng(2), dtype=np.float64
                ),
            ),
            (1, 2),
            2,
        ),
    ],
    ids=["relu-stack", "strided-pooled-dilated"],
)
def test_gradient_maps_equal_torch_autograd(model, unit, channel):
    x = np.random.default_rng(5).standard_normal((4, model[0].in_channels, 13, 13))
    ours = effective_receptive_field(model, inputs=x, unit=unit, channel=channel)
    magnitude, energy = _torch_maps(model, x, unit, channel)
    np.testing.assert_allclose(ours.magnitude, magnitude, atol=1e-12)
    np.testing.assert_allclose(ours.energy, energy, atol=1e-12)
