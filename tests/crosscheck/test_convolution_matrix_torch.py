"""The connectivity matrix against torch: it is the Jacobian of F.conv2d, and its transpose
applied to y is F.conv_transpose2d(y); the checkerboard outputs are torch's layers'."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from cnnbook import conv2d_matrix, conv_transpose2d_matrix, upsampled_constant

pytestmark = pytest.mark.torch

CASES = [  # (input_size, kernel, stride, padding, dilation, groups)
    ((4, 4), (3, 3), 1, 0, 1, 1),
    ((5, 5), (3, 3), 2, 1, 1, 1),
    ((6, 5), (2, 3), (2, 1), (1, 0), 2, 1),
    ((6, 6), (3, 3), 3, 1, 1, 2),
]


@pytest.mark.parametrize(("size", "kernel", "stride", "padding", "dilation", "groups"), CASES)
def test_conv2d_matrix_is_torchs_jacobian(size, kernel, stride, padding, dilation, groups):
    w = np.random.default_rng(0).normal(size=(4, 2 // groups, *kernel))
    tw = torch.from_numpy(w)

    def conv(flat):
        x = flat.reshape(1, 2, *size)
        return F.conv2d(x, tw, None, stride, padding, dilation, groups).reshape(-1)

    zeros = torch.zeros(2 * size[0] * size[1], dtype=torch.float64)
    jac = torch.autograd.functional.jacobian(conv, zeros)
    np.testing.assert_allclose(
        conv2d_matrix(w, size, stride, padding, dilation, groups), jac.numpy(), atol=1e-14
    )


@pytest.mark.parametrize(("size", "kernel", "stride", "padding", "dilation", "groups"), CASES)
def test_transposed_matrix_times_y_is_torchs_conv_transpose2d(
    size, kernel, stride, padding, dilation, groups
):
    rng = np.random.default_rng(1)
    w = rng.normal(size=(4, 2 // groups, *kernel))  # (in, out / groups, kh, kw)
    y = rng.normal(size=(1, 4, *size))
    expected = F.conv_transpose2d(
        torch.from_numpy(y), torch.from_numpy(w), None, stride, padding, 0, groups, dilation
    ).numpy()
    m = conv_transpose2d_matrix(w, size, stride, padding, 0, groups, dilation)
    np.testing.assert_allclose(m @ y.ravel(), expected.ravel(), rtol=0, atol=1e-12)


@pytest.mark.parametrize("kernel", [3, 4])
def test_both_upsamplers_are_torchs_layers(kernel):
    w = np.random.default_rng(kernel).uniform(0.1, 1.0, size=(kernel, kernel))
    ones = torch.ones(1, 1, 6, 6, dtype=torch.float64)
    tw = torch.from_numpy(w)[None, None]
    transposed = F.conv_transpose2d(ones, tw, stride=2)[0, 0].numpy()
    np.testing.assert_allclose(upsampled_constant(w, 2, size=6), transposed, atol=1e-12)
    resized = F.conv2d(
        torch.nn.Upsample(scale_factor=2, mode="nearest")(ones), tw, padding=kernel // 2
    )[0, 0].numpy()
    np.testing.assert_allclose(
        upsampled_constant(w, 2, size=6, method="resize-convolution"), resized, atol=1e-12
    )
