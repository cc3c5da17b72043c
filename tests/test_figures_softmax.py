"""The softmax figure draws softmax probabilities and the loss and gradient of CrossEntropyLoss."""

from __future__ import annotations

import numpy as np

from cnnbook.figures.softmax import softmax_figure


def test_bars_are_softmax_and_curves_are_loss_and_softmax_minus_one():
    z = (2.0, 1.0, -1.0, 0.5)
    fig = softmax_figure(z, target=1)
    _, ax_p, ax_l = fig.axes
    e = np.exp(np.array(z))
    np.testing.assert_allclose([b.get_height() for b in ax_p.patches], e / e.sum(), atol=1e-15)
    sweep, loss = ax_l.lines[0].get_data()
    grad = ax_l.lines[1].get_ydata()
    for v, lv, gv in zip(sweep, loss, grad, strict=True):
        zz = np.array(z)
        zz[1] = v
        p = np.exp(zz) / np.exp(zz).sum()
        assert abs(lv + np.log(p[1])) < 1e-12 and abs(gv - (p[1] - 1)) < 1e-12
