"""Channels: an output is a sum over input channels; 1×1 = Linear per pixel; separable cost."""

from __future__ import annotations

import numpy as np
import pytest

from cnnbook import PixelSum, conv2d, correlate2d, nn, pixel_sum, separable_cost


def _example(seed: int = 0, c_in: int = 2, c_out: int = 2, size: int = 3, k: int = 2):
    rng = np.random.default_rng(seed)
    x = rng.integers(-3, 4, (c_in, size, size)).astype(float)
    w = rng.integers(-2, 3, (c_out, c_in, k, k)).astype(float)
    b = rng.integers(-2, 3, c_out).astype(float)
    return x, w, b


@pytest.mark.parametrize("seed", range(4))
def test_every_pixel_sum_equals_conv2d(seed):
    x, w, b = _example(seed)
    y = conv2d(x, w, b)
    for o in range(2):
        for i in range(2):
            for j in range(2):
                assert pixel_sum(x, w, b, o, i, j).value == pytest.approx(y[o, i, j], abs=1e-12)


def test_channel_sums_are_one_valid_correlation_per_input_channel():
    x, w, b = _example(1, c_in=3)
    s = pixel_sum(x, w, b, out_channel=1, row=1, col=0)
    expected = [correlate2d(x[c], w[1, c])[1, 0] for c in range(3)]
    np.testing.assert_allclose(s.channel_sums, expected)
    assert s.value == pytest.approx(sum(expected) + b[1])


def test_written_sum_evaluates_to_its_value():
    x, w, b = _example(2)
    s = pixel_sum(x, w, b, out_channel=0, row=1, col=1)
    text = s.written()
    lhs, rhs = text.split(" = ", 1)
    expression, shown = rhs.rsplit(" = ", 1)
    assert lhs == "y[0, 1, 1]"
    assert eval(expression.replace("·", "*")) == pytest.approx(s.value)
    assert float(shown) == pytest.approx(s.value)
    assert expression.count("·") == 2 * 2 * 2  # one product per (channel, tap)


def test_pixel_sum_without_bias_has_zero_bias_and_no_bias_term():
    s = pixel_sum(np.ones((1, 2, 2)), np.full((1, 1, 2, 2), 2.0))
    assert s == PixelSum(0, 0, 0, (((1.0, 2.0),) * 4,), (8.0,), 0.0, 8.0)
    assert s.written() == "y[0, 0, 0] = (1·2 + 1·2 + 1·2 + 1·2) = 8"


def test_pixel_sum_does_not_modify_its_inputs():
    x, w, b = _example(3)
    copies = x.copy(), w.copy(), b.copy()
    pixel_sum(x, w, b, 1, 1, 1)
    for a, c in zip((x, w, b), copies, strict=True):
        np.testing.assert_array_equal(a, c)


@pytest.mark.parametrize(("c_in", "c_out"), [(1, 1), (3, 5), (8, 2)])
def test_a_1x1_convolution_is_a_linear_layer_at_every_pixel(c_in, c_out):
    rng = np.random.default_rng(c_in * 10 + c_out)
    fc = nn.Linear(c_in, c_out, rng=rng, dtype=np.float64)
    conv = nn.linear_to_conv2d(fc, (c_in, 1, 1))
    x = rng.standard_normal((2, c_in, 5, 4))
    per_pixel = fc(x.transpose(0, 2, 3, 1)).transpose(0, 3, 1, 2)
    np.testing.assert_allclose(conv(x), per_pixel, rtol=1e-12, atol=1e-12)
    # and written as the channel sum: y_o = b_o + sum_c w_oc x_c at every pixel
    direct = np.einsum("oc,nchw->nohw", fc.weight.data, x) + fc.bias.data[None, :, None, None]
    np.testing.assert_allclose(conv(x), direct, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize(
    ("c_in", "c_out", "k"), [(32, 64, 3), (3, 16, 5), (512, 512, 3), (8, 1, 1)]
)
def test_separable_mac_ratio_is_one_over_c_out_plus_one_over_k_squared(c_in, c_out, k):
    cost = separable_cost(c_in, c_out, k, 14)
    assert cost.mac_ratio == pytest.approx(1 / c_out + 1 / k**2, rel=1e-12)
    assert cost.formula_ratio == pytest.approx(1 / c_out + 1 / k**2, rel=1e-12)
    no_bias = separable_cost(c_in, c_out, k, 14, bias=False)
    assert no_bias.parameter_ratio == pytest.approx(1 / c_out + 1 / k**2, rel=1e-12)


def test_separable_counts_by_hand():
    # MobileNet-style 3x3, 32 -> 64 channels on 56 x 56: depthwise 32*9 weights + 32 biases,
    # pointwise 32*64 + 64; standard 64*32*9 + 64.
    cost = separable_cost(32, 64, 3, 56)
    assert cost.standard_parameters == 64 * 32 * 9 + 64
    assert cost.separable_parameters == (32 * 9 + 32) + (32 * 64 + 64)
    assert cost.standard_macs == 64 * 32 * 9 * 56 * 56
    assert cost.separable_macs == (32 * 9 + 32 * 64) * 56 * 56


def test_the_separable_block_computes_a_convolution_of_the_counted_size():
    """Depthwise (groups = C_in) then pointwise: the shapes the counts assume."""
    rng = np.random.default_rng(0)
    x = rng.standard_normal((1, 4, 10, 10))
    depthwise = rng.standard_normal((4, 1, 3, 3))
    pointwise = rng.standard_normal((6, 4, 1, 1))
    y = conv2d(conv2d(x, depthwise, padding=1, groups=4), pointwise)
    assert y.shape == (1, 6, 10, 10)
    # The separable block is one standard convolution with the rank-structured kernel
    # w[o, c] = pointwise[o, c] * depthwise[c]: its output is the same.
    combined = pointwise[:, :, 0, 0, None, None] * depthwise[None, :, 0]
    np.testing.assert_allclose(y, conv2d(x, combined, padding=1), rtol=1e-12, atol=1e-12)
