"""The verification demonstration: small runs, the AUC cross-checked, the page's claims.

Its parts are tested in the mirrors of their modules: ``test_digit_identities.py``,
``test_cosine_margin.py`` and ``test_pair_distances.py``.
"""

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
    for key in (*KEYS, "aligned_pixel_auc", "centred_auc", "centred_pixel_auc", "seen_auc"):
        assert 0.0 <= r.metrics[key] <= 1.0
    assert set(r.metrics["train_classes"]).isdisjoint(r.metrics["test_classes"])
    assert set(np.unique(r.arrays["test_labels"])) <= set(r.metrics["test_classes"])


def test_small_run_is_deterministic_and_cached(tmp_cache):
    first = verification.run(seed=2, small=True)
    again = verification.run(seed=2, small=True, cache=False)
    assert first.metrics == again.metrics
    assert verification.run(seed=2, small=True).cached


def _counted_auc(same, distance):
    # AUC = P(a same-class pair is closer than a different-class pair), ties count a half.
    pos, neg = distance[same], distance[~same]
    return np.mean((pos[:, None] < neg[None, :]) + 0.5 * (pos[:, None] == neg[None, :]))


def test_small_run_auc_is_the_probability_a_same_pair_is_closer(tmp_cache):
    r = verification.run(seed=0, small=True)
    e, y, images = r.arrays["test_embedding"], r.arrays["test_labels"], r.arrays["test_images"]
    i, j = np.triu_indices(len(y), 1)
    same = y[i] == y[j]
    # Distances by SciPy, AUC by counting: nothing shared with the demo's own code path.
    assert r.metrics["auc"] == pytest.approx(_counted_auc(same, pdist(e)), abs=1e-9)
    pixels = images.reshape(len(images), -1).astype(np.float64)
    assert r.metrics["pixel_auc"] == pytest.approx(_counted_auc(same, pdist(pixels)), abs=1e-9)


def test_auc_by_scikit_learn_is_the_counted_rank_statistic():
    rng = np.random.default_rng(5)
    x = rng.standard_normal((30, 4)) + np.repeat(np.eye(3, 4), 10, axis=0)
    d, same = verification.pair_distances(x, np.repeat(np.arange(3), 10))
    assert roc_auc_score(same, -d) == pytest.approx(_counted_auc(same, d), abs=1e-12)


@pytest.fixture(scope="module")
def full() -> dict:
    return usecases.run("verification", seed=0).metrics


@pytest.mark.slow
def test_page_claims_hold_on_the_cached_full_run(full):
    assert full["seen_auc"] > full["auc"]  # new identities are harder than new images
    assert full["auc"] >= full["pixel_auc"] + 0.05  # jittered: the embedding beats pixels
    assert full["centred_auc"] < full["centred_pixel_auc"]  # centred: pixels win
    # "barely notice a pixel of shift": moved and centred images verify alike.
    assert abs(full["centred_auc"] - full["auc"]) < 0.02
    assert full["aligned_pixel_auc"] > full["auc"]  # a search over shifts beats the CNN
    assert full["auc"] < 0.9  # the target AUC of 0.9 is not reached, as the page says
