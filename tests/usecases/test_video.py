"""The video demonstration: frames stacked as channels (page "Video")."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from cnnbook import usecases
from cnnbook.usecases.video import DIRECTIONS, make_clips
from tests.usecases.helpers import assert_fraction, cli_json, small_run


def test_small_run_has_the_keys_and_fractions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = small_run("video", tmp_path, monkeypatch)
    for key in (
        "accuracy",
        "single_frame_accuracy",
        "repeated_frame_accuracy",
        "reversed_accuracy",
        "reversed_opposite_fraction",
        "unseen_speed_accuracy",
    ):
        assert_fraction(result.metrics[key])
    assert result.metrics["chance"] == 1 / len(DIRECTIONS)


def test_small_run_is_deterministic_for_a_seed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CNNBOOK_CACHE", str(tmp_path))
    a = usecases.run("video", seed=3, small=True, cache=False)
    b = usecases.run("video", seed=3, small=True, cache=False)
    assert a.metrics == b.metrics


def _centre(frames: np.ndarray) -> np.ndarray:
    """Top-left corner of the blob in each noiseless frame (circular: the brightest 4×4 box)."""
    n, size = len(frames), frames.shape[-1]
    out = np.zeros((n, 2), dtype=int)
    for i, f in enumerate(frames):
        box = sum(np.roll(f, (-a, -b), axis=(0, 1)) for a in range(4) for b in range(4))
        out[i] = np.unravel_index(np.argmax(box), (size, size))
    return out


def test_clips_move_by_the_labelled_step() -> None:
    clips, labels = make_clips(40, np.random.default_rng(0), speeds=(1,), noise=0.0)
    step = {0: (-1, 0), 1: (1, 0), 2: (0, -1), 3: (0, 1)}
    for t in range(3):
        for clip, label in zip(clips, labels, strict=True):
            # Frame t+1 is frame t rolled by the step of its direction (the canvas wraps).
            np.testing.assert_allclose(np.roll(clip[t], step[int(label)], axis=(0, 1)), clip[t + 1])


def test_single_frame_carries_no_direction_by_construction() -> None:
    """The last frame's blob position has the same (uniform) distribution for every direction."""
    clips, labels = make_clips(4000, np.random.default_rng(1), noise=0.0)
    corners = _centre(clips[:, -1])
    for d in range(len(DIRECTIONS)):
        rows = corners[labels == d, 0]
        # Mean of a uniform position on a 16-cycle: 7.5, standard error ~0.15 for ~1000 clips.
        assert abs(rows.mean() - 7.5) < 0.6
        assert abs(corners[labels == d, 1].mean() - 7.5) < 0.6


def test_demo_small_json_has_the_keys(tmp_path: Path) -> None:
    record = cli_json("video", tmp_path)
    assert {"accuracy", "single_frame_accuracy"} <= set(record)
    assert_fraction(record["accuracy"])


@pytest.fixture(scope="module")
def full() -> dict:
    return usecases.run("video").metrics


@pytest.mark.slow
def test_four_frames_reach_ninety_percent_and_one_frame_stays_at_chance(full: dict) -> None:
    assert full["accuracy"] >= 0.9
    assert full["single_frame_accuracy"] <= 0.4
    assert full["repeated_frame_accuracy"] <= 0.4


@pytest.mark.slow
def test_clips_played_backwards_read_as_the_opposite_direction(full: dict) -> None:
    assert full["reversed_opposite_fraction"] >= 0.8
    assert full["reversed_accuracy"] <= 0.1


@pytest.mark.slow
def test_an_unseen_speed_costs_accuracy(full: dict) -> None:
    assert full["unseen_speed_accuracy"] < full["accuracy"] - 0.1
