"""The 'what the network sees' pages' exercises: answers and mistakes against torch."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from cnnbook.exercises import NumberExercise
from cnnbook.exercises.network_sees import GENERATORS, PAGES
from cnnbook.usecases.classification import CANVAS
from tests.exercise_checks import mistake_for

SEEDS = range(40)


def test_conv_pool_conv_field_equals_torch_gradient_support():
    for seed in SEEDS:
        e = GENERATORS["conv-pool-conv-field"](seed)
        k1, pool, k2 = e.params["k1"], e.params["pool"], e.params["k2"]
        x = torch.ones(1, 1, 40, 40, dtype=torch.float64, requires_grad=True)
        ones = lambda k: torch.ones(1, 1, k, k, dtype=torch.float64)  # noqa: E731
        y = F.conv2d(F.avg_pool2d(F.conv2d(x, ones(k1)), pool), ones(k2))
        y[0, 0, 0, 0].backward()
        assert e.answer == int((x.grad[0, 0].sum(0) > 0).sum())
        assert mistake_for(e, "Forgot the pool:") in (None, k1 + k2 - 1)


def test_layer_two_filter_weights_equal_a_torch_filter_of_the_same_layer():
    e = PAGES["feature-hierarchy"]()[1]
    assert e.answer == torch.nn.Conv2d(8, 16, 5).weight[0].numel() == 8 * 5 * 5
    assert mistake_for(e, "channels") == 25


def test_block_average_is_the_ink_count_over_sixteen():
    for seed in SEEDS:
        e = GENERATORS["block-average"](seed)
        bitmap = np.asarray(e.params["bitmap"])
        counts = bitmap.reshape(2, 4, 2, 4).sum(axis=(1, 3))
        assert np.array_equal(e.answer, counts / 16)
        t = torch.tensor(bitmap, dtype=torch.float64)[None, None]
        assert np.array_equal(e.answer, F.avg_pool2d(t, 4)[0, 0].numpy())
        assert any(np.array_equal(g, counts) for g, _ in e.mistakes)


def torch_lenet_features(padding: int) -> int:
    x = torch.zeros(1, 1, CANVAS, CANVAS)
    for channels in (8, 16):
        x = F.max_pool2d(torch.nn.Conv2d(x.shape[1], channels, 3, padding=padding)(x), 2)
    return x.numel()


def test_browser_network_counts_equal_torch_layers():
    _, features, first, _ = PAGES["cnn-in-your-browser"]()
    assert features.answer == torch_lenet_features(1)
    assert mistake_for(features, "padding") == torch_lenet_features(0)
    conv = torch.nn.Conv2d(1, 8, 3)
    assert first.answer == sum(p.numel() for p in conv.parameters())
    assert mistake_for(first, "Forgot the bias") == conv.weight.numel()


def test_relu_saliency_equals_torch_autograd_and_ignoring_the_relu_is_the_plain_sum():
    for seed in SEEDS:
        e = GENERATORS["relu-saliency"](seed)
        x = torch.tensor(e.params["x"], dtype=torch.float64)[None, None].requires_grad_()
        w = torch.tensor(e.params["w"], dtype=torch.float64)[None, None]
        F.relu(F.conv2d(x, w)).sum().backward()
        assert np.array_equal(e.answer, x.grad[0, 0].abs().numpy())
        x.grad = None
        F.conv2d(x, w).sum().backward()
        for grid, hint in e.mistakes:
            if "Ignored the ReLU" in hint:
                assert np.array_equal(grid, x.grad[0, 0].abs().numpy())


def test_occlusion_drop_equals_torch_softmax_by_hand():
    e = PAGES["where-the-network-looks"]()[1]
    w = torch.tensor([[1.0, 2.0, 0.0, -1.0], [0.0, -1.0, 1.0, 1.0]], dtype=torch.float64)
    x = torch.tensor([1.0, 1.0, 0.0, 1.0], dtype=torch.float64)
    covered = x.clone()
    covered[0] = 0
    drop = torch.softmax(w @ x, 0)[0] - torch.softmax(w @ covered, 0)[0]
    assert e.answer == pytest.approx(drop.item(), abs=1e-12)
    assert mistake_for(e, "score") == pytest.approx((w @ x - w @ covered)[0].item())


def test_a_tolerance_is_announced_as_three_decimals():
    """A number checked to a tolerance says so in its question."""
    fixed = [e for build in PAGES.values() for e in build() if isinstance(e, NumberExercise)]
    for e in fixed:
        assert e.tolerance == 0 or "to 3 decimals" in e.question


# The generators' independent checks (tests/test_exercises_catalog.py holds every generator to one).
INDEPENDENT = {
    "conv-pool-conv-field": test_conv_pool_conv_field_equals_torch_gradient_support,
    "block-average": test_block_average_is_the_ink_count_over_sixteen,
    "relu-saliency": (
        test_relu_saliency_equals_torch_autograd_and_ignoring_the_relu_is_the_plain_sum
    ),
}
