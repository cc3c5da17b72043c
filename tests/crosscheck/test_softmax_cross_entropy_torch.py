"""CrossEntropyLoss and its softmax-minus-onehot gradient equal torch (float64)."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from cnnbook.nn import CrossEntropyLoss

pytestmark = pytest.mark.torch


@pytest.mark.parametrize("scale", [1.0, 500.0])  # 500: exp would overflow without the shift
def test_loss_and_gradient_equal_torch(scale):
    rng = np.random.default_rng(0)
    logits, targets = scale * rng.standard_normal((6, 5)), rng.integers(0, 5, 6)
    z = torch.tensor(logits, requires_grad=True)
    expected = F.cross_entropy(z, torch.tensor(targets))
    expected.backward()
    loss_fn = CrossEntropyLoss()
    assert loss_fn(logits, targets) == pytest.approx(expected.item(), rel=1e-13)
    np.testing.assert_allclose(loss_fn.backward(), z.grad.numpy(), atol=1e-14)
    probs = torch.softmax(z.detach(), dim=1).numpy()
    np.testing.assert_allclose(loss_fn.backward(), (probs - np.eye(5)[targets]) / 6, atol=1e-14)
