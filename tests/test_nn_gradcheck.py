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


def assert_gradients_match_finite_differences(
    model, x: np.ndarray, g: np.ndarray, rtol: float, atol: float
) -> None:
    """Assert that the gradients of ``sum(model(x) * g)`` equal central differences.

    The input's and every parameter's, entry by entry (`numerical_gradient`).
    """

    def objective() -> float:
        return float(np.sum(model(x) * g))

    model.zero_grad()
    model(x)
    grad_x = model.backward(g)
    np.testing.assert_allclose(grad_x, numerical_gradient(objective, x), rtol=rtol, atol=atol)
    for name, p in model.named_parameters():
        analytic = p.grad.copy()
        numeric = numerical_gradient(objective, p.data)
        np.testing.assert_allclose(analytic, numeric, rtol=rtol, atol=atol, err_msg=name)


def check_gradient_by_probes(
    f: Callable[[], float],
    arr: np.ndarray,
    analytic: np.ndarray,
    rng: np.random.Generator,
    *,
    probes: int = 3,
    rtol: float = 1e-6,
    atol: float = 1e-8,
    err_msg: str = "",
) -> None:
    """Check ``analytic == d f() / d arr`` with a few central differences instead of one per entry.

    For networks too big to difference entry by entry: one central difference along a
    random direction ``v`` checks ``sum(analytic * v)``, which involves every entry (a
    wrong entry changes it unless the error is orthogonal to ``v``: probability zero), and
    `probes` entries -- the largest in magnitude and random others -- are differenced one by
    one, so a wrong entry is also seen as such. `arr` is changed in place and restored.
    """
    saved = arr.copy()
    v = rng.standard_normal(arr.shape)
    arr += EPS * v
    up = f()
    arr[...] = saved - EPS * v
    down = f()
    arr[...] = saved
    # The entries' own tolerances add up over the sum (at most atol * sum|v|).
    np.testing.assert_allclose(
        (up - down) / (2 * EPS),
        np.sum(analytic * v),
        rtol=rtol,
        atol=atol * float(np.sum(np.abs(v))),
        err_msg=f"{err_msg}: directional derivative",
    )
    flat = [int(np.argmax(np.abs(analytic)))]
    flat += [int(i) for i in rng.choice(arr.size, size=min(probes, arr.size), replace=False)]
    for i in dict.fromkeys(flat):
        index = np.unravel_index(i, arr.shape)
        old = arr[index]
        arr[index] = old + EPS
        up = f()
        arr[index] = old - EPS
        down = f()
        arr[index] = old
        np.testing.assert_allclose(
            (up - down) / (2 * EPS),
            analytic[index],
            rtol=rtol,
            atol=atol,
            err_msg=f"{err_msg}: entry {index}",
        )


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
    assert_gradients_match_finite_differences(layer, x, g, rtol=1e-6, atol=1e-8)


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


@pytest.mark.parametrize("wrong", [(0, 0), (2, 3), (4, 1)])
def test_gradient_probes_pass_the_true_gradient_and_catch_one_wrong_entry(wrong):
    # f(a) = sum(a**3) has gradient 3 a**2; a wrong entry that is neither the largest nor
    # a random probe is still caught, by the directional derivative.
    rng = np.random.default_rng(5)
    a = rng.standard_normal((5, 4))
    true = 3 * a**2
    check_gradient_by_probes(lambda: float(np.sum(a**3)), a, true, np.random.default_rng(0))
    broken = true.copy()
    broken[wrong] += 1e-3
    with pytest.raises(AssertionError, match=r"directional derivative|entry"):
        check_gradient_by_probes(lambda: float(np.sum(a**3)), a, broken, np.random.default_rng(0))
    np.testing.assert_array_equal(a, np.random.default_rng(5).standard_normal((5, 4)))
