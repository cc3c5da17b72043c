"""The forward pass by kernel-row products (cnnbook/kernel_row_products.py).

Checked against a reference that shares nothing with either engine (the windows of the
padded input, summed by einsum), for random geometries call after call (its buffers are
reused), with non-finite pixels and weights, and through `conv2d` where the engine picks it.
"""

from __future__ import annotations

import numpy as np
import pytest

import cnnbook.convolution_engine as engine
from cnnbook import conv2d, kernel_row_products
from cnnbook.windows import pad2d, sliding_windows


def reference(x, weight, bias, pad):
    """conv2d as the sum over every window (N, C, OH, OW, kh, kw) of the padded input."""
    windows = sliding_windows(pad2d(x, pad), weight.shape[2:])
    y = np.einsum("ncijab,ocab->noij", windows, weight)
    return y if bias is None else y + bias[None, :, None, None]


def test_random_geometries_call_after_call_equal_the_windows_summed():
    rng = np.random.default_rng(11)
    for _ in range(300):
        n, c, o = (int(v) for v in rng.integers(1, [4, 9, 7]))
        kh, kw = (int(v) for v in rng.integers(1, 6, size=2))
        pad = tuple(int(v) for v in rng.integers(0, 4, size=4))
        h = int(rng.integers(max(1, kh - pad[0] - pad[1]), 16))
        w = int(rng.integers(max(1, kw - pad[2] - pad[3]), 16))
        x = rng.standard_normal((n, c, h, w))
        weight = rng.standard_normal((o, c, kh, kw))
        bias = rng.standard_normal(o) if rng.random() < 0.5 else None
        got = kernel_row_products.forward(x, weight, bias, pad)
        np.testing.assert_allclose(got, reference(x, weight, bias, pad), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("value", [np.inf, -np.inf, np.nan])
def test_a_non_finite_pixel_or_weight_reaches_exactly_the_outputs_the_windows_give_it(value):
    rng = np.random.default_rng(12)
    x = rng.standard_normal((2, 3, 9, 11))
    weight = rng.standard_normal((4, 3, 3, 3))
    weight[1, 2, 0, 0] = 0.0  # 0 * inf is NaN: the same in both
    x[0, 2, 4, 0] = value  # a pixel on the left edge: its row's wrapped products are unread
    x[1, 0, 8, 10] = value  # the last pixel
    pad = (1, 2, 0, 1)
    with np.errstate(invalid="ignore", over="ignore"):  # inf - inf, 0 * inf: NaN, as in torch
        got = kernel_row_products.forward(x, weight, None, pad)
        expected = reference(x, weight, None, pad)
        np.testing.assert_allclose(got, expected, equal_nan=True)
        assert np.isnan(got).any() or np.isinf(got).any()
        weight[3, 1, 2, 1] = value
        got = kernel_row_products.forward(x, weight, np.ones(4), pad)
        expected = reference(x, weight, np.ones(4), pad)
    np.testing.assert_allclose(got, expected, equal_nan=True)


def test_conv2d_takes_this_path_for_many_channels_on_large_images(monkeypatch):
    calls = []
    real = kernel_row_products.forward

    def spy(*args):
        calls.append(args[0].shape)
        return real(*args)

    monkeypatch.setattr(kernel_row_products, "forward", spy)
    rng = np.random.default_rng(13)
    x = rng.standard_normal((2, 32, 24, 24)).astype(np.float32)
    weight = rng.standard_normal((8, 32, 3, 3)).astype(np.float32)
    bias = rng.standard_normal(8).astype(np.float32)
    y = conv2d(x, weight, bias, padding=1)
    assert calls == [x.shape]
    np.testing.assert_allclose(y, reference(x, weight, bias, (1,) * 4), rtol=1e-4, atol=1e-4)
    # Not for few channels, a stride, a dilation, groups, or small images:
    conv2d(x[:, :8], weight[:, :8], padding=1)
    conv2d(x, weight, stride=2, padding=1)
    conv2d(x, weight, dilation=2, padding=2)
    conv2d(x, weight[:, :16], groups=2, padding=1)
    conv2d(x[:, :, :8, :8], weight, padding=1)
    assert calls == [x.shape]
    assert 32 * 3 >= kernel_row_products.MIN_ROW_WIDTH > 8 * 3


def test_conv2d_forward_equals_the_im2col_engine_where_this_path_is_taken(monkeypatch):
    rng = np.random.default_rng(14)
    x = rng.standard_normal((3, 40, 20, 30))
    weight = rng.standard_normal((6, 40, 3, 5))
    bias = rng.standard_normal(6)
    fast = conv2d(x, weight, bias, padding=(1, 2))
    monkeypatch.setattr(kernel_row_products, "MIN_ROW_WIDTH", 10**9)
    by_columns = conv2d(x, weight, bias, padding=(1, 2))
    np.testing.assert_allclose(fast, by_columns, rtol=1e-12, atol=1e-12)
    assert engine.DIRECT_PIXELS <= 20 * 30
