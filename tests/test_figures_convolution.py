"""Each convolution figure renders and draws the numbers SciPy computes for what it shows."""

from __future__ import annotations

import re

import numpy as np
import pytest
import scipy.ndimage
import scipy.signal

from cnnbook import KERNELS, conv_output_size
from cnnbook.figures import (
    convolution_modes_figure,
    correlation_vs_convolution_figure,
    edge_detection_figure,
    kernel_gallery_figure,
)
from tests.figure_panels import image, panels, render
from tests.wcag import contrast as wcag_contrast


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
    render(fig)
    grids = [ax for ax in fig.axes if ax.images and len(ax.texts) == ax.images[0].get_array().size]
    assert grids
    for ax in grids:
        shown = ax.images[0]
        cells = shown.cmap(shown.norm(shown.get_array()))
        for text in ax.texts:
            j, i = (round(v) for v in text.get_position())
            contrast = wcag_contrast(text.get_color(), cells[i, j])
            # Black or white always reaches sqrt(21) = 4.58 with one of them; WCAG AA asks 4.5.
            assert contrast >= 4.5, (ax.get_title(), text.get_text(), contrast)


def test_kernel_gallery_draws_every_kernel_with_its_weights():
    fig = kernel_gallery_figure()
    render(fig)
    assert [ax.get_title() for ax in panels(fig)] == list(KERNELS)
    for ax in panels(fig):
        k = KERNELS[ax.get_title()]
        np.testing.assert_array_equal(image(ax), k)
        assert [t.get_text() for t in ax.texts] == [f"{v:.2g}" for v in k.ravel()]


def test_correlation_vs_convolution_panels_equal_scipy():
    fig = correlation_vs_convolution_figure()
    render(fig)
    picture, kernel, corr, conv = (image(ax) for ax in panels(fig))
    np.testing.assert_array_equal(corr, scipy.signal.correlate2d(picture, kernel, "same"))
    np.testing.assert_array_equal(conv, scipy.signal.convolve2d(picture, kernel, "same"))
    # The impulse makes the flip visible: correlation writes the kernel rotated by 180°.
    np.testing.assert_array_equal(corr[1:4, 1:4], kernel[::-1, ::-1])
    np.testing.assert_array_equal(conv[1:4, 1:4], kernel)


@pytest.mark.parametrize(("shape", "k"), [((4, 5), 3), ((5, 6), 2)])
def test_convolution_modes_outputs_equal_scipy_and_titles_give_conv_output_size(shape, k):
    fig = convolution_modes_figure(shape, k)
    render(fig)
    bottom = panels(fig)[3:]
    pads = {"valid": 0, "same": "same", "full": k - 1}
    for ax, (mode, pad) in zip(bottom, pads.items(), strict=True):
        expected = scipy.signal.correlate2d(np.ones(shape), np.ones((k, k)), mode)
        np.testing.assert_array_equal(image(ax), expected)
        sizes = [conv_output_size(n, k, padding=pad) for n in shape]
        assert ax.get_title() == f"{mode}: {sizes[0]} x {sizes[1]}"
        assert expected.shape == tuple(sizes)


@pytest.mark.parametrize("k", [2, 3, 4])
def test_convolution_modes_title_formula_adds_the_padding_of_each_side(k):
    fig = convolution_modes_figure((4, 5), k)
    assert fig.get_suptitle().endswith("Y = I + p_before + p_after - k + 1")
    for top, bottom in zip(panels(fig)[:3], panels(fig)[3:], strict=True):
        before, after = map(int, re.search(r"padded by (\d+)/(\d+)", top.get_title()).groups())
        rows, cols = map(int, re.search(r"(\d+) x (\d+)$", bottom.get_title()).groups())
        assert (rows, cols) == (4 + before + after - k + 1, 5 + before + after - k + 1)
