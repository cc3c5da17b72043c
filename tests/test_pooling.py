"""Pooling: shapes, linearity, monotonicity, hand-derivable values, finite differences, errors."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cnnbook import (
    avg_pool2d,
    avg_pool2d_backward,
    global_avg_pool2d,
    global_avg_pool2d_backward,
    global_max_pool2d,
    global_max_pool2d_backward,
    max_pool2d,
    max_pool2d_backward,
    pool_output_size,
)


@st.composite
def pool_args(draw, with_dilation=True):
    k = (draw(st.integers(1, 4)), draw(st.integers(1, 4)))
    s = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    p = (draw(st.integers(0, k[0] // 2)), draw(st.integers(0, k[1] // 2)))
    d = (draw(st.integers(1, 3)), draw(st.integers(1, 3))) if with_dilation else (1, 1)
    ceil_mode = draw(st.booleans())
    span = [d[a] * (k[a] - 1) + 1 for a in range(2)]
    h = draw(st.integers(max(1, span[0] - 2 * p[0]), 12))
    w = draw(st.integers(max(1, span[1] - 2 * p[1]), 12))
    shape = (draw(st.integers(1, 2)), draw(st.integers(1, 3)), h, w)
    args = dict(kernel_size=k, stride=s, padding=p, ceil_mode=ceil_mode)
    if with_dilation:
        args["dilation"] = d
    return shape, args


def _sizes(shape, args):
    k, s, p = args["kernel_size"], args["stride"], args["padding"]
    d = args.get("dilation", (1, 1))
    return tuple(
        pool_output_size(shape[2 + a], k[a], s[a], p[a], d[a], args["ceil_mode"]) for a in range(2)
    )


@given(pool_args(), st.integers(0, 2**31))
def test_max_pool_output_shape_equals_pool_output_size(case, seed):
    shape, args = case
    x = np.random.default_rng(seed).standard_normal(shape)
    assert max_pool2d(x, **args).shape == (*shape[:2], *_sizes(shape, args))


@given(pool_args(with_dilation=False), st.integers(0, 2**31))
def test_avg_pool_output_shape_equals_pool_output_size(case, seed):
    shape, args = case
    x = np.random.default_rng(seed).standard_normal(shape)
    assert avg_pool2d(x, **args).shape == (*shape[:2], *_sizes(shape, args))


@given(pool_args(with_dilation=False), st.integers(0, 2**31), st.floats(-3, 3), st.floats(-3, 3))
def test_avg_pool_is_linear(case, seed, a, b):
    shape, args = case
    rng = np.random.default_rng(seed)
    x, y = rng.standard_normal(shape), rng.standard_normal(shape)
    np.testing.assert_allclose(
        avg_pool2d(a * x + b * y, **args),
        a * avg_pool2d(x, **args) + b * avg_pool2d(y, **args),
        atol=1e-12,
    )


@given(pool_args(with_dilation=False), st.integers(0, 2**31))
def test_avg_pool_backward_is_the_adjoint_of_the_forward(case, seed):
    shape, args = case
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape)
    g = rng.standard_normal(avg_pool2d(x, **args).shape)
    lhs = np.vdot(avg_pool2d(x, **args), g)
    np.testing.assert_allclose(lhs, np.vdot(x, avg_pool2d_backward(g, x, **args)), rtol=1e-10)


@pytest.mark.parametrize(
    "f", [np.exp, np.tanh, np.cbrt, lambda v: 3 * v + 1], ids=["exp", "tanh", "cbrt", "affine"]
)
@given(case=pool_args(), seed=st.integers(0, 2**31))
def test_max_pool_commutes_with_monotone_increasing_functions(f, case, seed):
    shape, args = case
    x = np.random.default_rng(seed).standard_normal(shape)
    np.testing.assert_allclose(max_pool2d(f(x), **args), f(max_pool2d(x, **args)), rtol=1e-12)


@given(pool_args(), st.integers(0, 2**31))
def test_max_pool_indices_point_at_the_pooled_values(case, seed):
    shape, args = case
    x = np.random.default_rng(seed).standard_normal(shape)
    out, idx = max_pool2d(x, return_indices=True, **args)
    n, c, h, w = shape
    np.testing.assert_array_equal(
        np.take_along_axis(x.reshape(n, c, h * w), idx.reshape(n, c, -1), -1), out.reshape(n, c, -1)
    )


def test_max_pool_ties_go_to_the_first_maximum_in_row_major_order():
    x = np.array([[[[0.0, 5.0], [5.0, 5.0]]]])
    out, idx = max_pool2d(x, 2, return_indices=True)
    assert out.item() == 5.0 and idx.item() == 1
    np.testing.assert_array_equal(
        max_pool2d_backward(np.ones((1, 1, 1, 1)), x, 2), [[[[0, 1], [0, 0]]]]
    )


def test_avg_pool_ceil_window_past_padded_input_is_divided_by_its_part_inside():
    # 6 cells, k=3, s=2, no padding, ceil: the last window starts at 4 and holds cells 4, 5 only.
    x = np.array([[[[1.0, 2, 3, 4, 5, 6]]]])
    out = avg_pool2d(x, (1, 3), stride=(1, 2), ceil_mode=True, count_include_pad=True)
    np.testing.assert_allclose(out, [[[[2.0, 4.0, 5.5]]]])


def test_avg_pool_count_include_pad_divides_border_windows_by_the_full_area():
    x = np.ones((1, 1, 3, 3))
    with_pad = avg_pool2d(x, 3, stride=1, padding=1)
    without = avg_pool2d(x, 3, stride=1, padding=1, count_include_pad=False)
    assert with_pad[0, 0, 0, 0] == pytest.approx(4 / 9) and with_pad[0, 0, 1, 1] == 1.0
    np.testing.assert_allclose(without, np.ones((1, 1, 3, 3)))


def _finite_difference(f, x, g, eps=1e-6):
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        e = np.zeros_like(x)
        e[i] = eps
        grad[i] = (np.vdot(f(x + e), g) - np.vdot(f(x - e), g)) / (2 * eps)
    return grad


@pytest.mark.parametrize("kind", ["max", "avg"])
def test_pool_backward_matches_finite_differences(kind):
    rng = np.random.default_rng(0)
    x = rng.permutation(2 * 5 * 6).reshape(1, 2, 5, 6) / 7.0  # distinct values: max is smooth
    if kind == "max":
        args = dict(kernel_size=3, stride=2, padding=1, dilation=1, ceil_mode=True)
        fwd, bwd = max_pool2d, max_pool2d_backward
    else:
        args = dict(kernel_size=3, stride=2, padding=1, ceil_mode=True, count_include_pad=False)
        fwd, bwd = avg_pool2d, avg_pool2d_backward
    g = rng.standard_normal(fwd(x, **args).shape)
    expected = _finite_difference(lambda v: fwd(v, **args), x, g)
    np.testing.assert_allclose(bwd(g, x, **args), expected, atol=1e-7)


def test_integer_input_keeps_dtype_in_max_and_is_averaged_in_float64():
    x = np.arange(16).reshape(1, 1, 4, 4)
    assert max_pool2d(x, 2, padding=1).dtype == x.dtype
    np.testing.assert_array_equal(
        max_pool2d(x, 2, padding=1), [[[[0, 2, 3], [8, 10, 11], [12, 14, 15]]]]
    )
    np.testing.assert_allclose(avg_pool2d(x, 2), [[[[2.5, 4.5], [10.5, 12.5]]]])
    assert max_pool2d_backward(np.ones((1, 1, 2, 2)), x, 2).dtype == np.float64


def test_global_pooling_reduces_each_channel_to_its_mean_and_max():
    x = np.random.default_rng(0).standard_normal((2, 3, 4, 5))
    np.testing.assert_allclose(global_avg_pool2d(x)[..., 0, 0], x.mean(axis=(2, 3)))
    np.testing.assert_array_equal(global_max_pool2d(x)[..., 0, 0], x.max(axis=(2, 3)))


def test_global_pooling_equals_pooling_with_the_whole_map_as_window():
    x = np.random.default_rng(0).standard_normal((2, 3, 4, 5))
    g = np.random.default_rng(1).standard_normal((2, 3, 1, 1))
    np.testing.assert_allclose(global_avg_pool2d(x), avg_pool2d(x, (4, 5)))
    np.testing.assert_allclose(global_avg_pool2d_backward(g, x), avg_pool2d_backward(g, x, (4, 5)))
    np.testing.assert_allclose(global_max_pool2d_backward(g, x), max_pool2d_backward(g, x, (4, 5)))


X = np.zeros((1, 1, 5, 5))


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (
            lambda: max_pool2d(X, 3, padding=2),
            r"padding \(=2\) must be at most half of kernel_size \(=3\)",
        ),
        (
            lambda: avg_pool2d(X, (2, 4), padding=(1, 3)),
            r"padding \(=\(1, 3\)\) must be at most half",
        ),
        (
            lambda: max_pool2d(X, 7),
            r"kernel_size \(=7\) .* spans 7 cells, larger than the padded input \(5 \+ 2\*0 = 5\)",
        ),
        (lambda: max_pool2d(X, 3, dilation=3), r"dilation \(=3\) spans 7 cells"),
        (lambda: max_pool2d(X, 2, stride=0), r"stride \(=0\) must be positive"),
        (lambda: avg_pool2d(X, 2, stride=(1, -1)), r"stride \(=\(1, -1\)\) must be positive"),
        (lambda: max_pool2d(X, 0), r"kernel_size \(=0\) must be positive"),
        (lambda: max_pool2d(X, 2, padding=-1), r"padding \(=-1\) must be non-negative"),
        (lambda: max_pool2d(X, 2, dilation=0), r"dilation \(=0\) must be positive"),
        (lambda: max_pool2d(np.zeros((5, 5)), 2), r"x has ndim 2 \(shape \(5, 5\)\); expected 4"),
        (lambda: avg_pool2d(np.zeros((0, 1, 5, 5)), 2), r"x is empty"),
        (lambda: avg_pool2d(X, 2, divisor_override=0), r"divisor_override \(=0\) must be positive"),
        (
            lambda: max_pool2d_backward(np.ones((1, 1, 3, 3)), X, 2),
            r"grad_output has shape \(1, 1, 3, 3\); expected exactly \(1, 1, 2, 2\)",
        ),
        (
            lambda: max_pool2d_backward(
                np.ones((1, 1, 2, 2)), X, 2, indices=np.zeros((1, 1, 2), int)
            ),
            r"indices has shape \(1, 1, 2\)",
        ),
        (
            lambda: avg_pool2d_backward(np.ones((1, 1, 2, 3)), X, 2),
            r"grad_output has shape \(1, 1, 2, 3\)",
        ),
        (
            lambda: global_max_pool2d_backward(np.ones((1, 1, 2, 2)), X),
            r"grad_output has shape \(1, 1, 2, 2\); expected exactly \(1, 1, 1, 1\)",
        ),
    ],
)
def test_bad_arguments_raise_value_error_naming_argument_value_and_rule(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_non_numeric_input_raises_type_error():
    with pytest.raises(TypeError, match=r"x has dtype <U1; expected a real numeric array"):
        max_pool2d(np.full((1, 1, 2, 2), "a"), 2)
