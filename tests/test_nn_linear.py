"""Linear and Flatten: hand-derived products, shapes, errors naming the layer."""

from __future__ import annotations

import numpy as np
import pytest

from cnnbook import nn


def _fc() -> nn.Linear:
    fc = nn.Linear(2, 3, dtype=np.float64)
    fc.weight.data[...] = [[1.0, 0.0], [0.0, 2.0], [1.0, 1.0]]
    fc.bias.data[...] = [0.0, 1.0, -1.0]
    return fc


def test_linear_computes_x_times_w_transposed_plus_b():
    np.testing.assert_array_equal(_fc()(np.array([[3.0, 4.0]])), [[3.0, 9.0, 6.0]])


def test_linear_gradients_are_g_w_and_g_transposed_x():
    fc = _fc()
    x = np.array([[3.0, 4.0], [1.0, -1.0]])
    fc(x)
    g = np.array([[1.0, 0.0, 2.0], [0.0, 1.0, 0.0]])
    np.testing.assert_array_equal(fc.backward(g), [[3.0, 2.0], [0.0, 2.0]])
    np.testing.assert_array_equal(fc.weight.grad, [[3.0, 4.0], [1.0, -1.0], [6.0, 8.0]])
    np.testing.assert_array_equal(fc.bias.grad, [1.0, 1.0, 2.0])


def test_linear_accepts_extra_leading_axes():
    fc = nn.Linear(4, 2, rng=np.random.default_rng(0), dtype=np.float64)
    x = np.random.default_rng(1).standard_normal((2, 3, 4))
    y = fc(x)
    assert y.shape == (2, 3, 2)
    np.testing.assert_allclose(y[1, 2], fc(x[1, 2][None])[0])


def test_linear_without_bias_has_one_parameter():
    fc = nn.Linear(3, 2, bias=False)
    assert fc.bias is None and [n for n, _ in fc.named_parameters()] == ["weight"]
    assert repr(fc) == "Linear(in_features=3, out_features=2, bias=False)"


def test_linear_init_bound_is_one_over_sqrt_in_features():
    fc = nn.Linear(16, 200, rng=np.random.default_rng(0))
    assert np.abs(fc.weight.data).max() <= 0.25 and np.abs(fc.bias.data).max() <= 0.25


def test_linear_shape_mismatch_names_the_layer_and_the_shapes():
    with pytest.raises(
        ValueError,
        match=r"Linear\(in_features=64, out_features=10, bias=True\) got input of shape "
        r"\(5, 72\); expected \(N, 64\)",
    ):
        nn.Linear(64, 10)(np.zeros((5, 72), dtype=np.float32))


def test_linear_refuses_integer_input():
    with pytest.raises(TypeError, match=r"Linear\(.*\) got input of dtype int64"):
        nn.Linear(2, 2)(np.zeros((1, 2), dtype=np.int64))


@pytest.mark.parametrize(
    ("args", "error", "match"),
    [
        ((0, 3), ValueError, r"in_features \(=0\) must be positive"),
        ((3, True), TypeError, r"out_features \(=True\) must be an int"),
    ],
)
def test_linear_bad_sizes_are_named(args, error, match):
    with pytest.raises(error, match=match):
        nn.Linear(*args)


@pytest.mark.parametrize(
    ("start", "end", "shape"),
    [(1, -1, (2, 60)), (0, -1, (120,)), (2, 3, (2, 3, 20)), (1, 2, (2, 12, 5))],
)
def test_flatten_merges_the_axes_torch_merges(start, end, shape):
    x = np.arange(120.0).reshape(2, 3, 4, 5)
    f = nn.Flatten(start, end)
    y = f(x)
    assert y.shape == shape
    np.testing.assert_array_equal(y.ravel(), x.ravel())
    assert f.backward(y).shape == x.shape


def test_flatten_of_too_few_axes_names_the_layer():
    with pytest.raises(
        ValueError, match=r"Flatten\(start_dim=1, end_dim=-1\) got input of shape \(3,\)"
    ):
        nn.Flatten()(np.zeros(3))
