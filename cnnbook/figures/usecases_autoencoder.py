"""Figures of the page "Image Synthesis", drawn from the cached ``autoencoder`` run.

Each function loads ``cnnbook.usecases.run("autoencoder", seed)`` (the run the page's
numbers and ``python -m cnnbook demo autoencoder --json`` come from) and draws it.
"""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from cnnbook import usecases

__all__ = [
    "autoencoder_interpolation_figure",
    "autoencoder_reconstructions_figure",
    "autoencoder_samples_figure",
    "autoencoder_training_figure",
]

NAME = "autoencoder"
CNN, PCA_COLOUR = "#d73027", "#4575b4"


def _check_seed(seed: int) -> None:
    if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
        raise ValueError(f"seed (={seed!r}) must be a non-negative int")


def _digit(ax: Axes, image: np.ndarray, title: str = "", colour: str = "black") -> None:
    ax.imshow(np.asarray(image).reshape(8, 8), cmap="gray_r", vmin=0, vmax=1)
    ax.set_xticks([])
    ax.set_yticks([])
    if title:
        ax.set_title(title, fontsize=7, color=colour)


def _grid(rows: list[tuple[str, np.ndarray]], titles: list[list[str]] | None = None) -> Figure:
    """One row of digits per (label, images); optional titles per digit."""
    columns = len(rows[0][1])
    fig = Figure(figsize=(0.75 * columns + 0.9, 0.9 * len(rows) + 0.2), layout="constrained")
    axes = fig.subplots(len(rows), columns, squeeze=False)
    for r, (label, images) in enumerate(rows):
        for c, image in enumerate(images):
            _digit(axes[r, c], image, titles[r][c] if titles else "")
        axes[r, 0].set_ylabel(label, fontsize=8, rotation=0, ha="right", va="center")
    return fig


def autoencoder_training_figure(seed: int = 0) -> Figure:
    """Left: reconstruction error per epoch vs PCA's. Right: PCA's error per latent size."""
    _check_seed(seed)
    r = usecases.run(NAME, seed)
    a, m = r.arrays, r.metrics
    fig = Figure(figsize=(8, 3.2), layout="constrained")
    left, right = fig.subplots(1, 2)
    epochs = np.arange(1, len(a["train_loss"]) + 1)
    left.plot(epochs, a["train_loss"], color=CNN, alpha=0.5, label="autoencoder, training digits")
    left.plot(epochs, a["test_mse"], color=CNN, label="autoencoder, held-out digits")
    left.axhline(m["pca_mse"], color=PCA_COLOUR, ls="--", label="PCA, held-out digits")
    left.set(xlabel="epoch", ylabel="mean squared error per pixel", yscale="log")
    left.set_title(f"latent size {m['latent_size']}", fontsize=9)
    left.legend(fontsize=7)
    shown = a["pca_curve"][:32]  # up to 32 of 64: beyond, PCA's error falls towards 0
    k = np.arange(1, len(shown) + 1)
    right.plot(k, shown, "-o", ms=2, color=PCA_COLOUR, label="PCA, k components")
    right.plot([m["latent_size"]], [m["cnn_mse"]], "*", ms=11, color=CNN,
               label=f"autoencoder, {m['latent_size']} numbers")  # fmt: skip
    right.axhline(m["cnn_mse"], color=CNN, ls=":", lw=1)
    right.set(xlabel="latent size (numbers per image)", ylabel="held-out error", yscale="log")
    right.grid(alpha=0.3)
    right.legend(fontsize=7)
    return fig


def autoencoder_reconstructions_figure(seed: int = 0, kind: str = "successes") -> Figure:
    """Held-out digits, the autoencoder's reconstruction and PCA's (per-image error in titles).

    ``kind="successes"``: the first held-out digit of each class; ``"failures"``: the ten
    the autoencoder rebuilds worst; ``"inverted"``: the first digits with their contrast
    inverted (the page's limit).
    """
    _check_seed(seed)
    if kind not in ("successes", "failures", "inverted"):
        raise ValueError(f"kind (={kind!r}) must be 'successes', 'failures' or 'inverted'")
    r = usecases.run(NAME, seed)
    stack = r.arrays[{"successes": "show", "failures": "worst", "inverted": "inverted"}[kind]]
    x, cnn, pca = stack
    errors = [np.mean((out - x) ** 2, axis=(1, 2, 3)) for out in (cnn, pca)]
    titles = [[""] * len(x)] + [[f"{e * 1000:.0f}" for e in err] for err in errors]
    rows = [("input", x), ("autoencoder", cnn), ("PCA", pca)]
    fig = _grid(rows, titles)
    fig.suptitle("titles: squared error per pixel × 1000", fontsize=8)
    return fig


def autoencoder_interpolation_figure(seed: int = 0) -> Figure:
    """For each pair of held-out digits: the autoencoder's latent path and PCA's crossfade."""
    _check_seed(seed)
    a = usecases.run(NAME, seed).arrays
    rows = []
    for (p, q), cnn, pca in zip(a["interp_pairs"], a["interp_cnn"], a["interp_pca"], strict=True):
        rows += [(f"{p} → {q}\nautoencoder", cnn), ("PCA", pca)]
    return _grid(rows)


def autoencoder_samples_figure(seed: int = 0) -> Figure:
    """Draw new digits: decoded Gaussian codes, the nearest training digit, PCA's samples."""
    _check_seed(seed)
    a = usecases.run(NAME, seed).arrays
    rows = [
        ("autoencoder\nsample", a["samples_cnn"]),
        ("nearest\ntraining digit", a["samples_nearest"]),
        ("PCA sample", a["samples_pca"]),
    ]
    return _grid(rows)
