"""The home page's figure: conv → pool → fully connected, with the shapes of a real network.

The network is `cnnbook.models.lenet_like` and every shape drawn is the shape its layers
produce when a batch of one image is run through them; nothing is typed in.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, Rectangle

from cnnbook import nn
from cnnbook.models import lenet_like

__all__ = ["PipelineStage", "pipeline_figure", "pipeline_stages"]

# One colour per kind of layer (Okabe-Ito, distinguishable with colour-vision deficiency).
_COLOURS = {
    "input": "#999999",
    "conv": "#0072B2",
    "pool": "#E69F00",
    "flatten": "#CC79A7",
    "fc": "#009E73",
}


def _pair(value: int | tuple[int, ...]) -> tuple[int, ...]:
    return (value, value) if isinstance(value, int) else tuple(value)


@dataclass(frozen=True)
class PipelineStage:
    """One drawn stage: what made it, its kind, and the shape of one sample after it."""

    label: str
    kind: str
    shape: tuple[int, ...]

    @property
    def shape_text(self) -> str:
        """The shape as drawn, e.g. ``"8 × 26 × 26"``."""
        return " × ".join(str(n) for n in self.shape)


def pipeline_stages(image_size: int = 28) -> list[PipelineStage]:
    """Run one image through `lenet_like` and return the stage after each drawn layer.

    ReLU layers keep the shape and are folded into the convolution before them.

    Examples
    --------
    >>> [s.shape_text for s in pipeline_stages()]
    ['1 × 28 × 28', '8 × 26 × 26', '8 × 13 × 13', '16 × 11 × 11', '16 × 5 × 5', '400', '10']
    """
    model = lenet_like(np.random.default_rng(0), image_size=image_size)
    x = np.zeros((1, 1, image_size, image_size), dtype=np.float32)
    stages = [PipelineStage("input\nimage", "input", tuple(x.shape[1:]))]
    for layer in model:
        x = layer(x)
        if isinstance(layer, nn.Conv2d):
            k = layer.kernel_size
            stage = ("conv", f"convolution\n{k[0]}×{k[1]} + ReLU")
        elif isinstance(layer, nn.MaxPool2d):
            pool = _pair(layer.kernel_size)
            stage = ("pool", f"max pooling\n{pool[0]}×{pool[1]}")
        elif isinstance(layer, nn.Flatten):
            stage = ("flatten", "flatten")
        elif isinstance(layer, nn.Linear):
            stage = ("fc", "fully\nconnected:\nclass scores")
        else:  # an activation: same shape, drawn with its convolution
            continue
        stages.append(PipelineStage(stage[1], stage[0], tuple(x.shape[1:])))
    return stages


def _width(stage: PipelineStage, scale: float) -> float:
    """Return the drawn width of a stage: a stack of sheets, or a bar."""
    if len(stage.shape) == 3:
        return (min(stage.shape[0], 6) - 1) * _SHEET_STEP + stage.shape[1] * scale
    return _BAR


_SHEET_STEP, _BAR = 0.12, 0.35
_SLOT = {3: 4.3, 1: 2.9}  # axes units of room for a map stack and for a vector: labels fit


def _draw_stage(ax: Axes, x: float, stage: PipelineStage, scale: float) -> None:
    """Draw a stack of feature maps (or a vector) from `x`, labels centred on it."""
    colour = _COLOURS[stage.kind]
    if len(stage.shape) == 3:
        c, h, _ = stage.shape
        side = h * scale
        for i in range(min(c, 6)):  # a few sheets stand for all channels
            ax.add_patch(
                Rectangle(
                    (x + i * _SHEET_STEP, -side / 2 - i * _SHEET_STEP),
                    side,
                    side,
                    facecolor=colour,
                    edgecolor="white",
                    lw=1,
                )
            )
    else:
        (n,) = stage.shape
        height = min(5.0, 1.2 + n / 100)
        ax.add_patch(
            Rectangle((x, -height / 2), _BAR, height, facecolor=colour, edgecolor="white", lw=1)
        )
    centre = x + _width(stage, scale) / 2
    ax.text(centre, 3.3, stage.label, ha="center", va="bottom", fontsize=11)
    ax.text(centre, -3.4, stage.shape_text, ha="center", va="top", fontsize=11, weight="bold")


def pipeline_figure(image_size: int = 28) -> Figure:
    """Draw the stages of `pipeline_stages`: maps as stacks of sheets, vectors as bars.

    Returns
    -------
    matplotlib.figure.Figure
        One axes; each stage labelled with its layer above and its shape (channels ×
        height × width, or features) below, arrows between stages, and the three parts
        (convolutions, pooling, fully connected) named by colour in a legend.

    Examples
    --------
    >>> fig = pipeline_figure()
    >>> "16 × 5 × 5" in [t.get_text() for t in fig.axes[0].texts]
    True
    """
    stages = pipeline_stages(image_size)
    largest = max(s.shape[1] for s in stages if len(s.shape) == 3)
    scale = 5.0 / largest  # the input, the largest map, is 5 units tall
    slots = [max(_width(s, scale), _SLOT[len(s.shape)]) for s in stages]
    gap = 0.5
    total = sum(slots) + gap * (len(slots) - 1)
    # About 0.28 inch per unit: shown in the page's column (~690 px) the labels stay
    # above 10 px; the axes keep an equal aspect.
    fig = Figure(figsize=(total * 0.27, 4.4), layout="constrained")
    ax = fig.add_subplot()
    x = 0.0
    for i, (stage, slot) in enumerate(zip(stages, slots, strict=True)):
        left = x + (slot - _width(stage, scale)) / 2
        _draw_stage(ax, left, stage, scale)
        if i + 1 < len(stages):
            start = left + _width(stage, scale) + 0.1
            end = x + slot + gap + (slots[i + 1] - _width(stages[i + 1], scale)) / 2 - 0.1
            ax.add_patch(FancyArrowPatch((start, 0), (end, 0), arrowstyle="-|>", mutation_scale=14))
        x += slot + gap
    ax.set_xlim(-0.2, total + 0.2)
    ax.set_ylim(-5.2, 5.4)
    ax.set_aspect("equal")
    ax.axis("off")
    handles = [
        Rectangle((0, 0), 1, 1, facecolor=_COLOURS[kind])
        for kind in ("conv", "pool", "flatten", "fc")
    ]
    ax.legend(
        handles,
        ["convolution + ReLU", "pooling", "flatten", "fully connected"],
        loc="lower center",
        bbox_to_anchor=(0.5, -0.12),
        ncols=4,
        frameon=False,
        fontsize=11,
    )
    fig.suptitle(
        f"lenet_like on a {image_size} × {image_size} image: the shape after each layer",
        fontsize=12,
    )
    return fig
