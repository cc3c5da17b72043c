"""Figures of the page "Medical Imaging", drawn from the cached ``segmentation`` run.

Each function loads ``cnnbook.usecases.run("segmentation", seed)`` (the run the page's
numbers and ``python -m cnnbook demo segmentation --json`` come from) and draws it. Error
maps colour the pixels the same way everywhere: correct nucleus pixels light grey, false
positives orange, missed nucleus pixels blue (a pair that colour-blind readers tell apart).
"""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from skimage import data, measure

from cnnbook import usecases
from cnnbook.usecases.overlap import dice
from cnnbook.usecases.segmentation import REAL_CROP, load_model, segment
from cnnbook.usecases.thresholds import local_threshold_segment, otsu_segment

__all__ = [
    "segmentation_count_figure",
    "segmentation_examples_figure",
    "segmentation_real_figure",
    "segmentation_training_figure",
]

NAME = "segmentation"
UNET, OTSU = "#d73027", "#4575b4"
_HIT, _FALSE, _MISS = (0.85, 0.85, 0.85), (0.9, 0.38, 0.0), (0.23, 0.36, 0.85)


def error_map(pred: np.ndarray, true: np.ndarray) -> np.ndarray:
    """Colour a prediction against the truth: hits grey, false positives orange, misses blue."""
    out = np.zeros((*true.shape, 3))
    out[pred & true] = _HIT
    out[pred & ~true] = _FALSE
    out[~pred & true] = _MISS
    return out


def _bare(ax: Axes) -> None:
    ax.set_xticks([])
    ax.set_yticks([])


def segmentation_training_figure(seed: int = 0) -> Figure:
    """Training loss and held-out Dice per epoch; Otsu's held-out Dice for comparison."""
    r = usecases.run(NAME, seed)
    a, m = r.arrays, r.metrics
    epochs = np.arange(1, len(a["epoch_loss"]) + 1)
    fig = Figure(figsize=(7, 3), layout="constrained")
    left, right = fig.subplots(1, 2)
    left.plot(epochs, a["epoch_loss"], "o-", color=UNET, ms=3)
    left.set(xlabel="epoch", ylabel="training loss (BCE with logits)")
    right.plot(epochs, a["epoch_dice"], "o-", color=UNET, ms=3, label="U-Net")
    right.axhline(
        m["otsu_dice"], color=OTSU, ls="--", label=f"Otsu (smoothing {m['otsu_sigma']:g} px)"
    )
    right.set(xlabel="epoch", ylabel="held-out Dice", ylim=(min(0.5, m["otsu_dice"] - 0.1), 1))
    right.legend(fontsize=8, loc="lower right")
    for ax in (left, right):
        ax.grid(alpha=0.3)
    return fig


_Row = tuple[np.ndarray, np.ndarray, dict[str, np.ndarray], str]


def _rows(fig: Figure, rows: list[_Row]) -> None:
    """One row per image: the image, the true mask, then each method's error map."""
    columns = 2 + len(rows[0][2])
    axes = fig.subplots(len(rows), columns, squeeze=False)
    for i, (image, true, preds, label) in enumerate(rows):
        axes[i, 0].imshow(image, cmap="gray", vmin=0, vmax=max(1.0, float(image.max())))
        axes[i, 0].set_ylabel(label, fontsize=8)
        axes[i, 1].imshow(true, cmap="gray", vmin=0, vmax=1)
        for ax, (name, pred) in zip(axes[i, 2:], preds.items(), strict=True):
            ax.imshow(error_map(pred, true), interpolation="nearest")
            ax.set_title(f"{name}: Dice {dice(pred, true):.3f}", fontsize=8)
        axes[i, 0].set_title("image", fontsize=8)
        axes[i, 1].set_title("true mask", fontsize=8)
        for ax in axes[i]:
            _bare(ax)


def segmentation_examples_figure(seed: int = 0, kind: str = "successes") -> Figure:
    """Held-out images, the true mask and each method's error map (Dice in the titles).

    ``kind="successes"``: the three images where the U-Net beats Otsu by the most;
    ``"failures"``: the three where the U-Net's Dice is lowest; ``"noisy"``: three
    images far noisier than any in training (the limit), segmented on the fly by the
    cached network and by both thresholds with the parameters they chose.
    """
    if kind not in ("successes", "failures", "noisy"):
        raise ValueError(f"kind (={kind!r}) must be 'successes', 'failures' or 'noisy'")
    r = usecases.run(NAME, seed)
    a, m = r.arrays, r.metrics
    rows: list[_Row] = []
    if kind == "noisy":
        model = load_model(a)
        for im, t in zip(a["noisy_images"][:3], a["noisy_masks"][:3], strict=True):
            preds = {
                "U-Net": segment(model, im),
                "Otsu": otsu_segment(im, m["otsu_sigma"]),
                "local": local_threshold_segment(im, m["local_block_size"], m["local_offset"]),
            }
            rows.append((im, t, preds, "noisier"))
    else:
        gap = a["unet_per_image_dice"] - a["otsu_per_image_dice"]
        order = np.argsort(-gap if kind == "successes" else a["unet_per_image_dice"])[:3]
        for i in order:
            preds = {
                "U-Net": a["unet_pred"][i],
                "Otsu": a["otsu_pred"][i],
                "local": a["local_pred"][i],
            }
            rows.append((a["test_images"][i], a["test_masks"][i], preds, f"held-out #{i}"))
    fig = Figure(figsize=(8, 1.75 * len(rows) + 0.3), layout="constrained")
    _rows(fig, rows)
    return fig


def segmentation_count_figure(seed: int = 0) -> Figure:
    """Draw the held-out image with the most touching nuclei: true nuclei, then components.

    Colours are arbitrary per object; a clump of touching nuclei is one component in the
    exact mask as in the U-Net's and Otsu's masks.
    """
    r = usecases.run(NAME, seed)
    a = r.arrays
    merged = np.array(
        [
            a["test_counts"][i] - measure.label(mk, connectivity=2).max()
            for i, mk in enumerate(a["test_masks"])
        ]
    )
    i = int(np.argmax(merged))
    panels = [
        ("image", a["test_images"][i], None),
        (f"true nuclei: {a['test_counts'][i]}", a["test_labels"][i], None),
    ]
    for title, mask in (
        ("exact mask", a["test_masks"][i]),
        ("U-Net", a["unet_pred"][i]),
        ("Otsu", a["otsu_pred"][i]),
    ):
        labels = measure.label(mask, connectivity=2)
        panels.append((f"{title}: {labels.max()} components", labels, None))
    fig = Figure(figsize=(9, 2.3), layout="constrained")
    axes = fig.subplots(1, len(panels))
    shuffle = np.random.default_rng(0).permutation(256)  # neighbouring labels, distinct colours
    for ax, (title, img, _) in zip(axes, panels, strict=True):
        if title == "image":
            ax.imshow(img, cmap="gray")
        else:
            coloured = np.where(img > 0, shuffle[img % 256] / 255 * 0.8 + 0.2, 0)
            ax.imshow(
                np.ma.masked_equal(coloured, 0),
                cmap="turbo",
                vmin=0,
                vmax=1,
                interpolation="nearest",
            )
            ax.set_facecolor("black")
        ax.set_title(title, fontsize=8)
        _bare(ax)
    return fig


def segmentation_real_figure(seed: int = 0) -> Figure:
    """Draw a crop of the real ``immunohistochemistry()`` image: stain, U-Net, Otsu outlines.

    Qualitative only: the image has no ground truth.
    """
    r = usecases.run(NAME, seed)
    a = r.arrays
    rgb = data.immunohistochemistry()[REAL_CROP]
    fig = Figure(figsize=(8, 8.4), layout="constrained")
    axes = fig.subplots(2, 2).ravel()
    axes[0].imshow(rgb)
    axes[0].set_title("bright-field image (crop)", fontsize=9)
    axes[1].imshow(a["real_image"], cmap="gray", vmin=0, vmax=1)
    axes[1].set_title("hematoxylin channel (the network's input)", fontsize=9)
    for ax, key, name in ((axes[2], "real_unet", "U-Net"), (axes[3], "real_otsu", "Otsu")):
        ax.imshow(rgb)
        ax.contour(a[key].astype(float), levels=[0.5], colors="#ffd700", linewidths=1.0)
        ax.set_title(f"{name} outlines ({a[key].mean():.0%} of pixels)", fontsize=9)
    for ax in axes:
        _bare(ax)
    fig.suptitle("QUALITATIVE: a real image with no ground truth", fontsize=11)
    return fig
