"""Figures of the page "Why Convolutions: CNN versus MLP", drawn from the cached run.

Each function loads ``cnnbook.usecases.run("inductive-bias", seed)`` (the run the page's
numbers and ``python -m cnnbook demo inductive-bias --json`` come from; it trains on a
cache miss) and draws its arrays.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from cnnbook import usecases
from cnnbook.usecases.inductive_bias import DATASETS

__all__ = [
    "inductive_bias_data_figure",
    "inductive_bias_examples_figure",
    "inductive_bias_learning_curve_figure",
    "inductive_bias_training_figure",
]

NAME = "inductive-bias"
_COLOURS = {"cnn": "#1f77b4", "mlp": "#d62728"}
_TITLES = {
    "digits": "digits (8×8)",
    "digits_permuted": "digits, pixels permuted",
    "canvas": "digits moved on a 16×16 canvas",
    "canvas_permuted": "canvas, pixels permuted",
}


def inductive_bias_data_figure(seed: int = 0, examples: int = 4) -> Figure:
    """Draw the four data sets: the same held-out digits as each network sees them.

    Rows: digits, digits permuted, canvas, canvas permuted; columns: `examples` test
    images. The permuted rows hold exactly the pixels of the rows above them, scrambled.
    """
    from cnnbook.usecases.canvas import permute_pixels

    result = usecases.run(NAME, seed)
    digits = result.arrays["digits_x_test"][:examples]
    x_canvas = result.arrays["canvas_x_test"][:examples]
    rows = {
        "digits": digits,
        "digits_permuted": permute_pixels(digits, result.arrays["digits_permutation"]),
        "canvas": x_canvas,
        "canvas_permuted": permute_pixels(x_canvas, result.arrays["canvas_permutation"]),
    }
    fig = Figure(figsize=(1.25 * examples + 1.2, 5.4), layout="constrained")
    axes = fig.subplots(len(DATASETS), examples, squeeze=False)
    for r, name in enumerate(DATASETS):
        for c in range(examples):
            ax = axes[r, c]
            ax.imshow(rows[name][c, 0], cmap="gray_r", vmin=0, vmax=1)
            ax.set_xticks([])
            ax.set_yticks([])
            if c == 0:
                ax.set_ylabel(_TITLES[name], fontsize=8)
            if r == 0:
                ax.set_title(f"label {int(result.arrays['canvas_y_test'][c])}", fontsize=9)
    return fig


def inductive_bias_training_figure(seed: int = 0) -> Figure:
    """Held-out accuracy after each epoch, CNN and MLP, one panel per data set."""
    result = usecases.run(NAME, seed)
    fig = Figure(figsize=(10, 2.8), layout="constrained")
    axes = fig.subplots(1, len(DATASETS), sharey=True)
    for ax, name in zip(axes, DATASETS, strict=True):
        for kind in ("cnn", "mlp"):
            acc = result.arrays[f"{name}_{kind}_test_accuracy"]
            ax.plot(
                np.arange(1, len(acc) + 1),
                acc,
                "-o",
                ms=3,
                color=_COLOURS[kind],
                label=kind.upper(),
            )
        ax.set_title(_TITLES[name], fontsize=9)
        ax.set_xlabel("epoch")
        ax.set_ylim(0, 1)
        ax.grid(alpha=0.3)
    axes[0].set_ylabel("held-out accuracy")
    axes[0].legend(loc="lower right")
    return fig


def inductive_bias_learning_curve_figure(seed: int = 0) -> Figure:
    """Held-out accuracy on the canvas against the number of training images (log scale)."""
    result = usecases.run(NAME, seed)
    sizes = result.arrays["curve_sizes"]
    fig = Figure(figsize=(5.5, 3.6), layout="constrained")
    ax = fig.subplots()
    for kind in ("cnn", "mlp"):
        ax.plot(
            sizes,
            result.arrays[f"curve_{kind}"],
            "-o",
            color=_COLOURS[kind],
            label=f"{kind.upper()} ({result.metrics['canvas'][f'{kind}_parameters']:,} parameters)",
        )
    ax.axhline(0.1, color="grey", ls=":", lw=1, label="chance (1 in 10)")
    ax.set_xscale("log")
    ax.set_xticks(sizes, [str(int(s)) for s in sizes])
    ax.set_xlabel("training images (same number of steps for every point)")
    ax.set_ylabel("held-out accuracy")
    ax.set_ylim(0, 1)
    ax.grid(alpha=0.3)
    ax.legend(loc="upper left", fontsize=8)
    return fig


def inductive_bias_examples_figure(seed: int = 0, per_row: int = 8) -> Figure:
    """Held-out canvas digits: where the CNN is right and the MLP wrong, and the CNN's failures.

    Top row: successes of the CNN that the MLP gets wrong; bottom row: the CNN's failures.
    Each title reads "CNN / MLP" predictions; the true label is below the image.
    """
    result = usecases.run(NAME, seed)
    x = result.arrays["canvas_x_test"]
    y = result.arrays["canvas_y_test"]
    cnn, mlp = result.arrays["canvas_cnn_pred"], result.arrays["canvas_mlp_pred"]
    rows = {
        "CNN right, MLP wrong": np.flatnonzero((cnn == y) & (mlp != y))[:per_row],
        "CNN wrong": np.flatnonzero(cnn != y)[:per_row],
    }
    fig = Figure(figsize=(1.3 * per_row, 3.6), layout="constrained")
    axes = fig.subplots(2, per_row, squeeze=False)
    for r, (label, picks) in enumerate(rows.items()):
        for c in range(per_row):
            ax = axes[r, c]
            ax.set_xticks([])
            ax.set_yticks([])
            if c == 0:
                ax.set_ylabel(label, fontsize=8)
            if c >= len(picks):
                ax.set_axis_off()
                continue
            i = picks[c]
            ax.imshow(x[i, 0], cmap="gray_r", vmin=0, vmax=1)
            ax.set_title(
                f"{cnn[i]} / {mlp[i]}", fontsize=9, color="#1a7f37" if cnn[i] == y[i] else "#b42318"
            )
            ax.set_xlabel(f"true {y[i]}", fontsize=8)
    fig.suptitle("predictions: CNN / MLP", fontsize=9)
    return fig
