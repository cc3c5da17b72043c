"""The classical denoisers the CNN is measured against, each with its one parameter tuned.

A Gaussian filter, a median filter and total-variation denoising
(`skimage.restoration.denoise_tv_chambolle`): each parameter is chosen from a grid by the
best mean PSNR on the *training* images, as the network's weights are.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from scipy import ndimage
from skimage import restoration

from cnnbook.usecases.restoration_quality import psnr

__all__ = ["BASELINES", "tune_baseline"]

#: Each classical filter and the grid its parameter is chosen from (on the training images).
BASELINES: dict[str, tuple[Callable[[np.ndarray, float], np.ndarray], tuple[float, ...]]] = {
    "gaussian": (lambda x, s: ndimage.gaussian_filter(x, s), (0.5, 0.75, 1.0, 1.25, 1.5, 2.0)),
    "median": (lambda x, k: ndimage.median_filter(x, size=int(k)), (3, 5, 7)),
    "tv": (
        lambda x, w: restoration.denoise_tv_chambolle(x, weight=w),
        (0.04, 0.06, 0.08, 0.1, 0.12, 0.15),
    ),
}


def tune_baseline(name: str, clean: list[np.ndarray], noisy: list[np.ndarray]) -> float:
    """Return the parameter of baseline `name` of best mean PSNR over the pairs (clean, noisy).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> flat = [np.full((32, 32), 0.5)]
    >>> tune_baseline("gaussian", flat, [flat[0] + rng.normal(0, 0.1, (32, 32))])
    2.0
    """
    if name not in BASELINES:
        raise ValueError(f"name (={name!r}) is not a baseline; known: {', '.join(BASELINES)}")
    if len(clean) != len(noisy) or not clean:
        raise ValueError(f"clean and noisy must be equally long and non-empty ({len(clean)}, "
                         f"{len(noisy)})")  # fmt: skip
    apply, grid = BASELINES[name]
    scores = [
        np.mean([psnr(c, apply(n, p)) for c, n in zip(clean, noisy, strict=True)]) for p in grid
    ]
    return float(grid[int(np.argmax(scores))])
