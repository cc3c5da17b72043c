"""The gradients of a convolution as correlations: equal to the engine and to finite differences.

Every output gradient is random (an all-ones gradient cannot tell a kernel from its flip
or transpose). Expected values come from finite differences of the forward
(`cnnbook.conv2d`), from `cnnbook.conv2d_backward`, or from hand-written sums.
"""

from __future__ import annotations

import numpy as np
import pytest

from cnnbook import (
    avg_pool2d,
    avg_pool2d_backward,
    conv2d,
    conv2d_backward,
    conv2d_backward_by_correlation,
    convolve2d,
    correlate2d,
    dilate,
    max_pool2d,
    max_pool2d_backward,
    numerical_gradient,
)


def _fd(loss, arr):
    """Central differences written out here (independent of `numerical_gradient`)."""
    out = np.zeros_like(arr)
    for idx in np.ndindex(arr.shape):
        up, down = arr.copy(), arr.copy()
        up[idx] += 1e-6
        down[idx] -= 1e-6
        out[idx] = (loss(up) - loss(down)) / 2e-6
    return out


def test_one_channel_weight_gradient_is_valid_correlation_of_input_with_output_gradient():
    rng = np.random.default_rng(0)
    x, w, g = rng.standard_normal((6, 6)), rng.standard_normal((3, 3)), rng.standard_normal((4, 4))
    expected = _fd(lambda v: float((g * conv2d(x[None, None], v[None, None])[0, 0]).sum()), w)
    np.testing.assert_allclose(correlate2d(x, g, "valid"), expected, atol=1e-7)
    gw = conv2d_backward(g[None, None], x[None, None], w[None, None])[1][0, 0]
    np.testing.assert_allclose(correlate2d(x, g, "valid"), gw, atol=1e-12)


def test_one_channel_input_gradient_is_full_convolution_of_output_gradient_with_kernel():
    rng = np.random.default_rng(1)
    x, w, g = rng.standard_normal((6, 5)), rng.standard_normal((3, 2)), rng.standard_normal((4, 4))
    expected = _fd(lambda v: float((g * conv2d(v[None, None], w[None, None])[0, 0]).sum()), x)
    np.testing.assert_allclose(convolve2d(g, w, "full"), expected, atol=1e-7)
    gx = conv2d_backward(g[None, None], x[None, None], w[None, None])[0][0, 0]
    np.testing.assert_allclose(convolve2d(g, w, "full"), gx, atol=1e-12)


def test_bias_gradient_is_the_sum_of_the_output_gradient():
    rng = np.random.default_rng(2)
    x, w = rng.standard_normal((2, 3, 5, 5)), rng.standard_normal((4, 3, 3, 3))
    g = rng.standard_normal((2, 4, 3, 3))

    def loss(b):
        return float((g * conv2d(x, w, b)).sum())

    expected = _fd(loss, np.zeros(4))
    gb = conv2d_backward_by_correlation(g, x, w)[2]
    np.testing.assert_allclose(gb, expected, atol=1e-7)
    np.testing.assert_allclose(gb, g.sum(axis=(0, 2, 3)), atol=1e-12)


CASES = [  # (stride, padding, input size, kernel size)
    (1, 0, (6, 6), (3, 3)),
    (2, 0, (7, 7), (3, 3)),  # stride divides H - k
    (2, 0, (6, 6), (3, 3)),  # it does not: the last row is read by no window
    (2, 1, (6, 6), (3, 3)),
    (3, 2, (8, 7), (2, 3)),
    ((2, 3), (1, 0), (9, 8), (3, 3)),
]


@pytest.mark.parametrize(("stride", "padding", "size", "k"), CASES)
def test_correlation_formulas_equal_conv2d_backward_over_channels_stride_padding(
    stride, padding, size, k
):
    rng = np.random.default_rng(3)
    x, w = rng.standard_normal((2, 3, *size)), rng.standard_normal((4, 3, *k))
    g = rng.standard_normal(conv2d(x, w, stride=stride, padding=padding).shape)
    mine = conv2d_backward_by_correlation(g, x, w, stride, padding)
    engine = conv2d_backward(g, x, w, stride=stride, padding=padding)
    for name, a, e in zip(("x", "weight", "bias"), mine, engine, strict=True):
        assert a.shape == e.shape, name
        np.testing.assert_allclose(a, e, atol=1e-12, err_msg=name)


@pytest.mark.parametrize(("stride", "padding", "size", "k"), CASES[:5])
def test_correlation_formulas_equal_finite_differences_over_channels_stride_padding(
    stride, padding, size, k
):
    rng = np.random.default_rng(4)
    x, w = rng.standard_normal((1, 2, *size)), rng.standard_normal((2, 2, *k))
    g = rng.standard_normal(conv2d(x, w, stride=stride, padding=padding).shape)

    def loss(x_, w_):
        return float((g * conv2d(x_, w_, stride=stride, padding=padding)).sum())

    gx, gw, _ = conv2d_backward_by_correlation(g, x, w, stride, padding)
    np.testing.assert_allclose(gx, _fd(lambda v: loss(v, w), x), atol=1e-7)
    np.testing.assert_allclose(gw, _fd(lambda v: loss(x, v), w), atol=1e-7)


def test_unbatched_input_gives_unbatched_gradients_equal_to_the_batched_ones():
    rng = np.random.default_rng(5)
    x, w = rng.standard_normal((2, 5, 5)), rng.standard_normal((3, 2, 3, 3))
    g = rng.standard_normal((3, 3, 3))
    one = conv2d_backward_by_correlation(g, x, w)
    batch = conv2d_backward_by_correlation(g[None], x[None], w)
    assert one[0].shape == x.shape
    np.testing.assert_allclose(one[0], batch[0][0])
    np.testing.assert_allclose(one[1], batch[1])


def test_rows_no_window_reads_get_zero_gradient():
    rng = np.random.default_rng(6)
    x, w = rng.standard_normal((1, 6, 6)), rng.standard_normal((1, 1, 3, 3))
    g = rng.standard_normal((1, 2, 2))  # stride 2: windows start at 0 and 2, reach row 4
    gx = conv2d_backward_by_correlation(g, x, w, 2)[0]
    assert np.all(gx[:, 5, :] == 0) and np.all(gx[:, :, 5] == 0)
    assert np.any(gx[:, 4, :] != 0)


def test_dilate_puts_stride_minus_one_zeros_between_entries():
    g = np.arange(1.0, 7.0).reshape(2, 3)
    out = dilate(g, (2, 3))
    assert out.shape == (3, 7)
    np.testing.assert_array_equal(out[::2, ::3], g)
    assert out.sum() == g.sum() and np.count_nonzero(out) == g.size
    np.testing.assert_array_equal(dilate(g, 1), g)


def test_numerical_gradient_of_a_quadratic_is_exact_and_leaves_input_alone():
    a = np.array([[2.0, 1.0], [1.0, 3.0]])
    x = np.array([1.0, -2.0])
    before = x.copy()
    grad = numerical_gradient(lambda v: float(v @ a @ v), x)
    np.testing.assert_allclose(grad, 2 * a @ x, atol=1e-6)
    np.testing.assert_array_equal(x, before)


def test_backward_leaves_inputs_unmodified():
    rng = np.random.default_rng(7)
    x, w = rng.standard_normal((1, 5, 5)), rng.standard_normal((1, 1, 2, 2))
    g = rng.standard_normal((1, 3, 3))  # (5 + 2 - 2) // 2 + 1
    copies = [a.copy() for a in (x, w, g)]
    conv2d_backward_by_correlation(g, x, w, 2, 1)
    for a, c in zip((x, w, g), copies, strict=True):
        np.testing.assert_array_equal(a, c)


def test_max_pool_gradient_goes_to_each_window_maximum_and_matches_finite_differences():
    rng = np.random.default_rng(8)
    x = rng.permutation(16).reshape(1, 1, 4, 4).astype(float)
    g = rng.integers(1, 5, (1, 1, 2, 2)).astype(float)
    grad = max_pool2d_backward(g, x, 2)
    for i in range(2):
        for j in range(2):
            win = x[0, 0, 2 * i : 2 * i + 2, 2 * j : 2 * j + 2]
            gwin = grad[0, 0, 2 * i : 2 * i + 2, 2 * j : 2 * j + 2]
            a, b = np.unravel_index(np.argmax(win), win.shape)
            assert gwin[a, b] == g[0, 0, i, j] and np.count_nonzero(gwin) == 1
    np.testing.assert_allclose(
        grad, _fd(lambda v: float((g * max_pool2d(v, 2)).sum()), x), atol=1e-7
    )


def test_avg_pool_gradient_spreads_each_window_gradient_evenly_and_matches_finite_differences():
    rng = np.random.default_rng(9)
    x, g = rng.standard_normal((1, 1, 4, 4)), rng.standard_normal((1, 1, 2, 2))
    grad = avg_pool2d_backward(g, x, 2)
    np.testing.assert_allclose(grad[0, 0], np.kron(g[0, 0], np.ones((2, 2))) / 4)
    np.testing.assert_allclose(
        grad, _fd(lambda v: float((g * avg_pool2d(v, 2)).sum()), x), atol=1e-7
    )
