"""Channels against torch: the written-out sums, and a 1×1 convolution as Linear at every pixel."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from cnnbook import nn, pixel_sum

pytestmark = pytest.mark.torch


@pytest.mark.parametrize(("c_in", "c_out", "size", "k"), [(2, 2, 3, 2), (3, 4, 5, 3), (1, 3, 4, 1)])
def test_every_pixel_sum_equals_torch_conv2d(c_in, c_out, size, k):
    rng = np.random.default_rng(c_in + 10 * c_out)
    x = rng.standard_normal((c_in, size, size))
    w = rng.standard_normal((c_out, c_in, k, k))
    b = rng.standard_normal(c_out)
    expected = F.conv2d(torch.from_numpy(x[None]), torch.from_numpy(w), torch.from_numpy(b))[0]
    out = size - k + 1
    for o in range(c_out):
        for i in range(out):
            for j in range(out):
                value = pixel_sum(x, w, b, o, i, j).value
                assert value == pytest.approx(float(expected[o, i, j]), abs=1e-12)


@pytest.mark.parametrize(("c_in", "c_out"), [(3, 5), (16, 4)])
def test_1x1_convolution_equals_torch_linear_at_every_pixel(c_in, c_out):
    rng = np.random.default_rng(c_in)
    fc = nn.Linear(c_in, c_out, rng=rng, dtype=np.float64)
    conv = nn.linear_to_conv2d(fc, (c_in, 1, 1))
    x = rng.standard_normal((2, c_in, 6, 7))
    weight, bias = torch.from_numpy(fc.weight.data), torch.from_numpy(fc.bias.data)
    # torch: Linear on the channel vector of every pixel (channels last), back to NCHW.
    per_pixel = F.linear(torch.from_numpy(x).permute(0, 2, 3, 1), weight, bias).permute(0, 3, 1, 2)
    torch_1x1 = F.conv2d(torch.from_numpy(x), weight[:, :, None, None], bias)
    np.testing.assert_allclose(conv(x), per_pixel.numpy(), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(conv(x), torch_1x1.numpy(), rtol=1e-12, atol=1e-12)
