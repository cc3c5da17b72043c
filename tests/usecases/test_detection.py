"""The detection demonstration: small runs (keys, ranges, determinism, cache), the page's claims."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from cnnbook import usecases
from cnnbook.usecases import detection
from cnnbook.usecases.detection import detector, scenes

ROOT = Path(__file__).resolve().parents[2]
KEYS = ("ap50", "precision", "recall", "baseline_ap50", "test_scenes")


@pytest.fixture
def tmp_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("CNNBOOK_CACHE", str(tmp_path))
    return tmp_path


def test_small_run_has_the_keys_in_range(tmp_cache):
    r = detection.run(seed=0, small=True)
    for key in KEYS:
        assert key in r.metrics
    for key in ("ap50", "precision", "recall", "baseline_ap50", "upside_down_ap50"):
        assert 0.0 <= r.metrics[key] <= 1.0
    assert r.metrics["test_scenes"] == len(r.arrays["scenes"]) >= 1
    assert r.metrics["conversion_max_error"] < 1e-5  # float32 rounding only


def test_small_run_is_deterministic_and_cached(tmp_cache):
    first = detection.run(seed=1, small=True)
    again = detection.run(seed=1, small=True, cache=False)
    assert not first.cached and not again.cached
    assert first.metrics == again.metrics
    hit = detection.run(seed=1, small=True)
    assert hit.cached and hit.metrics == first.metrics
    assert list(tmp_cache.glob("detection-seed1-small-*.json"))


def test_scene_boxes_are_disjoint_squares_inside_the_image():
    faces, _ = scenes.face_crops()
    _, test = scenes.background_halves()
    rng = np.random.default_rng(0)
    for _ in range(10):
        image, boxes = scenes.make_scene(rng, faces[:5], test)
        assert image.shape == (160, 160) and 1 <= len(boxes) <= 3
        assert np.all(boxes[:, 2] - boxes[:, 0] == boxes[:, 3] - boxes[:, 1])
        assert boxes.min() >= 0 and boxes.max() <= 160
        from cnnbook.usecases.detection.boxes import box_iou

        iou = box_iou(boxes, boxes)
        assert np.allclose(iou - np.eye(len(boxes)), 0)


def test_training_and_test_halves_of_the_backgrounds_do_not_share_pixels():
    train, test = scenes.background_halves()
    assert len(train) == len(test) == len(scenes.BACKGROUNDS)
    for a, b in zip(train, test, strict=True):
        assert a.shape[0] == b.shape[0] and abs(a.shape[1] - b.shape[1]) <= 1


def test_photometric_jitter_gives_each_window_its_own_gain_and_offset_in_range():
    rng = np.random.default_rng(0)
    grey = rng.uniform(0.3, 0.6, size=(64, 1, 24, 24))  # never clipped by the jitter
    windows = detector.normalise(grey)
    before = windows.copy()
    out = detector.photometric_jitter(windows, np.random.default_rng(1))
    assert np.array_equal(windows, before)  # the input is left alone
    assert out.shape == windows.shape and out.dtype == np.float32
    jittered = out.astype(np.float64) * 0.25 + 0.5
    gains, offsets = [], []
    for g, j in zip(grey.reshape(64, -1), jittered.reshape(64, -1), strict=True):
        (gain, offset), residual, *_ = np.linalg.lstsq(np.c_[g, np.ones_like(g)], j, rcond=None)
        assert residual[0] < 1e-8  # one affine map per window
        gains.append(gain)
        offsets.append(offset)
    assert detector.GAIN[0] - 1e-5 <= min(gains) and max(gains) <= detector.GAIN[1] + 1e-5
    assert max(np.abs(offsets)) <= detector.OFFSET + 1e-5
    assert np.std(gains) > 0.1 and np.std(offsets) > 0.05  # drawn per window


def test_photometric_jitter_keeps_grey_levels_in_the_unit_range():
    windows = detector.normalise(np.random.default_rng(2).uniform(0, 1, size=(32, 1, 8, 8)))
    grey = detector.photometric_jitter(windows, np.random.default_rng(3)) * 0.25 + 0.5
    assert grey.min() >= -1e-6 and grey.max() <= 1 + 1e-6


def test_cli_prints_the_metrics_as_the_last_json_line(tmp_cache):
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "cnnbook",
            "demo",
            "detection",
            "--small",
            "--json",
            "--no-progress",
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env={"CNNBOOK_CACHE": str(tmp_cache), "PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )
    record = json.loads(out.stdout.strip().splitlines()[-1])
    assert record["demo"] == "detection" and record["small"] is True
    for key in KEYS:
        assert key in record


def test_detection_is_listed():
    assert "detection" in usecases.names()


@pytest.mark.slow
def test_page_claims_hold_on_the_cached_full_run():
    # The run the page shows (default cache directory, shared with the site build).
    r = usecases.run("detection", seed=0)
    m = r.metrics
    assert m["ap50"] >= 0.8  # the target
    assert m["test_scenes"] == 60 and m["held_out_faces"] == 30
    assert m["upside_down_ap50"] < m["ap50"] - 0.3  # "does not generalise to upside-down"
    assert m["small_faces_ap50"] < m["ap50"] - 0.3  # "a smallest face"
    assert m["astronaut_faces"] > m["astronaut_cascade_faces"]  # false alarms on the photo
    assert m["baseline_precision"] > m["precision"]  # "the cascade stays precise"


@pytest.mark.slow
def test_a_brighter_background_brings_a_tenth_of_the_unjittered_false_alarms_on_the_full_run():
    # page's test half is far brighter than its training half; when only the faces were
    # jittered in brightness, seed 2 scored 3 % of the brightened training half's windows
    # as faces (and its test scenes on page were full of false alarms).
    r = usecases.run("detection", seed=0)
    network = detector.fully_convolutional(detection.load_classifier(r.arrays))
    train, test = scenes.background_halves()
    page = scenes.BACKGROUNDS.index("page")
    shift = test[page].mean() - train[page].mean()
    assert shift > 0.2  # the premise: unevenly lit
    brightened = np.clip(train[page] + shift, 0.0, 1.0)
    scores = np.concatenate([
        detector.heat_map(network, detector.pyramid_level(brightened, s)).ravel()
        for s in (1.0, 0.84, 0.71, 0.59, 0.5, 0.42, 0.35)
    ])  # fmt: skip
    # A tenth of the 3 % the brightness shortcut gave (0.16 % after the 2026-11-30 retrain;
    # the bit-level changes of a retrain move it, the shortcut would not stay under 0.3 %).
    assert np.mean(scores >= r.metrics["operating_threshold"]) < 3e-3
