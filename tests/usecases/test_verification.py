"""The verification demonstration: small runs, EER/AUC cross-checks, the page's claims."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.spatial.distance import pdist
from sklearn.metrics import roc_auc_score

from cnnbook import usecases
from cnnbook.usecases import verification

KEYS = ("auc", "eer", "pixel_auc")


@pytest.fixture
def tmp_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("CNNBOOK_CACHE", str(tmp_path))
    return tmp_path


def test_small_run_has_the_keys_in_range(tmp_cache):
    r = verification.run(seed=0, small=True)
    for key in KEYS:
        assert 0.0 <= r.metrics[key] <= 1.0
    assert set(r.metrics["train_classes"]).isdisjoint(r.metrics["test_classes"])


def test_small_run_is_deterministic_and_cached(tmp_cache):
    first = verification.run(seed=2, small=True)
    again = verification.run(seed=2, small=True, cache=False)
    assert first.metrics == again.metrics
    assert verification.run(seed=2, small=True).cached


def test_pair_distances_match_scipy_pdist():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((12, 5))
    d, same = verification.pair_distances(x, np.arange(12) % 3)
    np.testing.assert_allclose(d, pdist(x), atol=1e-12)
    i, j = np.triu_indices(12, 1)
    assert np.array_equal(same, i % 3 == j % 3)


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
    assert verification.equal_error_rate(same, distance) == pytest.approx(
        _brute_force_eer(same, distance), abs=1e-12
    )


def test_auc_of_the_pixel_baseline_is_scikit_learns_rank_statistic():
    # AUC = P(same-class pair closer than different-class pair), computed by counting.
    rng = np.random.default_rng(5)
    x = rng.standard_normal((30, 4)) + np.repeat(np.eye(3, 4), 10, axis=0)
    d, same = verification.pair_distances(x, np.repeat(np.arange(3), 10))
    pos, neg = d[same], d[~same]
    counted = np.mean((pos[:, None] < neg[None, :]) + 0.5 * (pos[:, None] == neg[None, :]))
    assert roc_auc_score(same, -d) == pytest.approx(counted, abs=1e-12)


@pytest.mark.slow
def test_page_claims_hold_on_the_cached_full_run():
    m = usecases.run("verification", seed=0).metrics
    assert m["seen_auc"] >= 0.95  # "separates same from different almost perfectly"
    assert m["auc"] < m["pixel_auc"]  # "on classes it never saw, it does worse than pixels"
    assert m["auc"] < 0.9  # the targets are not reached, as the page says
