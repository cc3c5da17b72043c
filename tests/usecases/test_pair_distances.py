"""Distances of pairs and the equal error rate: against SciPy's pdist and a threshold sweep."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.spatial.distance import pdist

from cnnbook.usecases import pair_distances as pairs
from cnnbook.usecases.canvas import place_on_canvas


def test_pair_distances_match_scipy_pdist():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((12, 5))
    d, same = pairs.pair_distances(x, np.arange(12) % 3)
    np.testing.assert_allclose(d, pdist(x), atol=1e-12)
    i, j = np.triu_indices(12, 1)
    assert np.array_equal(same, i % 3 == j % 3)


def test_equal_error_rate_of_a_hand_made_case():
    # Same pairs at 1, 2, 3, 6; different pairs at 4, 5, 7, 8. Accepting d <= 4 rejects one
    # same pair of four (6) and accepts one different pair of four (4): both rates 1/4.
    same = np.array([True] * 4 + [False] * 4)
    distance = np.array([1.0, 2.0, 3.0, 6.0, 4.0, 5.0, 7.0, 8.0])
    assert pairs.equal_error_rate(same, distance) == 0.25


def _brute_force_eer(same, distance):
    # Every threshold t: accept a pair when distance <= t; EER where FAR and FRR cross.
    best_gap, best = 2.0, 0.0
    for t in np.concatenate([[-np.inf], np.unique(distance)]):
        far = np.mean(distance[~same] <= t)
        frr = np.mean(distance[same] > t)
        if abs(far - frr) < best_gap:  # the first threshold of smallest gap, as argmin
            best_gap, best = abs(far - frr), (far + frr) / 2
    return best


@pytest.mark.parametrize("seed", range(4))
def test_equal_error_rate_matches_a_brute_force_threshold_sweep(seed):
    rng = np.random.default_rng(seed)
    same = rng.random(300) < 0.3
    distance = rng.normal(np.where(same, 0.0, 1.0), 0.8)
    assert pairs.equal_error_rate(same, distance) == pytest.approx(
        _brute_force_eer(same, distance), abs=1e-12
    )


def test_aligned_pixel_distances_are_the_smallest_over_every_shift():
    rng = np.random.default_rng(3)
    x = place_on_canvas(rng.random((9, 1, 4, 4)), 8, rng.integers(0, 5, size=(9, 2)))
    d, same = pairs.aligned_pixel_distances(x, np.arange(9) % 2, reach=2)
    padded = np.pad(x, ((0, 0), (0, 0), (2, 2), (2, 2)))
    i, j = np.triu_indices(9, 1)
    brute = [
        min(
            np.linalg.norm(padded[a] - np.roll(padded[b], (dy, dx), axis=(1, 2)))
            for dy in range(-2, 3)
            for dx in range(-2, 3)
        )
        for a, b in zip(i, j, strict=True)
    ]
    np.testing.assert_allclose(d, brute, atol=1e-9)
    assert np.array_equal(same, i % 2 == j % 2)
    assert np.all(d <= pdist(x.reshape(9, -1)) + 1e-12)  # no shift is one of the shifts
