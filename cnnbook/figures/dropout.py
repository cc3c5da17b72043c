"""Dropout drawn: one layer's activations in training and evaluation, and the measured run.

The bars come from `cnnbook.nn.Dropout`; the curves from `cnnbook.dropout.dropout_comparison`
(cached runs, the same the Dropout page prints).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from matplotlib.figure import Figure

from cnnbook.dropout import dropout_comparison
from cnnbook.nn import Dropout

__all__ = ["dropout_figure", "dropout_overfitting_figure"]


def dropout_figure(p: float = 0.5, units: int = 16, seed: int = 0) -> Figure:
    """Draw a layer's activations in evaluation mode and after one training-mode dropout.

    Parameters
    ----------
    p : float, default 0.5
        Dropout probability.
    units : int, default 16
        Number of activations.
    seed : int, default 0
        Seed of the activations (uniform in [0, 1)) and of the mask.

    Returns
    -------
    matplotlib.figure.Figure
        One axes: grey bars the input (= the evaluation output), coloured bars the
        training output.

    Examples
    --------
    >>> ax = dropout_figure(units=4).axes[0]
    >>> len(ax.patches)
    8
    """
    rng = np.random.default_rng(seed)
    x = rng.random(units)
    y = Dropout(p, rng=rng)(x)
    fig = Figure(figsize=(6, 2.6), layout="constrained")
    ax = fig.subplots()
    idx = np.arange(units)
    ax.bar(idx - 0.2, x, width=0.4, color="0.7", label="evaluation: y = x")
    ax.bar(idx + 0.2, y, width=0.4, color="C0", label=f"training: x·m/(1−p), p = {p:g}")
    ax.set_xticks(idx)
    ax.set_xlabel("unit")
    ax.set_ylabel("activation")
    ax.set_title(
        f"{int(np.count_nonzero(y == 0))} of {units} units dropped; "
        f"mean {x.mean():.2f} (eval) vs {y.mean():.2f} (this mask)",
        fontsize=9,
    )
    ax.legend(fontsize=7)
    return fig


def dropout_overfitting_figure(
    ps: Sequence[float] = (0.0, 0.5), seeds: Sequence[int] = (0, 1, 2), **run_kwargs: Any
) -> Figure:
    """Draw training and held-out loss, and held-out accuracy, per epoch, for each `p` and seed.

    Parameters
    ----------
    ps : sequence of float, default (0.0, 0.5)
        Dropout probabilities (one colour each).
    seeds : sequence of int, default (0, 1, 2)
        One line per seed.
    **run_kwargs
        Passed to `cnnbook.dropout.dropout_comparison` (``epochs``, ``train_size``...);
        the page's runs use the defaults.

    Returns
    -------
    matplotlib.figure.Figure
        Axes: loss (log scale; dashed training, solid held-out), held-out accuracy.

    Examples
    --------
    >>> fig = dropout_overfitting_figure(seeds=(0,), train_size=40, epochs=2, hidden=8)
    >>> len(fig.axes), len(fig.axes[1].lines)
    (2, 2)
    """
    runs = dropout_comparison(ps, seeds, **run_kwargs)
    fig = Figure(figsize=(11, 3.4), layout="constrained")
    ax_loss, ax_acc = fig.subplots(1, 2)
    for colour, p in enumerate(ps):
        for k, seed in enumerate(seeds):
            run = runs[float(p), seed]
            label = f"p = {p:g}" if k == 0 else None
            ax_loss.semilogy(run.train_loss, "--", color=f"C{colour}", lw=1)
            ax_loss.semilogy(run.test_loss, color=f"C{colour}", lw=1.2, label=label)
            best = int(np.argmin(run.test_loss))
            ax_loss.plot(best, run.test_loss[best], "o", color=f"C{colour}", ms=4)
            ax_acc.plot(run.test_accuracy, color=f"C{colour}", lw=1.2, label=label)
    ax_loss.set_title("loss: held-out (solid, ● its minimum), training (dashed)", fontsize=9)
    ax_acc.set_title("held-out accuracy", fontsize=9)
    ax_acc.set_ylim(0.8, 1.0)
    for ax in (ax_loss, ax_acc):
        ax.set_xlabel("epoch")
        ax.legend(fontsize=7, title=f"seeds {', '.join(map(str, seeds))}", title_fontsize=7)
    return fig
