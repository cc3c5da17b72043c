"""The classical denoisers: each parameter is the grid value of best training PSNR."""

from __future__ import annotations

import numpy as np

from cnnbook.usecases import classical_denoisers
from cnnbook.usecases.denoising import grey_image
from cnnbook.usecases.restoration_quality import psnr


def test_tune_baseline_picks_the_grid_value_of_best_training_psnr():
    rng = np.random.default_rng(3)
    clean = [grey_image("coins")[:64, :64]]
    noisy = [clean[0] + rng.normal(0, 0.1, clean[0].shape)]
    apply, grid = classical_denoisers.BASELINES["tv"]
    scores = [psnr(clean[0], apply(noisy[0], w)) for w in grid]
    assert classical_denoisers.tune_baseline("tv", clean, noisy) == grid[int(np.argmax(scores))]
