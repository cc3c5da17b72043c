"""Figures of the Object Detection page, drawn from the cached run of ``demo detection``.

Every figure calls `cnnbook.usecases.run("detection", seed)`, the same cached result as
the page's numbers and ``python -m cnnbook demo detection --json``.
"""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from skimage import color, data

from cnnbook import usecases
from cnnbook.usecases import detection
from cnnbook.usecases.cache import DemoResult
from cnnbook.usecases.detection import boxes

__all__ = [
    "detection_astronaut_figure",
    "detection_pr_figure",
    "detection_scenes_figure",
    "detection_training_figure",
]

TRUTH, CNN, CASCADE = "#1a9850", "#d73027", "#4575b4"


def _result(seed: int) -> DemoResult:
    return usecases.run("detection", seed=seed)


def detection_training_figure(seed: int = 0) -> Figure:
    """Training loss and accuracy per epoch; dashed lines where mined hard negatives join."""
    r = _result(seed)
    fig = Figure(figsize=(8, 3), layout="constrained")
    ax_loss, ax_acc = fig.subplots(1, 2)
    epochs = np.arange(1, len(r.arrays["train_loss"]) + 1)
    ax_loss.plot(epochs, r.arrays["train_loss"], "o-", color=CNN)
    ax_acc.plot(epochs, r.arrays["train_accuracy"], "o-", color=CNN)
    rounds = len(r.metrics["hard_negatives"])
    per_round = detection._FULL["round_epochs"]  # the full run's epochs per mining round
    first = len(epochs) - per_round * rounds  # plain training, then each mining round's epochs
    for k in range(rounds):
        for ax in (ax_loss, ax_acc):
            ax.axvline(first + per_round * k + 0.5, color="0.4", ls="--", lw=1)
    ax_loss.set(xlabel="epoch", ylabel="cross-entropy (training windows)", title="loss")
    ax_acc.set(xlabel="epoch", ylabel="accuracy (training windows)", title="accuracy")
    ax_acc.text(first + 0.6, ax_acc.get_ylim()[0], " hard negatives added", fontsize=8, va="bottom")
    return fig


def _draw(ax: Axes, box: np.ndarray, colour: str, style: str = "-", width: float = 1.5) -> None:
    x0, y0, x1, y1 = box
    ax.add_patch(Rectangle((x0, y0), x1 - x0, y1 - y0, fill=False, ec=colour, ls=style, lw=width))


def _scene_errors(r: DemoResult) -> list[tuple[int, int, int]]:
    """Per scene: (index, missed faces, false detections) at the operating threshold."""
    a, out = r.arrays, []
    threshold = r.metrics["operating_threshold"]
    for i in range(len(a["scenes"])):
        truth = a["truth_boxes"][a["truth_scene"] == i]
        keep = (a["found_scene"] == i) & (a["found_scores"] >= threshold)
        m = boxes.match_detections([(a["found_boxes"][keep], a["found_scores"][keep])], [truth])
        hits = int(m.true_positive.sum())
        out.append((i, len(truth) - hits, len(m.scores) - hits))
    return out


def detection_scenes_figure(seed: int = 0, kind: str = "successes", count: int = 6) -> Figure:
    """Held-out scenes: true boxes (green), the CNN's (red) and the cascade's (blue, dashed).

    ``kind="successes"``: scenes without a miss or a false detection; ``"failures"``: the
    scenes with the most misses and false detections.
    """
    r = _result(seed)
    errors = _scene_errors(r)
    if kind == "successes":
        chosen = [i for i, miss, false in errors if miss == 0 and false == 0][:count]
    else:
        chosen = [
            i for i, miss, false in sorted(errors, key=lambda e: -(e[1] + e[2])) if miss + false
        ][:count]
    a, threshold = r.arrays, r.metrics["operating_threshold"]
    fig = Figure(figsize=(2.2 * max(len(chosen), 1), 2.6), layout="constrained")
    axes = np.atleast_1d(fig.subplots(1, max(len(chosen), 1)))
    for ax, i in zip(axes, chosen, strict=False):
        ax.imshow(a["scenes"][i], cmap="gray", vmin=0, vmax=255)
        for b in a["truth_boxes"][a["truth_scene"] == i]:
            _draw(ax, b, TRUTH, width=2.5)
        for b in a["baseline_boxes"][a["baseline_scene"] == i]:
            _draw(ax, b, CASCADE, "--")
        keep = (a["found_scene"] == i) & (a["found_scores"] >= threshold)
        for b in a["found_boxes"][keep]:
            _draw(ax, b, CNN)
        miss, false = errors[i][1], errors[i][2]
        ax.set_title(f"scene {i}: {miss} missed, {false} false", fontsize=8)
    for ax in axes:
        ax.set_axis_off()
    return fig


def detection_pr_figure(seed: int = 0) -> Figure:
    """Precision-recall curve of the CNN on the held-out scenes, and the cascade's one point."""
    r = _result(seed)
    a = r.arrays
    n = len(a["scenes"])
    truth = [a["truth_boxes"][a["truth_scene"] == i] for i in range(n)]
    found = [
        (a["found_boxes"][a["found_scene"] == i], a["found_scores"][a["found_scene"] == i])
        for i in range(n)
    ]
    m = boxes.match_detections(found, truth)
    hits = np.cumsum(m.true_positive)
    recall, precision = hits / m.ground_truths, hits / np.arange(1, len(hits) + 1)
    fig = Figure(figsize=(4.5, 3.6), layout="constrained")
    ax = fig.subplots()
    ax.plot(recall, precision, color=CNN, label=f"CNN (AP50 {r.metrics['ap50']:.3f})")
    ax.plot(
        [r.metrics["baseline_recall"]],
        [r.metrics["baseline_precision"]],
        "s",
        color=CASCADE,
        label=f"LBP cascade (AP50 {r.metrics['baseline_ap50']:.3f})",
    )
    ax.plot(
        [r.metrics["recall"]],
        [r.metrics["precision"]],
        "o",
        color=CNN,
        label="CNN at its threshold",
    )
    ax.set(xlabel="recall", ylabel="precision", xlim=(0, 1.02), ylim=(0, 1.02))
    ax.legend(loc="lower left", fontsize=8)
    return fig


def detection_astronaut_figure(seed: int = 0) -> Figure:
    """Draw the `astronaut` photograph with the CNN's and the cascade's boxes, and a heat map."""
    r = _result(seed)
    a, threshold = r.arrays, r.metrics["operating_threshold"]
    fig = Figure(figsize=(9, 4.4), layout="constrained")
    ax_boxes, ax_heat = fig.subplots(1, 2)
    ax_boxes.imshow(color.rgb2gray(data.astronaut()), cmap="gray")
    keep = a["astronaut_scores"] >= threshold
    for b in a["astronaut_boxes"][keep]:
        _draw(ax_boxes, b, CNN)
    for b in a["astronaut_cascade"]:
        _draw(ax_boxes, b, CASCADE, "--", 2.5)
    ax_boxes.set_title(f"CNN (red, score ≥ {threshold:.2f}), LBP cascade (blue)", fontsize=9)
    image = ax_heat.imshow(a["astronaut_heat"], cmap="magma", vmin=0, vmax=1)
    ax_heat.set_title("face probability, image shrunk to 1/4 (one per 4 pixels)", fontsize=9)
    fig.colorbar(image, ax=ax_heat, shrink=0.8)
    for ax in (ax_boxes, ax_heat):
        ax.set_axis_off()
    return fig
