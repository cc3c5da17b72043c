"""interpolate: hand-checkable resizes, linearity (the backward is the adjoint), no input change."""

from __future__ import annotations

import numpy as np
import pytest

from cnnbook import interpolate, interpolate_backward

MODES = [("nearest", None), ("bilinear", False), ("bilinear", True)]


def test_nearest_with_an_integer_scale_repeats_every_pixel():
    x = np.random.default_rng(0).standard_normal((2, 3, 4, 5))
    expected = np.repeat(np.repeat(x, 3, axis=-2), 2, axis=-1)
    np.testing.assert_array_equal(interpolate(x, scale_factor=(3, 2)), expected)


def test_nearest_keeps_integer_dtype_and_bilinear_averages_integers_in_float64():
    x = np.arange(6).reshape(1, 1, 2, 3)
    assert interpolate(x, scale_factor=2).dtype == x.dtype
    out = interpolate(x, size=(2, 5), mode="bilinear", align_corners=True)
    assert out.dtype == np.float64
    np.testing.assert_array_equal(out[0, 0, 0], [0.0, 0.5, 1.0, 1.5, 2.0])


@pytest.mark.parametrize(("mode", "align_corners"), MODES)
def test_a_constant_map_stays_constant(mode, align_corners):
    x = np.full((1, 2, 5, 3), 7.0)
    out = interpolate(x, size=(8, 11), mode=mode, align_corners=align_corners)
    np.testing.assert_allclose(out, 7.0, rtol=1e-15)


def test_bilinear_align_corners_keeps_the_corner_pixels():
    x = np.random.default_rng(1).standard_normal((1, 1, 4, 6))
    out = interpolate(x, size=(7, 9), mode="bilinear", align_corners=True)
    np.testing.assert_allclose(
        out[..., [0, 0, -1, -1], [0, -1, 0, -1]], x[..., [0, 0, -1, -1], [0, -1, 0, -1]]
    )


@pytest.mark.parametrize(("mode", "align_corners"), MODES)
@pytest.mark.parametrize("resize", [{"scale_factor": 1.7}, {"size": (3, 9)}, {"scale_factor": 0.4}])
def test_backward_is_the_adjoint_of_the_forward(mode, align_corners, resize):
    rng = np.random.default_rng(2)
    x = rng.standard_normal((2, 2, 6, 5))
    kw = dict(mode=mode, align_corners=align_corners, **resize)
    y = interpolate(x, **kw)
    g = rng.standard_normal(y.shape)
    # <A x, g> == <x, A^T g> for the linear map A
    np.testing.assert_allclose(
        np.vdot(y, g), np.vdot(x, interpolate_backward(g, x, **kw)), rtol=1e-12
    )


def test_an_unchanged_axis_is_copied():
    x = np.random.default_rng(3).standard_normal((1, 1, 4, 5))
    np.testing.assert_array_equal(interpolate(x, size=(4, 5), mode="bilinear"), x)
    # a scale factor that rounds back to the input size copies too, as in torch
    np.testing.assert_array_equal(interpolate(x, scale_factor=1.1, mode="bilinear"), x)


def test_the_input_is_not_modified():
    x = np.random.default_rng(4).standard_normal((1, 2, 3, 3))
    before = x.copy()
    y = interpolate(x, scale_factor=2, mode="bilinear")
    interpolate_backward(np.ones_like(y), x, scale_factor=2, mode="bilinear")
    np.testing.assert_array_equal(x, before)
