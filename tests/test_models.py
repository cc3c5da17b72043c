from __future__ import annotations

import numpy as np
import pytest

from cnnbook import nn
from cnnbook.models import lenet_like, reference_cnn


def n_parameters(model: nn.Module) -> int:
    return sum(p.data.size for p in model.parameters())


def test_reference_cnn_has_the_hand_counted_parameters() -> None:
    # conv 1->32 3x3, conv 32->64 3x3, linear 64*2*2 -> 10: (k*k*in + 1) * out each
    expected = (9 * 1 + 1) * 32 + (9 * 32 + 1) * 64 + (64 * 2 * 2 + 1) * 10
    assert n_parameters(reference_cnn(np.random.default_rng(0))) == expected == 21386


def test_reference_cnn_halves_the_maps_per_block() -> None:
    model = reference_cnn(np.random.default_rng(0)).eval()
    x = np.zeros((2, 1, 8, 8), np.float32)
    shapes = []
    for layer in model:
        x = layer(x)
        shapes.append(x.shape)
    assert shapes[2] == (2, 32, 4, 4) and shapes[5] == (2, 64, 2, 2) and shapes[-1] == (2, 10)


@pytest.mark.parametrize(
    ("kwargs", "last"),
    [
        ({}, (10, 256)),
        ({"n_classes": 3}, (3, 256)),
        ({"in_channels": 3}, (10, 256)),
    ],
)
def test_reference_cnn_options_change_the_right_shapes(kwargs: dict, last: tuple) -> None:
    model = reference_cnn(np.random.default_rng(0), **kwargs)
    assert model[0].weight.shape == (32, kwargs.get("in_channels", 1), 3, 3)
    assert model[-1].weight.shape == last


def test_models_are_reproducible_from_the_generator() -> None:
    a, b = reference_cnn(np.random.default_rng(5)), reference_cnn(np.random.default_rng(5))
    c = reference_cnn(np.random.default_rng(6))
    for p, q, r in zip(a.parameters(), b.parameters(), c.parameters(), strict=True):
        np.testing.assert_array_equal(p.data, q.data)
        assert not np.array_equal(p.data, r.data)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_models_take_the_parameter_dtype(dtype: type) -> None:
    for model in (reference_cnn(dtype=dtype), lenet_like(dtype=dtype)):
        assert {p.data.dtype for p in model.parameters()} == {np.dtype(dtype)}


@pytest.mark.parametrize(
    ("image_size", "padding", "features"),
    [
        (28, 0, 16 * 5 * 5),  # 28 -> 26 -> 13 -> 11 -> 5
        (8, 1, 16 * 2 * 2),  # 8 -> 8 -> 4 -> 4 -> 2
        (16, 0, 16 * 2 * 2),  # 16 -> 14 -> 7 -> 5 -> 2
    ],
)
def test_lenet_like_flattens_the_hand_computed_size(
    image_size: int, padding: int, features: int
) -> None:
    model = lenet_like(np.random.default_rng(0), image_size=image_size, padding=padding)
    assert model[-1].weight.shape == (10, features)
    out = model(np.zeros((2, 1, image_size, image_size), np.float32))
    assert out.shape == (2, 10)


def test_lenet_like_rejects_a_too_small_image() -> None:
    with pytest.raises(ValueError, match=r"image_size \(=8\) is too small for lenet_like"):
        lenet_like(image_size=8)


@pytest.mark.torch
def test_reference_cnn_equals_its_torch_twin_in_eval_mode() -> None:
    import torch

    from cnnbook.torch_bridge import to_torch

    model = reference_cnn(np.random.default_rng(0), dtype=np.float64).eval()
    x = np.random.default_rng(1).random((4, 1, 8, 8))
    with torch.no_grad():
        expected = to_torch(model)(torch.from_numpy(x)).numpy()
    np.testing.assert_allclose(model(x), expected, rtol=0, atol=1e-12)
