"""Figures of the Facial Recognition page, drawn from the cached run of ``demo verification``."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from cnnbook import usecases

__all__ = ["verification_pairs_figure", "verification_roc_figure", "verification_training_figure"]

CNN, PIXEL, ALIGNED = "#d73027", "#4575b4", "#1a9850"


def verification_roc_figure(seed: int = 0) -> Figure:
    """ROC curves on pairs of unseen classes: embedding, raw pixels, pixels aligned by search."""
    r = usecases.run("verification", seed=seed)
    a, m = r.arrays, r.metrics
    fig = Figure(figsize=(4.6, 4), layout="constrained")
    ax = fig.subplots()
    ax.plot(a["roc_fpr"], a["roc_tpr"], color=CNN, label=f"CNN embedding (AUC {m['auc']:.3f})")
    ax.plot(
        a["pixel_fpr"], a["pixel_tpr"], color=PIXEL, label=f"raw pixels (AUC {m['pixel_auc']:.3f})"
    )
    ax.plot(
        a["aligned_fpr"],
        a["aligned_tpr"],
        color=ALIGNED,
        ls="-.",
        label=f"pixels, best of shifts (AUC {m['aligned_pixel_auc']:.3f})",
    )
    ax.plot([0, 1], [0, 1], color="0.5", lw=1, ls=":", label="chance")
    ax.plot([0, 1], [1, 0], color="0.5", lw=0.8, ls="--")
    for eer, colour in ((m["eer"], CNN), (m["pixel_eer"], PIXEL)):
        ax.plot([eer], [1 - eer], "o", color=colour)
    ax.set(xlabel="false accept rate (different classes called same)", ylabel="true accept rate")
    ax.set_title(f"unseen digit classes, moved up to {m['jitter']} px (dots: EER)", fontsize=9)
    ax.legend(loc="lower right", fontsize=8)
    return fig


def verification_training_figure(seed: int = 0) -> Figure:
    """Cosine-margin loss on the training identities, and the AUC on unseen classes."""
    r = usecases.run("verification", seed=seed)
    a, m = r.arrays, r.metrics
    fig = Figure(figsize=(8, 3), layout="constrained")
    ax_loss, ax_auc = fig.subplots(1, 2)
    ax_loss.plot(a["log_steps"], a["log_loss"], "o-", color=CNN, ms=3)
    ax_loss.set(
        xlabel="step",
        ylabel=f"cosine-margin loss ({m['train_identities']} identities)",
        title="loss",
    )
    ax_auc.plot(a["log_steps"], a["log_auc"], "o-", color=CNN, ms=3, label="CNN, unseen classes")
    ax_auc.axhline(m["pixel_auc"], color=PIXEL, ls="--", label="raw pixels")
    ax_auc.axhline(m["seen_auc"], color="0.3", ls=":", label="CNN, new images of seen classes")
    ax_auc.set(xlabel="step", ylabel="verification AUC", title="AUC (logged, not used to stop)")
    ax_auc.legend(fontsize=7, loc="lower right")
    return fig


def verification_pairs_figure(seed: int = 0, count: int = 6) -> Figure:
    """Pairs of unseen classes the embedding gets most wrong: close different, far same."""
    r = usecases.run("verification", seed=seed)
    a = r.arrays
    e, y, images = a["test_embedding"], a["test_labels"], a["test_images"]
    rng = np.random.default_rng(seed)
    i, j = (rng.integers(len(y), size=4000) for _ in range(2))
    ok = i != j
    i, j = i[ok], j[ok]
    d = np.linalg.norm(e[i] - e[j], axis=1)
    same = y[i] == y[j]
    close_diff = np.flatnonzero(~same)[np.argsort(d[~same])[: count // 2]]
    far_same = np.flatnonzero(same)[np.argsort(-d[same])[: count // 2]]
    fig = Figure(figsize=(1.6 * count, 3.6), layout="constrained")
    axes = fig.subplots(2, count)
    for col, k in enumerate(np.concatenate([close_diff, far_same])):
        kind = "different, judged close" if not same[k] else "same, judged far"
        for row, idx in enumerate((i[k], j[k])):
            axes[row, col].imshow(images[idx], cmap="gray_r")
            axes[row, col].set(xticks=[], yticks=[])  # the frame shows the canvas
        axes[0, col].set_title(f"{y[i[k]]} vs {y[j[k]]}\n{kind}\nd = {d[k]:.2f}", fontsize=7)
    return fig
