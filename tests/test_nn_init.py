"""nn.init: torch's fan computation, gains and bounds; the default generator and seed."""

from __future__ import annotations

import math

import numpy as np
import pytest

from cnnbook import nn
from cnnbook.nn import init


@pytest.mark.parametrize(
    ("shape", "fans"), [((10, 4), (4, 10)), ((8, 2, 3, 5), (30, 120)), ((1, 1, 1, 1), (1, 1))]
)
def test_fans_are_channels_times_kernel_area(shape, fans):
    assert init.fan_in_and_fan_out(shape) == fans


def test_kaiming_bound_with_a_sqrt5_is_one_over_sqrt_fan_in():
    assert math.sqrt(3) * init.calculate_gain("leaky_relu", math.sqrt(5)) == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("name", "gain"),
    [
        ("relu", math.sqrt(2)),
        ("tanh", 5 / 3),
        ("linear", 1.0),
        ("leaky_relu", math.sqrt(2 / 1.0001)),
    ],
)
def test_gains_are_torchs_formulas(name, gain):
    assert init.calculate_gain(name) == pytest.approx(gain, rel=1e-15)


def test_kaiming_uniform_fills_the_interval():
    w = init.kaiming_uniform_(np.empty((64, 9)), nonlinearity="relu", rng=np.random.default_rng(0))
    bound = math.sqrt(2) * math.sqrt(3 / 9)
    assert np.abs(w).max() <= bound and np.abs(w).max() > 0.99 * bound
    assert abs(w.mean()) < 0.05 and w.var() == pytest.approx(bound**2 / 3, rel=0.1)


def test_seed_makes_default_draws_repeatable():
    init.seed(7)
    a = nn.Conv2d(1, 2, 3).weight.data.copy()
    init.seed(7)
    np.testing.assert_array_equal(nn.Conv2d(1, 2, 3).weight.data, a)


def test_layers_draw_weight_then_bias_from_the_given_generator():
    fc = nn.Linear(4, 3, rng=np.random.default_rng(0), dtype=np.float64)
    rng = np.random.default_rng(0)
    np.testing.assert_allclose(fc.weight.data, rng.uniform(-0.5, 0.5, (3, 4)), rtol=1e-14)
    np.testing.assert_allclose(fc.bias.data, rng.uniform(-0.5, 0.5, 3), rtol=1e-14)


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (
            lambda: init.calculate_gain("swish"),
            ValueError,
            r"nonlinearity \(='swish'\) must be one of",
        ),
        (
            lambda: init.fan_in_and_fan_out((3,)),
            ValueError,
            r"need a weight of ndim >= 2; got shape \(3,\)",
        ),
        (
            lambda: init.kaiming_uniform_(np.empty((2, 2)), mode="fan"),
            ValueError,
            r"mode \(='fan'\)",
        ),
        (lambda: init.resolve_rng(42), TypeError, r"rng \(=42\) must be a numpy.random.Generator"),
    ],
)
def test_bad_arguments_are_named(call, error, match):
    with pytest.raises(error, match=match):
        call()
