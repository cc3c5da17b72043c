"""The Residual Connections figure draws the measured gradient norms."""

from __future__ import annotations

import numpy as np

from cnnbook import gradient_norms
from cnnbook.figures import gradient_norm_figure


def test_figure_draws_the_two_measured_curves():
    fig = gradient_norm_figure(depth=8, channels=4)
    lines = {line.get_label(): line for line in fig.axes[0].get_lines()}
    np.testing.assert_array_equal(lines["plain stack"].get_ydata(), gradient_norms(8, 4))
    np.testing.assert_array_equal(
        lines["with identity paths"].get_ydata(), gradient_norms(8, 4, residual=True)
    )
    np.testing.assert_array_equal(lines["plain stack"].get_xdata(), np.arange(1, 9))
    assert fig.axes[0].get_yscale() == "log"
