"""The optimizer-paths figure draws optimizer_path's points for each configured run."""

from __future__ import annotations

import numpy as np

from cnnbook.figures.optimizers import (
    OPTIMIZER_RUNS,
    RAVINE_START,
    optimizer_paths_figure,
    ravine,
)
from cnnbook.optim import optimizer_path


def test_each_drawn_line_is_the_optimizer_path():
    fig = optimizer_paths_figure(steps=12)
    lines = fig.axes[0].lines[: len(OPTIMIZER_RUNS)]
    for line, (cls, kwargs) in zip(lines, OPTIMIZER_RUNS.values(), strict=True):
        path = optimizer_path(cls, ravine, RAVINE_START, 12, **kwargs)
        np.testing.assert_array_equal(line.get_xdata(), path[:, 0])
        np.testing.assert_array_equal(line.get_ydata(), path[:, 1])
