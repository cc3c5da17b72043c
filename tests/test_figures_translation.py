"""The translation figure shows f(Tx) = T f(x) and plots the measured error-vs-shift curves."""

from __future__ import annotations

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg

from cnnbook import conv2d, sobel_x
from cnnbook.figures import TRANSLATION_CURVES, translation_figure, translation_image


def test_translation_figure_feature_map_of_the_shift_is_the_shift_of_the_feature_map():
    fig = translation_figure(shift_by=(6, 10), max_shift=4)
    FigureCanvasAgg(fig).draw()
    x, xs, fx, fxs = (np.asarray(ax.images[0].get_array()) for ax in fig.axes[:4])
    np.testing.assert_array_equal(x, translation_image()[0, 0])
    np.testing.assert_array_equal(xs, np.roll(x, (6, 10), axis=(0, 1)))
    np.testing.assert_allclose(fxs, np.roll(fx, (6, 10), axis=(0, 1)), atol=1e-12)
    # the feature map is a ReLU'd Sobel-x response: interior equals a valid conv2d
    valid = np.maximum(conv2d(x[None, None], sobel_x()[None, None])[0, 0], 0)
    np.testing.assert_allclose(fx[1:-1, 1:-1], valid, atol=1e-12)


def test_translation_figure_curves_zero_for_equivariance_and_global_pool_growing_for_max_pool():
    fig = translation_figure(max_shift=6)
    FigureCanvasAgg(fig).draw()
    ax = fig.axes[4]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == list(TRANSLATION_CURVES)
    equi, pool2, pool4, global_pool = (np.asarray(line.get_ydata()) for line in ax.lines)
    np.testing.assert_array_equal(ax.lines[0].get_xdata(), np.arange(7))
    assert equi.max() < 1e-12 and global_pool.max() < 1e-12
    assert pool2[0] == pool4[0] == 0.0
    assert np.all(pool4[1:3] < pool2[1:3]) and np.all(np.diff(pool2[:3]) > 0)
