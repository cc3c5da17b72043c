"""Translation: each textbook claim about equivariance and invariance, as a measured number."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cnnbook import (
    conv2d,
    conv2d_circular,
    equivariance_error,
    error_vs_shift,
    global_avg_pool2d,
    global_max_pool2d,
    invariance_error,
    max_pool2d,
    shift,
)

RNG = np.random.default_rng(0)
X = RNG.standard_normal((2, 3, 16, 16))
W = RNG.standard_normal((4, 3, 3, 3))


def _smooth(size=32, seed=1):
    """Blurred noise: neighbouring pixels are alike, as in photographs."""
    noise = np.random.default_rng(seed).standard_normal((1, 1, size, size))
    return conv2d_circular(conv2d_circular(noise, np.ones((1, 1, 5, 5))), np.ones((1, 1, 5, 5)))


def _max_2x2(v):
    return max_pool2d(v, 2)


@given(st.integers(-5, 5), st.integers(-5, 5))
def test_shift_zero_fill_keeps_the_overlap_and_zeros_the_rest(dy, dx):
    x = np.arange(1, 1 + 6 * 7).reshape(6, 7)
    out = shift(x, dy, dx)
    for i, j in np.ndindex(out.shape):
        si, sj = i - dy, j - dx
        assert out[i, j] == (x[si, sj] if 0 <= si < 6 and 0 <= sj < 7 else 0)


@given(st.integers(-9, 9), st.integers(-9, 9))
def test_circular_shift_is_invertible_and_composes(dy, dx):
    np.testing.assert_array_equal(shift(shift(X, dy, dx, "circular"), -dy, -dx, "circular"), X)
    np.testing.assert_array_equal(
        shift(shift(X, dy, 0, "circular"), 0, dx, "circular"), shift(X, dy, dx, "circular")
    )


def test_conv2d_circular_equals_conv2d_where_no_wrapping_happens():
    interior = conv2d(X, W)  # valid: rows/cols 1..14 of the "same" output
    np.testing.assert_allclose(conv2d_circular(X, W)[..., 1:-1, 1:-1], interior, atol=1e-12)


@given(st.integers(-8, 8), st.integers(-8, 8))
def test_conv_with_circular_padding_is_exactly_shift_equivariant(dy, dx):
    assert equivariance_error(lambda v: conv2d_circular(v, W), X, (dy, dx)) < 1e-14


@pytest.mark.parametrize("d", [1, 2, 3])
def test_conv_with_zero_padding_is_equivariant_only_away_from_the_borders(d):
    f = lambda v: conv2d(v, W, padding=1)  # noqa: E731
    assert equivariance_error(f, X, (d, -d), mode="zero") > 0.05
    # cells at least d + k//2 from a border never see the zeros that came in
    assert equivariance_error(f, X, (d, -d), mode="zero", crop=d + 1) < 1e-14


@pytest.mark.parametrize("d", [2, 4, -6])
def test_stride_keeps_equivariance_for_shifts_that_are_multiples_of_the_stride(d):
    f = lambda v: conv2d_circular(v, W, stride=2)  # noqa: E731
    assert equivariance_error(f, X, (d, d), stride=2) < 1e-14


@pytest.mark.parametrize("d", [1, 3, -5])
def test_stride_breaks_equivariance_for_other_shifts(d):
    f = lambda v: conv2d_circular(v, W, stride=2)  # noqa: E731
    assert equivariance_error(f, X, (0, d), stride=2) > 0.3


def test_max_pooling_is_only_locally_invariant_error_grows_with_the_shift():
    features = np.abs(_smooth())  # a smooth, non-negative feature map (as after a ReLU)
    _, none = error_vs_shift(lambda v: v, features, range(9))
    _, pool2 = error_vs_shift(_max_2x2, features, range(9))
    _, pool4 = error_vs_shift(lambda v: max_pool2d(v, 4), features, range(9))
    assert pool4[1] < pool2[1] < none[1]  # bigger windows absorb a small shift better...
    assert np.all(np.diff(pool2[:6]) > 0) and pool2[8] > 2 * pool2[1]  # ...but only a small one


def test_max_pooling_is_far_from_invariant_on_noise():
    # no smoothness, no invariance: a one-pixel shift changes most 2x2 maxima
    assert invariance_error(_max_2x2, X, (0, 1)) > 0.3


@pytest.mark.parametrize("k", [2, 4])
@given(m=st.integers(-3, 3), n=st.integers(-3, 3))
def test_max_pooling_is_exactly_equivariant_at_its_own_scale(k, m, n):
    # a shift by (k*m, k*n) is exactly a shift by (m, n) of the k x k pooled map...
    f = lambda v: max_pool2d(v, k)  # noqa: E731
    assert equivariance_error(f, X, (k * m, k * n), stride=k) < 1e-14
    # ...while its invariance error is large: the pooled map moved, as it should
    if (m, n) != (0, 0):
        assert invariance_error(f, X, (k * m, k * n)) > 0.3


@pytest.mark.parametrize("pool", [global_avg_pool2d, global_max_pool2d], ids=["avg", "max"])
@given(dy=st.integers(-15, 15), dx=st.integers(-15, 15))
def test_global_pooling_after_stride_one_circular_conv_is_exactly_invariant(pool, dy, dx):
    f = lambda v: pool(np.maximum(conv2d_circular(v, W), 0))  # noqa: E731
    assert invariance_error(f, X, (dy, dx)) < 1e-14


def test_error_vs_shift_measures_along_rows_or_columns():
    f = lambda v: conv2d(v, W, padding=1)  # noqa: E731
    _, cols = error_vs_shift(f, X, [2], measure="equivariance", mode="zero")
    _, rows = error_vs_shift(f, X, [2], measure="equivariance", axis=-2, mode="zero")
    assert cols[0] == equivariance_error(f, X, (0, 2), mode="zero")
    assert rows[0] == equivariance_error(f, X, (2, 0), mode="zero")


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (
            lambda: shift(X, 1, 1, mode="reflect"),
            r"mode \(='reflect'\) must be \"zero\" or \"circular\"",
        ),
        (
            lambda: equivariance_error(_max_2x2, X, (1, 1), stride=0),
            r"stride \(=0\) must be positive",
        ),
        (
            lambda: equivariance_error(_max_2x2, X, (1, 1), crop=-1),
            r"crop \(=-1\) must be non-negative",
        ),
        (
            lambda: equivariance_error(_max_2x2, X, (1, 1), crop=4),
            r"crop \(=\(4, 4\)\) leaves nothing of an output of size \(8, 8\)",
        ),
        (lambda: invariance_error(_max_2x2, np.zeros((1, 1, 4, 4)), (1, 1)), r"f\(x\) is zero"),
        (
            lambda: error_vs_shift(_max_2x2, X, [1], axis=0),
            r"axis \(=0\) must be -1 \(columns\) or -2 \(rows\)",
        ),
        (lambda: error_vs_shift(_max_2x2, X, [1], measure="both"), r"measure \(='both'\) must be"),
    ],
)
def test_bad_arguments_raise_value_error_naming_argument_value_and_rule(call, match):
    with pytest.raises(ValueError, match=match):
        call()
