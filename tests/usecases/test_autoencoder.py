"""The autoencoder demonstration (page "Image Synthesis"): small runs, PCA, page claims."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from cnnbook import usecases
from cnnbook.data import load_digits
from cnnbook.usecases import autoencoder, pca_baseline
from tests.usecases.helpers import assert_fraction, cli_json, small_run


def test_small_run_has_the_keys_and_errors_in_range(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    m = small_run("autoencoder", tmp_path, monkeypatch).metrics
    assert m["latent_size"] == autoencoder.LATENT_SIZE == int(np.prod(m["latent_shape"]))
    for key in ("cnn_mse", "pca_mse", "inverted_cnn_mse", "inverted_pca_mse"):
        assert isinstance(m[key], float) and 0.0 < m[key] < 1.0  # pixels in [0, 1]
    assert_fraction(m["cnn_better_fraction"])
    assert m["error_ratio"] == pytest.approx(m["cnn_mse"] / m["pca_mse"])


def test_small_run_is_deterministic_for_a_seed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CNNBOOK_CACHE", str(tmp_path))
    a = usecases.run("autoencoder", seed=3, small=True, cache=False)
    b = usecases.run("autoencoder", seed=3, small=True, cache=False)
    assert a.metrics == b.metrics
    np.testing.assert_array_equal(a.arrays["samples_cnn"], b.arrays["samples_cnn"])


def test_demo_small_json_has_the_keys(tmp_path: Path) -> None:
    record = cli_json("autoencoder", tmp_path)
    assert {"latent_size", "cnn_mse", "pca_mse"} <= set(record)
    assert record["latent_size"] == autoencoder.LATENT_SIZE


def test_pca_reconstruction_is_the_projection_onto_the_top_singular_vectors() -> None:
    """Checked against NumPy's SVD of the centred training digits (an independent PCA)."""
    x, _ = load_digits()
    train, test = x[:500], x[500:600]
    k = 6
    flat = train.reshape(len(train), -1)
    mean = flat.mean(axis=0)
    _, _, vt = np.linalg.svd(flat - mean, full_matrices=False)
    basis = vt[:k]
    t = test.reshape(len(test), -1)
    by_hand = np.clip((t - mean) @ basis.T @ basis + mean, 0, 1).reshape(test.shape)
    np.testing.assert_allclose(pca_baseline.pca_reconstruct(pca_baseline.fit_pca(train, k), test),
                               by_hand, atol=1e-10)  # fmt: skip


def test_pca_with_every_component_rebuilds_the_digits_exactly() -> None:
    x, _ = load_digits()
    rebuilt = pca_baseline.pca_reconstruct(pca_baseline.fit_pca(x[:200], 64), x[:20])
    np.testing.assert_allclose(rebuilt, x[:20], atol=1e-10)


def test_interpolation_ends_are_the_reconstructions_and_the_middle_decodes_the_mean_code() -> None:
    ae = autoencoder.digit_autoencoder(np.random.default_rng(1))
    x, _ = load_digits(dtype=np.float32)
    a, b = x[0], x[1]
    path = autoencoder.interpolate(ae, a, b, steps=3)
    np.testing.assert_allclose(path[0], ae(a[None])[0], atol=1e-6)
    np.testing.assert_allclose(path[-1], ae(b[None])[0], atol=1e-6)
    middle = ae.decoder((ae.encoder(a[None]) + ae.encoder(b[None])) / 2)
    np.testing.assert_allclose(path[1], middle[0], atol=1e-6)


def test_interpolate_does_not_modify_its_inputs() -> None:
    ae = autoencoder.digit_autoencoder(np.random.default_rng(0))
    a, b = np.full((1, 8, 8), 0.25), np.full((1, 8, 8), 0.75)
    autoencoder.interpolate(ae, a, b)
    assert (a == 0.25).all() and (b == 0.75).all()


def test_load_model_restores_the_trained_weights(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CNNBOOK_CACHE", str(tmp_path))
    result = usecases.run("autoencoder", seed=0, small=True)
    model = autoencoder.load_model(result.arrays)
    for name, value in model.state_dict().items():
        np.testing.assert_array_equal(value, result.arrays[f"weight:{name}"])


@pytest.fixture(scope="module")
def full() -> usecases.DemoResult:
    return usecases.run("autoencoder")


@pytest.mark.slow
def test_target_cnn_error_at_most_pcas_on_held_out_digits(full: usecases.DemoResult) -> None:
    # Seeds 1 and 2 are full trainings of their own: scripts/usecases_seeds.py checks them.
    m = full.metrics
    assert m["cnn_mse"] <= m["pca_mse"]  # the target


@pytest.mark.slow
def test_page_claims_hold_on_the_cached_full_run(full: usecases.DemoResult) -> None:
    m, a = full.metrics, full.arrays
    # The errors quoted are the means of the per-image errors drawn in the figures.
    assert m["cnn_mse"] == pytest.approx(float(a["cnn_errors"].mean()))
    assert m["pca_mse"] == pytest.approx(float(a["pca_errors"].mean()))
    # "Better on most held-out digits, but not on all": failures exist.
    assert 0.5 < m["cnn_better_fraction"] < 1.0
    # PCA needs more numbers per image to match the autoencoder.
    assert m["pca_components_to_match"] > m["latent_size"]
    assert a["pca_curve"][m["pca_components_to_match"] - 1] <= m["cnn_mse"]
    assert a["pca_curve"][m["pca_components_to_match"] - 2] > m["cnn_mse"]
    # New samples are not copies of training digits, and are farther from them than real
    # held-out digits are.
    gaps = np.mean((a["samples_cnn"] - a["samples_nearest"]) ** 2, axis=(1, 2, 3))
    assert (gaps > 0).all()
    assert m["sample_nearest_mse"] == pytest.approx(float(gaps.mean()))
    assert m["sample_nearest_mse"] > m["test_nearest_mse"]


@pytest.mark.slow
def test_page_failure_and_limit_claims_hold_on_the_cached_full_run(
    full: usecases.DemoResult,
) -> None:
    m, a = full.metrics, full.arrays
    # The failures figure shows the ten largest per-image errors, and PCA wins on some.
    worst = a["worst_index"]
    assert set(worst) == set(np.argsort(a["cnn_errors"])[-10:])
    assert m["worst_pca_better"] == int(np.sum(a["pca_errors"][worst] < a["cnn_errors"][worst]))
    assert m["worst_pca_better"] >= 1
    assert m["error_rank_correlation"] > 0.5  # "largely agree on which digits are hard"
    # Limit: inverted contrast multiplies both methods' errors (by more than ten).
    assert m["inverted_cnn_mse"] > 10 * m["cnn_mse"]
    assert m["inverted_pca_mse"] > 10 * m["pca_mse"]
    # Blur: both lose edge strength, PCA more.
    edges = m["edge_strength"]
    assert edges["pca"] < edges["autoencoder"] < edges["held_out"]
