"""The multi-channel figure draws the correlations and the outputs conv2d gives for its arrays."""

from __future__ import annotations

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg

from cnnbook import conv2d, correlate2d
from cnnbook.figures.channels import multichannel_figure
from cnnbook.site.figures_registry import CHANNELS_W, CHANNELS_X


def test_each_row_is_the_channel_correlations_and_their_sum_plus_bias():
    x, w, b = np.array(CHANNELS_X, float), np.array(CHANNELS_W, float), np.array([1.0, -2.0])
    fig = multichannel_figure(x, w, b)
    FigureCanvasAgg(fig).draw()
    panels = [np.asarray(ax.images[0].get_array()) for ax in fig.axes]
    y = conv2d(x, w, b)
    for o in range(2):
        row = panels[7 * o : 7 * o + 7]
        for c in range(2):
            np.testing.assert_array_equal(row[3 * c], x[c])
            np.testing.assert_array_equal(row[3 * c + 1], w[o, c])
            np.testing.assert_allclose(row[3 * c + 2], correlate2d(x[c], w[o, c]))
        np.testing.assert_allclose(row[6], row[2] + row[5] + b[o])
        np.testing.assert_allclose(row[6], y[o])
        assert [t.get_text() for t in fig.axes[7 * o + 6].texts] == [f"{v:g}" for v in y[o].ravel()]
