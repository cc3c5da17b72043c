"""Dice, IoU and the nuclei count, against independent implementations."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import ndimage
from sklearn.metrics import f1_score, jaccard_score

from cnnbook.usecases.overlap import count_nuclei, dice, iou


def _masks(seed: int, density: float) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    true = rng.random((3, 20, 24)) < density
    # A prediction that agrees with the truth on most pixels, as a segmenter's would.
    pred = np.where(rng.random(true.shape) < 0.2, rng.random(true.shape) < density, true)
    return pred, true


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("density", [0.02, 0.3, 0.7])
def test_dice_is_the_f1_score_of_the_flattened_masks(seed: int, density: float) -> None:
    pred, true = _masks(seed, density)
    assert dice(pred, true) == pytest.approx(f1_score(true.ravel(), pred.ravel()), abs=1e-12)


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("density", [0.02, 0.3, 0.7])
def test_iou_is_the_jaccard_score_of_the_flattened_masks(seed: int, density: float) -> None:
    pred, true = _masks(seed, density)
    assert iou(pred, true) == pytest.approx(jaccard_score(true.ravel(), pred.ravel()), abs=1e-12)


@pytest.mark.parametrize("seed", range(3))
def test_iou_is_dice_over_two_minus_dice(seed: int) -> None:
    pred, true = _masks(seed, 0.3)
    d = dice(pred, true)
    assert iou(pred, true) == pytest.approx(d / (2 - d), abs=1e-12)


def test_hand_made_overlaps() -> None:
    true = np.zeros((4, 4), bool)
    true[:2, :2] = True  # 4 pixels
    pred = np.zeros((4, 4), bool)
    pred[:2, 1:3] = True  # 4 pixels, 2 shared
    assert dice(pred, true) == 0.5  # 2 * 2 / (4 + 4)
    assert iou(pred, true) == 2 / 6
    assert dice(true, true) == iou(true, true) == 1.0
    assert dice(~true, true) == iou(~true, true) == 0.0


def test_two_empty_masks_agree_perfectly_and_masks_may_be_zeros_and_ones() -> None:
    empty = np.zeros((5, 5), bool)
    assert dice(empty, empty) == iou(empty, empty) == 1.0
    assert dice(empty.astype(int), empty.astype(float)) == 1.0
    assert dice([[1, 0]], [[True, False]]) == 1.0


def test_metrics_do_not_modify_their_inputs() -> None:
    pred, true = _masks(0, 0.3)
    p, t = pred.astype(np.uint8), true.astype(np.uint8)
    before = (p.copy(), t.copy())
    dice(p, t), iou(p, t), count_nuclei(t[0])
    np.testing.assert_array_equal(p, before[0])
    np.testing.assert_array_equal(t, before[1])


@pytest.mark.parametrize("seed", range(5))
def test_count_is_the_number_of_8_connected_components_as_scipy_labels_them(seed: int) -> None:
    mask = np.random.default_rng(seed).random((30, 30)) < 0.3
    _, expected = ndimage.label(mask, structure=np.ones((3, 3)))
    assert count_nuclei(mask) == expected


def test_two_touching_squares_count_as_one_and_diagonal_neighbours_join() -> None:
    mask = np.zeros((6, 10), bool)
    mask[1:4, 1:4] = True
    mask[1:4, 4:7] = True  # touches the first: one component
    mask[4, 7] = True  # diagonal neighbour of (3, 6): joins it too (8-connectivity)
    assert count_nuclei(mask) == 1
    mask[5, 9] = True
    assert count_nuclei(mask) == 2
