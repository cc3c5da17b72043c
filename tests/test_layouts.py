"""Each layout converter moves axes as TensorFlow stores them, checked against SciPy."""

from __future__ import annotations

import numpy as np
import scipy.signal

from cnnbook import conv2d, flip_kernel, hwio_to_oihw, nchw_to_nhwc, nhwc_to_nchw, oihw_to_hwio


def test_layout_converters_move_axes_and_round_trip() -> None:
    rng = np.random.default_rng(0)
    x = rng.standard_normal((2, 4, 5, 3))  # N, H, W, C
    nchw = nhwc_to_nchw(x)
    assert nchw[1, 2, 3, 4] == x[1, 3, 4, 2]
    np.testing.assert_array_equal(nchw_to_nhwc(nchw), x)
    w = rng.standard_normal((3, 2, 4, 6))  # kh, kw, in, out
    oihw = hwio_to_oihw(w)
    assert oihw.shape == (6, 4, 3, 2)
    assert oihw[5, 1, 2, 0] == w[2, 0, 1, 5]
    np.testing.assert_array_equal(oihw_to_hwio(oihw), w)


def test_nhwc_conv_through_the_converters_equals_scipy_per_channel() -> None:
    rng = np.random.default_rng(1)
    x = rng.standard_normal((2, 7, 6, 3))  # NHWC, as TensorFlow stores it
    w = rng.standard_normal((3, 2, 3, 4))  # HWIO, as tf.nn.conv2d takes it
    ours = nchw_to_nhwc(conv2d(nhwc_to_nchw(x), hwio_to_oihw(w)))
    expected = np.stack(
        [
            np.stack(
                [
                    sum(
                        scipy.signal.correlate2d(x[n, :, :, c], w[:, :, c, o], "valid")
                        for c in range(3)
                    )
                    for o in range(4)
                ],
                axis=-1,
            )
            for n in range(2)
        ]
    )
    np.testing.assert_allclose(ours, expected, rtol=1e-12, atol=1e-12)


def test_conv2d_with_flipped_weight_equals_scipy_convolution() -> None:
    rng = np.random.default_rng(2)
    x = rng.standard_normal((1, 2, 8, 9))
    w = rng.standard_normal((3, 2, 3, 4))
    ours = conv2d(x, flip_kernel(w))[0]
    expected = np.stack(
        [
            sum(scipy.signal.convolve2d(x[0, c], w[o, c], "valid") for c in range(2))
            for o in range(3)
        ]
    )
    np.testing.assert_allclose(ours, expected, rtol=1e-12, atol=1e-12)
    np.testing.assert_array_equal(flip_kernel(flip_kernel(w)), w)
