"""The classification demonstration: digits, what a shift costs (page "Image Classification")."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from cnnbook import usecases
from cnnbook.usecases.classification import NEIGHBOUR_SHIFTS
from tests.usecases.helpers import assert_fraction, cli_json, small_run

FRACTIONS = (
    "accuracy",
    "shifted_accuracy",
    "augmented_accuracy",
    "augmented_shifted_accuracy",
    "old_protocol_accuracy",
    "old_protocol_shifted_accuracy",
    "ink_lost_mean",
    "ink_lost_over_10_percent",
)


def test_small_run_has_the_keys_and_fractions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = small_run("classification", tmp_path, monkeypatch)
    for key in FRACTIONS:
        assert_fraction(result.metrics[key])
    assert result.metrics["canvas_ink_lost_max"] == 0.0
    # Every test digit is really moved, by one pixel.
    moves = result.arrays["moves"]
    assert (np.abs(moves).max(axis=1) == 1).all()


def test_small_run_is_deterministic_for_a_seed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CNNBOOK_CACHE", str(tmp_path))
    a = usecases.run("classification", seed=2, small=True, cache=False)
    b = usecases.run("classification", seed=2, small=True, cache=False)
    assert a.metrics == b.metrics


def test_neighbour_shifts_are_the_eight_one_pixel_moves() -> None:
    assert len({tuple(m) for m in NEIGHBOUR_SHIFTS}) == 8
    assert (np.abs(NEIGHBOUR_SHIFTS).max(axis=1) == 1).all()


def test_demo_small_json_has_the_keys(tmp_path: Path) -> None:
    record = cli_json("classification", tmp_path)
    assert {
        "accuracy",
        "shifted_accuracy",
        "ink_lost_mean",
        "old_protocol_shifted_accuracy",
    } <= set(record)


@pytest.fixture(scope="module")
def full() -> dict:
    return usecases.run("classification").metrics


@pytest.mark.slow
def test_old_protocol_deletes_ink_and_the_canvas_keeps_it(full: dict) -> None:
    assert full["ink_lost_mean"] > 0.05
    assert full["ink_lost_over_10_percent"] > 0.25
    assert full["canvas_ink_lost_max"] == 0.0


@pytest.mark.slow
def test_a_shift_costs_nearly_as_much_without_erasing_ink(full: dict) -> None:
    """The page: the drop is real, and the old protocol's erasure was not its main cause."""
    new_drop = full["accuracy"] - full["shifted_accuracy"]
    old_drop = full["old_protocol_accuracy"] - full["old_protocol_shifted_accuracy"]
    assert new_drop > 0.2
    assert abs(old_drop - new_drop) < 0.1
    assert full["accuracy"] >= 0.9


@pytest.mark.slow
def test_training_on_shifts_recovers_the_moved_digits(full: dict) -> None:
    assert full["augmented_shifted_accuracy"] >= full["shifted_accuracy"] + 0.2


@pytest.mark.slow
def test_turned_digits_fall_far_below_the_accuracy(full: dict) -> None:
    for angle in ("90", "180"):
        assert full["rotated_accuracy"][angle] < full["augmented_accuracy"] - 0.3
