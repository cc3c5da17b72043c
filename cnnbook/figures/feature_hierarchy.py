"""Figures of the page "Feature Hierarchy", drawn from the cached two-run training."""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.figure import Figure

from cnnbook.feature_hierarchy import (
    activation_maximization,
    initial_similarity,
    load_feature_network,
    top_patches,
    trained_feature_networks,
)
from cnnbook.receptive_field import receptive_field

__all__ = [
    "feature_filters_figure",
    "feature_maximization_figure",
    "feature_patches_figure",
    "strongest_channels",
]

#: The units the page follows: after the first and the second convolution's ReLU.
LAYERS = {"layer 1": 1, "layer 2": 4}


def strongest_channels(model: Any, layer: int, images: np.ndarray, count: int = 4) -> list[int]:
    """Return the `count` channels of `layer` the page follows.

    Layer 1: the filters with the most structure, the smallest ``|sum w| / sum |w|``
    (an edge detector's positive and negative weights cancel; an all-positive "ink"
    blob's do not). Deeper layers: the largest activation over `images`.
    """
    if layer == LAYERS["layer 1"]:
        w = np.asarray(model[0].weight.data, dtype=np.float64).reshape(
            len(model[0].weight.data), -1
        )
        balance = np.abs(w.sum(axis=1)) / np.abs(w).sum(axis=1)
        return [int(c) for c in np.argsort(balance, kind="stable")[:count]]
    maps = model[: layer + 1](images)
    return [int(c) for c in np.argsort(maps.max(axis=(0, 2, 3)), kind="stable")[::-1][:count]]


def _first_weights(result: Any, run: str) -> np.ndarray:
    first: Any = load_feature_network(result, run)[0]
    return np.asarray(first.weight.data)


def feature_filters_figure(seed: int = 0) -> Figure:
    """Draw the first layer's 8 filters: at initialisation, after Adam, after AdamW.

    Examples
    --------
    >>> len(feature_filters_figure().axes)
    24
    """
    result = trained_feature_networks(seed)
    rows = [
        ("initial (random)", result.arrays["adam_initial_conv1"]),
        *(
            (
                f"after {run}, weight decay {result.metrics[f'{run}_weight_decay']:g}\n"
                f"(similarity to start {initial_similarity(result, run):.2f})",
                _first_weights(result, run),
            )
            for run in ("adam", "adamw")
        ),
    ]
    fig = Figure(figsize=(8, 3.6), layout="constrained")
    axes = fig.subplots(3, 8)
    for r, (label, weights) in enumerate(rows):
        for c in range(8):
            w = weights[c, 0]
            lim = float(np.abs(w).max()) or 1.0
            axes[r, c].imshow(w, cmap="RdBu_r", vmin=-lim, vmax=lim)
            axes[r, c].set_xticks([])
            axes[r, c].set_yticks([])
        axes[r, 0].set_ylabel(label, fontsize=7, rotation=0, ha="right", va="center")
    return fig


def feature_patches_figure(seed: int = 0, count: int = 4) -> Figure:
    """Draw the top-9 held-out patches of `count` units per layer (AdamW network).

    Examples
    --------
    >>> len(feature_patches_figure(count=1).axes)
    18
    """
    result = trained_feature_networks(seed)
    model = load_feature_network(result, "adamw")
    x = result.arrays["x_test"]
    fig = Figure(figsize=(2.0 * count, 4.4), layout="constrained")
    subfigs = fig.subfigures(len(LAYERS), count, squeeze=False)
    for r, (name, layer) in enumerate(LAYERS.items()):
        size = receptive_field(list(model[: layer + 1]))[-1].size[0]
        for c, channel in enumerate(strongest_channels(model, layer, x, count)):
            patches, _, _ = top_patches(model, layer, channel, x, k=9)
            axes = subfigs[r, c].subplots(3, 3)
            subfigs[r, c].suptitle(f"{name}, unit {channel} ({size}×{size})", fontsize=7)
            for m, ax in enumerate(axes.ravel()):
                ax.imshow(patches[m, 0], cmap="gray_r", vmin=0, vmax=1)
                ax.set_xticks([])
                ax.set_yticks([])
    return fig


def feature_maximization_figure(seed: int = 0, count: int = 6, steps: int = 200) -> Figure:
    """Draw the input that most excites `count` units per layer, cropped to their field.

    Examples
    --------
    >>> len(feature_maximization_figure(count=1, steps=5).axes)
    2
    """
    result = trained_feature_networks(seed)
    model = load_feature_network(result, "adamw")
    x = result.arrays["x_test"]
    fig = Figure(figsize=(1.3 * count, 3.0), layout="constrained")
    axes = fig.subplots(len(LAYERS), count, squeeze=False)
    for r, (name, layer) in enumerate(LAYERS.items()):
        head = model[: layer + 1]
        field = receptive_field(list(head))[-1]
        centre = [n // 2 for n in head(x[:1]).shape[2:]]
        (r0, r1), (c0, c1) = field.bounds(*centre)
        for c, channel in enumerate(strongest_channels(model, layer, x, count)):
            image, _ = activation_maximization(model, layer, channel, x.shape[1:], steps=steps)
            ax = axes[r, c]
            ax.imshow(
                image[0, max(r0, 0) : r1 + 1, max(c0, 0) : c1 + 1], cmap="gray_r", vmin=0, vmax=1
            )
            ax.set_xticks([])
            ax.set_yticks([])
            ax.set_title(f"{name}, unit {channel}", fontsize=7)
    return fig
