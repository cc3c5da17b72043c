"""The translation figure shows f(Tx) = T f(x), then equivariance and invariance apart."""

from __future__ import annotations

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg

from cnnbook import conv2d, sobel_x
from cnnbook.figures import (
    EQUIVARIANCE_CURVES,
    INVARIANCE_CURVES,
    translation_figure,
    translation_image,
)


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


def test_translation_figure_pooled_maps_are_equivariant_at_their_scale_not_invariant():
    fig = translation_figure(max_shift=8)
    FigureCanvasAgg(fig).draw()
    left, right = fig.axes[4], fig.axes[5]
    assert [t.get_text() for t in left.get_legend().get_texts()] == list(EQUIVARIANCE_CURVES)
    assert [t.get_text() for t in right.get_legend().get_texts()] == list(INVARIANCE_CURVES)
    shifts = np.arange(9)
    np.testing.assert_array_equal(left.lines[0].get_xdata(), shifts)
    conv, pool2, pool4 = (np.asarray(line.get_ydata()) for line in left.lines)
    assert conv.max() < 1e-12
    # a shift by 2k moves the 2x2-pooled map by exactly k cells (and 4k the 4x4-pooled one)
    assert pool2[shifts % 2 == 0].max() < 1e-12 and pool2[shifts % 2 == 1].min() > 0.1
    assert pool4[shifts % 4 == 0].max() < 1e-12 and pool4[shifts % 4 != 0].min() > 0.1
    inv2, inv4, gap, strided_gap = (np.asarray(line.get_ydata()) for line in right.lines)
    # ... yet the same pooled maps are far from invariant, even at those shifts
    assert inv2[0] == inv4[0] == 0.0 and inv2[1:].min() > 0.5 and inv4[1:].min() > 0.3
    assert np.all(inv4[1:3] < inv2[1:3])
    assert gap.max() < 1e-12  # global pooling after stride 1: invariant to every shift
    # after a total stride of 2: invariant at even shifts only
    assert strided_gap[shifts % 2 == 0].max() < 1e-12
    assert strided_gap[shifts % 2 == 1].min() > 1e-4
