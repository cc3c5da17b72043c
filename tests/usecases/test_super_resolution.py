"""The super-resolution demonstration: small runs, the bicubic pipeline, PSNR, page claims."""

from __future__ import annotations

import numpy as np
import pytest
from skimage import metrics

from cnnbook import usecases
from cnnbook.usecases import super_resolution as sr


@pytest.fixture
def tmp_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("CNNBOOK_CACHE", str(tmp_path))
    return tmp_path


def test_small_run_has_the_keys_in_range(tmp_cache):
    m = sr.run(seed=0, small=True).metrics
    for key in ("cnn_psnr", "bicubic_psnr"):
        assert 0.0 < m[key] < 60.0  # dB on [0, 1] images
    assert m["gain_db"] == pytest.approx(m["cnn_psnr"] - m["bicubic_psnr"])
    assert set(m["train_images"]).isdisjoint(m["test_images"])


def test_small_run_is_deterministic_and_cached(tmp_cache):
    first = sr.run(seed=1, small=True)
    again = sr.run(seed=1, small=True, cache=False)
    assert first.metrics == again.metrics
    assert usecases.run("super-resolution", seed=1, small=True).cached


def test_bicubic_enlargement_keeps_smooth_images_nearly_unchanged():
    # A slow ramp is reproduced by bicubic shrinking and enlarging, away from the borders.
    ramp = np.add.outer(np.linspace(0.2, 0.4, 40), np.linspace(0.0, 0.3, 50))
    small, enlarged = sr.bicubic_enlargement(ramp)
    assert small.shape == (20, 25) and enlarged.shape == (40, 50)
    np.testing.assert_allclose(enlarged[4:-4, 4:-4], ramp[4:-4, 4:-4], atol=2e-3)


def test_psnr_leaves_out_the_border_and_is_scikit_images():
    rng = np.random.default_rng(0)
    clean = rng.random((24, 24))
    estimate = clean.copy()
    estimate[:4] = 0.0  # errors only in the left-out frame ...
    estimate[10, 10] += 0.1  # ... and one inside it
    inner = (slice(4, -4), slice(4, -4))
    by_hand = 10 * np.log10(1.0 / np.mean((np.clip(estimate, 0, 1)[inner] - clean[inner]) ** 2))
    assert sr._psnr(clean, estimate) == pytest.approx(by_hand, abs=1e-10)
    assert sr._psnr(clean, estimate) == pytest.approx(
        metrics.peak_signal_noise_ratio(clean[inner], np.clip(estimate, 0, 1)[inner], data_range=1)
    )


@pytest.mark.slow
def test_target_holds_on_held_out_images_of_the_pages_run():
    # Seeds 1 and 2 are full trainings of their own: scripts/usecases_seeds.py checks them.
    m = usecases.run("super-resolution", seed=0).metrics
    assert m["cnn_psnr"] >= m["bicubic_psnr"] + 0.3  # the target


@pytest.mark.slow
def test_page_claims_hold_on_the_cached_full_run():
    m = usecases.run("super-resolution", seed=0).metrics
    assert m["cnn_ssim"] > m["bicubic_ssim"]
    gains = [v["cnn"] - v["bicubic"] for v in m["per_image_psnr"].values()]
    assert min(gains) > 0  # "better than bicubic on every held-out photograph"
    # Limits: on inputs shrunk without anti-aliasing, the correction makes things worse.
    assert m["limit_cnn_psnr"] < m["limit_bicubic_psnr"]
