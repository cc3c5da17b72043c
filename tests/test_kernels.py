"""Classic kernels are what they claim; edge_detect's sign and direction conventions hold."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.ndimage
import scipy.signal
from hypothesis import given
from hypothesis import strategies as st

from cnnbook import (
    KERNELS,
    EdgeMap,
    box_blur,
    correlate2d,
    edge_detect,
    gaussian_kernel,
    identity,
    laplacian,
    photograph,
    prewitt_x,
    prewitt_y,
    sharpen,
    sobel_x,
    sobel_y,
)

FACTORIES = [
    identity,
    box_blur,
    gaussian_kernel,
    sharpen,
    sobel_x,
    sobel_y,
    prewitt_x,
    prewitt_y,
    laplacian,
]
OPERATORS = {"sobel": scipy.ndimage.sobel, "prewitt": scipy.ndimage.prewitt}


@pytest.fixture(scope="module")
def photo() -> np.ndarray:
    return photograph()


@pytest.mark.parametrize("make", FACTORIES)
def test_each_call_returns_a_fresh_float64_array(make):
    k = make()
    assert k.dtype == np.float64
    k[...] = 99.0
    assert not np.any(make() == 99.0)


def test_kernels_mapping_holds_every_kernel_read_only():
    assert len(KERNELS) == len(FACTORIES)
    for make in FACTORIES:
        assert any(np.array_equal(make(), k) for k in KERNELS.values())
    with pytest.raises(ValueError, match="read-only"):
        KERNELS["sobel x"][0, 0] = 1.0
    with pytest.raises(TypeError):
        KERNELS["new"] = identity()  # type: ignore[index]


@pytest.mark.parametrize(("size", "sigma"), [(3, 0.5), (5, 1.0), (7, 2.0), (4, 1.5)])
def test_gaussian_kernel_equals_outer_product_of_scipy_gaussian_window(size, sigma):
    g1 = scipy.signal.windows.gaussian(size, sigma)
    expected = np.outer(g1, g1) / np.outer(g1, g1).sum()
    np.testing.assert_allclose(gaussian_kernel(size, sigma), expected, rtol=1e-12)


@pytest.mark.parametrize("make", [lambda: box_blur(4), gaussian_kernel, box_blur])
def test_blur_kernels_keep_a_constant_image_constant_in_the_interior(make):
    k = make()
    out = correlate2d(np.full((9, 9), 3.0), k, "valid")
    np.testing.assert_allclose(out, 3.0)


def test_laplacian_of_i2_plus_j2_is_four():
    i, j = np.indices((7, 8)).astype(float)
    np.testing.assert_allclose(correlate2d(i**2 + j**2, laplacian(), "valid"), 4.0)


def test_sharpen_is_identity_minus_laplacian_and_keeps_constants():
    np.testing.assert_array_equal(sharpen(), identity() - laplacian())
    np.testing.assert_allclose(correlate2d(np.full((5, 5), 2.0), sharpen(), "valid"), 2.0)


@pytest.mark.parametrize(("make", "smooth"), [(sobel_x, [1, 2, 1]), (prewitt_x, [1, 1, 1])])
def test_x_kernels_are_smoothing_down_times_difference_right(make, smooth):
    np.testing.assert_array_equal(make(), np.outer(smooth, [-1, 0, 1]))


@pytest.mark.parametrize(("kx", "ky"), [(sobel_x, sobel_y), (prewitt_x, prewitt_y)])
def test_y_kernel_is_the_transposed_x_kernel(kx, ky):
    np.testing.assert_array_equal(ky(), kx().T)


# -- edge_detect: sign and direction conventions ------------------------------------------


@pytest.mark.parametrize(("operator", "slope_gain"), [("sobel", 8.0), ("prewitt", 6.0)])
def test_ramp_increasing_to_the_right_gives_positive_gx_and_zero_gy(operator, slope_gain):
    _, j = np.indices((6, 7)).astype(float)
    e = edge_detect(j, operator, mode="valid")
    np.testing.assert_allclose(e.gx, slope_gain)
    np.testing.assert_allclose(e.gy, 0.0)
    np.testing.assert_allclose(e.direction, 0.0)


@pytest.mark.parametrize("operator", ["sobel", "prewitt"])
def test_ramp_increasing_downward_gives_positive_gy_and_direction_pi_over_2(operator):
    i, _ = np.indices((6, 7)).astype(float)
    e = edge_detect(i, operator, mode="valid")
    assert np.all(e.gy > 0)
    np.testing.assert_allclose(e.gx, 0.0)
    np.testing.assert_allclose(e.direction, np.pi / 2)


@pytest.mark.parametrize(
    ("image", "angle"),
    [
        (np.tile([0.0] * 4 + [1.0] * 4, (8, 1)), 0.0),  # bright on the right
        (np.tile([1.0] * 4 + [0.0] * 4, (8, 1)), np.pi),  # bright on the left
        (np.tile([0.0] * 4 + [1.0] * 4, (8, 1)).T, np.pi / 2),  # bright below
        (np.tile([1.0] * 4 + [0.0] * 4, (8, 1)).T, -np.pi / 2),  # bright above
        (np.triu(np.ones((8, 8))), -np.pi / 4),  # bright up-right of the diagonal
    ],
    ids=["right", "left", "down", "up", "up-right"],
)
def test_step_edge_direction_points_to_the_bright_side(image, angle):
    e = edge_detect(image, mode="valid")
    on_edge = e.magnitude > 1e-9
    assert on_edge.any()
    np.testing.assert_allclose(e.direction[on_edge], angle, atol=1e-12)


def test_exactly_leftward_gradient_has_direction_pi_not_minus_pi():
    x = np.tile([1.0, 1.0, 0.0, 0.0], (4, 1))  # bright on the left: exactly pi, gy == 0
    e = edge_detect(x)
    assert e.direction.min() > -np.pi
    assert np.any(e.direction == np.pi)


def test_magnitude_is_the_length_of_the_gradient():
    e = edge_detect(np.random.default_rng(0).standard_normal((6, 6)))
    np.testing.assert_allclose(e.magnitude**2, e.gx**2 + e.gy**2)


@pytest.mark.parametrize("operator", ["sobel", "prewitt"])
def test_edge_detect_on_the_photograph_equals_scipy_ndimage(photo, operator):
    e = edge_detect(photo, operator)
    assert isinstance(e, EdgeMap)
    assert e.gx.shape == e.magnitude.shape == photo.shape
    # ndimage correlates along `axis` with [-1, 0, 1] and smooths the other axis.
    reference = OPERATORS[operator]
    np.testing.assert_allclose(e.gx, reference(photo, axis=1, mode="constant"), atol=1e-12)
    np.testing.assert_allclose(e.gy, reference(photo, axis=0, mode="constant"), atol=1e-12)


def test_edge_detect_on_the_photograph_rotates_with_the_image(photo):
    # rot90 (counterclockwise): new[i, j] = old[j, W-1-i], so d/dj new = d/di old and
    # d/di new = -d/dj old, each read at the rotated position.
    e = edge_detect(photo, mode="valid")
    r = edge_detect(np.rot90(photo), mode="valid")
    np.testing.assert_allclose(r.magnitude, np.rot90(e.magnitude), atol=1e-12)
    np.testing.assert_allclose(r.gx, np.rot90(e.gy), atol=1e-12)
    np.testing.assert_allclose(r.gy, -np.rot90(e.gx), atol=1e-12)


def test_edge_detect_on_the_photograph_finds_sparse_strong_edges(photo):
    e = edge_detect(photo, mode="valid")
    strong = e.magnitude > 0.5  # Sobel is 8x the slope: steeper than 1/16 of the range per pixel
    # A portrait is mostly smooth: edges exist but cover a small part of the picture.
    assert 0.001 < strong.mean() < 0.25
    # Blurring first can only weaken edges (the Gaussian averages gradients).
    blurred = correlate2d(photo, gaussian_kernel(5, 1.5), "same")
    assert (
        edge_detect(blurred, mode="valid").magnitude[4:-4, 4:-4].mean()
        < e.magnitude[4:-4, 4:-4].mean()
    )


@given(seed=st.integers(0, 2**32 - 1), shape=st.tuples(st.integers(3, 8), st.integers(3, 8)))
def test_edge_detect_transposed_swaps_gx_and_gy(seed, shape):
    x = np.random.default_rng(seed).standard_normal(shape)
    e, t = edge_detect(x), edge_detect(x.T)
    np.testing.assert_allclose(t.gx, e.gy.T, atol=1e-12)
    np.testing.assert_allclose(t.gy, e.gx.T, atol=1e-12)


@pytest.mark.parametrize("sigma", [np.float32(1.0), np.float64(1.0), 1, np.int64(1)])
def test_gaussian_kernel_accepts_numpy_and_integer_sigmas(sigma):
    np.testing.assert_allclose(gaussian_kernel(5, sigma), gaussian_kernel(5, 1.0), rtol=1e-7)


@given(a=st.floats(-2, 2), b=st.floats(-2, 2))
def test_sobel_gradient_is_eight_times_the_derivative_on_any_linear_ramp(a, b):
    # x = a*i + b*j has dx/di = a and dx/dj = b everywhere: Sobel gives 8a and 8b, so a
    # magnitude of 0.5 is a brightness slope of 0.5 / 8 = 1/16 per pixel.
    i, j = np.indices((6, 7)).astype(float)
    e = edge_detect(a * i + b * j, mode="valid")
    np.testing.assert_allclose(e.gx, 8 * b, atol=1e-12)
    np.testing.assert_allclose(e.gy, 8 * a, atol=1e-12)
    np.testing.assert_allclose(e.magnitude, 8 * np.hypot(a, b), atol=1e-12)


def test_rot90_turns_the_gradient_direction_while_transpose_reflects_it():
    i, j = np.indices((7, 7)).astype(float)
    x = 1.0 * j + 0.5 * i  # brighter to the right and a little downward
    theta = edge_detect(x, mode="valid").direction[0, 0]
    turned = edge_detect(np.rot90(x, k=-1), mode="valid").direction[0, 0]  # clockwise
    mirrored = edge_detect(x.T, mode="valid").direction[0, 0]
    assert turned == pytest.approx(theta + np.pi / 2, abs=1e-12)  # a rotation adds 90 degrees
    assert mirrored == pytest.approx(np.pi / 2 - theta, abs=1e-12)  # a reflection mirrors it
    assert mirrored != pytest.approx(turned)


@pytest.mark.parametrize("name", [*KERNELS, "ones"])
@given(c=st.floats(-4, 4))
def test_output_on_a_constant_image_is_c_times_the_weight_sum(name, c):
    k = np.ones((3, 3)) if name == "ones" else KERNELS[name]
    out = correlate2d(np.full((7, 7), c), k, "valid")
    np.testing.assert_allclose(out, c * k.sum(), atol=1e-12)
