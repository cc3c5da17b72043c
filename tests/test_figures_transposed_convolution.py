"""The transposed-convolution figures draw conv2d_matrix, its transpose and the measured
checkerboards."""

from __future__ import annotations

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg

from cnnbook import conv2d, conv2d_matrix, interior_spread
from cnnbook.figures.transposed_convolution import (
    checkerboard_figure,
    checkerboard_panels,
    convolution_matrix_figure,
)


def test_the_matrix_figure_draws_c_and_its_transpose():
    fig = convolution_matrix_figure(input_size=5, kernel_size=3, stride=2)
    FigureCanvasAgg(fig).draw()
    kernel, c, ct = (np.ma.filled(ax.images[0].get_array(), 0) for ax in fig.axes)
    w = np.arange(1.0, 10.0).reshape(1, 1, 3, 3)
    np.testing.assert_array_equal(kernel, w[0, 0])
    np.testing.assert_array_equal(c, conv2d_matrix(w, 5, stride=2))
    np.testing.assert_array_equal(ct, c.T)
    x = np.random.default_rng(0).normal(size=(1, 1, 5, 5))
    np.testing.assert_allclose(c @ x.ravel(), conv2d(x, w, stride=2).ravel())
    # every non-zero cell is labelled with its tap's value
    labels = [t.get_text() for t in fig.axes[1].texts]
    assert len(labels) == np.count_nonzero(c)


def test_the_checkerboard_figure_titles_carry_the_measured_ratios():
    fig = checkerboard_figure()
    FigureCanvasAgg(fig).draw()
    panels = checkerboard_panels()
    for ax, (name, (y, margin)) in zip(fig.axes[:3], panels.items(), strict=True):
        np.testing.assert_array_equal(ax.images[0].get_array(), y)
        ratio = interior_spread(y, margin).ratio
        assert ax.get_title() == f"{name}\ninterior max/min = {ratio:.3g}"
    ratios = [interior_spread(y, m).ratio for y, m in panels.values()]
    assert ratios[0] > 1 and ratios[1] == 1 and ratios[2] == 1
    assert len(fig.axes[3].lines) == 3
