"""linear_to_conv2d: the dense layer as a convolution gives the same numbers, at every position."""

from __future__ import annotations

import numpy as np
import pytest

from cnnbook import nn
from cnnbook.usecases.detection import detector


def test_converted_layer_equals_linear_on_one_window_in_float64():
    rng = np.random.default_rng(0)
    fc = nn.Linear(3 * 4 * 5, 7, rng=rng, dtype=np.float64)
    conv = nn.linear_to_conv2d(fc, (3, 4, 5))
    x = rng.standard_normal((6, 3, 4, 5))
    np.testing.assert_allclose(conv(x)[:, :, 0, 0], fc(x.reshape(6, -1)), rtol=0, atol=1e-13)


def test_converted_layer_slides_the_linear_layer_over_a_larger_input():
    rng = np.random.default_rng(1)
    fc = nn.Linear(2 * 3 * 3, 4, rng=rng, dtype=np.float64)
    conv = nn.linear_to_conv2d(fc, (2, 3, 3))
    x = rng.standard_normal((1, 2, 7, 9))
    out = conv(x)
    assert out.shape == (1, 4, 5, 7)
    for i in range(5):
        for j in range(7):
            window = x[:, :, i : i + 3, j : j + 3].reshape(1, -1)
            np.testing.assert_allclose(out[0, :, i, j], fc(window)[0], rtol=0, atol=1e-13)


def test_converted_layer_is_a_copy_without_bias_when_linear_has_none():
    fc = nn.Linear(8, 2, bias=False, rng=np.random.default_rng(2))
    conv = nn.linear_to_conv2d(fc, (8, 1, 1))
    assert conv.bias is None and conv.weight.dtype == np.float32
    conv.weight.data[...] = 0
    assert np.abs(fc.weight.data).sum() > 0


def test_fully_convolutional_detector_scores_every_stride_4_window_like_the_classifier():
    classifier = detector.make_classifier(np.random.default_rng(3)).double()
    classifier.eval()
    network = detector.fully_convolutional(classifier)
    image = np.random.default_rng(4).standard_normal((1, 1, 40, 48))
    heat = network(image)[0]
    assert heat.shape == (2, (40 - 24) // 4 + 1, (48 - 24) // 4 + 1)
    windows = np.stack(
        [image[0, :, 4 * r : 4 * r + 24, 4 * c : 4 * c + 24] for r in range(5) for c in range(7)]
    )
    np.testing.assert_allclose(heat.reshape(2, -1).T, classifier(windows), rtol=0, atol=1e-12)


@pytest.mark.parametrize(
    ("shape", "match"),
    [
        ((3, 4, 4), r"linear.in_features \(=60\)"),
        ((3, 4), r"input_shape"),
        ((0, 4, 5), "input_shape"),
    ],
)
def test_conversion_refuses_a_shape_that_does_not_flatten_to_the_input(shape, match):
    with pytest.raises(ValueError, match=match):
        nn.linear_to_conv2d(nn.Linear(60, 2, rng=np.random.default_rng(0)), shape)
