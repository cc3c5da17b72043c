"""Classical segmentation by thresholding: the baselines of [[Medical Imaging]].

A threshold keeps the pixels brighter than some level. **Otsu's method**
(`skimage.filters.threshold_otsu`) picks one level for the whole image, the one that best
separates its histogram into two classes; a **local threshold**
(`skimage.filters.threshold_local`) compares each pixel with its own neighbourhood, so it
follows uneven illumination. Each is applied after a Gaussian smoothing that tames the
noise. Their parameters are chosen on training images by the demonstration
([`cnnbook.usecases.segmentation`][cnnbook.usecases.segmentation]), as a network's weights are.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy import ndimage
from skimage import filters

from cnnbook._validation import as_numeric_array, finite_real

__all__ = ["LOCAL_GRID", "OTSU_SIGMAS", "local_threshold_segment", "otsu_segment"]

#: Gaussian smoothing widths (pixels; 0 = none) tried before Otsu's threshold.
OTSU_SIGMAS = (0.0, 0.5, 1.0, 1.5, 2.0)
#: The stronger classical baseline's grid: block sizes (pixels) and offsets of the local
#: threshold, applied after a 1-pixel Gaussian smoothing.
LOCAL_GRID = ((15, 31, 47), (-0.08, -0.05, -0.02, 0.0))


def otsu_segment(image: Any, sigma: float = 0.0) -> np.ndarray:
    """Smooth with a Gaussian of width `sigma` (0: none), then keep what exceeds Otsu's threshold.

    Examples
    --------
    >>> image = np.zeros((8, 8)); image[2:5, 3:6] = 1.0
    >>> int(otsu_segment(image).sum())
    9
    """
    x = as_numeric_array("image", image, ndim=2).astype(np.float64)
    if not np.isfinite(x).all():
        raise ValueError("image contains NaN or infinite values; an image must be finite")
    sigma = finite_real("sigma", sigma, minimum=0.0)
    smooth = ndimage.gaussian_filter(x, sigma) if sigma > 0 else x
    if smooth.min() == smooth.max():
        return np.zeros(x.shape, bool)  # a flat image has no threshold: nothing stands out
    out: np.ndarray = smooth > filters.threshold_otsu(smooth)
    return out


def local_threshold_segment(
    image: Any, block_size: int = 31, offset: float = 0.0, sigma: float = 1.0
) -> np.ndarray:
    """Keep the pixels brighter than their neighbourhood: a local (adaptive) threshold.

    The image is smoothed with a Gaussian of width `sigma`, then each pixel is compared
    with the Gaussian-weighted mean of its `block_size` × `block_size` neighbourhood minus
    `offset` (`skimage.filters.threshold_local`): uneven illumination moves the threshold
    along with the background, which one global threshold cannot do.

    Examples
    --------
    >>> ramp = np.tile(np.linspace(0, 1, 16), (16, 1))
    >>> image = ramp.copy(); image[6:9, 2:5] += 0.5; image[6:9, 11:14] += 0.5
    >>> int(local_threshold_segment(image, block_size=7, offset=-0.1, sigma=0.0).sum())
    18
    """
    x = as_numeric_array("image", image, ndim=2).astype(np.float64)
    if not np.isfinite(x).all():
        raise ValueError("image contains NaN or infinite values; an image must be finite")
    if (
        not isinstance(block_size, int)
        or isinstance(block_size, bool)
        or block_size < 3
        or block_size % 2 == 0
    ):
        raise ValueError(f"block_size (={block_size!r}) must be an odd int >= 3")
    offset = finite_real("offset", offset)
    sigma = finite_real("sigma", sigma, minimum=0.0)
    smooth = ndimage.gaussian_filter(x, sigma) if sigma > 0 else x
    out: np.ndarray = smooth > filters.threshold_local(smooth, block_size, offset=offset)
    return out
