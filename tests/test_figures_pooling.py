"""The pooling figure draws the window maxima and means NumPy computes from its input panel."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

from cnnbook.figures import pooling_figure


@pytest.mark.parametrize(("size", "k", "stride"), [(4, 2, None), (5, 3, 2), (6, 3, None)])
def test_pooling_figure_outputs_and_winners_equal_per_window_numpy(size, k, stride):
    fig = pooling_figure(size, k, stride, seed=3)
    FigureCanvasAgg(fig).draw()
    ax_in, ax_max, ax_avg = fig.axes
    x = np.asarray(ax_in.images[0].get_array())
    s = k if stride is None else stride
    n = (size - k) // s + 1
    windows = {(i, j): x[i * s : i * s + k, j * s : j * s + k] for i in range(n) for j in range(n)}
    expected_max = np.array([[windows[i, j].max() for j in range(n)] for i in range(n)])
    expected_avg = np.array([[windows[i, j].mean() for j in range(n)] for i in range(n)])
    np.testing.assert_array_equal(np.asarray(ax_max.images[0].get_array()), expected_max)
    np.testing.assert_allclose(np.asarray(ax_avg.images[0].get_array()), expected_avg)
    assert [t.get_text() for t in ax_avg.texts] == [f"{v:.2f}" for v in expected_avg.ravel()]
    winners = set()
    for (i, j), w in windows.items():
        a, b = np.unravel_index(np.argmax(w), w.shape)  # first maximum in row-major order
        winners.add((i * s + int(a), j * s + int(b)))
    drawn = {
        (round(p.get_y() + 0.42), round(p.get_x() + 0.42))
        for p in ax_in.patches
        if p.get_label() == "winner"
    }
    assert drawn == winners
    assert sum(p.get_label() == "window" for p in ax_in.patches) == n * n
