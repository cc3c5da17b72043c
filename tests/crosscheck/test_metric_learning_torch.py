"""TripletMarginLoss against torch.nn.functional.triplet_margin_loss, forward and gradients."""

from __future__ import annotations

import numpy as np
import pytest
import torch.nn.functional as F

from cnnbook import nn
from tests.crosscheck.harness import crosscheck

pytestmark = pytest.mark.torch


@pytest.mark.parametrize("margin", [0.1, 0.5, 2.0])
@pytest.mark.parametrize("reduction", ["mean", "sum"])
def test_triplet_margin_loss_matches_torch(margin, reduction):
    rng = np.random.default_rng(0)
    inputs = {k: rng.standard_normal((6, 4)) for k in ("anchor", "positive", "negative")}

    def numpy_fn(a, p, n, margin, reduction):
        return np.array(nn.TripletMarginLoss(margin, reduction=reduction)(a, p, n))

    def numpy_backward(grad, a, p, n, margin, reduction):
        loss = nn.TripletMarginLoss(margin, reduction=reduction)
        loss(a, p, n)
        return loss.backward(float(grad))

    def torch_fn(a, p, n, margin, reduction):
        return F.triplet_margin_loss(a, p, n, margin=margin, reduction=reduction)

    crosscheck(
        numpy_fn,
        torch_fn,
        inputs,
        kwargs={"margin": margin, "reduction": reduction},
        numpy_backward=numpy_backward,
        atol=1e-10,
    )
