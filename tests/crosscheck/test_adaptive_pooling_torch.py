"""adaptive_avg_pool2d / AdaptiveAvgPool2d equal torch's for any output size (float64)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from cnnbook import adaptive_avg_pool2d, adaptive_avg_pool2d_backward, nn
from tests.crosscheck.harness import crosscheck

pytestmark = pytest.mark.torch

SHAPES = [(2, 3, 7, 5), (1, 1, 1, 1), (2, 2, 8, 12), (3, 13, 11)]
OUTPUT_SIZES = [1, 2, 3, (2, 4), (None, 3), (4, None), (9, 1), (13, 13), (20, 3)]


@pytest.mark.parametrize(("shape", "output_size"), list(itertools.product(SHAPES, OUTPUT_SIZES)))
def test_adaptive_avg_pool2d_forward_and_gradient_equal_torch(shape, output_size):
    x = np.random.default_rng(0).standard_normal(shape)
    crosscheck(
        adaptive_avg_pool2d, F.adaptive_avg_pool2d, {"x": x},
        kwargs={"output_size": output_size}, atol=1e-13, rtol=1e-13,
        numpy_backward=lambda g, v, **kw: (adaptive_avg_pool2d_backward(g, v, **kw),),
    )  # fmt: skip


def test_adaptive_avg_pool2d_nan_reaches_the_same_windows_as_torch():
    x = np.zeros((1, 1, 7, 7))
    x[0, 0, 3, 2] = np.nan
    for output_size in [(3, 4), (5, 5), (2, 2), 1]:
        expected = F.adaptive_avg_pool2d(torch.tensor(x), output_size).numpy()
        np.testing.assert_array_equal(adaptive_avg_pool2d(x, output_size), expected)


@pytest.mark.parametrize("output_size", [1, (2, 3), (None, 2)])
def test_adaptive_avg_pool2d_layer_repr_forward_backward_equal_torch(output_size):
    ours, theirs = nn.AdaptiveAvgPool2d(output_size), torch.nn.AdaptiveAvgPool2d(output_size)
    assert repr(ours) == repr(theirs)
    x = np.random.default_rng(1).standard_normal((2, 3, 6, 5))
    xt = torch.tensor(x, requires_grad=True)
    yt = theirs(xt)
    g = np.random.default_rng(2).standard_normal(tuple(yt.shape))
    yt.backward(torch.tensor(g))
    np.testing.assert_allclose(ours(x), yt.detach().numpy(), rtol=1e-13, atol=1e-13)
    np.testing.assert_allclose(ours.backward(g), xt.grad.numpy(), rtol=1e-13, atol=1e-13)
