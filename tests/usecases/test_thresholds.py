"""The thresholding baselines: Otsu's global threshold and a local threshold."""

from __future__ import annotations

import numpy as np

from cnnbook.usecases.thresholds import local_threshold_segment, otsu_segment


def test_otsu_finds_a_bright_square_on_a_noisy_ramp_only_after_smoothing() -> None:
    rng = np.random.default_rng(0)
    truth = np.zeros((40, 40), bool)
    truth[10:25, 12:30] = True
    image = 0.2 + 0.8 * truth + 0.35 * rng.standard_normal(truth.shape)
    raw, smoothed = otsu_segment(image), otsu_segment(image, sigma=1.5)
    assert (smoothed == truth).mean() > 0.97
    assert (smoothed == truth).mean() > (raw == truth).mean()


def test_otsu_of_a_flat_image_finds_nothing() -> None:
    assert not otsu_segment(np.full((8, 8), 0.3)).any()


def test_a_local_threshold_follows_uneven_illumination_where_otsu_cannot() -> None:
    rng = np.random.default_rng(1)
    truth = np.zeros((48, 48), bool)
    for r, c in ((8, 8), (8, 36), (36, 8), (36, 36), (22, 22)):
        truth[r : r + 5, c : c + 5] = True
    ramp = np.tile(np.linspace(0.0, 1.0, 48), (48, 1))  # dark left, bright right
    image = ramp + 0.3 * truth + 0.01 * rng.standard_normal(truth.shape)
    local = local_threshold_segment(image, block_size=15, offset=-0.1, sigma=0.0)
    otsu = otsu_segment(image)
    assert (local == truth).mean() > 0.98
    assert (otsu == truth).mean() < 0.8  # one level: the bright half of the background passes


def test_thresholds_do_not_modify_the_image() -> None:
    image = np.random.default_rng(0).random((16, 16))
    before = image.copy()
    otsu_segment(image, 1.0), local_threshold_segment(image, 7, 0.0, 1.0)
    np.testing.assert_array_equal(image, before)
