"""The correlation formulas of the conv backward equal torch autograd (random gradients)."""

from __future__ import annotations

import numpy as np
import pytest
import torch.nn.functional as F

from cnnbook import conv2d, conv2d_backward_by_correlation
from tests.crosscheck.harness import crosscheck

pytestmark = pytest.mark.torch


def _backward(grad_output, x, weight, bias, stride=1, padding=0):
    gx, gw, gb = conv2d_backward_by_correlation(grad_output, x, weight, stride, padding)
    return {"x": gx, "weight": gw, "bias": gb}


@pytest.mark.parametrize(
    ("stride", "padding", "size"), [(1, 0, (6, 6)), (2, 0, (6, 7)), (2, 1, (6, 6)), (3, 2, (9, 8))]
)
def test_correlation_formulas_equal_torch_autograd(stride, padding, size):
    rng = np.random.default_rng(0)
    inputs = {
        "x": rng.normal(size=(2, 3, *size)),
        "weight": rng.normal(size=(4, 3, 3, 3)),
        "bias": rng.normal(size=4),
    }
    errors = crosscheck(
        conv2d,
        F.conv2d,
        inputs,
        kwargs={"stride": stride, "padding": padding},
        numpy_backward=_backward,
        seed=stride,
    )
    assert set(errors) == {"out", "grad_x", "grad_weight", "grad_bias"}
