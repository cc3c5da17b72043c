"""Figures of the Image Denoising page, drawn from the cached run of ``demo denoising``."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from cnnbook import usecases

__all__ = ["denoising_crops_figure", "denoising_training_figure"]

CNN = "#d73027"
BASELINE_COLOURS = {"gaussian": "#4575b4", "median": "#91bfdb", "tv": "#1a9850"}
_COLUMNS = ("clean", "noisy", "gaussian", "median", "tv", "cnn")  # order of the crops' axis 1


def denoising_training_figure(seed: int = 0) -> Figure:
    """PSNR of the network's output on its training patches as training goes, vs baselines."""
    r = usecases.run("denoising", seed=seed)
    a, m = r.arrays, r.metrics
    fig = Figure(figsize=(6, 3.2), layout="constrained")
    ax = fig.subplots()
    ax.plot(a["log_steps"], a["log_psnr"], "o-", color=CNN, ms=3, label="CNN, training patches")
    for name, psnr in m["baseline_psnr"].items():
        ax.axhline(psnr, color=BASELINE_COLOURS[name], ls="--", label=f"{name}, held-out images")
    ax.axhline(m["cnn_psnr"], color=CNN, ls=":", label="CNN, held-out images")
    ax.set(xlabel="Adam step", ylabel="PSNR (dB)")
    ax.set_title(f"noise sigma {m['sigma']:g} / 255", fontsize=9)
    ax.legend(fontsize=7, loc="lower right")
    return fig


def denoising_crops_figure(seed: int = 0, kind: str = "successes") -> Figure:
    """Crops side by side: clean, noisy, each baseline, the CNN (PSNR of the crop in titles).

    ``kind="successes"``: the centre of each held-out image; ``"failures"``: the block of
    each image where the CNN's error most exceeds total variation's.
    """
    if kind not in ("successes", "failures"):
        raise ValueError(f"kind (={kind!r}) must be 'successes' or 'failures'")
    r = usecases.run("denoising", seed=seed)
    crops = r.arrays["crops" if kind == "successes" else "worst_crops"]
    names = r.metrics["test_images"]
    fig = Figure(figsize=(1.6 * len(_COLUMNS), 1.75 * len(crops)), layout="constrained")
    axes = fig.subplots(len(crops), len(_COLUMNS), squeeze=False)
    for i, row in enumerate(crops):
        clean = row[0].astype(np.float64)
        for j, column in enumerate(_COLUMNS):
            ax = axes[i, j]
            ax.imshow(row[j], cmap="gray", vmin=0, vmax=1, interpolation="nearest")
            ax.set_xticks([])
            ax.set_yticks([])
            if j == 0:
                ax.set_ylabel(names[i], fontsize=8)
                ax.set_title("clean", fontsize=8)
            else:
                mse = float(np.mean((row[j] - clean) ** 2))
                psnr = 10 * np.log10(1 / mse) if mse > 0 else np.inf
                ax.set_title(f"{column} {psnr:.1f} dB", fontsize=8)
    return fig
