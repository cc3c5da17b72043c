"""learn_kernel equals the same loop written in torch (F.conv2d, MSE, torch.optim)."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from cnnbook import kernel_pairs, learn_kernel
from cnnbook.optim import SGD, Adam

pytestmark = pytest.mark.torch


@pytest.mark.parametrize(
    ("ours", "theirs", "kwargs"),
    [
        (SGD, torch.optim.SGD, {}),
        (SGD, torch.optim.SGD, {"momentum": 0.9}),
        (Adam, torch.optim.Adam, {}),
    ],
)
def test_kernel_and_losses_equal_torch(ours, theirs, kwargs):
    hidden = np.random.default_rng(0).standard_normal((3, 3))
    images, targets = kernel_pairs(hidden, count=4, size=10, seed=2)
    kernel, history = learn_kernel(images, targets, 3, steps=25, lr=0.05, optimizer=ours, **kwargs)
    x = torch.tensor(images[:, None])
    t = torch.tensor(targets[:, None])
    w = torch.zeros((1, 1, 3, 3), dtype=torch.float64, requires_grad=True)
    opt = theirs([w], lr=0.05, **kwargs)
    losses = []
    for step in range(26):
        loss = F.mse_loss(F.conv2d(x, w), t)
        losses.append(loss.item())
        if step == 25:
            break
        opt.zero_grad()
        loss.backward()
        opt.step()
    np.testing.assert_allclose(history.loss, losses, rtol=1e-10)
    np.testing.assert_allclose(kernel, w.detach().numpy()[0, 0], atol=1e-10)
