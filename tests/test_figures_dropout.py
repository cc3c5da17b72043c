"""The Dropout figures draw nn.Dropout's output and the runs of dropout_comparison."""

from __future__ import annotations

import numpy as np

from cnnbook import dropout_comparison, nn
from cnnbook.figures.dropout import dropout_figure, dropout_overfitting_figure


def test_bars_are_the_input_and_its_dropout_with_the_same_seed():
    fig = dropout_figure(p=0.25, units=12, seed=3)
    heights = np.array([b.get_height() for b in fig.axes[0].patches])
    rng = np.random.default_rng(3)
    x = rng.random(12)
    y = nn.Dropout(0.25, rng=rng)(x)
    np.testing.assert_array_equal(heights[:12], x)
    np.testing.assert_array_equal(heights[12:], y)
    assert set(np.round(heights[12:][heights[12:] > 0] / x[heights[12:] > 0], 12)) == {
        round(1 / 0.75, 12)
    }


def test_curves_are_the_compared_runs(tmp_path, monkeypatch):
    monkeypatch.setenv("CNNBOOK_CACHE", str(tmp_path))
    args = {"train_size": 40, "epochs": 3, "hidden": 8}
    fig = dropout_overfitting_figure((0.0, 0.5), (0, 1), **args)
    runs = dropout_comparison((0.0, 0.5), (0, 1), **args)
    ax_loss, ax_acc = fig.axes
    # Per run: a dashed training curve, a solid held-out curve and the marker at its minimum.
    lines = ax_loss.lines
    for k, key in enumerate([(0.0, 0), (0.0, 1), (0.5, 0), (0.5, 1)]):
        train, test, best = lines[3 * k : 3 * k + 3]
        np.testing.assert_array_equal(train.get_ydata(), runs[key].train_loss)
        np.testing.assert_array_equal(test.get_ydata(), runs[key].test_loss)
        assert best.get_xdata()[0] == np.argmin(runs[key].test_loss)
        np.testing.assert_array_equal(ax_acc.lines[k].get_ydata(), runs[key].test_accuracy)
