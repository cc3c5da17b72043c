"""PSNR and SSIM of a restored image (scikit-image's, PSNR by its definition); the worst block."""

from __future__ import annotations

import numpy as np
import pytest
from skimage import metrics

from cnnbook.usecases import restoration_quality


def test_psnr_is_scikit_images_and_matches_its_definition():
    rng = np.random.default_rng(0)
    clean = rng.random((20, 30))
    noisy = clean + rng.normal(0, 0.1, clean.shape)
    by_hand = 10 * np.log10(1.0 / np.mean((np.clip(noisy, 0, 1) - clean) ** 2))
    assert restoration_quality.psnr(clean, noisy) == pytest.approx(by_hand, abs=1e-10)
    assert restoration_quality.ssim(clean, noisy) == pytest.approx(
        metrics.structural_similarity(clean, np.clip(noisy, 0, 1), data_range=1.0)
    )


def test_worst_block_is_the_block_of_largest_mean_error_gap():
    rng = np.random.default_rng(4)
    clean = rng.random((12, 10))
    cnn = clean + rng.normal(0, 0.05, clean.shape)
    reference = clean + rng.normal(0, 0.05, clean.shape)
    gap = (np.clip(cnn, 0, 1) - clean) ** 2 - (np.clip(reference, 0, 1) - clean) ** 2
    corners = [(r, c) for r in range(0, 12, 4) for c in range(0, 8, 4)]  # 2 columns lost
    by_hand = max(corners, key=lambda rc: gap[rc[0] : rc[0] + 4, rc[1] : rc[1] + 4].mean())
    assert restoration_quality.worst_block(clean, cnn, reference, 4) == by_hand
