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
    assert nn.CrossEntropyLoss(reduction="sum")(logits, targets) == pytest.approx(
        2 * expected, rel=1e-14
    )


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
        (
            np.zeros((0, 3)),
            np.zeros(0, dtype=int),
            ValueError,
            r"logits have shape \(0, 3\); expected \(C,\), \(N, C\)",
        ),
    ],
)
def test_bad_input_is_named(logits, targets, error, match):
    with pytest.raises(error, match=match):
        nn.CrossEntropyLoss()(logits, targets)


def test_unknown_reduction_is_refused():
    with pytest.raises(
        ValueError, match=r"reduction \(='max'\) must be one of 'none', 'mean', 'sum'"
    ):
        nn.CrossEntropyLoss(reduction="max")


def test_probability_targets_of_one_hot_rows_equal_index_targets():
    rng = np.random.default_rng(0)
    logits = rng.normal(size=(4, 3, 2, 2))
    t = rng.integers(0, 3, size=(4, 2, 2))
    onehot = np.moveaxis(np.eye(3)[t], -1, 1)
    by_index, by_prob = nn.CrossEntropyLoss(), nn.CrossEntropyLoss()
    assert by_index(logits, t) == pytest.approx(by_prob(logits, onehot), rel=1e-14)
    np.testing.assert_allclose(by_index.backward(), by_prob.backward(), atol=1e-15)


def test_per_pixel_loss_is_the_loss_of_each_pixel_as_a_sample():
    rng = np.random.default_rng(1)
    logits = rng.normal(size=(2, 4, 3, 3))
    t = rng.integers(0, 4, size=(2, 3, 3))
    per_pixel = nn.CrossEntropyLoss(reduction="none")(logits, t)
    flat = nn.CrossEntropyLoss(reduction="none")(
        np.moveaxis(logits, 1, -1).reshape(-1, 4), t.reshape(-1)
    )
    np.testing.assert_allclose(per_pixel, flat.reshape(2, 3, 3), rtol=1e-14)


def test_ignored_targets_contribute_no_loss_and_no_gradient():
    logits = np.random.default_rng(2).normal(size=(3, 4))
    loss_fn = nn.CrossEntropyLoss(ignore_index=7)
    loss = loss_fn(logits, np.array([1, 7, 2]))
    grad = loss_fn.backward()
    np.testing.assert_array_equal(grad[1], 0)
    kept = nn.CrossEntropyLoss()(logits[[0, 2]], np.array([1, 2]))
    assert loss == pytest.approx(kept, rel=1e-14)  # the mean is over the 2 kept samples


def test_label_smoothing_spreads_epsilon_over_the_classes():
    logits = np.array([[0.0, 0.0, 0.0, 0.0]])
    # uniform logits: every class has log-probability -log 4, whatever the target mix
    assert nn.CrossEntropyLoss(label_smoothing=0.4)(logits, np.array([2])) == pytest.approx(
        np.log(4)
    )
    loss_fn = nn.CrossEntropyLoss(label_smoothing=0.4)
    loss_fn(logits, np.array([2]))
    # gradient = softmax - q with q = 0.6 on the target + 0.1 everywhere
    np.testing.assert_allclose(loss_fn.backward(), [[0.15, 0.15, -0.45, 0.15]])


@pytest.mark.parametrize(
    "loss_fn", [nn.CrossEntropyLoss(reduction="none"), nn.MSELoss(reduction="none")]
)
def test_unreduced_backward_takes_exactly_the_outputs_shape(loss_fn):
    logits = np.zeros((2, 3))
    target = np.array([0, 1]) if isinstance(loss_fn, nn.CrossEntropyLoss) else np.zeros((2, 3))
    out = loss_fn(logits, target)
    assert loss_fn.backward(np.ones(out.shape)).shape == logits.shape
    with pytest.raises(ValueError, match=r"grad_output has shape \(1,\); expected exactly"):
        loss_fn.backward(np.ones(1))


def test_reduced_backward_refuses_an_array():
    loss_fn = nn.CrossEntropyLoss()
    loss_fn(np.zeros((2, 3)), np.array([0, 1]))
    with pytest.raises(
        TypeError,
        match=r"grad_output \(an array of shape \(2, 3\)\) must be a number for reduction='mean'",
    ):
        loss_fn.backward(np.ones((2, 3)))


def test_regression_losses_are_the_mean_squared_and_absolute_errors():
    x, y = np.array([1.0, -2.0, 4.0]), np.array([0.0, 0.0, 1.0])
    assert nn.MSELoss()(x, y) == pytest.approx((1 + 4 + 9) / 3)
    assert nn.L1Loss(reduction="sum")(x, y) == pytest.approx(1 + 2 + 3)


def test_bce_with_logits_is_stable_for_huge_logits():
    loss_fn = nn.BCEWithLogitsLoss(reduction="none")
    out = loss_fn(np.array([1000.0, -1000.0]), np.array([1.0, 1.0]))
    np.testing.assert_allclose(out, [0.0, 1000.0])
    np.testing.assert_allclose(loss_fn.backward(np.ones(2)), [0.0, -1.0])
