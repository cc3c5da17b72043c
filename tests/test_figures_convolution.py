"""Each convolution figure renders and draws the numbers SciPy computes for what it shows."""

from __future__ import annotations

import re

import numpy as np
import pytest
import scipy.ndimage
import scipy.signal
from matplotlib.backends.backend_agg import FigureCanvasAgg

from cnnbook import KERNELS, conv_output_size, photograph
from cnnbook.figures import (
    convolution_modes_figure,
    correlation_vs_convolution_figure,
    edge_detection_figure,
    feature_maps_figure,
    kernel_gallery_figure,
)
from cnnbook.figures.convolution import contrasting_text_color
from tests.wcag import contrast as wcag_contrast


def _render(fig) -> None:
    FigureCanvasAgg(fig).draw()


def _image(ax) -> np.ndarray:
    return np.asarray(ax.images[0].get_array())


def _panels(fig) -> list:
    """The figure's panels, without its colour bars."""
    return [ax for ax in fig.axes if ax.get_label() != "<colorbar>"]


@pytest.mark.parametrize(
    "figure",
    [
        kernel_gallery_figure,
        correlation_vs_convolution_figure,
        convolution_modes_figure,
        lambda: convolution_modes_figure((5, 6), 2),
        edge_detection_figure,
    ],
)
def test_every_number_in_a_grid_reads_at_wcag_contrast_on_its_cell(figure):
    fig = figure()
    _render(fig)
    grids = [ax for ax in fig.axes if ax.images and len(ax.texts) == ax.images[0].get_array().size]
    assert grids
    for ax in grids:
        image = ax.images[0]
        cells = image.cmap(image.norm(image.get_array()))
        for text in ax.texts:
            j, i = (round(v) for v in text.get_position())
            contrast = wcag_contrast(text.get_color(), cells[i, j])
            # Black or white always reaches sqrt(21) = 4.58 with one of them; WCAG AA asks 4.5.
            assert contrast >= 4.5, (ax.get_title(), text.get_text(), contrast)


def test_contrasting_text_color_picks_white_on_dark_and_black_on_light():
    assert contrasting_text_color("#00441b") == "white"  # darkest Greens: the "valid" cells
    assert contrasting_text_color("#f7fcf5") == "black"
    assert contrasting_text_color((0.5, 0.5, 0.5)) == "black"  # L = 0.214: 5.3 vs 3.9
    assert contrasting_text_color((0.4, 0.4, 0.4)) == "white"  # L = 0.133: 3.7 vs 5.7


def test_kernel_gallery_draws_every_kernel_with_its_weights():
    fig = kernel_gallery_figure()
    _render(fig)
    assert [ax.get_title() for ax in _panels(fig)] == list(KERNELS)
    for ax in _panels(fig):
        k = KERNELS[ax.get_title()]
        np.testing.assert_array_equal(_image(ax), k)
        assert [t.get_text() for t in ax.texts] == [f"{v:.2g}" for v in k.ravel()]


def test_correlation_vs_convolution_panels_equal_scipy():
    fig = correlation_vs_convolution_figure()
    _render(fig)
    image, kernel, corr, conv = (_image(ax) for ax in _panels(fig))
    np.testing.assert_array_equal(corr, scipy.signal.correlate2d(image, kernel, "same"))
    np.testing.assert_array_equal(conv, scipy.signal.convolve2d(image, kernel, "same"))
    # The impulse makes the flip visible: correlation writes the kernel rotated by 180°.
    np.testing.assert_array_equal(corr[1:4, 1:4], kernel[::-1, ::-1])
    np.testing.assert_array_equal(conv[1:4, 1:4], kernel)


@pytest.mark.parametrize(("shape", "k"), [((4, 5), 3), ((5, 6), 2)])
def test_convolution_modes_outputs_equal_scipy_and_titles_give_conv_output_size(shape, k):
    fig = convolution_modes_figure(shape, k)
    _render(fig)
    bottom = _panels(fig)[3:]
    pads = {"valid": 0, "same": "same", "full": k - 1}
    for ax, (mode, pad) in zip(bottom, pads.items(), strict=True):
        expected = scipy.signal.correlate2d(np.ones(shape), np.ones((k, k)), mode)
        np.testing.assert_array_equal(_image(ax), expected)
        sizes = [conv_output_size(n, k, padding=pad) for n in shape]
        assert ax.get_title() == f"{mode}: {sizes[0]} x {sizes[1]}"
        assert expected.shape == tuple(sizes)


@pytest.mark.parametrize("k", [2, 3, 4])
def test_convolution_modes_title_formula_adds_the_padding_of_each_side(k):
    fig = convolution_modes_figure((4, 5), k)
    assert fig.get_suptitle().endswith("Y = I + p_before + p_after - k + 1")
    for top, bottom in zip(_panels(fig)[:3], _panels(fig)[3:], strict=True):
        before, after = map(int, re.search(r"padded by (\d+)/(\d+)", top.get_title()).groups())
        rows, cols = map(int, re.search(r"(\d+) x (\d+)$", bottom.get_title()).groups())
        assert (rows, cols) == (4 + before + after - k + 1, 5 + before + after - k + 1)


def test_edge_detection_figure_draws_sobel_of_the_photograph_and_the_axes():
    fig = edge_detection_figure()
    _render(fig)
    photo = photograph()
    photo_ax, kernel_ax, gx_ax, gy_ax, mag_ax, dir_ax = _panels(fig)
    np.testing.assert_array_equal(_image(photo_ax), photo)
    gx = scipy.ndimage.sobel(photo, axis=1)[1:-1, 1:-1]
    gy = scipy.ndimage.sobel(photo, axis=0)[1:-1, 1:-1]
    np.testing.assert_allclose(_image(gx_ax), gx, atol=1e-12)
    np.testing.assert_allclose(_image(gy_ax), gy, atol=1e-12)
    np.testing.assert_allclose(_image(mag_ax), np.hypot(gx, gy), atol=1e-12)
    direction = _image(dir_ax)
    # Compare angles on the circle: SciPy's -0.0 gradients give -pi where ours give pi.
    # Where the gradient is rounding noise (flat patches) its direction is arbitrary.
    wrapped = (direction - np.arctan2(gy, gx) + np.pi) % (2 * np.pi) - np.pi
    np.testing.assert_allclose(wrapped[np.hypot(gx, gy) > 1e-9], 0.0, atol=1e-9)
    # The coordinate system: i down, j right, kernel offsets -1..1 from the centre.
    labels = [t.get_text() for t in photo_ax.texts]
    assert any(s.startswith("j (column)") for s in labels)
    assert any(s.startswith("i (row)") for s in labels)
    assert [t.get_text() for t in kernel_ax.get_xticklabels()] == ["-1", "0", "1"]
    assert [t.get_text() for t in kernel_ax.get_yticklabels()] == ["-1", "0", "1"]
    assert photo_ax.yaxis_inverted()  # row 0 at the top


def test_feature_maps_equal_scipy_correlation_of_the_photograph():
    names = ("box blur", "sobel y", "laplacian")
    fig = feature_maps_figure(names)
    _render(fig)
    photo = photograph()
    for ax, name in zip(_panels(fig)[1:], names, strict=True):
        expected = scipy.signal.correlate2d(photo, KERNELS[name], "valid")
        np.testing.assert_allclose(_image(ax), expected, atol=1e-12)
        assert ax.get_title() == f"{name}: {expected.shape[0]} x {expected.shape[1]}"


def test_feature_maps_rejects_an_unknown_kernel_name():
    with pytest.raises(KeyError, match="emboss"):
        feature_maps_figure(("emboss",))
