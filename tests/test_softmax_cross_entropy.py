"""The claims of the Softmax and Cross-Entropy page: gradient, normalisation, stability."""

from __future__ import annotations

import numpy as np
import pytest

from cnnbook.nn import CrossEntropyLoss, log_softmax


def _softmax_by_definition(z):
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_gradient_is_softmax_minus_onehot_over_n(seed):
    rng = np.random.default_rng(seed)
    logits, targets = rng.standard_normal((5, 4)), rng.integers(0, 4, 5)
    loss_fn = CrossEntropyLoss()
    loss_fn(logits, targets)
    expected = (_softmax_by_definition(logits) - np.eye(4)[targets]) / 5
    np.testing.assert_allclose(loss_fn.backward(), expected, atol=1e-15)


def test_gradient_matches_finite_differences_of_the_loss_formula():
    rng = np.random.default_rng(3)
    logits, targets = rng.standard_normal((3, 5)), rng.integers(0, 5, 3)

    def loss(z):
        return np.mean(np.log(np.exp(z).sum(axis=1)) - z[np.arange(3), targets])

    fd = np.zeros_like(logits)
    for idx in np.ndindex(logits.shape):
        up, down = logits.copy(), logits.copy()
        up[idx] += 1e-6
        down[idx] -= 1e-6
        fd[idx] = (loss(up) - loss(down)) / 2e-6
    loss_fn = CrossEntropyLoss()
    assert loss_fn(logits, targets) == pytest.approx(loss(logits), abs=1e-14)
    np.testing.assert_allclose(loss_fn.backward(), fd, atol=1e-8)


def test_softmax_rows_sum_to_one_and_ignore_a_shift_of_the_logits():
    z = np.random.default_rng(4).standard_normal((6, 7))
    p = np.exp(log_softmax(z))
    np.testing.assert_allclose(p.sum(axis=1), 1.0, atol=1e-15)
    np.testing.assert_allclose(p, _softmax_by_definition(z), atol=1e-15)
    np.testing.assert_allclose(np.exp(log_softmax(z + 123.0)), p, atol=1e-14)


def test_large_logits_overflow_the_naive_formula_but_not_log_sum_exp():
    big = np.array([[1000.0, 999.0, 998.0]])
    with np.errstate(over="ignore", invalid="ignore"):
        assert np.isnan(_softmax_by_definition(big)).all()
    p = np.exp(log_softmax(big))
    assert np.isfinite(p).all()
    np.testing.assert_allclose(p, _softmax_by_definition(big - 1000.0), atol=1e-15)
    with np.errstate(over="ignore"):
        assert np.exp(np.log(np.finfo(np.float64).max) * 1.001) == np.inf
