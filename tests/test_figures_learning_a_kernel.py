"""The learning-a-kernel figure plots learn_kernel's own curves and the hidden kernels."""

from __future__ import annotations

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg

from cnnbook import sobel_x
from cnnbook.figures.learning_a_kernel import learning_a_kernel_figure


def test_curves_fall_and_learned_panels_match_the_hidden_kernels():
    fig = learning_a_kernel_figure(steps=40)
    FigureCanvasAgg(fig).draw()
    curves, sobel_true, sobel_learned, rand_true, rand_learned = fig.axes
    assert len(curves.lines) == 4
    for line in curves.lines:
        y = line.get_ydata()
        assert len(y) == 41 and y[-1] < 1e-6 * y[0]
    np.testing.assert_array_equal(np.asarray(sobel_true.images[0].get_array()), sobel_x())
    np.testing.assert_allclose(
        np.asarray(sobel_learned.images[0].get_array()), sobel_x(), atol=1e-6
    )
    np.testing.assert_allclose(
        np.asarray(rand_learned.images[0].get_array()),
        np.asarray(rand_true.images[0].get_array()),
        atol=1e-5,
    )
