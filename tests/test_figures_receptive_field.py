"""The receptive-field figure shades the measured field and boxes the hand-derived sizes."""

from __future__ import annotations

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg

from cnnbook import empirical_receptive_field
from cnnbook.figures import DEFAULT_STACK, receptive_field_figure


def test_receptive_field_figure_boxes_have_the_hand_derived_sizes_and_nest():
    fig = receptive_field_figure()
    FigureCanvasAgg(fig).draw()
    ax = fig.axes[0]
    boxes = [p for p in ax.patches]
    # 3, +2 (3x3), +1 (2x2 pool), +2*2 (3x3 at jump 2), +4*2 (dilated 3x3 at jump 2)
    assert [(p.get_height(), p.get_width()) for p in boxes] == [(r, r) for r in (3, 5, 6, 10, 18)]
    last = boxes[-1]
    for p in boxes[:-1]:
        assert (
            last.get_x() <= p.get_x()
            and p.get_x() + p.get_width() <= last.get_x() + last.get_width()
        )
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels[0] == "layer 1 (conv 3x3): 3 x 3"


def test_receptive_field_figure_shades_the_measured_mask_inside_the_last_box():
    fig = receptive_field_figure(input_size=24)
    FigureCanvasAgg(fig).draw()
    ax = fig.axes[0]
    shaded = np.asarray(ax.images[0].get_array()) > 0
    np.testing.assert_array_equal(shaded, empirical_receptive_field(DEFAULT_STACK, 24).mask)
    rows, cols = np.flatnonzero(shaded.any(1)), np.flatnonzero(shaded.any(0))
    last = ax.patches[-1]
    assert (rows[0], cols[0]) == (last.get_y() + 0.5, last.get_x() + 0.5)
    assert rows[-1] - rows[0] + 1 == last.get_height() == 18
