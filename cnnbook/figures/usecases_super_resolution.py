"""Figures of the Super-Resolution page, drawn from the cached run of ``demo super-resolution``."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from cnnbook import usecases

__all__ = ["super_resolution_crops_figure", "super_resolution_training_figure"]

CNN, BICUBIC = "#d73027", "#4575b4"
_COLUMNS = ("original", "nearest (input pixels)", "bicubic", "CNN")  # the crops' axis 1


def super_resolution_training_figure(seed: int = 0) -> Figure:
    """PSNR on the training patches as training goes, with the held-out results."""
    r = usecases.run("super-resolution", seed=seed)
    a, m = r.arrays, r.metrics
    fig = Figure(figsize=(6, 3.2), layout="constrained")
    ax = fig.subplots()
    ax.plot(a["log_steps"], a["log_psnr"], "o-", color=CNN, ms=3, label="CNN, training patches")
    ax.axhline(m["cnn_psnr"], color=CNN, ls=":", label="CNN, held-out images")
    ax.axhline(m["bicubic_psnr"], color=BICUBIC, ls="--", label="bicubic, held-out images")
    ax.set(xlabel="Adam step", ylabel="PSNR (dB)")
    ax.legend(fontsize=7, loc="lower right")
    return fig


def super_resolution_crops_figure(seed: int = 0, kind: str = "successes") -> Figure:
    """Crops of each held-out image: original, the x2 pixels, bicubic, the CNN.

    ``kind="successes"``: the centre of each image; ``"failures"``: the block where the
    CNN's error most exceeds bicubic's.
    """
    if kind not in ("successes", "failures"):
        raise ValueError(f"kind (={kind!r}) must be 'successes' or 'failures'")
    r = usecases.run("super-resolution", seed=seed)
    crops = r.arrays["crops" if kind == "successes" else "worst_crops"]
    names = r.metrics["test_images"]
    fig = Figure(figsize=(1.9 * len(_COLUMNS), 2.0 * len(crops)), layout="constrained")
    axes = fig.subplots(len(crops), len(_COLUMNS), squeeze=False)
    for i, row in enumerate(crops):
        original = row[0].astype(np.float64)
        for j, column in enumerate(_COLUMNS):
            ax = axes[i, j]
            ax.imshow(row[j], cmap="gray", vmin=0, vmax=1, interpolation="nearest")
            ax.set_xticks([])
            ax.set_yticks([])
            title = column
            if j >= 2:
                mse = float(np.mean((row[j] - original) ** 2))
                title += f" {10 * np.log10(1 / mse):.1f} dB" if mse > 0 else ""
            ax.set_title(title, fontsize=8)
            if j == 0:
                ax.set_ylabel(names[i], fontsize=8)
    return fig
