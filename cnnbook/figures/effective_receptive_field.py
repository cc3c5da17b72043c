"""The effective receptive field: gradient maps of random and trained networks, spread vs depth.

The maps come from `cnnbook.effective_receptive_field`, the theoretical boxes from
`cnnbook.receptive_field`, the depth curve from `cnnbook.erf_by_depth`; the trained
network is the denoiser of the Image Denoising page (its cached run).
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from cnnbook import usecases
from cnnbook.effective_receptive_field import (
    EffectiveField,
    effective_receptive_field,
    image_patches,
)
from cnnbook.erf_growth import ERFDepthStudy, erf_by_depth
from cnnbook.normalization import deep_stack
from cnnbook.receptive_field import receptive_field

__all__ = ["DEPTHS", "denoiser_fields", "effective_receptive_field_figure"]

#: Depths of the random stacks on the page and in the figure.
DEPTHS = (1, 2, 4, 8, 16)
#: Side of the noisy photograph patches the denoiser is measured on.
PATCH = 21


def denoiser_fields(seed: int = 0, count: int = 24) -> dict[str, EffectiveField]:
    """Measure the denoiser of the Image Denoising page before and after training.

    The inputs are `count` noisy patches (``PATCH`` on a side, the page's noise level)
    of the held-out photographs. Keys: ``"untrained body"`` (the noise-predicting body
    as training initialises it, same seed), ``"trained body"`` and ``"trained denoiser"``
    (the whole network, ``x - body(x)``). It needs the trained run (from the cache, or
    trained on the spot): `tests/test_effective_receptive_field.py` checks it, marked slow.
    """
    from cnnbook.usecases import denoising

    run = usecases.run("denoising", seed=seed)
    trained = denoising.load_model(run.arrays)
    untrained = denoising.DnCNN(rng=np.random.default_rng(seed))  # as _experiment starts
    photos = [denoising.grey_image(name) for name in denoising.TEST_IMAGES]
    x = image_patches(photos, PATCH, count, noise=denoising.SIGMA / 255, seed=seed + 1)
    x = x.astype(np.float32)
    return {
        "untrained body": effective_receptive_field(untrained.body, inputs=x),
        "trained body": effective_receptive_field(trained.body, inputs=x),
        "trained denoiser": effective_receptive_field(trained, inputs=x),
    }


def _map(ax, field: EffectiveField, box: tuple[tuple[int, int], tuple[int, int]], title: str):
    ax.imshow(field.magnitude / field.magnitude.max(), cmap="magma", vmin=0, vmax=1)
    (top, bottom), (left, right) = box
    ax.add_patch(
        Rectangle((left - 0.5, top - 0.5), right - left + 1, bottom - top + 1,
                  fill=False, ec="C2", lw=1.5)
    )  # fmt: skip
    ax.set_title(f"{title}\nspread {np.mean(field.spread):.2f} cells", fontsize=8)
    ax.set_xticks([])
    ax.set_yticks([])


def effective_receptive_field_figure(seed: int = 0, study: ERFDepthStudy | None = None) -> Figure:
    r"""Draw ERF maps (random stacks, the denoiser before/after training) and spread vs depth.

    Parameters
    ----------
    seed : int, default 0
        Seed of the random stacks and of the denoiser's run.
    study : ERFDepthStudy, optional
        Spread per depth; default ``erf_by_depth(DEPTHS, seed=seed)``.

    Returns
    -------
    matplotlib.figure.Figure
        Top row: maps of random ReLU stacks of depth 4 and 16 with their theoretical
        box (green), and the spread against depth with the fit $c\sqrt{n}$ and the
        box's half-width. Bottom row: the denoiser's maps with its box (five 3×3
        convolutions: 11 × 11).
    """
    if study is None:
        study = erf_by_depth(DEPTHS, seed=seed)
    fig = Figure(figsize=(10, 6.4), layout="constrained")
    axes = fig.subplots(2, 3)
    for ax, depth in zip(axes[0, :2], (4, 16), strict=True):
        stack = deep_stack(depth, seed=seed)
        size = 2 * depth + 5
        field = effective_receptive_field(stack, size, in_channels=8, seed=seed)
        box = receptive_field(stack)[-1].bounds(size // 2, size // 2)
        _map(ax, field, box, f"random ReLU stack, depth {depth}")
    ax = axes[0, 2]
    depths = np.asarray(study.depths, dtype=float)
    fine = np.linspace(depths.min(), depths.max(), 100)
    ax.plot(depths, study.spread, "o", color="C0", label="measured spread")
    ax.plot(fine, study.sqrt_coefficient * np.sqrt(fine), color="C0",
            label=f"{study.sqrt_coefficient:.2f} √n (fit)")  # fmt: skip
    ax.plot(depths, [(s - 1) / 2 for s in study.size], "s--", color="C2", ms=3,
            label="box half-width n")  # fmt: skip
    ax.set(xlabel="depth n (3×3 convolutions)", ylabel="input cells",
           title=f"spread ∝ n^{study.exponent:.2f}")  # fmt: skip
    ax.legend(fontsize=7)
    from cnnbook.usecases.denoising import DnCNN

    centre = PATCH // 2
    box = receptive_field(DnCNN().body)[-1].bounds(centre, centre)
    for ax, (name, field) in zip(axes[1], denoiser_fields(seed).items(), strict=True):
        _map(ax, field, box, name)
    return fig
