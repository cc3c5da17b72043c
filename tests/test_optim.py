"""SGD and Adam: updates derivable by hand, state handling, parameter groups, refused arguments."""

from __future__ import annotations

import math

import numpy as np
import pytest

from cnnbook import nn, optim


def _param(values, grad=None) -> nn.Parameter:
    p = nn.Parameter(np.array(values, dtype=np.float64))
    if grad is not None:
        p.grad = np.array(grad, dtype=np.float64)
    return p


def test_plain_sgd_step_is_minus_lr_times_grad():
    p = _param([1.0, 2.0], [0.5, -1.0])
    optim.SGD([p], lr=0.1).step()
    np.testing.assert_allclose(p.data, [0.95, 2.1], rtol=1e-15)


def test_sgd_weight_decay_adds_lambda_theta_to_the_gradient():
    p = _param([2.0], [0.0])
    optim.SGD([p], lr=0.5, weight_decay=0.1).step()
    np.testing.assert_allclose(p.data, [2.0 - 0.5 * 0.2], rtol=1e-15)


def test_sgd_momentum_with_constant_gradient_sums_a_geometric_series():
    p = _param([0.0], [1.0])
    opt = optim.SGD([p], lr=1.0, momentum=0.5)
    for _ in range(3):
        opt.step()
    # buffers 1, 1.5, 1.75 (the first step's buffer is the gradient itself, torch's rule)
    np.testing.assert_allclose(p.data, [-(1 + 1.5 + 1.75)], rtol=1e-15)


def test_sgd_nesterov_looks_ahead_by_momentum_times_buffer():
    p = _param([0.0], [1.0])
    opt = optim.SGD([p], lr=1.0, momentum=0.5, nesterov=True)
    opt.step()
    opt.step()
    np.testing.assert_allclose(p.data, [-(1 + 0.5) - (1 + 0.5 * 1.5)], rtol=1e-15)


def test_sgd_dampening_scales_later_gradients_only():
    p = _param([0.0], [1.0])
    opt = optim.SGD([p], lr=1.0, momentum=0.5, dampening=0.5)
    opt.step()
    opt.step()
    np.testing.assert_allclose(p.data, [-1 - (0.5 + 0.5)], rtol=1e-15)


def test_sgd_does_not_modify_the_gradient():
    p = _param([1.0], [2.0])
    optim.SGD([p], lr=0.1, momentum=0.9, weight_decay=0.1, nesterov=True).step()
    np.testing.assert_array_equal(p.grad, [2.0])


def test_adam_first_step_moves_by_lr_against_the_gradient_sign():
    p = _param([0.0, 0.0, 0.0], [1e-3, -5.0, 100.0])
    optim.Adam([p], lr=0.01, eps=0.0).step()
    np.testing.assert_allclose(p.data, [-0.01, 0.01, -0.01], rtol=1e-12)


def test_adam_two_steps_follow_the_bias_corrected_formula():
    p = _param([1.0], [2.0])
    opt = optim.Adam([p], lr=0.1, betas=(0.5, 0.75), eps=0.1)
    opt.step()
    p.grad = np.array([-1.0])
    opt.step()
    m1, v1 = 1.0, 1.0  # (1-b1) g, (1-b2) g^2 with g = 2
    m2, v2 = 0.5 * m1 + 0.5 * -1.0, 0.75 * v1 + 0.25 * 1.0
    step1 = 0.1 / 0.5 * m1 / (math.sqrt(v1) / math.sqrt(0.25) + 0.1)
    step2 = 0.1 / 0.75 * m2 / (math.sqrt(v2) / math.sqrt(1 - 0.75**2) + 0.1)
    np.testing.assert_allclose(p.data, [1.0 - step1 - step2], rtol=1e-14)


def test_adam_weight_decay_is_l2_added_to_the_gradient():
    p, q = _param([3.0], [1.0]), _param([3.0], [1.0 + 0.1 * 3.0])
    optim.Adam([p], lr=0.1, weight_decay=0.1).step()
    optim.Adam([q], lr=0.1).step()
    np.testing.assert_array_equal(p.data, q.data)


def test_parameters_without_gradient_are_skipped():
    p, q = _param([1.0], [1.0]), _param([1.0])
    for opt in (optim.SGD([p, q], lr=0.1, momentum=0.9), optim.Adam([p, q])):
        opt.step()
        np.testing.assert_array_equal(q.data, [1.0])
        assert q not in opt.state


def test_zero_grad_clears_every_parameter():
    p = _param([1.0], [1.0])
    opt = optim.Adam([p])
    opt.zero_grad()
    assert p.grad is None


def test_float32_parameters_stay_float32():
    p = nn.Parameter(np.ones(3, dtype=np.float32))
    for opt in (optim.SGD([p], lr=0.1, momentum=0.9, weight_decay=0.1), optim.Adam([p])):
        p.grad = np.ones(3, dtype=np.float32)
        opt.step()
        opt.step()
        assert p.data.dtype == np.float32


def test_parameter_groups_take_their_own_learning_rate():
    p, q = _param([0.0], [1.0]), _param([0.0], [1.0])
    opt = optim.SGD([{"params": [p]}, {"params": [q], "lr": 1.0}], lr=0.1)
    opt.step()
    np.testing.assert_allclose([p.data[0], q.data[0]], [-0.1, -1.0])
    opt.param_groups[0]["lr"] = 0.5
    opt.step()
    np.testing.assert_allclose(p.data, [-0.6])


def test_model_parameters_generator_is_accepted():
    model = nn.Sequential(nn.Linear(3, 2))
    opt = optim.SGD(model.parameters(), lr=0.1)
    assert len(opt.param_groups[0]["params"]) == 2
    assert "lr: 0.1" in repr(opt)


@pytest.mark.parametrize(
    ("make", "error", "match"),
    [
        (lambda p: optim.SGD(p, lr=0.0), ValueError, r"lr \(=0.0\) must be positive \(> 0\)"),
        (lambda p: optim.SGD(p, lr=-1), ValueError, r"lr \(=-1\) must be positive"),
        (
            lambda p: optim.SGD(p, lr=0.1, momentum=-0.9),
            ValueError,
            r"momentum \(=-0.9\) must be non-negative",
        ),
        (
            lambda p: optim.SGD(p, lr=0.1, weight_decay=-1e-4),
            ValueError,
            r"weight_decay \(=-0.0001\) must be non-negative",
        ),
        (
            lambda p: optim.SGD(p, lr=0.1, nesterov=True),
            ValueError,
            r"nesterov \(=True\) needs momentum > 0",
        ),
        (
            lambda p: optim.SGD(p, lr=0.1, momentum=0.9, nesterov=True, dampening=0.1),
            ValueError,
            r"dampening == 0",
        ),
        (lambda p: optim.SGD(p, lr="0.1"), TypeError, r"lr \(='0.1'\) must be a real number"),
        (lambda p: optim.Adam(p, lr=0), ValueError, r"lr \(=0\) must be positive"),
        (
            lambda p: optim.Adam(p, betas=(0.9, 1.0)),
            ValueError,
            r"betas\[1\] \(=1.0\) must be in \[0, 1\)",
        ),
        (
            lambda p: optim.Adam(p, betas=(-0.1, 0.9)),
            ValueError,
            r"betas\[0\] \(=-0.1\) must be in \[0, 1\)",
        ),
        (lambda p: optim.Adam(p, betas=0.9), TypeError, r"betas \(=0.9\) must be a pair"),
        (lambda p: optim.Adam(p, eps=-1e-8), ValueError, r"eps \(=-1e-08\) must be non-negative"),
        (
            lambda p: optim.Adam(p, weight_decay=-1),
            ValueError,
            r"weight_decay \(=-1\) must be non-negative",
        ),
        (lambda p: optim.SGD([], lr=0.1), ValueError, r"SGD got an empty parameter list"),
        (
            lambda p: optim.Adam([np.zeros(2)]),
            TypeError,
            r"Adam optimises cnnbook.nn.Parameter objects; got ndarray",
        ),
        (
            lambda p: optim.SGD([{"params": p}, {"params": p}], lr=0.1),
            ValueError,
            r"more than one parameter group",
        ),
    ],
)
def test_bad_arguments_are_named(make, error, match):
    with pytest.raises(error, match=match):
        make([_param([1.0])])
