"""SGD, Adam, AdamW: updates derivable by hand, state, groups, checks made at every step.

The refused arguments of every public optimizer are in tests/bad_input/test_optim.py.
"""

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


def test_sgd_takes_torchs_defaults_and_positional_order():
    p = _param([1.0], [1.0])
    opt = optim.SGD([p], 0.5, 0.9, 0.5, 0.1)  # lr, momentum, dampening, weight_decay
    group = opt.param_groups[0]
    assert (group["momentum"], group["dampening"], group["weight_decay"]) == (0.9, 0.5, 0.1)
    assert optim.SGD([p]).param_groups[0]["lr"] == 1e-3


@pytest.mark.parametrize(
    "make",
    [
        lambda p: optim.SGD(p, lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.1),
        lambda p: optim.Adam(p, lr=0.1, weight_decay=0.1, amsgrad=True),
        lambda p: optim.AdamW(p, lr=0.1),
    ],
)
def test_maximize_steps_exactly_opposite_to_minimizing_the_negated_gradient(make):
    p, q = _param([1.0, -2.0], [0.5, 3.0]), _param([1.0, -2.0], [-0.5, -3.0])
    ascend, descend = make([p]), make([q])
    for opt in (ascend, descend):
        opt.param_groups[0]["maximize"] = opt is ascend
    for _ in range(3):
        ascend.step()
        descend.step()
    np.testing.assert_array_equal(p.data, q.data)


def test_amsgrad_divides_by_the_largest_second_moment_seen():
    p = _param([0.0], [10.0])
    opt = optim.Adam([p], lr=1.0, betas=(0.0, 0.5), eps=0.0, amsgrad=True)
    opt.step()  # v = 50, step 1: -1
    p.grad = np.array([1.0])
    opt.step()  # v = 25.5 but max stays 50; m = 1 (beta1 = 0)
    expected = -1.0 - 1.0 / (np.sqrt(50.0) / np.sqrt(1 - 0.25))
    np.testing.assert_allclose(p.data, [expected], rtol=1e-15)


def test_adamw_shrinks_weights_by_one_minus_lr_times_decay_before_the_adam_step():
    p = _param([2.0, -4.0], [0.0, 0.0])
    opt = optim.AdamW([p], lr=0.1, weight_decay=0.5)
    for _ in range(3):
        opt.step()
    np.testing.assert_allclose(p.data, np.array([2.0, -4.0]) * 0.95**3, rtol=1e-15)
    assert opt.param_groups[0]["weight_decay"] == 0.5
    assert optim.AdamW([p]).param_groups[0]["weight_decay"] == 1e-2  # torch's default


def test_adamw_differs_from_adam_with_l2_penalty():
    p, q = _param([3.0], [1.0]), _param([3.0], [1.0])
    optim.AdamW([p], lr=0.1, eps=0.0, weight_decay=0.1).step()
    optim.Adam([q], lr=0.1, eps=0.0, weight_decay=0.1).step()
    np.testing.assert_allclose(p.data, [3.0 * (1 - 0.01) - 0.1], rtol=1e-12)
    np.testing.assert_allclose(q.data, [3.0 - 0.1], rtol=1e-12)  # L2 only rescales m and v


@pytest.mark.parametrize(
    "make",
    [
        lambda p: optim.SGD(p, lr=0.1, momentum=0.9, weight_decay=0.1, maximize=True),
        lambda p: optim.Adam(p, weight_decay=0.1, maximize=True, amsgrad=True),
        lambda p: optim.AdamW(p, maximize=True),
    ],
)
def test_no_optimizer_modifies_the_gradient(make):
    p = _param([1.0, 2.0], [2.0, -1.0])
    opt = make([p])
    opt.step()
    opt.step()
    np.testing.assert_array_equal(p.grad, [2.0, -1.0])


def test_a_negative_lr_set_after_construction_is_refused_at_step_before_any_update():
    p, q = _param([1.0], [1.0]), _param([1.0], [1.0])
    opt = optim.SGD([{"params": [p]}, {"params": [q]}], lr=0.1)
    opt.param_groups[1]["lr"] = -0.1
    with pytest.raises(
        ValueError, match=r"param_groups\[1\]\['lr'\] \(=-0.1\) must be non-negative"
    ):
        opt.step()
    np.testing.assert_array_equal(p.data, [1.0])  # group 0 was not updated either


@pytest.mark.parametrize(
    ("key", "value", "match"),
    [
        ("momentum", float("inf"), r"param_groups\[0\]\['momentum'\] \(=inf\) must be finite"),
        ("dampening", 1.5, r"param_groups\[0\]\['dampening'\] \(=1.5\) must be in \[0, 1\]"),
        ("nesterov", "False", r"param_groups\[0\]\['nesterov'\] \(='False'\) must be a bool"),
        ("lr", float("nan"), r"param_groups\[0\]\['lr'\] \(=nan\) must be finite"),
    ],
)
def test_sgd_hyperparameters_edited_after_construction_are_checked_at_step(key, value, match):
    p = _param([1.0], [1.0])
    opt = optim.SGD([p], lr=0.1, momentum=0.5)
    opt.param_groups[0][key] = value
    with pytest.raises((ValueError, TypeError), match=match):
        opt.step()


def test_adam_betas_edited_after_construction_are_checked_at_step():
    p = _param([1.0], [1.0])
    opt = optim.AdamW([p])
    opt.param_groups[0]["betas"] = (0.9, 1.0)
    with pytest.raises(
        ValueError, match=r"param_groups\[0\]\['betas'\]\[1\] \(=1.0\) must be in \[0, 1\)"
    ):
        opt.step()


def test_a_learning_rate_annealed_to_zero_is_a_valid_step_that_moves_nothing():
    p = _param([1.0], [1.0])
    opt = optim.SGD([p], lr=0.1)
    opt.param_groups[0]["lr"] = 0.0
    opt.step()
    np.testing.assert_array_equal(p.data, [1.0])


@pytest.mark.parametrize("make", [optim.SGD, optim.Adam, optim.AdamW])
def test_a_gradient_of_the_wrong_shape_is_refused_not_broadcast(make):
    p, q = _param(np.ones((2, 3)), np.ones((2, 3))), _param(np.ones((2, 3)))
    q.grad = np.ones(3)  # would broadcast against (2, 3)
    opt = make([p, q])
    with pytest.raises(
        ValueError, match=r"\['params'\]\[1\].grad has shape \(3,\); expected exactly \(2, 3\)"
    ):
        opt.step()
    np.testing.assert_array_equal(p.data, np.ones((2, 3)))  # checked before anything moved


def test_a_gradient_that_is_not_an_array_is_refused():
    p = _param([1.0, 2.0])
    p.grad = [1.0, 2.0]  # type: ignore[assignment]
    with pytest.raises(TypeError, match=r"\.grad is a list; expected a real-valued ndarray"):
        optim.Adam([p]).step()


def test_a_parameter_listed_twice_is_refused_not_updated_twice():
    p = _param([1.0], [1.0])
    with pytest.raises(ValueError, match=r"lists the same parameter twice \(at 0 and 1\)"):
        optim.SGD([p, p], lr=0.1)
    with pytest.raises(ValueError, match=r"more than one parameter group"):
        optim.SGD([{"params": [p]}, {"params": [p]}], lr=0.1)


def test_step_returns_the_closures_loss():
    p = _param([1.0], [1.0])
    assert optim.SGD([p], lr=0.1).step(lambda: 2.5) == 2.5


def test_zero_grad_without_set_to_none_keeps_a_zero_array():
    p = _param([1.0, 2.0], [3.0, 4.0])
    optim.SGD([p]).zero_grad(set_to_none=False)
    np.testing.assert_array_equal(p.grad, [0.0, 0.0])


def test_add_param_group_takes_defaults_for_missing_keys():
    p, q = _param([1.0]), _param([2.0])
    opt = optim.Adam([p], lr=0.01, amsgrad=True)
    opt.add_param_group({"params": q, "lr": 0.5})  # a single Parameter, as torch accepts
    assert opt.param_groups[1]["params"] == [q]
    assert (opt.param_groups[1]["lr"], opt.param_groups[1]["amsgrad"]) == (0.5, True)


def test_a_value_changed_in_place_after_a_step_is_still_checked_at_the_next():
    p = _param([1.0], [1.0])
    opt = optim.Adam([p], betas=[0.9, 0.999])
    opt.step()
    opt.param_groups[0]["betas"][1] = 1.5  # the same list object, edited in place
    with pytest.raises(ValueError, match=r"\['betas'\]\[1\] \(=1.5\) must be in \[0, 1\)"):
        opt.step()
