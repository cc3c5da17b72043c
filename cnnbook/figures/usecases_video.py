"""Figures of the page "Video", drawn from the cached ``video`` run.

Each function loads ``cnnbook.usecases.run("video", seed)`` (the run the page's numbers
and ``python -m cnnbook demo video --json`` come from) and draws it.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from cnnbook import usecases
from cnnbook.usecases.video import DIRECTIONS

__all__ = ["video_clips_figure", "video_training_figure"]

NAME = "video"


def _clip_rows(fig: Figure, rows: list[tuple[str, np.ndarray, str, bool]]) -> None:
    frames = rows[0][1].shape[0]
    axes = fig.subplots(len(rows), frames, squeeze=False)
    for r, (label, clip, title, right) in enumerate(rows):
        for t in range(frames):
            ax = axes[r, t]
            ax.imshow(clip[t], cmap="gray_r", vmin=0.0, vmax=1.0)  # negative noise: white
            ax.set_xticks([])
            ax.set_yticks([])
            if t == 0:
                ax.set_ylabel(label, fontsize=8)
            if r == 0:
                ax.set_xlabel(f"frame {t + 1}", fontsize=8)
                ax.xaxis.set_label_position("top")
        axes[r, -1].set_title(
            title, fontsize=8, loc="right", color="#1a7f37" if right else "#b42318"
        )


def video_clips_figure(seed: int = 0, kind: str = "successes") -> Figure:
    """Held-out clips (four frames each) with the predictions of both networks.

    ``kind="successes"``: one clip per direction; ``kind="failures"``: clips the video
    network gets wrong (if fewer exist, the rest of the figure shows the same clips played
    backwards, which the network reads as the opposite motion).
    """
    if kind not in ("successes", "failures"):
        raise ValueError(f"kind (={kind!r}) must be 'successes' or 'failures'")
    result = usecases.run(NAME, seed)
    x = result.arrays["x_test"]
    n = len(x)
    y = result.arrays["y_test"][:n]
    video = result.arrays["video_pred"][:n]
    single = result.arrays["single_frame_pred"][:n]
    backwards = result.arrays["reversed_pred"][:n]
    rows = []
    if kind == "successes":
        for d in range(len(DIRECTIONS)):
            hits = np.flatnonzero((y == d) & (video == y))
            if len(hits):
                i = hits[0]
                verdict = "correct" if single[i] == y[i] else "wrong"
                title = (
                    f"4 frames: {DIRECTIONS[video[i]]} (correct) · "
                    f"1 frame: {DIRECTIONS[single[i]]} ({verdict})"
                )
                rows.append((f"true: {DIRECTIONS[d]}", x[i], title, True))
    else:
        for i in np.flatnonzero(video != y)[:3]:
            rows.append((f"true: {DIRECTIONS[y[i]]}", x[i], f"says {DIRECTIONS[video[i]]}", False))
        for i in range(4 - len(rows)):
            title = f"played backwards, says {DIRECTIONS[backwards[i]]}"
            rows.append((f"true: {DIRECTIONS[y[i]]}", x[i, ::-1], title, backwards[i] == y[i]))
    fig = Figure(figsize=(6.5, 1.7 * len(rows) + 0.4), layout="constrained")
    _clip_rows(fig, rows)
    return fig


def video_training_figure(seed: int = 0) -> Figure:
    """Held-out accuracy per epoch: four frames as channels versus one frame."""
    result = usecases.run(NAME, seed)
    fig = Figure(figsize=(5.5, 3.4), layout="constrained")
    ax = fig.subplots()
    for key, label in (("video", "4 frames as channels"), ("single_frame", "1 frame")):
        acc = result.arrays[f"{key}_test_accuracy"]
        ax.plot(np.arange(1, len(acc) + 1), acc, "-o", ms=3, label=label)
    ax.axhline(result.metrics["chance"], color="grey", ls=":", label="chance (1 in 4)")
    ax.set_ylim(0, 1.05)
    ax.set_xlabel("epoch")
    ax.set_ylabel("held-out accuracy")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    return fig
