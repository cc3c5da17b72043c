"""Finite differences: every layer's input and parameter gradients, and the loss's, in float64."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from cnnbook import nn

EPS = 1e-6


def numerical_gradient(f: Callable[[], float], arr: np.ndarray) -> np.ndarray:
    """Central differences of the scalar `f()` with respect to every entry of `arr` (in place)."""
    grad = np.zeros_like(arr)
    for i in np.ndindex(arr.shape):
        old = arr[i]
        arr[i] = old + EPS
        up = f()
        arr[i] = old - EPS
        down = f()
        arr[i] = old
        grad[i] = (up - down) / (2 * EPS)
    return grad


def _away_from_kinks(x: np.ndarray) -> np.ndarray:
    """Push entries away from 0 (ReLU's kink) so a step of EPS never crosses it."""
    return x + np.sign(x) * 0.05


LAYERS = {
    "conv": (lambda r: nn.Conv2d(2, 3, 3, rng=r, dtype=np.float64), (2, 2, 5, 5)),
    "conv_strided_padded": (
        lambda r: nn.Conv2d(2, 4, (3, 2), stride=2, padding=(1, 2), rng=r, dtype=np.float64),
        (2, 2, 6, 5),
    ),
    "conv_dilated_grouped": (
        lambda r: nn.Conv2d(4, 2, 2, dilation=2, groups=2, rng=r, dtype=np.float64),
        (1, 4, 5, 6),
    ),
    "conv_same_no_bias": (
        lambda r: nn.Conv2d(1, 2, 4, padding="same", bias=False, rng=r, dtype=np.float64),
        (2, 1, 5, 5),
    ),
    "maxpool": (lambda r: nn.MaxPool2d(2), (2, 2, 4, 6)),
    "maxpool_overlapping": (
        lambda r: nn.MaxPool2d(3, stride=2, padding=1, ceil_mode=True),
        (1, 2, 6, 7),
    ),
    "avgpool": (lambda r: nn.AvgPool2d(2), (2, 2, 4, 4)),
    "avgpool_padded": (
        lambda r: nn.AvgPool2d(3, 2, padding=1, count_include_pad=False),
        (1, 2, 5, 6),
    ),
    "relu": (lambda r: nn.ReLU(), (3, 4)),
    "tanh": (lambda r: nn.Tanh(), (3, 4)),
    "flatten": (lambda r: nn.Flatten(), (2, 3, 2)),
    "linear": (lambda r: nn.Linear(5, 3, rng=r, dtype=np.float64), (4, 5)),
    "dropout_eval": (lambda r: nn.Dropout(0.5).eval(), (3, 4)),
    "sequential": (
        lambda r: nn.Sequential(
            nn.Conv2d(1, 2, 3, padding=1, rng=r, dtype=np.float64),
            nn.Tanh(),
            nn.MaxPool2d(2),
            nn.Flatten(),
            nn.Linear(8, 3, rng=r, dtype=np.float64),
        ),
        (2, 1, 4, 4),
    ),
}


@pytest.mark.parametrize("name", list(LAYERS))
def test_backward_matches_finite_differences(name):
    make, shape = LAYERS[name]
    rng = np.random.default_rng(0)
    layer = make(rng)
    x = _away_from_kinks(rng.standard_normal(shape))
    g = rng.standard_normal(layer(x).shape)

    def objective() -> float:
        return float(np.sum(layer(x) * g))

    layer.zero_grad()
    layer(x)
    grad_x = layer.backward(g)
    np.testing.assert_allclose(grad_x, numerical_gradient(objective, x), atol=1e-8, rtol=1e-6)
    for pname, p in layer.named_parameters():
        numeric = numerical_gradient(objective, p.data)
        np.testing.assert_allclose(p.grad, numeric, atol=1e-8, rtol=1e-6, err_msg=pname)


def test_dropout_training_backward_matches_finite_differences_for_a_fixed_mask():
    rng = np.random.default_rng(1)
    x = rng.standard_normal((3, 5))
    mask = rng.random((3, 5)) > 0.4
    g = rng.standard_normal((3, 5))
    drop = nn.Dropout(0.4)
    drop(x, mask=mask)
    grad_x = drop.backward(g)
    numeric = numerical_gradient(lambda: float(np.sum(drop(x, mask=mask) * g)), x)
    np.testing.assert_allclose(grad_x, numeric, atol=1e-8)


@pytest.mark.parametrize("reduction", ["mean", "sum"])
def test_cross_entropy_gradient_matches_finite_differences(reduction):
    rng = np.random.default_rng(2)
    logits = 3 * rng.standard_normal((6, 4))
    targets = rng.integers(0, 4, 6)
    loss_fn = nn.CrossEntropyLoss(reduction=reduction)
    loss_fn(logits, targets)
    analytic = loss_fn.backward()
    numeric = numerical_gradient(lambda: loss_fn(logits, targets), logits)
    np.testing.assert_allclose(analytic, numeric, atol=1e-8)
