"""The Batch Normalization page's claims about a deep conv/ReLU stack, measured."""

from __future__ import annotations

import numpy as np
import pytest

from cnnbook import activation_spread, deep_stack, nn


def test_without_batch_norm_the_spread_fades_geometrically():
    spread = activation_spread(12)
    factors = spread[1:] / spread[:-1]
    assert np.all(factors < 1)  # every block shrinks the signal
    geometric_mean = np.exp(np.mean(np.log(factors)))
    # below the expected-value factor sqrt(1/6) (Jensen), but of that order
    assert 0.1 < geometric_mean < np.sqrt(1 / 6)
    assert spread[0] / spread[-1] > 1e4


def test_with_batch_norm_the_spread_is_that_of_a_relu_of_a_standard_normal():
    spread = activation_spread(12, batch_norm=True)
    relu_of_normal = np.sqrt(0.5 - 0.5 / np.pi)
    np.testing.assert_allclose(spread, relu_of_normal, atol=0.03)
    # and a Monte Carlo check of that constant itself
    z = np.random.default_rng(0).standard_normal(10**6)
    assert np.maximum(z, 0).std() == pytest.approx(relu_of_normal, abs=2e-3)


def test_deep_stack_has_the_layers_it_says():
    model = deep_stack(3, 4, batch_norm=True)
    kinds = [type(m).__name__ for m in model]
    assert kinds == ["Conv2d", "BatchNorm2d", "ReLU"] * 3
    assert all(m.bias is None for m in model if isinstance(m, nn.Conv2d))
    assert all(m.in_channels == 4 for m in model if isinstance(m, nn.Conv2d))
