"""The segmentation demonstration: a small U-Net against Otsu (page "Medical Imaging")."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from skimage import color, data

from cnnbook import usecases
from cnnbook.models import UNet
from cnnbook.usecases.segmentation import hematoxylin, load_model, segment
from tests.usecases.helpers import assert_fraction, cli_json, small_run

KEYS = ("dice", "iou", "otsu_dice", "count_error")


def test_small_run_has_the_keys_and_fractions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = small_run("segmentation", tmp_path, monkeypatch)
    m = result.metrics
    for key in ("dice", "iou", "otsu_dice", "otsu_iou", "noisy_dice", "noisy_otsu_dice"):
        assert_fraction(m[key])
    for key in ("count_error", "otsu_count_error", "exact_mask_count_error"):
        assert isinstance(m[key], float) and m[key] >= 0
    n = m["test_size"]
    assert result.arrays["unet_pred"].shape == result.arrays["test_masks"].shape
    assert result.arrays["test_images"].shape == (n, m["image_size"], m["image_size"])
    # The weights in the cache rebuild the network that made the predictions.
    model = load_model(result.arrays)
    np.testing.assert_array_equal(
        segment(model, result.arrays["test_images"][0]), result.arrays["unet_pred"][0]
    )


def test_small_run_is_deterministic_for_a_seed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CNNBOOK_CACHE", str(tmp_path))
    a = usecases.run("segmentation", seed=3, small=True, cache=False).metrics
    b = usecases.run("segmentation", seed=3, small=True, cache=False).metrics
    a.pop("cpu_seconds"), b.pop("cpu_seconds")  # a measured time, never the same twice
    assert a == b


def test_demo_small_json_has_the_keys(tmp_path: Path) -> None:
    record = cli_json("segmentation", tmp_path)
    assert set(KEYS) <= set(record)
    assert_fraction(record["dice"])


def test_segment_accepts_any_size_and_returns_a_mask_of_that_size() -> None:
    model = UNet(1, 1, base_channels=2, depth=2, rng=np.random.default_rng(0))
    image = np.random.default_rng(1).random((30, 45))
    before = image.copy()
    mask = segment(model, image)
    assert mask.shape == (30, 45) and mask.dtype == bool
    np.testing.assert_array_equal(image, before)


def test_hematoxylin_puts_the_median_at_background_level_and_nuclei_near_one() -> None:
    rgb = data.immunohistochemistry()[:64, :64]
    h = hematoxylin(rgb)
    assert np.median(h) == pytest.approx(0.08, abs=1e-6)
    assert np.percentile(h, 99.5) == pytest.approx(1.0, abs=1e-5)
    # Monotone in the stain: the most stained pixel is the brightest.
    stain = color.rgb2hed(rgb)[..., 0]
    assert np.unravel_index(np.argmax(h), h.shape) == np.unravel_index(np.argmax(stain), h.shape)


@pytest.fixture(scope="module")
def full() -> usecases.DemoResult:
    return usecases.run("segmentation")


@pytest.mark.slow
def test_unet_reaches_dice_0_9_and_beats_otsu_by_0_03(full: usecases.DemoResult) -> None:
    m = full.metrics
    assert m["dice"] >= 0.9
    assert m["dice"] >= m["otsu_dice"] + 0.03
    assert m["iou"] > m["otsu_iou"]


@pytest.mark.slow
def test_unet_beats_a_tuned_local_threshold_too(full: usecases.DemoResult) -> None:
    m = full.metrics
    assert m["otsu_dice"] < m["local_dice"] < m["dice"]
    # The page: the local threshold closes most of the gap between Otsu and the U-Net.
    assert m["local_dice"] - m["otsu_dice"] > m["dice"] - m["local_dice"]


@pytest.mark.slow
def test_page_metrics_are_the_metrics_of_the_cached_arrays(full: usecases.DemoResult) -> None:
    from cnnbook.usecases.overlap import count_nuclei, dice, iou

    a, m = full.arrays, full.metrics
    assert dice(a["unet_pred"], a["test_masks"]) == m["dice"]
    assert iou(a["unet_pred"], a["test_masks"]) == m["iou"]
    assert dice(a["otsu_pred"], a["test_masks"]) == m["otsu_dice"]
    assert dice(a["local_pred"], a["test_masks"]) == m["local_dice"]
    counts = np.array([count_nuclei(p) for p in a["unet_pred"]])
    assert np.mean(np.abs(counts - a["test_counts"])) == pytest.approx(m["count_error"])


@pytest.mark.slow
def test_touching_nuclei_merge_so_even_the_exact_mask_miscounts(full: usecases.DemoResult) -> None:
    m = full.metrics
    assert m["touching_fraction"] > 0.3
    assert m["exact_mask_count_error"] > 0.5
    # Neither method counts better than connected components of the exact mask can, by much.
    assert m["count_error"] >= 0.8 * m["exact_mask_count_error"]


@pytest.mark.slow
def test_otsu_loses_the_dim_nuclei_the_unet_finds(full: usecases.DemoResult) -> None:
    m = full.metrics
    assert m["dim_unet_found"] > m["dim_otsu_found"] + 0.2
    # The gap is largest on the dim quarter: on the rest both find most pixels.
    dim_gap = m["dim_unet_found"] - m["dim_otsu_found"]
    assert dim_gap > m["bright_unet_found"] - m["bright_otsu_found"]
    assert m["bright_unet_found"] > 0.9


@pytest.mark.slow
def test_noisier_images_than_in_training_take_the_unet_below_the_target(
    full: usecases.DemoResult,
) -> None:
    m = full.metrics
    assert m["noisy_dice"] < 0.9 <= m["dice"]
    assert m["noisy_otsu_dice"] < m["otsu_dice"]


@pytest.mark.slow
def test_unet_has_the_exact_masks_components_and_the_local_threshold_more(
    full: usecases.DemoResult,
) -> None:
    from cnnbook.usecases.overlap import count_nuclei

    a, m = full.arrays, full.metrics
    mean = {
        k: np.mean([count_nuclei(x) for x in a[k]])
        for k in ("test_masks", "unet_pred", "local_pred", "otsu_pred")
    }
    assert abs(mean["unet_pred"] - mean["test_masks"]) < 0.2
    assert mean["local_pred"] > mean["test_masks"]
    assert m["local_count_error"] < m["count_error"]
    otsu_counts = np.array([count_nuclei(x) for x in a["otsu_pred"]])
    assert (otsu_counts > a["test_counts"]).any()  # "it also over-counts some images"
