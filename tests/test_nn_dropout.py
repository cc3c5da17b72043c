"""Dropout: inverted scaling, a Generator-drawn mask, identity at evaluation, errors."""

from __future__ import annotations

import numpy as np
import pytest

from cnnbook import nn


def test_training_output_is_masked_input_over_keep_probability():
    drop = nn.Dropout(0.25, rng=np.random.default_rng(0))
    x = np.random.default_rng(1).standard_normal((50, 40))
    y = drop(x)
    kept = y != 0
    np.testing.assert_allclose(y[kept], x[kept] / 0.75)
    np.testing.assert_allclose(drop.backward(np.ones_like(x)), kept / 0.75)


def test_fraction_dropped_is_close_to_p():
    y = nn.Dropout(0.3, rng=np.random.default_rng(0))(np.ones((200, 200)))
    assert abs((y == 0).mean() - 0.3) < 0.01  # 40,000 Bernoulli draws: sd 0.0023


def test_same_generator_seed_gives_same_mask():
    x = np.ones((10, 10))
    a = nn.Dropout(0.5, rng=np.random.default_rng(3))(x)
    b = nn.Dropout(0.5, rng=np.random.default_rng(3))(x)
    np.testing.assert_array_equal(a, b)


def test_eval_mode_and_p_zero_are_the_identity():
    x = np.random.default_rng(0).standard_normal((4, 4))
    drop = nn.Dropout(0.5).eval()
    assert drop(x) is x and drop.backward(x) is x
    np.testing.assert_array_equal(nn.Dropout(0.0)(x), x)


def test_p_one_zeroes_everything():
    np.testing.assert_array_equal(nn.Dropout(1.0)(np.ones(5)), np.zeros(5))


def test_an_injected_mask_is_used():
    y = nn.Dropout(0.5)(np.array([1.0, 2.0, 3.0]), mask=np.array([False, True, True]))
    np.testing.assert_array_equal(y, [0.0, 4.0, 6.0])


def test_inplace_writes_into_the_input():
    x = np.ones(3)
    y = nn.Dropout(0.5, inplace=True)(x, mask=np.array([True, False, True]))
    assert y is x
    np.testing.assert_array_equal(x, [2.0, 0.0, 2.0])


def test_float32_mask_keeps_float32():
    y = nn.Dropout(0.5, rng=np.random.default_rng(0))(np.ones(10, dtype=np.float32))
    assert y.dtype == np.float32


@pytest.mark.parametrize("p", [-0.1, 1.5, "0.5"])
def test_p_outside_zero_one_is_refused(p):
    with pytest.raises(ValueError, match=r"p \(=.*\) must be a probability in \[0, 1\]"):
        nn.Dropout(p)


def test_mask_of_wrong_shape_is_refused():
    with pytest.raises(ValueError, match=r"mask has shape \(2,\); input has \(3,\)"):
        nn.Dropout(0.5)(np.ones(3), mask=np.ones(2, dtype=bool))


def test_integer_input_is_refused():
    with pytest.raises(
        TypeError, match=r"Dropout\(p=0.5, inplace=False\) got input of dtype int64"
    ):
        nn.Dropout(0.5)(np.ones(3, dtype=np.int64))


def test_a_float_mask_is_refused_rather_than_read_as_keep():
    with pytest.raises(TypeError, match=r"mask has dtype float64; expected a boolean array"):
        nn.Dropout(0.5)(np.ones(3), mask=np.array([0.3, 1.0, 0.0]))


def test_half_precision_input_is_dropped_out_in_half_precision():
    drop = nn.Dropout(0.5, rng=np.random.default_rng(0))
    y = drop(np.ones(1000, dtype=np.float16))
    assert y.dtype == np.float16
    assert set(np.unique(y)) == {0.0, 2.0}
    assert 400 < np.count_nonzero(y) < 600
