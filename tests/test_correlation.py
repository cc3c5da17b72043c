"""correlate2d / convolve2d equal SciPy's, their naive twins, and the algebra of convolution."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.signal
from hypothesis import given
from hypothesis import strategies as st

from cnnbook import (
    conv_output_size,
    convolve2d,
    convolve2d_naive,
    correlate2d,
    correlate2d_naive,
)

MODES = ["valid", "same", "full"]
# (image shape, kernel shape): odd, even, mixed, non-square, 1-wide, kernel == image,
# and (for same/full only) kernels larger than the image.
SHAPES = [
    ((6, 7), (3, 3)),
    ((6, 7), (2, 2)),
    ((6, 7), (4, 4)),
    ((5, 8), (2, 3)),
    ((8, 5), (3, 2)),
    ((4, 9), (1, 4)),
    ((1, 6), (1, 3)),
    ((5, 5), (5, 5)),
    ((4, 6), (4, 6)),
]
LARGER = [((2, 3), (4, 5)), ((3, 3), (5, 2)), ((1, 1), (2, 2))]
PAIRS = [
    (correlate2d, correlate2d_naive, scipy.signal.correlate2d),
    (convolve2d, convolve2d_naive, scipy.signal.convolve2d),
]
PAIR_IDS = ["correlate", "convolve"]


def _random(shape, seed, dtype=np.float64):
    rng = np.random.default_rng(seed)
    if np.dtype(dtype).kind == "f":
        return rng.standard_normal(shape).astype(dtype)
    return rng.integers(-9, 10, size=shape).astype(dtype)


@pytest.mark.parametrize(("ours", "naive", "reference"), PAIRS, ids=PAIR_IDS)
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("image_shape", "kernel_shape"), SHAPES)
def test_equals_scipy_in_float64(ours, naive, reference, mode, image_shape, kernel_shape):
    x, k = _random(image_shape, 1), _random(kernel_shape, 2)
    expected = reference(x, k, mode=mode, boundary="fill", fillvalue=0)
    np.testing.assert_allclose(ours(x, k, mode), expected, rtol=0, atol=1e-12)
    np.testing.assert_allclose(naive(x, k, mode), expected, rtol=0, atol=1e-12)


@pytest.mark.parametrize(("ours", "naive", "reference"), PAIRS, ids=PAIR_IDS)
@pytest.mark.parametrize("mode", ["same", "full"])
@pytest.mark.parametrize(("image_shape", "kernel_shape"), LARGER)
def test_equals_scipy_when_kernel_is_larger_than_image(
    ours, naive, reference, mode, image_shape, kernel_shape
):
    x, k = _random(image_shape, 3), _random(kernel_shape, 4)
    expected = reference(x, k, mode=mode)
    np.testing.assert_allclose(ours(x, k, mode), expected, rtol=0, atol=1e-12)
    np.testing.assert_allclose(naive(x, k, mode), expected, rtol=0, atol=1e-12)


@pytest.mark.parametrize(("ours", "naive", "reference"), PAIRS, ids=PAIR_IDS)
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("image_shape", "kernel_shape"), SHAPES[:5])
def test_integer_input_equals_scipy_exactly_as_int64(
    ours, naive, reference, mode, image_shape, kernel_shape
):
    x, k = _random(image_shape, 5, np.int64), _random(kernel_shape, 6, np.int64)
    expected = reference(x, k, mode=mode)
    assert ours(x, k, mode).dtype == np.int64
    np.testing.assert_array_equal(ours(x, k, mode), expected)
    np.testing.assert_array_equal(naive(x, k, mode), expected)


@pytest.mark.parametrize(("ours", "naive", "reference"), PAIRS, ids=PAIR_IDS)
def test_small_integer_input_does_not_wrap_around(ours, naive, reference):
    x = np.full((4, 4), 200, dtype=np.uint8)
    k = np.ones((3, 3), dtype=np.uint8)
    expected = reference(x.astype(np.int64), k.astype(np.int64), mode="same")
    np.testing.assert_array_equal(ours(x, k, "same"), expected)
    np.testing.assert_array_equal(naive(x, k, "same"), expected)
    assert ours(x, k, "same").max() == 9 * 200


@pytest.mark.parametrize(("ours", "naive", "reference"), PAIRS, ids=PAIR_IDS)
def test_bool_input_counts_overlaps(ours, naive, reference):
    x = np.eye(4, dtype=bool)
    k = np.ones((2, 2), dtype=bool)
    expected = reference(x.astype(np.int64), k.astype(np.int64), mode="full")
    np.testing.assert_array_equal(ours(x, k, "full"), expected)


@pytest.mark.parametrize(("ours", "naive", "reference"), PAIRS, ids=PAIR_IDS)
@pytest.mark.parametrize("mode", MODES)
def test_float32_stays_float32_and_equals_scipy(ours, naive, reference, mode):
    x, k = _random((6, 5), 7, np.float32), _random((3, 2), 8, np.float32)
    out = ours(x, k, mode)
    expected = reference(x, k, mode=mode)
    assert out.dtype == expected.dtype == np.float32
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("mode", ["valid", "full"])
@pytest.mark.parametrize(("image_shape", "kernel_shape"), SHAPES)
def test_convolution_is_correlation_with_the_flipped_kernel(mode, image_shape, kernel_shape):
    x, k = _random(image_shape, 9), _random(kernel_shape, 10)
    np.testing.assert_allclose(
        convolve2d(x, k, mode), correlate2d(x, np.flip(k), mode), rtol=0, atol=1e-12
    )


@pytest.mark.parametrize("kernel_shape", [(3, 3), (1, 5), (5, 1)])
def test_flip_identity_holds_in_same_mode_for_odd_kernels(kernel_shape):
    x, k = _random((6, 7), 11), _random(kernel_shape, 12)
    np.testing.assert_allclose(
        convolve2d(x, k, "same"), correlate2d(x, np.flip(k), "same"), rtol=0, atol=1e-12
    )


def test_flip_identity_shifts_by_one_pixel_in_same_mode_for_even_kernels():
    x, k = _random((6, 7), 13), _random((2, 4), 14)
    conv = convolve2d(x, k, "same")
    corr_flipped = correlate2d(x, np.flip(k), "same")
    assert not np.allclose(conv, corr_flipped)
    # Both crop the same full output; convolution starts one row and one column earlier.
    np.testing.assert_allclose(conv[1:, 1:], corr_flipped[:-1, :-1], rtol=0, atol=1e-12)


def test_same_mode_with_an_even_kernel_pads_correlation_at_the_bottom_right():
    x = np.zeros((3, 3))
    x[2, 2] = 1.0  # the bottom-right pixel
    k = np.ones((2, 2))
    # Correlation's window at (i, j) covers rows i..i+1, cols j..j+1 (extra zero row below).
    np.testing.assert_array_equal(correlate2d(x, k, "same"), [[0, 0, 0], [0, 1, 1], [0, 1, 1]])
    # Convolution's window at (i, j) covers rows i-1..i, cols j-1..j (extra zero row above).
    np.testing.assert_array_equal(convolve2d(x, k, "same"), [[0, 0, 0], [0, 0, 0], [0, 0, 1]])


# -- Hypothesis properties ---------------------------------------------------------------

shape_2d = st.tuples(st.integers(1, 7), st.integers(1, 7))
small_kernel = st.tuples(st.integers(1, 4), st.integers(1, 4))
seeds = st.integers(0, 2**32 - 1)
functions = st.sampled_from([correlate2d, convolve2d])
modes = st.sampled_from(MODES)


def _fits(image_shape, kernel_shape, mode):
    return mode != "valid" or (
        kernel_shape[0] <= image_shape[0] and kernel_shape[1] <= image_shape[1]
    )


@given(f=functions, mode=modes, xs=shape_2d, ks=small_kernel, seed=seeds)
def test_linear_in_the_image(f, mode, xs, ks, seed):
    if not _fits(xs, ks, mode):
        return
    rng = np.random.default_rng(seed)
    x1, x2, k = rng.standard_normal(xs), rng.standard_normal(xs), rng.standard_normal(ks)
    a, b = rng.standard_normal(2)
    np.testing.assert_allclose(
        f(a * x1 + b * x2, k, mode), a * f(x1, k, mode) + b * f(x2, k, mode), atol=1e-10
    )


@given(f=functions, mode=modes, xs=shape_2d, ks=small_kernel, seed=seeds)
def test_linear_in_the_kernel(f, mode, xs, ks, seed):
    if not _fits(xs, ks, mode):
        return
    rng = np.random.default_rng(seed)
    x, k1, k2 = rng.standard_normal(xs), rng.standard_normal(ks), rng.standard_normal(ks)
    a, b = rng.standard_normal(2)
    np.testing.assert_allclose(
        f(x, a * k1 + b * k2, mode), a * f(x, k1, mode) + b * f(x, k2, mode), atol=1e-10
    )


@given(s1=shape_2d, s2=shape_2d, seed=seeds)
def test_full_convolution_is_commutative(s1, s2, seed):
    rng = np.random.default_rng(seed)
    a, b = rng.standard_normal(s1), rng.standard_normal(s2)
    np.testing.assert_allclose(convolve2d(a, b, "full"), convolve2d(b, a, "full"), atol=1e-10)


@given(s1=shape_2d, s2=small_kernel, s3=small_kernel, seed=seeds)
def test_full_convolution_is_associative(s1, s2, s3, seed):
    rng = np.random.default_rng(seed)
    a, b, c = rng.standard_normal(s1), rng.standard_normal(s2), rng.standard_normal(s3)
    np.testing.assert_allclose(
        convolve2d(convolve2d(a, b, "full"), c, "full"),
        convolve2d(a, convolve2d(b, c, "full"), "full"),
        atol=1e-10,
    )


@given(f=functions, xs=shape_2d, seed=seeds)
def test_identity_kernel_returns_the_image(f, xs, seed):
    x = np.random.default_rng(seed).standard_normal(xs)
    identity = np.zeros((3, 3))
    identity[1, 1] = 1.0
    np.testing.assert_array_equal(f(x, identity, "same"), x)


@given(
    f=functions,
    ks=small_kernel,
    shift=st.tuples(st.integers(0, 3), st.integers(0, 3)),
    seed=seeds,
)
def test_shifting_the_image_shifts_the_valid_output_away_from_borders(f, ks, shift, seed):
    x = np.random.default_rng(seed).standard_normal((9, 10))
    di, dj = shift
    y = f(x, np.random.default_rng(seed + 1).standard_normal(ks), "valid")
    y_shifted = f(
        np.roll(x, shift, axis=(0, 1)), np.random.default_rng(seed + 1).standard_normal(ks), "valid"
    )
    oh, ow = y.shape
    # Output rows di.. read only rolled rows that did not wrap around.
    np.testing.assert_allclose(y_shifted[di:, dj:], y[: oh - di, : ow - dj], atol=1e-12)


@given(f=functions, mode=modes, xs=shape_2d, ks=small_kernel)
def test_output_shape_equals_conv_output_size(f, mode, xs, ks):
    if not _fits(xs, ks, mode):
        return
    out = f(np.ones(xs), np.ones(ks), mode)
    padding = {"valid": [0, 0], "same": ["same", "same"], "full": [ks[0] - 1, ks[1] - 1]}[mode]
    assert out.shape == tuple(
        conv_output_size(i, k, padding=p) for i, k, p in zip(xs, ks, padding, strict=True)
    )


# -- bad input ----------------------------------------------------------------------------

BAD = [
    (np.ones(5), np.ones((2, 2)), "valid", ValueError, r"image has ndim 1 \(shape \(5,\)\)"),
    (np.ones((5, 5)), np.ones((1, 2, 2)), "valid", ValueError, r"kernel has ndim 3"),
    (np.ones((0, 5)), np.ones((1, 1)), "same", ValueError, r"image is empty \(shape \(0, 5\)\)"),
    (np.ones((5, 5)), np.ones((2, 0)), "full", ValueError, r"kernel is empty"),
    (np.ones((5, 5)), np.ones((2, 2)), "circular", ValueError, r"mode \(='circular'\) must be"),
    (np.ones((5, 5)), np.ones((2, 2)), None, ValueError, r"mode \(=None\) must be one of"),
    (np.array([["a"]]), np.ones((1, 1)), "valid", TypeError, r"image has dtype <U1"),
    (np.ones((3, 3)), np.ones((2, 2)) * 1j, "valid", TypeError, r"kernel has dtype complex128"),
    (
        np.ones((3, 5)),
        np.ones((4, 2)),
        "valid",
        ValueError,
        r"kernel \(shape \(4, 2\)\) must fit inside image \(shape \(3, 5\)\) in valid mode",
    ),
]


@pytest.mark.parametrize("f", [correlate2d, convolve2d, correlate2d_naive, convolve2d_naive])
@pytest.mark.parametrize(("image", "kernel", "mode", "error", "match"), BAD)
def test_rejects_bad_input_naming_the_argument(f, image, kernel, mode, error, match):
    with pytest.raises(error, match=match):
        f(image, kernel, mode)


@given(
    seed=st.integers(0, 2**16),
    ka=st.tuples(st.integers(1, 3), st.integers(1, 3)),
    kb=st.tuples(st.integers(1, 3), st.integers(1, 3)),
)
@pytest.mark.parametrize("mode", ["valid", "full"])
def test_two_correlations_collapse_into_one_with_the_convolved_kernel(mode, seed, ka, kb):
    # (x corr a) corr b = x corr (a conv b): stacked linear layers are one layer.
    rng = np.random.default_rng(seed)
    x, a, b = rng.standard_normal((7, 8)), rng.standard_normal(ka), rng.standard_normal(kb)
    combined = scipy.signal.convolve2d(a, b, "full")  # the oracle for the kernel: SciPy
    np.testing.assert_allclose(
        correlate2d(correlate2d(x, a, mode), b, mode), correlate2d(x, combined, mode), atol=1e-12
    )
