"""Figure of the page "Where the Network Looks": saliency and occlusion on held-out digits."""

from __future__ import annotations

import copy
from typing import Any

import numpy as np
from matplotlib.figure import Figure

from cnnbook.browser_network import digit_network, held_out_digits
from cnnbook.saliency import occlusion_map, saliency_map

__all__ = ["saliency_figure"]


def saliency_figure(seed: int = 0, correct: int = 3, wrong: int = 3) -> Figure:
    """Draw held-out digits with their saliency, occlusion and random-weights saliency.

    Per digit: the input, its saliency, its occlusion map, and the saliency of the same
    network with every weight re-drawn at random. Rows: `correct` digits the network gets
    right, then `wrong` ones it gets wrong; every map is for the class it predicted.

    Examples
    --------
    >>> len(saliency_figure(correct=1, wrong=1).axes)
    8
    """
    net = digit_network(seed)
    random = copy.deepcopy(net.model)
    rng = np.random.default_rng(seed)
    layer: Any
    for layer in random:
        if list(layer.parameters()):
            layer.reset_parameters(rng=rng)
    digits = held_out_digits(seed, correct=correct, wrong=wrong)
    rows = digits[:correct] + [d for d in digits if d["label"] != d["prediction"]][:wrong]
    titles = ["input", "saliency |∂z/∂x|", "occlusion (2×2 patch)", "saliency, random weights"]
    fig = Figure(figsize=(7.2, 1.8 * len(rows)), layout="constrained")
    axes = fig.subplots(len(rows), 4, squeeze=False)
    for r, d in enumerate(rows):
        x = np.array(d["pixels"], dtype=np.float32).reshape(net.input_shape)
        k = d["prediction"]
        maps = [
            (x[0], "gray_r"),
            (np.abs(saliency_map(net.model, x, k))[0], "magma_r"),
            (occlusion_map(net.model, x, k), "RdBu_r"),
            (np.abs(saliency_map(random, x, k))[0], "magma_r"),
        ]
        for c, (image, cmap) in enumerate(maps):
            ax = axes[r, c]
            if cmap == "RdBu_r":
                lim = float(np.abs(image).max()) or 1.0
                ax.imshow(image, cmap=cmap, vmin=-lim, vmax=lim)
            else:
                ax.imshow(image, cmap=cmap)
            ax.set_xticks([])
            ax.set_yticks([])
            if r == 0:
                ax.set_title(titles[c], fontsize=8)
        verdict = "right" if k == d["label"] else "wrong"
        axes[r, 0].set_ylabel(f"label {d['label']}\nsays {k} ({verdict})", fontsize=8)
    return fig
