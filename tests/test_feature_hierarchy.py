"""The feature hierarchy's tools: top patches, activation maximisation, the two trainings."""

from __future__ import annotations

import numpy as np
import pytest

from cnnbook.feature_hierarchy import (
    activation_maximization,
    feature_network,
    initial_similarity,
    load_feature_network,
    top_patches,
    trained_feature_networks,
)
from cnnbook.receptive_field import receptive_field


def _model_and_images(seed: int = 0):
    rng = np.random.default_rng(seed)
    model = feature_network(rng).to(np.float64)
    model.eval()
    return model, rng.random((6, 1, 28, 28))


@pytest.mark.parametrize("layer", [1, 4])
def test_a_top_patch_alone_gives_the_unit_its_activation(layer: int) -> None:
    """A unit sees only its receptive field: the patch alone, in a blank image, is enough."""
    model, images = _model_and_images(1)
    head = model[: layer + 1]
    field = receptive_field(list(head))[-1]
    patches, values, positions = top_patches(model, layer, 2, images, k=3)
    for patch, value, (_, i, j) in zip(patches, values, positions, strict=True):
        (r0, r1), (c0, c1) = field.bounds(int(i), int(j))
        alone = np.zeros((1, *images.shape[1:]))
        alone[0, :, r0 : r1 + 1, c0 : c1 + 1] = patch
        assert head(alone)[0, 2, i, j] == pytest.approx(value, rel=1e-12)
        # And the patch is the image's own pixels there.
    n = positions[0, 0]
    (r0, r1), (c0, c1) = field.bounds(int(positions[0, 1]), int(positions[0, 2]))
    np.testing.assert_array_equal(patches[0], images[n, :, r0 : r1 + 1, c0 : c1 + 1])


def test_top_patches_equal_a_search_over_every_unit() -> None:
    model, images = _model_and_images(2)
    maps = model[:5](images)
    found = sorted(
        ((maps[n, 7, i, j], n, i, j) for n in range(6) for i in range(8) for j in range(8)),
        reverse=True,
    )[:9]
    _, values, positions = top_patches(model, 4, 7, images, k=9)
    np.testing.assert_allclose(values, [f[0] for f in found])
    assert [tuple(p) for p in positions.tolist()] == [f[1:] for f in found]


def test_ascent_gradient_equals_torch() -> None:
    torch = pytest.importorskip("torch")
    from cnnbook.torch_bridge import to_torch

    model, _ = _model_and_images(3)
    lr = 0.05
    image, _ = activation_maximization(
        model,
        4,
        5,
        (1, 28, 28),
        steps=1,
        lr=lr,
        l2=0.0,
        blur=0.0,
        rng=np.random.default_rng(9),
    )
    start = 0.5 + 0.01 * np.random.default_rng(9).standard_normal((1, 1, 28, 28))
    t = to_torch(model[:5])
    tx = torch.from_numpy(start).requires_grad_(True)
    t(tx)[0, 5, 4, 4].backward()
    g = tx.grad.numpy()
    expected = np.clip(start + lr * g / np.sqrt(np.mean(g**2)), 0, 1)[0]
    np.testing.assert_allclose(image, expected, atol=1e-12)


def test_ascent_raises_the_activation() -> None:
    model, _ = _model_and_images(4)
    image, trace = activation_maximization(model, 4, 3, (1, 28, 28), steps=60)
    start = model[:5](0.5 * np.ones((1, 1, 28, 28)))[0, 3, 4, 4]
    assert trace[-1] > start
    assert trace[-1] == pytest.approx(model[:5](image[None])[0, 3, 4, 4])
    assert image.min() >= 0 and image.max() <= 1


@pytest.mark.slow
def test_weight_decay_washes_out_the_initial_noise() -> None:
    """The page's claims, on the page's cached run."""
    result = trained_feature_networks()
    adam, adamw = initial_similarity(result, "adam"), initial_similarity(result, "adamw")
    assert adam > 0.6 > 0.45 > adamw
    assert abs(result.metrics["adam_accuracy"] - result.metrics["adamw_accuracy"]) < 0.03
    assert load_feature_network(result, "adamw")[0].weight.data.shape == (8, 1, 5, 5)
