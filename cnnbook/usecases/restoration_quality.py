"""How good a restored image is: PSNR and SSIM against the clean one, and where it is worst.

The denoising and super-resolution demonstrations score every method on the clean image
with scikit-image's metrics (`skimage.metrics`), the estimate clipped to [0, 1] first as a
saved image would be, and show the block where the CNN loses most to the classical method.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from skimage import metrics

from cnnbook._validation import as_numeric_array, positive_int

__all__ = ["psnr", "ssim", "worst_block"]


def _same_shape(clean: Any, **others: Any) -> tuple[np.ndarray, ...]:
    c = as_numeric_array("clean", clean, ndim=2)
    arrays = [c]
    for name, value in others.items():
        a = as_numeric_array(name, value, ndim=2)
        if a.shape != c.shape:
            raise ValueError(f"{name} has shape {a.shape}; expected clean's shape {c.shape}")
        arrays.append(a)
    return tuple(arrays)


def psnr(clean: Any, estimate: Any) -> float:
    """Peak signal-to-noise ratio (dB) of `estimate`, clipped to [0, 1], against `clean`.

    Examples
    --------
    >>> round(psnr(np.full((4, 4), 0.5), np.full((4, 4), 0.6)), 6)  # 10 log10(1 / 0.1^2)
    20.0
    """
    c, e = _same_shape(clean, estimate=estimate)
    return float(metrics.peak_signal_noise_ratio(c, np.clip(e, 0, 1), data_range=1.0))


def ssim(clean: Any, estimate: Any) -> float:
    """Structural similarity of `estimate`, clipped to [0, 1], to `clean` (1 = identical).

    Examples
    --------
    >>> x = np.random.default_rng(0).random((16, 16))
    >>> ssim(x, x)
    1.0
    """
    c, e = _same_shape(clean, estimate=estimate)
    return float(metrics.structural_similarity(c, np.clip(e, 0, 1), data_range=1.0))


def worst_block(clean: Any, cnn: Any, reference: Any, size: int) -> tuple[int, int]:
    """Top-left corner of the `size` x `size` block where `cnn` loses most to `reference`.

    The loss is the CNN's squared error minus the reference method's (both clipped to
    [0, 1]), averaged over each block of a grid of `size` x `size` blocks.

    Examples
    --------
    >>> clean = np.zeros((4, 4)); cnn = clean.copy(); cnn[2, 3] = 1.0
    >>> worst_block(clean, cnn, clean, 2)
    (2, 2)
    """
    clean, cnn, reference = _same_shape(clean, cnn=cnn, reference=reference)
    size = positive_int("size", size)
    if size > min(clean.shape):
        raise ValueError(f"size (={size}) must be at most the image's side {min(clean.shape)}")
    gap = (np.clip(cnn, 0, 1) - clean) ** 2 - (np.clip(reference, 0, 1) - clean) ** 2
    h, w = (clean.shape[0] // size) * size, (clean.shape[1] // size) * size
    blocks = gap[:h, :w].reshape(h // size, size, w // size, size).mean(axis=(1, 3))
    i, j = np.unravel_index(int(np.argmax(blocks)), blocks.shape)
    return int(i) * size, int(j) * size
