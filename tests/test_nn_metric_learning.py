"""TripletMarginLoss: forward by hand, backward by finite differences."""

from __future__ import annotations

import numpy as np
import pytest

from cnnbook import nn


def _inputs(seed: int = 0, n: int = 5, d: int = 3):
    rng = np.random.default_rng(seed)
    return tuple(rng.standard_normal((n, d)) for _ in range(3))


def test_loss_is_the_hinge_of_the_distance_gap():
    a, p, n = _inputs()
    d_p = np.linalg.norm(a - p + 1e-6, axis=1)
    d_n = np.linalg.norm(a - n + 1e-6, axis=1)
    expected = np.maximum(d_p - d_n + 0.7, 0)
    loss = nn.TripletMarginLoss(margin=0.7, reduction="none")
    np.testing.assert_allclose(loss(a, p, n), expected)
    assert nn.TripletMarginLoss(margin=0.7)(a, p, n) == pytest.approx(expected.mean())
    summed = nn.TripletMarginLoss(margin=0.7, reduction="sum")(a, p, n)
    assert summed == pytest.approx(expected.sum())


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_backward_matches_central_finite_differences(reduction):
    a, p, n = _inputs(1)
    loss = nn.TripletMarginLoss(margin=1.0, reduction=reduction)
    weights = np.random.default_rng(2).uniform(0.5, 1.5, len(a))

    def total(*xs):
        out = loss(*xs)
        return float(np.sum(weights * out)) if reduction == "none" else out

    total(a, p, n)
    grads = loss.backward(weights if reduction == "none" else 1.0)
    h = 1e-6
    for k, x in enumerate((a, p, n)):
        numeric = np.zeros_like(x)
        for idx in np.ndindex(x.shape):
            up, down = [v.copy() for v in (a, p, n)], [v.copy() for v in (a, p, n)]
            up[k][idx] += h
            down[k][idx] -= h
            numeric[idx] = (total(*up) - total(*down)) / (2 * h)
        np.testing.assert_allclose(grads[k], numeric, rtol=1e-5, atol=1e-7)


def test_satisfied_triplets_give_no_gradient():
    a = np.zeros((2, 2))
    p = np.array([[0.0, 0.1], [0.1, 0.0]])
    n = np.array([[5.0, 0.0], [0.0, 5.0]])
    loss = nn.TripletMarginLoss(margin=1.0)
    assert loss(a, p, n) == 0.0
    assert all(np.all(g == 0) for g in loss.backward())


def test_inputs_are_not_modified():
    a, p, n = _inputs(3)
    copies = [v.copy() for v in (a, p, n)]
    loss = nn.TripletMarginLoss()
    loss(a, p, n)
    loss.backward()
    for v, c in zip((a, p, n), copies, strict=False):
        np.testing.assert_array_equal(v, c)
