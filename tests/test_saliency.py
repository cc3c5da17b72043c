"""Saliency, occlusion and the randomisation check, against torch, a loop and SciPy."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import spearmanr

from cnnbook.models import lenet_like
from cnnbook.saliency import occlusion_map, randomized_saliency, rank_correlation, saliency_map


def _model_and_digit(seed: int = 0):
    rng = np.random.default_rng(seed)
    model = lenet_like(rng, image_size=10, padding=1).to(np.float64)
    model.eval()
    return model, rng.random((1, 10, 10))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_saliency_equals_torch_input_gradient(seed: int) -> None:
    torch = pytest.importorskip("torch")
    from cnnbook.torch_bridge import to_torch

    model, x = _model_and_digit(seed)
    target = seed + 3
    t = to_torch(model)
    tx = torch.from_numpy(x[None].copy()).requires_grad_(True)
    t(tx)[0, target].backward()
    np.testing.assert_allclose(saliency_map(model, x, target), tx.grad[0].numpy(), atol=1e-12)
    # The parameters' gradients are left as they were (none).
    assert all(p.grad is None for p in model.parameters())


def test_occlusion_equals_a_loop_over_patches() -> None:
    model, x = _model_and_digit(4)
    target, (ph, pw) = 2, (3, 2)

    def prob(image: np.ndarray) -> float:
        z = model(image[None])[0]
        e = np.exp(z - z.max())
        return float(e[target] / e.sum())

    expected = np.empty((10 - ph + 1, 10 - pw + 1))
    for i in range(expected.shape[0]):
        for j in range(expected.shape[1]):
            covered = x.copy()
            covered[:, i : i + ph, j : j + pw] = 0.5
            expected[i, j] = prob(x) - prob(covered)
    got = occlusion_map(model, x, target, patch=(ph, pw), fill=0.5)
    np.testing.assert_allclose(got, expected, atol=1e-12)


@pytest.mark.parametrize("ties", [False, True])
def test_rank_correlation_equals_scipy_spearman(ties: bool) -> None:
    rng = np.random.default_rng(7)
    a, b = rng.standard_normal(60), rng.standard_normal(60)
    if ties:
        a, b = np.round(a, 1), np.round(a + b, 0)
    expected = spearmanr(np.abs(a), np.abs(b)).statistic
    assert rank_correlation(a, b) == pytest.approx(expected, abs=1e-12)


def test_randomisation_changes_the_trained_map_and_leaves_the_model_alone() -> None:
    from cnnbook.browser_network import digit_network, held_out_digits

    net = digit_network()
    before = {k: v.copy() for k, v in net.model.state_dict().items()}
    stages: dict[str, list[float]] = {}
    for d in held_out_digits():
        x = np.array(d["pixels"], dtype=np.float32).reshape(net.input_shape)
        for name, corr in randomized_saliency(net.model, x, d["prediction"]):
            stages.setdefault(name, []).append(corr)
    means = {name: float(np.mean(v)) for name, v in stages.items()}
    names = list(means)
    assert names[0] == "trained" and means["trained"] == 1.0
    # The page's claims: well below 1 once the last layer is re-drawn, and not 0.
    assert means[names[1]] < 0.75
    assert all(0.05 < means[n] < 0.75 for n in names[1:])
    for k, v in net.model.state_dict().items():
        assert np.array_equal(v, before[k]), k
