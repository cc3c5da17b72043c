"""The residual denoiser: output = input - body, gradients by finite differences, denoise."""

from __future__ import annotations

import numpy as np

from cnnbook.usecases import dncnn
from tests.test_nn_gradcheck import assert_gradients_match_finite_differences


def test_dncnn_output_is_input_minus_body():
    net = dncnn.DnCNN(channels=3, depth=3, rng=np.random.default_rng(0))
    x = np.random.default_rng(1).random((2, 1, 6, 7)).astype(np.float32)
    np.testing.assert_allclose(net(x), x - net.body(x), atol=1e-7)


def test_dncnn_gradients_match_finite_differences():
    net = dncnn.DnCNN(channels=3, depth=3, rng=np.random.default_rng(0)).double()
    rng = np.random.default_rng(2)
    x = rng.random((2, 1, 5, 6))
    g = rng.normal(size=x.shape)
    assert_gradients_match_finite_differences(net, x, g, rtol=1e-5, atol=1e-7)


def test_denoise_keeps_the_shape_and_does_not_modify_its_input():
    net = dncnn.DnCNN(channels=2, depth=2, rng=np.random.default_rng(0))
    image = np.full((9, 11), 0.5)
    out = dncnn.denoise(net, image)
    assert out.shape == image.shape and out.dtype == np.float64
    assert (image == 0.5).all()
