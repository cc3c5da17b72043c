"""conv_transpose2d is the adjoint of conv2d, with torch's output size (vs torch: crosscheck/)."""

from __future__ import annotations

import numpy as np
import pytest

from cnnbook import conv2d, conv_transpose2d, conv_transpose2d_backward, transposed_conv_output_size


@pytest.mark.parametrize(
    "kw",
    [
        {},
        {"stride": 2, "padding": 1},
        {"stride": (3, 2), "dilation": (1, 2), "padding": (0, 2)},
        {"stride": 2, "groups": 2},
    ],
    ids=str,
)
def test_it_is_the_adjoint_of_conv2d_with_the_same_arguments(kw):
    # <conv2d(y, w), x> == <y, conv_transpose2d(x, w)> for every y of the output's shape.
    rng = np.random.default_rng(0)
    x, w = rng.normal(size=(2, 4, 5, 6)), rng.normal(size=(4, 6 // kw.get("groups", 1), 3, 3))
    y_shape = conv_transpose2d(x, w, **kw).shape
    y = rng.normal(size=y_shape)
    lhs = np.vdot(conv2d(y, w, **kw), x)
    rhs = np.vdot(y, conv_transpose2d(x, w, **kw))
    assert lhs == pytest.approx(rhs, rel=1e-12)


def test_output_size_is_transposed_conv_output_size_per_axis():
    x, w = np.ones((1, 2, 7, 4)), np.ones((2, 3, 3, 5))
    kw = {"stride": (2, 3), "padding": (1, 2), "output_padding": (1, 0), "dilation": (1, 2)}
    out = conv_transpose2d(x, w, **kw)
    expected = tuple(
        transposed_conv_output_size(i, k, s, p, o, d)
        for i, k, s, p, o, d in zip((7, 4), (3, 5), (2, 3), (1, 2), (1, 0), (1, 2), strict=True)
    )
    assert out.shape == (1, 3, *expected)


def test_each_input_pixel_scatters_one_scaled_copy_of_the_kernel():
    x = np.zeros((1, 1, 3, 3))
    x[0, 0, 1, 2] = 2.0
    k = np.arange(4.0).reshape(1, 1, 2, 2)
    out = conv_transpose2d(x, k, stride=2)[0, 0]
    np.testing.assert_array_equal(out[2:4, 4:6], 2.0 * k[0, 0])
    assert np.count_nonzero(out) == 3  # k has one zero tap


def test_backward_gradients_are_finite_differences_of_the_forward():
    rng = np.random.default_rng(1)
    x, w, g = rng.normal(size=(1, 2, 3, 3)), rng.normal(size=(2, 1, 2, 2)), None
    kw = {"stride": 2, "padding": 1, "output_padding": 1}
    g = rng.normal(size=conv_transpose2d(x, w, **kw).shape)
    gx, gw, _ = conv_transpose2d_backward(g, x, w, **kw)
    eps = 1e-6
    for arr, grad in ((x, gx), (w, gw)):
        i = np.unravel_index(3, arr.shape)
        arr[i] += eps
        up = np.vdot(g, conv_transpose2d(x, w, **kw))
        arr[i] -= 2 * eps
        down = np.vdot(g, conv_transpose2d(x, w, **kw))
        arr[i] += eps
        assert (up - down) / (2 * eps) == pytest.approx(grad[i], rel=1e-6)


def test_integer_input_is_computed_in_float64_and_the_inputs_are_not_modified():
    x, w = np.arange(8).reshape(1, 2, 2, 2), np.ones((2, 1, 2, 2), dtype=int)
    before = x.copy()
    out = conv_transpose2d(x, w, stride=2)
    assert out.dtype == np.float64
    np.testing.assert_array_equal(x, before)
