"""CrossEntropyLoss: hand-derived values, stability, gradient, every refused input."""

from __future__ import annotations

import numpy as np
import pytest

from cnnbook import nn


def test_uniform_logits_give_log_of_the_class_count():
    loss = nn.CrossEntropyLoss()(np.zeros((4, 10)), np.array([0, 3, 9, 2]))
    assert loss == pytest.approx(np.log(10), abs=1e-15)


def test_loss_is_mean_negative_log_softmax_of_the_target():
    logits = np.array([[1.0, 2.0, 3.0], [0.0, -1.0, 1.0]])
    targets = np.array([2, 0])
    p = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    expected = -(np.log(p[0, 2]) + np.log(p[1, 0])) / 2
    assert nn.CrossEntropyLoss()(logits, targets) == pytest.approx(expected, rel=1e-14)
    assert nn.CrossEntropyLoss(reduction="sum")(logits, targets) == pytest.approx(2 * expected, rel=1e-14)


def test_huge_logits_do_not_overflow():
    loss_fn = nn.CrossEntropyLoss()
    loss = loss_fn(np.array([[1000.0, 0.0], [0.0, 1000.0]]), np.array([0, 0]))
    assert loss == pytest.approx(500.0)
    assert np.isfinite(loss_fn.backward()).all()


def test_gradient_is_softmax_minus_onehot_over_n():
    logits = np.array([[0.0, np.log(3.0)], [np.log(3.0), 0.0]])  # softmax (1/4, 3/4), (3/4, 1/4)
    loss_fn = nn.CrossEntropyLoss()
    loss_fn(logits, np.array([1, 1]))
    np.testing.assert_allclose(loss_fn.backward(), [[0.125, -0.125], [0.375, -0.375]], atol=1e-15)
    np.testing.assert_allclose(loss_fn.backward(2.0), [[0.25, -0.25], [0.75, -0.75]], atol=1e-15)


def test_float32_logits_give_float32_gradient():
    loss_fn = nn.CrossEntropyLoss()
    loss_fn(np.zeros((2, 3), dtype=np.float32), np.array([0, 1]))
    assert loss_fn.backward().dtype == np.float32


def test_log_softmax_rows_exponentiate_to_one():
    z = np.random.default_rng(0).standard_normal((5, 7)) * 30
    np.testing.assert_allclose(np.exp(nn.log_softmax(z)).sum(axis=1), 1.0, rtol=1e-14)


@pytest.mark.parametrize(
    ("logits", "targets", "error", "match"),
    [
        (np.zeros((2, 3)), np.array([0, 3]), ValueError, r"target 3 is out of range for C=3"),
        (np.zeros((2, 3)), np.array([-1, 0]), ValueError, r"target -1 is out of range"),
        (
            np.zeros((2, 3)),
            np.array([0.0, 1.0]),
            TypeError,
            r"targets have dtype float64; expected integer",
        ),
        (
            np.zeros((2, 3), dtype=int),
            np.array([0, 1]),
            TypeError,
            r"logits have dtype int64; expected floats",
        ),
        (
            np.zeros((2, 3, 4)),
            np.array([0, 1]),
            ValueError,
            r"targets have shape \(2,\); logits \(2, 3, 4\) need class indices of shape "
            r"\(2, 4\)",
        ),
        (
            np.zeros((2, 3)),
            np.array([0, 1, 2]),
            ValueError,
            r"targets have shape \(3,\); logits \(2, 3\) need class indices of shape \(2,\)",
        ),
        (np.zeros((0, 3)), np.zeros(0, dtype=int), ValueError, r"logits have shape \(0, 3\); expected \(C,\), \(N, C\)"),
    ],
)
def test_bad_input_is_named(logits, targets, error, match):
    with pytest.raises(error, match=match):
        nn.CrossEntropyLoss()(logits, targets)


def test_unknown_reduction_is_refused():
    with pytest.raises(ValueError, match=r"reduction \(='max'\) must be one of 'none', 'mean', 'sum'"):
        nn.CrossEntropyLoss(reduction="max")
