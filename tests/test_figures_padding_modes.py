"""The padding-modes figure draws what pad and conv2d compute; zeros darken the border."""

from __future__ import annotations

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg

from cnnbook import photograph
from cnnbook.figures.padding_modes import blurred_with_padding_mode, padding_modes_figure


def test_the_figure_draws_pad_and_the_blur_through_it():
    fig = padding_modes_figure(width=10, kernel_size=5, step=8)
    FigureCanvasAgg(fig).draw()
    image = photograph()[::8, ::8]
    top = [np.asarray(ax.images[0].get_array()) for ax in fig.axes[:4]]
    np.testing.assert_array_equal(top[0][:10], 0)  # zeros above the image
    np.testing.assert_array_equal(top[1][10, 10:-10], image[0])
    np.testing.assert_array_equal(top[1][9, 10:-10], image[1])  # reflect: row 1 mirrored
    np.testing.assert_array_equal(top[2][0, 10:-10], image[0])  # replicate: row 0 repeated
    np.testing.assert_array_equal(top[3][9, 10:-10], image[-1])  # circular: last row wraps
    bottom = np.asarray(fig.axes[4].images[0].get_array())
    np.testing.assert_allclose(bottom, blurred_with_padding_mode("zeros", 5, 8))


def test_zero_padding_darkens_the_border_band_and_the_other_modes_do_not():
    image = photograph()[::4, ::4]
    band = np.ones(image.shape, dtype=bool)
    band[7:-7, 7:-7] = False
    ratio = {
        m: blurred_with_padding_mode(m, 15)[band].mean() / image[band].mean()
        for m in ("zeros", "reflect", "replicate", "circular")
    }
    assert ratio["zeros"] < 0.85
    assert all(abs(ratio[m] - 1) < 0.15 for m in ("reflect", "replicate", "circular"))
