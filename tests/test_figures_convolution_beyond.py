"""The convolution-beyond-images figure draws convolve1d's moving average, dice and spectra."""

from __future__ import annotations

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg

from cnnbook.figures.convolution_beyond import convolution_beyond_images_figure


def test_panels_show_the_average_the_dice_and_the_convolution_theorem():
    fig = convolution_beyond_images_figure(window=5, dice=3)
    FigureCanvasAgg(fig).draw()
    avg, dice, fft = fig.axes
    signal, smooth = (line.get_ydata() for line in avg.lines)
    # the average is the mean of 5 neighbours (zero beyond the ends, mode "same")
    padded = np.concatenate([[0, 0], signal, [0, 0]])
    np.testing.assert_allclose(smooth, [padded[i : i + 5].mean() for i in range(len(signal))])
    _one, two, three = (line.get_ydata() for line in dice.lines)
    np.testing.assert_allclose(two * 36, [1, 2, 3, 4, 5, 6, 5, 4, 3, 2, 1])
    assert np.isclose(three.sum(), 1) and three.max() == 27 / 216
    # |F(signal * box)| lies on the product |F(signal)| |F(box)| at every plotted point
    _signal, _box, out, product = fft.lines
    np.testing.assert_allclose(product.get_ydata(), out.get_ydata()[::6], rtol=1e-9)
