"""The Deep Learning page's claims: XOR data, backprop by hand, gradient descent, the check."""

from __future__ import annotations

import numpy as np
import pytest

from cnnbook import (
    gradient_check,
    gradient_descent,
    nn,
    numerical_gradient,
    two_layer_network,
    xor_data,
)
from cnnbook.optim import SGD


def test_xor_labels_are_the_xor_of_the_corner_signs():
    x, y = xor_data(500, noise=0.0, seed=3)
    assert x.shape == (500, 2) and y.dtype == np.int64
    assert set(map(tuple, x)) == {(1.0, 1.0), (-1.0, -1.0), (1.0, -1.0), (-1.0, 1.0)}
    np.testing.assert_array_equal(y, (x[:, 0] * x[:, 1] < 0).astype(np.int64))
    assert 0.4 < y.mean() < 0.6  # both classes present in about equal numbers


def test_xor_data_is_reproducible_from_its_seed_and_differs_between_seeds():
    a, b, c = xor_data(seed=0), xor_data(seed=0), xor_data(seed=1)
    np.testing.assert_array_equal(a[0], b[0])
    assert not np.array_equal(a[0], c[0])


@pytest.mark.parametrize("activation", ["tanh", "relu", "sigmoid"])
def test_backward_equals_the_chain_rule_written_by_hand(activation):
    x, y = xor_data(30, seed=2)
    model = two_layer_network(5, activation, rng=1)
    loss_fn = nn.CrossEntropyLoss()
    loss_fn(model(x), y)
    model.zero_grad()
    model.backward(loss_fn.backward())
    w1, b1, w2, b2 = (p.data for p in model.parameters())
    z1 = x @ w1.T + b1
    h = {
        "tanh": np.tanh,
        "relu": lambda z: np.maximum(z, 0),
        "sigmoid": lambda z: 1 / (1 + np.exp(-z)),
    }[activation](z1)
    dh_dz = {"tanh": 1 - h**2, "relu": (z1 > 0) * 1.0, "sigmoid": h * (1 - h)}[activation]
    z2 = h @ w2.T + b2
    probs = np.exp(z2 - z2.max(1, keepdims=True))
    probs /= probs.sum(1, keepdims=True)
    dz2 = (probs - np.eye(2)[y]) / len(y)
    dz1 = (dz2 @ w2) * dh_dz
    expected = [dz1.T @ x, dz1.sum(0), dz2.T @ h, dz2.sum(0)]
    for p, e in zip(model.parameters(), expected, strict=True):
        np.testing.assert_allclose(p.grad, e, rtol=0, atol=1e-14)


@pytest.mark.parametrize("activation", ["tanh", "relu", "sigmoid"])
def test_backpropagation_agrees_with_finite_differences(activation):
    x, y = xor_data(40, seed=5)
    errors = gradient_check(two_layer_network(6, activation, rng=2), x, y)
    assert list(errors) == ["0.weight", "0.bias", "2.weight", "2.bias"]
    assert max(errors.values()) < 1e-8


def test_gradient_check_catches_a_wrong_backward():
    class Halved(nn.Linear):  # a deliberately wrong backward: half the weight gradient
        def backward(self, grad_output):
            out = super().backward(grad_output)
            self.weight.grad = self.weight.grad / 2
            return out

    x, y = xor_data(20, seed=0)
    model = two_layer_network(4, rng=0)
    wrong = nn.Sequential(
        model[0], model[1], Halved(4, 2, rng=np.random.default_rng(0), dtype=np.float64)
    )
    errors = gradient_check(wrong, x, y)
    assert errors["2.weight"] > 1e-3 and errors["0.weight"] < 1e-8


def test_gradient_check_leaves_the_parameters_and_clears_the_gradients():
    x, y = xor_data(20, seed=0)
    model = two_layer_network(3, rng=0)
    before = [p.data.copy() for p in model.parameters()]
    gradient_check(model, x, y)
    for p, b in zip(model.parameters(), before, strict=True):
        np.testing.assert_array_equal(p.data, b)
        assert p.grad is None


def test_gradient_descent_equals_a_hand_written_sgd_loop():
    x, y = xor_data(50, seed=4)
    model, twin = two_layer_network(4, rng=7), two_layer_network(4, rng=7)
    history = gradient_descent(model, x, y, steps=25, lr=0.3)
    loss_fn, losses = nn.CrossEntropyLoss(), []
    for _ in range(26):
        losses.append(loss_fn(twin(x), y))
        twin.zero_grad()
        twin.backward(loss_fn.backward())
        for p in twin.parameters():
            p.data -= 0.3 * p.grad
    np.testing.assert_allclose(history.loss, losses, rtol=0, atol=1e-14)
    for p, q in zip(model.parameters(), twin.parameters(), strict=True):
        # the twin took one update more (after the last measurement): undo it to compare
        np.testing.assert_allclose(p.data, q.data + 0.3 * q.grad, rtol=0, atol=1e-14)


def test_the_pages_two_layer_network_solves_xor_and_generalises():
    x, y = xor_data()
    model = two_layer_network(rng=0)
    history = gradient_descent(model, x, y)
    assert history.loss.shape == history.accuracy.shape == (301,)
    assert history.loss[0] > 0.5 and history.loss[-1] < 0.02
    assert history.accuracy[-1] == 1.0
    x_new, y_new = xor_data(seed=1)
    assert np.mean(model(x_new).argmax(1) == y_new) >= 0.99


def test_a_linear_model_cannot_learn_xor():
    # Four clusters at the corners of a square, XOR-labelled: a line separates at most three.
    x, y = xor_data()
    linear = nn.Sequential(nn.Linear(2, 2, rng=np.random.default_rng(0), dtype=np.float64))
    history = gradient_descent(linear, x, y)
    assert history.accuracy.max() <= 0.8
    assert history.loss[-1] > 0.6  # stuck near ln 2, a coin flip


def test_gradient_descent_accepts_another_optimizer():
    x, y = xor_data(100, seed=0)
    history = gradient_descent(
        two_layer_network(rng=0), x, y, steps=100, lr=0.1, optimizer=SGD, momentum=0.9
    )
    assert history.loss[-1] < 0.05


def test_numerical_gradient_of_the_loss_is_what_gradient_check_compares_with():
    x, y = xor_data(10, seed=1)
    model = two_layer_network(2, rng=3)
    w = model[2].weight
    loss_fn = nn.CrossEntropyLoss()

    def loss_at(v):
        saved = w.data.copy()
        w.data[...] = v
        value = loss_fn(model(x), y)
        w.data[...] = saved
        return value

    loss_fn(model(x), y)
    model.zero_grad()
    model.backward(loss_fn.backward())
    np.testing.assert_allclose(w.grad, numerical_gradient(loss_at, w.data.copy()), atol=1e-8)
