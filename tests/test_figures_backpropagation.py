"""The backward-pass figure draws the gradients that correlate2d/convolve2d give for its inputs."""

from __future__ import annotations

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg

from cnnbook import convolve2d, correlate2d
from cnnbook.figures.backpropagation import backpropagation_figure


def test_panels_are_valid_correlation_and_full_convolution_of_the_drawn_arrays():
    fig = backpropagation_figure(size=6, kernel_size=3, seed=2)
    FigureCanvasAgg(fig).draw()
    x, w, g, gw, gx = (np.asarray(ax.images[0].get_array()) for ax in fig.axes)
    assert g.shape == (4, 4) and np.count_nonzero(g) > 1
    np.testing.assert_allclose(gw, correlate2d(x, g, "valid"))
    np.testing.assert_allclose(gx, convolve2d(g, w, "full"))
    assert [t.get_text() for t in fig.axes[3].texts] == [f"{v:.1f}" for v in gw.ravel()]
