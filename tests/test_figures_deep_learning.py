"""The Deep Learning figure draws the gradient-descent runs of cnnbook.two_layer_network."""

from __future__ import annotations

import numpy as np
from matplotlib.collections import PathCollection

from cnnbook import gradient_descent, nn, two_layer_network, xor_data
from cnnbook.figures.deep_learning import two_layer_network_figure


def test_curves_are_the_gradient_descent_histories_of_both_models():
    fig = two_layer_network_figure(hidden=4, steps=40, lr=0.5, seed=2)
    _, _, ax_loss, ax_acc = fig.axes
    x, y = xor_data(seed=2)
    deep = gradient_descent(two_layer_network(4, rng=2), x, y, steps=40, lr=0.5)
    linear = nn.Sequential(nn.Linear(2, 2, rng=np.random.default_rng(2), dtype=np.float64))
    flat = gradient_descent(linear, x, y, steps=40, lr=0.5)
    np.testing.assert_array_equal(ax_loss.lines[0].get_ydata(), deep.loss)
    np.testing.assert_array_equal(ax_loss.lines[1].get_ydata(), flat.loss)
    np.testing.assert_array_equal(ax_acc.lines[0].get_ydata(), deep.accuracy)
    np.testing.assert_array_equal(ax_acc.lines[1].get_ydata(), flat.accuracy)
    assert ax_loss.lines[2].get_ydata()[0] == np.log(2)


def test_region_panels_show_every_point_and_the_final_accuracy():
    fig = two_layer_network_figure(steps=300)
    ax_deep, ax_linear = fig.axes[:2]
    _, y = xor_data()
    points = [c for c in ax_deep.collections if isinstance(c, PathCollection)]
    assert [len(c.get_offsets()) for c in points] == [np.sum(y == 0), np.sum(y == 1)]
    assert ax_deep.get_title().endswith("accuracy 100%")
    assert "accuracy 100%" not in ax_linear.get_title()
