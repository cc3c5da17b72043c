"""Figures of the page "Image Classification", drawn from the cached ``classification`` run.

Each function loads ``cnnbook.usecases.run("classification", seed)`` (the run the page's
numbers and ``python -m cnnbook demo classification --json`` come from) and draws it.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from cnnbook import usecases
from cnnbook.usecases.canvas import shift_images

__all__ = [
    "classification_examples_figure",
    "classification_ink_figure",
    "classification_training_figure",
]

NAME = "classification"
_LABELS = {
    "old": "old protocol (8×8)",
    "plain": "on the canvas",
    "augmented": "on the canvas, trained on shifts",
}


def classification_ink_figure(seed: int = 0, digit: int | None = None) -> Figure:
    """Draw what a zero-filled shift deletes, and how much, over the whole test set.

    Left: a test digit on 8×8, the same digit moved by its one-pixel test move (ink that
    fell off the edge is lost), then on the 10×10 canvas and moved the same way (nothing
    lost). Right: histogram of the ink lost per test digit under the old protocol.
    `digit` picks the test image (default: the one that loses the most ink).
    """
    result = usecases.run(NAME, seed)
    x10 = result.arrays["x_test"]
    moves = result.arrays["moves"]
    lost = result.arrays["old_ink_lost"]
    i = int(np.argmax(lost)) if digit is None else int(digit)
    x8 = x10[:, :, 1:9, 1:9]
    panels = [
        ("8×8 test digit", x8[i, 0]),
        (
            f"moved {tuple(int(v) for v in moves[i])}: {lost[i]:.0%} of ink lost",
            shift_images(x8[i : i + 1], moves[i : i + 1])[0, 0],
        ),
        ("on the 10×10 canvas", x10[i, 0]),
        (
            f"moved the same: {result.arrays['new_ink_lost'][i]:.0%} lost",
            shift_images(x10[i : i + 1], moves[i : i + 1])[0, 0],
        ),
    ]
    fig = Figure(figsize=(11, 2.9), layout="constrained")
    grid = fig.add_gridspec(1, 6)
    for k, (title, image) in enumerate(panels):
        ax = fig.add_subplot(grid[0, k])
        ax.imshow(image, cmap="gray_r", vmin=0, vmax=1)
        ax.set_title(title, fontsize=8)
        ax.set_xticks([])
        ax.set_yticks([])
    ax = fig.add_subplot(grid[0, 4:])
    ax.hist(lost * 100, bins=[2.5 * k for k in range(21)], color="#888888", edgecolor="white")
    ax.axvline(lost.mean() * 100, color="#b42318", label=f"mean {lost.mean():.1%}")
    ax.axvline(10, color="black", ls=":", label=f"over 10 %: {np.mean(lost > 0.1):.0%} of digits")
    ax.set_xlabel("ink lost by the old one-pixel shift (%)")
    ax.set_ylabel("test digits")
    ax.legend(fontsize=8)
    return fig


def classification_training_figure(seed: int = 0) -> Figure:
    """Training loss and held-out accuracy per epoch of the three networks."""
    result = usecases.run(NAME, seed)
    fig = Figure(figsize=(9, 3.2), layout="constrained")
    ax_loss, ax_acc = fig.subplots(1, 2)
    for key, label in _LABELS.items():
        loss = result.arrays[f"{key}_train_loss"]
        acc = result.arrays[f"{key}_test_accuracy"]
        epochs = np.arange(1, len(loss) + 1)
        ax_loss.plot(epochs, loss, "-o", ms=3, label=label)
        ax_acc.plot(epochs, acc, "-o", ms=3, label=label)
    ax_loss.set_title("training loss")
    ax_acc.set_title("held-out accuracy (unshifted test digits)")
    for ax in (ax_loss, ax_acc):
        ax.set_xlabel("epoch")
        ax.grid(alpha=0.3)
    ax_acc.legend(fontsize=8)
    return fig


def classification_examples_figure(seed: int = 0, per_row: int = 8) -> Figure:
    """Held-out digits on the canvas: successes and failures, moved and turned.

    Rows: moved digits the plain network gets right; moved digits it gets wrong; digits
    given a quarter turn (the network trained on shifts, which never saw a turned digit).
    Each title is the prediction (green right, red wrong); the label is below.
    """
    result = usecases.run(NAME, seed)
    x = result.arrays["x_test"]
    y = result.arrays["y_test"]
    moves = result.arrays["moves"]
    moved = shift_images(x, moves)
    shifted = result.arrays["plain_shifted_pred"]
    turned_pred = result.arrays["rotated_90_pred"]
    turned = np.rot90(x, k=1, axes=(2, 3))
    rows = [
        ("moved, right", moved, shifted, np.flatnonzero(shifted == y)[:per_row]),
        ("moved, wrong", moved, shifted, np.flatnonzero(shifted != y)[:per_row]),
        ("quarter turn", turned, turned_pred, np.arange(per_row)),
    ]
    fig = Figure(figsize=(1.25 * per_row, 4.6), layout="constrained")
    axes = fig.subplots(len(rows), per_row, squeeze=False)
    for r, (label, images, pred, picks) in enumerate(rows):
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
            ax.imshow(images[i, 0], cmap="gray_r", vmin=0, vmax=1)
            ax.set_title(
                f"says {pred[i]}", fontsize=9, color="#1a7f37" if pred[i] == y[i] else "#b42318"
            )
            ax.set_xlabel(f"true {y[i]}", fontsize=8)
    return fig
