"""residual: the identity path keeps a deep stack's gradient; the plain stack's fades."""

from __future__ import annotations

import numpy as np
import pytest

from cnnbook import gradient_norms, residual_stack
from tests.test_nn_skip_connections import _check_gradients


def test_without_skips_the_gradient_fades_geometrically_towards_the_input():
    norms = gradient_norms(20)
    assert np.all(np.diff(norms) > 0)  # smaller at every earlier block
    factor = np.exp(np.mean(np.diff(np.log(norms))))
    assert 1.5 < factor < 4  # a constant factor per block: geometric fading
    assert norms[0] < 1e-6


def test_with_skips_no_block_receives_less_than_the_output_gradient():
    norms = gradient_norms(20, residual=True)
    assert np.all(norms >= 1.0) and np.all(np.diff(norms) < 0)
    assert norms[0] < 20  # it grows slowly, not explosively


def test_the_same_weights_are_used_with_and_without_skips():
    plain, skip = residual_stack(3, residual=False), residual_stack(3, residual=True)
    for (_, a), (_, b) in zip(plain.named_parameters(), skip.named_parameters(), strict=True):
        np.testing.assert_array_equal(a.data, b.data)


@pytest.mark.parametrize("residual", [False, True])
def test_residual_stack_gradients_match_finite_differences(residual):
    model = residual_stack(3, channels=2, residual=residual, seed=4)
    _check_gradients(model, np.random.default_rng(5).normal(size=(1, 2, 4, 4)))


def test_gradient_norm_of_one_block_is_the_output_gradient_through_one_backward():
    model = residual_stack(1, channels=3, residual=True, seed=1)
    x = np.random.default_rng(2).standard_normal((8, 3, 16, 16))
    g = np.random.default_rng(3).standard_normal(model(x).shape)
    expected = np.linalg.norm(model.backward(g)) / np.linalg.norm(g)
    assert gradient_norms(1, 3, True, seed=1)[0] == pytest.approx(expected, rel=1e-12)
