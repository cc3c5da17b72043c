"""Convolution beyond images: a moving average, the sum of dice, and the convolution theorem.

Every curve comes from `cnnbook.convolve1d` and `cnnbook.fftconvolve`.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from cnnbook.correlation1d import convolve1d
from cnnbook.fft_convolution import fftconvolve

__all__ = ["convolution_beyond_images_figure"]


def convolution_beyond_images_figure(window: int = 9, dice: int = 3, seed: int = 0) -> Figure:
    """Draw a moving average, the distributions of sums of dice, and the convolution theorem.

    Parameters
    ----------
    window : int, default 9
        Length of the moving-average box.
    dice : int, default 3
        Distributions of the sum of 1 to `dice` dice are drawn.
    seed : int, default 0
        Seed of the noisy signal.

    Returns
    -------
    matplotlib.figure.Figure
        Three axes: the signal and its moving average; the distributions (each the
        convolution of the previous with one die); the spectra of the signal, the box
        and the average, with the product of the first two on top of the third.

    Examples
    --------
    >>> len(convolution_beyond_images_figure().axes)
    3
    """
    rng = np.random.default_rng(seed)
    t = np.arange(200)
    signal = np.sin(2 * np.pi * t / 80) + 0.4 * rng.standard_normal(t.size)
    box = np.full(window, 1 / window)
    smooth = convolve1d(signal, box, "same")
    fig = Figure(figsize=(11, 3.2), layout="constrained")
    ax_avg, ax_dice, ax_fft = fig.subplots(1, 3)

    ax_avg.plot(t, signal, color="0.6", lw=0.8, label="signal")
    ax_avg.plot(t, smooth, color="C0", lw=2, label=f"moving average of {window}")
    ax_avg.set(xlabel="n", title="signal * box")
    ax_avg.legend(fontsize=7, loc="lower left")

    die = np.full(6, 1 / 6)
    dist = die
    for count in range(1, dice + 1):
        if count > 1:
            dist = convolve1d(dist, die)
        totals = np.arange(count, 6 * count + 1)
        ax_dice.plot(totals, dist, "o-", ms=3, label=f"{count} {'die' if count == 1 else 'dice'}")
    ax_dice.set(xlabel="sum of the dice", ylabel="probability", title="die * die * die")
    ax_dice.legend(fontsize=7)

    length = signal.size + window - 1
    spectrum_signal = np.abs(np.fft.rfft(signal, length))
    spectrum_box = np.abs(np.fft.rfft(box, length))
    spectrum_out = np.abs(np.fft.rfft(fftconvolve(signal, box), length))
    freq = np.fft.rfftfreq(length)
    ax_fft.semilogy(freq, spectrum_signal, color="0.6", lw=0.8, label="|F(signal)|")
    ax_fft.semilogy(freq, spectrum_box, color="C1", lw=1, label="|F(box)|")
    ax_fft.semilogy(freq, spectrum_out, color="C0", lw=2, label="|F(signal * box)|")
    ax_fft.semilogy(freq[::6], (spectrum_signal * spectrum_box)[::6], "k.", ms=3,
                    label="|F(signal)| · |F(box)|")  # fmt: skip
    ax_fft.set(xlabel="frequency (cycles per sample)", title="convolution theorem")
    ax_fft.set_ylim(1e-4, None)
    ax_fft.legend(fontsize=7, loc="lower left")
    return fig
