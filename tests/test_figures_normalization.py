"""The Batch Normalization figure draws the spreads `activation_spread` measures."""

from __future__ import annotations

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg

from cnnbook import activation_spread
from cnnbook.figures import activation_spread_figure


def test_figure_draws_the_two_measured_spreads():
    fig = activation_spread_figure(depth=6, channels=4, seed=2)
    FigureCanvasAgg(fig).draw()
    (ax,) = fig.axes
    lines = {line.get_label(): line for line in ax.get_lines()}
    assert set(lines) == {"without batch norm", "with BatchNorm2d"}
    for label, batch_norm in (("without batch norm", False), ("with BatchNorm2d", True)):
        np.testing.assert_array_equal(lines[label].get_xdata(), np.arange(1, 7))
        np.testing.assert_array_equal(
            lines[label].get_ydata(), activation_spread(6, 4, batch_norm, seed=2)
        )
    assert ax.get_yscale() == "log"
