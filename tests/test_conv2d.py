"""conv2d: shapes, linearity, a per-pixel loop oracle, finite differences, bad input."""

from __future__ import annotations

import importlib

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cnnbook import conv2d, conv2d_backward, conv2d_backward_from_cache, conv2d_forward
from cnnbook.im2col import im2col

# The package's `conv2d` attribute is the function; the module is needed to patch it.
conv2d_module = importlib.import_module("cnnbook.convolution_engine")


def conv2d_loop(x, weight, bias, stride, padding, dilation, groups):
    """Reference: the definition, one output pixel at a time (pairs only, no strings)."""
    (sh, sw), (ph, pw), (dh, dw) = stride, padding, dilation
    n, c, h, w = x.shape
    o, cg, kh, kw = weight.shape
    xp = np.zeros((n, c, h + 2 * ph, w + 2 * pw))
    xp[:, :, ph : ph + h, pw : pw + w] = x
    oh = (h + 2 * ph - dh * (kh - 1) - 1) // sh + 1
    ow = (w + 2 * pw - dw * (kw - 1) - 1) // sw + 1
    out = np.zeros((n, o, oh, ow))
    per_group = o // groups
    for b in range(n):
        for oc in range(o):
            c0 = (oc // per_group) * cg
            for i in range(oh):
                for j in range(ow):
                    patch = xp[b, c0 : c0 + cg, i * sh : i * sh + dh * (kh - 1) + 1 : dh,
                               j * sw : j * sw + dw * (kw - 1) + 1 : dw]  # fmt: skip
                    out[b, oc, i, j] = np.sum(patch * weight[oc]) + (
                        0 if bias is None else bias[oc]
                    )
    return out


@st.composite
def geometries(draw):
    groups = draw(st.integers(1, 3))
    c = groups * draw(st.integers(1, 2))
    o = groups * draw(st.integers(1, 2))
    kh, kw = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    sh, sw = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    dh, dw = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    ph, pw = draw(st.integers(0, 3)), draw(st.integers(0, 3))
    # Input at least as large as the dilated kernel once padded.
    h = max(1, dh * (kh - 1) + 1 - 2 * ph) + draw(st.integers(0, 5))
    w = max(1, dw * (kw - 1) + 1 - 2 * pw) + draw(st.integers(0, 5))
    n = draw(st.integers(1, 3))
    return {
        "shape": (n, c, h, w),
        "wshape": (o, c // groups, kh, kw),
        "kw": {"stride": (sh, sw), "padding": (ph, pw), "dilation": (dh, dw), "groups": groups},
    }


@settings(max_examples=60)
@given(geometries())
def test_output_shape_is_the_floor_formula_for_every_combination(g):
    n, _, h, w = g["shape"]
    o, _, kh, kw = g["wshape"]
    (sh, sw), (ph, pw), (dh, dw) = g["kw"]["stride"], g["kw"]["padding"], g["kw"]["dilation"]
    expected = (
        n,
        o,
        (h + 2 * ph - dh * (kh - 1) - 1) // sh + 1,
        (w + 2 * pw - dw * (kw - 1) - 1) // sw + 1,
    )
    assert conv2d(np.zeros(g["shape"]), np.zeros(g["wshape"]), **g["kw"]).shape == expected


@settings(max_examples=30)
@given(geometries(), st.integers(0, 2**16))
def test_conv2d_equals_the_per_pixel_loop(g, seed):
    rng = np.random.default_rng(seed)
    x, w = rng.normal(size=g["shape"]), rng.normal(size=g["wshape"])
    b = rng.normal(size=g["wshape"][0])
    k = g["kw"]
    expected = conv2d_loop(x, w, b, k["stride"], k["padding"], k["dilation"], k["groups"])
    np.testing.assert_allclose(conv2d(x, w, b, **k), expected, rtol=0, atol=1e-12)


@settings(max_examples=30)
@given(geometries(), st.integers(0, 2**16), st.floats(-3, 3), st.floats(-3, 3))
def test_conv2d_is_linear_in_x_and_in_weight(g, seed, alpha, beta):
    rng = np.random.default_rng(seed)
    x1, x2 = rng.normal(size=g["shape"]), rng.normal(size=g["shape"])
    w1, w2 = rng.normal(size=g["wshape"]), rng.normal(size=g["wshape"])
    k = g["kw"]
    lhs_x = conv2d(alpha * x1 + beta * x2, w1, **k)
    rhs_x = alpha * conv2d(x1, w1, **k) + beta * conv2d(x2, w1, **k)
    lhs_w = conv2d(x1, alpha * w1 + beta * w2, **k)
    rhs_w = alpha * conv2d(x1, w1, **k) + beta * conv2d(x1, w2, **k)
    np.testing.assert_allclose(lhs_x, rhs_x, atol=1e-10)
    np.testing.assert_allclose(lhs_w, rhs_w, atol=1e-10)


@settings(max_examples=15)
@given(geometries(), st.integers(0, 2**16))
def test_backward_equals_central_finite_differences(g, seed):
    rng = np.random.default_rng(seed)
    x, w = rng.normal(size=g["shape"]), rng.normal(size=g["wshape"])
    b = rng.normal(size=g["wshape"][0])
    k = g["kw"]
    gy = rng.normal(size=conv2d(x, w, **k).shape)
    gx, gw, gb = conv2d_backward(gy, x, w, **k)
    eps = 1e-6

    def loss(x_, w_, b_):
        return np.sum(conv2d(x_, w_, b_, **k) * gy)

    # A random direction per argument: one directional derivative checks every entry at once.
    for arr, grad, put in [
        (x, gx, lambda d: (x + d, w, b)),
        (w, gw, lambda d: (x, w + d, b)),
        (b, gb, lambda d: (x, w, b + d)),
    ]:
        v = rng.normal(size=arr.shape)
        numeric = (loss(*put(eps * v)) - loss(*put(-eps * v))) / (2 * eps)
        assert numeric == pytest.approx(np.sum(grad * v), rel=1e-6, abs=1e-6)


def test_same_padding_keeps_the_spatial_size_for_even_kernels():
    y = conv2d(np.ones((1, 1, 5, 6)), np.ones((1, 1, 2, 4)), padding="same")
    assert y.shape == (1, 1, 5, 6)
    # d(k-1) = 1 row: the extra zero row is at the bottom, so the last output row sees less.
    assert y[0, 0, 0, 2] == 8 and y[0, 0, -1, 2] == 4


@pytest.mark.parametrize(
    ("x_dtype", "w_dtype", "expected"),
    [
        (np.float32, np.float32, np.float32),
        (np.float64, np.float64, np.float64),
        (np.int64, np.int64, np.float64),
        (np.float32, np.float64, np.float64),
        (np.int32, np.float32, np.float64),
        (np.bool_, np.float32, np.float32),
    ],
)
def test_output_dtype_follows_result_type_with_integers_promoted(x_dtype, w_dtype, expected):
    y, cache = conv2d_forward(np.ones((1, 2, 4, 4), x_dtype), np.ones((3, 2, 3, 3), w_dtype))
    assert y.dtype == expected
    assert all(g.dtype == expected for g in conv2d_backward_from_cache(np.ones(y.shape), cache))


def test_integer_input_gives_exact_integer_sums():
    x = np.arange(16).reshape(1, 1, 4, 4)
    y = conv2d(x, np.ones((1, 1, 4, 4), dtype=np.int64))
    assert y.dtype == np.float64 and y[0, 0, 0, 0] == 120


def test_unbatched_input_equals_a_batch_of_one():
    rng = np.random.default_rng(0)
    x, w = rng.normal(size=(3, 6, 5)), rng.normal(size=(2, 3, 3, 3))
    y = conv2d(x, w, padding=1)
    np.testing.assert_array_equal(y, conv2d(x[None], w, padding=1)[0])
    gx, gw, _ = conv2d_backward(np.ones_like(y), x, w, padding=1)
    gx1, gw1, _ = conv2d_backward(np.ones((1, *y.shape)), x[None], w, padding=1)
    assert gx.shape == x.shape
    np.testing.assert_array_equal(gx, gx1[0])
    np.testing.assert_array_equal(gw, gw1)


def test_output_is_c_contiguous():
    y = conv2d(np.ones((2, 3, 8, 8)), np.ones((4, 3, 3, 3)), padding=1)
    assert y.flags.c_contiguous


def test_cache_survives_repeated_backward_calls():
    rng = np.random.default_rng(1)
    y, cache = conv2d_forward(rng.normal(size=(2, 2, 6, 6)), rng.normal(size=(3, 2, 3, 3)))
    gy = rng.normal(size=y.shape)
    first = conv2d_backward_from_cache(gy, cache)
    second = conv2d_backward_from_cache(gy, cache)
    for a, b in zip(first, second, strict=True):
        np.testing.assert_array_equal(a, b)


X = np.ones((2, 4, 6, 6))
W = np.ones((6, 4, 3, 3))


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"x": np.ones((4, 6, 6, 1, 1))}, ValueError, r"x has ndim 5"),
        ({"x": np.ones((6, 6))}, ValueError, r"x has ndim 2"),
        ({"weight": np.ones((6, 4, 3))}, ValueError, r"weight has ndim 3"),
        ({"x": np.ones((0, 4, 6, 6))}, ValueError, r"x is empty"),
        ({"weight": np.ones((0, 4, 3, 3))}, ValueError, r"weight is empty"),
        ({"x": np.full((2, 4, 6, 6), "a")}, TypeError, r"x has dtype <U1"),
        ({"weight": W.astype(complex)}, TypeError, r"weight has dtype complex128"),
        ({"stride": 0}, ValueError, r"stride \(=0\) must be positive"),
        ({"stride": (1, -1)}, ValueError, r"stride \(=\(1, -1\)\) must be positive"),
        ({"stride": 1.5}, TypeError, r"stride \(=1.5\) must be an int or a pair"),
        ({"dilation": 0}, ValueError, r"dilation \(=0\) must be positive"),
        ({"padding": -1}, ValueError, r"padding \(=-1\) must be non-negative"),
        ({"padding": "full"}, ValueError, r"padding \(='full'\) must be 'valid', 'same'"),
        ({"padding": "same", "stride": 2}, ValueError, r"padding='same' needs stride 1"),
        ({"groups": 3}, ValueError, r"groups \(=3\) must divide in_channels \(=4\)"),
        (
            {"groups": 4, "weight": np.ones((6, 1, 3, 3))},
            ValueError,
            r"groups \(=4\) must divide out_channels \(=6\)",
        ),
        ({"groups": 0}, ValueError, r"groups \(=0\) must be positive"),
        (
            {"groups": 2},
            ValueError,
            r"weight has 4 input channels .* expected in_channels / groups",
        ),
        ({"weight": np.ones((6, 3, 3, 3))}, ValueError, r"weight has 3 input channels"),
        ({"weight": np.ones((6, 4, 7, 3))}, ValueError, r"spans \(7, 3\), more than the padded"),
        (
            {"dilation": 4, "padding": 1},
            ValueError,
            r"spans \(9, 9\), more than the padded input \(8, 8\)",
        ),
        ({"bias": np.ones(5)}, ValueError, r"bias has length 5; expected out_channels = 6"),
        ({"bias": np.ones((6, 1))}, ValueError, r"bias has ndim 2"),
    ],
)
def test_bad_arguments_raise_naming_the_argument_and_rule(kwargs, error, match):
    args = {"x": X, "weight": W, **kwargs}
    with pytest.raises(error, match=match):
        conv2d(**args)


@pytest.mark.parametrize("shape", [(2, 6, 6, 6), (2, 6, 4), (6, 4, 4), (1, 6, 4, 4)])
def test_grad_output_of_the_wrong_shape_is_rejected(shape):
    with pytest.raises(
        ValueError, match=r"grad_output has shape .* expected exactly .*the shape of the output"
    ):
        conv2d_backward(np.ones(shape), X, W)


def test_grad_output_of_the_wrong_shape_is_rejected_by_the_cached_backward():
    _, cache = conv2d_forward(X, W, padding=1)
    with pytest.raises(ValueError, match=r"expected exactly \(2, 6, 6, 6\)"):
        conv2d_backward_from_cache(np.ones((2, 6, 4, 4)), cache)


@settings(max_examples=20)
@given(geometries(), st.integers(0, 2**16))
def test_block_wise_im2col_gives_the_per_pixel_loop_and_its_gradients(g, seed):
    # A 1-byte budget forces one image per block; the default fits these batches in one.
    rng = np.random.default_rng(seed)
    x, w = rng.normal(size=g["shape"]), rng.normal(size=g["wshape"])
    b = rng.normal(size=g["wshape"][0])
    k = g["kw"]
    expected = conv2d_loop(x, w, b, k["stride"], k["padding"], k["dilation"], k["groups"])
    gy = rng.normal(size=expected.shape)
    whole = conv2d_backward(gy, x, w, **k)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(conv2d_module, "BLOCK_BYTES", 1)
        np.testing.assert_allclose(conv2d(x, w, b, **k), expected, rtol=0, atol=1e-12)
        y, cache = conv2d_forward(x, w, b, **k)
        np.testing.assert_allclose(y, expected, rtol=0, atol=1e-12)
        for got, want in zip(conv2d_backward_from_cache(gy, cache), whole, strict=True):
            np.testing.assert_allclose(got, want, rtol=0, atol=1e-12)


def test_outputs_never_share_memory_with_each_other_or_a_later_call():
    rng = np.random.default_rng(5)
    x, w = rng.normal(size=(3, 2, 6, 6)), rng.normal(size=(4, 2, 3, 3))
    first = conv2d(x, w, padding=1)
    kept = first.copy()
    second = conv2d(2 * x, w, padding=1)
    assert not np.shares_memory(first, second)
    np.testing.assert_array_equal(first, kept)
    np.testing.assert_array_equal(second, 2 * kept)


@pytest.mark.parametrize("groups", [1, 2])
def test_cached_columns_are_the_im2col_matrix_with_or_without_a_bias(groups):
    # With a bias (groups=1) the forward multiplies one extra row of ones; the cache
    # must still hold exactly im2col's (C*kh*kw, N, OH, P) matrix.
    rng = np.random.default_rng(8)
    x, w, b = rng.normal(size=(2, 4, 5, 6)), rng.normal(size=(6, 4 // groups, 3, 3)), np.ones(6)
    ow = 6
    full = im2col(x, (3, 3), (1, 1), (1, 1, 1, 1))
    for bias in (None, b):
        _, cache = conv2d_forward(x, w, bias, padding=1, groups=groups)
        assert cache.cols.shape == full.shape
        np.testing.assert_array_equal(cache.cols[..., :ow], full[..., :ow])


@settings(max_examples=20)
@given(geometries(), st.integers(0, 2**16), st.sampled_from([1, 8 << 20]))
def test_per_image_gemm_path_gives_the_per_pixel_loop(g, seed, block_bytes):
    # A 1-pixel threshold sends every plain forward through the one-GEMM-per-image path.
    rng = np.random.default_rng(seed)
    x, w = rng.normal(size=g["shape"]), rng.normal(size=g["wshape"])
    k = g["kw"]
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(conv2d_module, "DIRECT_PIXELS", 1)
        mp.setattr(conv2d_module, "BLOCK_BYTES", block_bytes)
        for b in (None, rng.normal(size=g["wshape"][0])):
            expected = conv2d_loop(x, w, b, k["stride"], k["padding"], k["dilation"], k["groups"])
            np.testing.assert_allclose(conv2d(x, w, b, **k), expected, rtol=0, atol=1e-12)


def test_a_large_image_takes_the_per_image_gemm_path_and_matches_the_small_path():
    rng = np.random.default_rng(9)
    x, w, b = rng.normal(size=(2, 3, 24, 24)), rng.normal(size=(4, 3, 3, 3)), rng.normal(size=4)
    assert 24 * 24 >= conv2d_module.DIRECT_PIXELS
    direct = conv2d(x, w, b, padding=1)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(conv2d_module, "DIRECT_PIXELS", 10**9)
        np.testing.assert_allclose(direct, conv2d(x, w, b, padding=1), rtol=0, atol=1e-12)


def test_a_kernel_nearly_as_large_as_the_image_needs_memory_of_its_outputs_not_of_its_rows():
    # 1000x1000 image, 999x999 kernel, 2x2 output: row-pitched columns would be 14.9 GiB.
    import tracemalloc

    rng = np.random.default_rng(0)
    x, w = rng.normal(size=(1, 1, 1000, 1000)), np.ones((1, 1, 999, 999))
    tracemalloc.start()
    try:
        y = conv2d(x, w)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 100 * 2**20  # columns: 999**2 * 4 outputs * 8 bytes = 32 MB
    expected = [[x[0, 0, i : i + 999, j : j + 999].sum() for j in range(2)] for i in range(2)]
    np.testing.assert_allclose(y[0, 0], expected, rtol=1e-12)
