"""The key-concept pages' exercises: answers and known mistakes against torch and by hand."""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F

from cnnbook.exercises.key_concepts import GENERATORS, PAGES
from tests.exercise_checks import mistake_for

SEEDS = range(40)


def torch_count(module: torch.nn.Module) -> int:
    return sum(p.numel() for p in module.parameters())


def test_locally_connected_count_is_a_torch_conv_per_output_position():
    for seed in SEEDS:
        e = GENERATORS["locally-connected-count"](seed)
        p = e.params
        conv = torch.nn.Conv2d(p["c_in"], p["c_out"], p["k"])
        o = conv(torch.zeros(1, p["c_in"], p["size"], p["size"])).shape[-1]
        assert e.answer == o * o * torch_count(conv)
        assert mistake_for(e, "bias") == o * o * torch_count(
            torch.nn.Conv2d(p["c_in"], p["c_out"], p["k"], bias=False)
        )
        assert mistake_for(e, "That is the convolution") == torch_count(conv)
        dense = torch.nn.Linear(p["c_in"] * p["size"] ** 2, p["c_out"] * o * o)
        assert mistake_for(e, "dense layer") == torch_count(dense)


def field_by_autograd(layers, size=64):
    """Width of the input cells that reach unit (0, 0), from torch's gradient support."""
    x = torch.ones(1, 1, size, size, dtype=torch.float64, requires_grad=True)
    y = x
    for k, s in layers:
        y = F.conv2d(y, torch.ones(1, 1, k, k, dtype=torch.float64), stride=s)
    y[0, 0, 0, 0].backward()
    return int((x.grad[0, 0].abs().sum(0) > 0).sum())


def test_receptive_field_stack_equals_torch_gradient_support_and_named_mistakes():
    for seed in SEEDS:
        e = GENERATORS["receptive-field-stack"](seed)
        layers = e.params["layers"]
        assert e.answer == field_by_autograd(layers)
        assert mistake_for(e, "jump/stride") in (None, 1 + sum(k - 1 for k, _ in layers))
        assert mistake_for(e, "kernel sizes") in (None, sum(k for k, _ in layers))
        assert any(s > 1 for _, s in layers[:2])


def test_fixed_receptive_field_exercises_by_hand():
    page = PAGES["the-receptive-field-of-the-neuron"]()
    assert page[1].answer == 2 * 2 * 1 * 3  # the product of the strides
    assert 8 in page[1].mistakes  # their sum
    assert "5 × 5" in page[2].options[page[2].correct]  # 1 + 2 + 2


def test_gradient_map_equals_torch_autograd_and_the_flip_is_the_mistake():
    for seed in SEEDS:
        e = GENERATORS["two-layer-gradient-map"](seed)
        w1 = torch.tensor(e.params["w1"], dtype=torch.float64)[None, None]
        w2 = torch.tensor(e.params["w2"], dtype=torch.float64)[None, None]
        x = torch.randn(1, 1, 3, 3, dtype=torch.float64, requires_grad=True)
        F.conv2d(F.conv2d(x, w1), w2).sum().backward()
        assert np.array_equal(e.answer, x.grad[0, 0].numpy())
        x.grad = None
        F.conv2d(F.conv2d(x, w1), torch.flip(w2, (-2, -1))).sum().backward()
        flipped = x.grad[0, 0].numpy()
        assert all(np.array_equal(g, flipped) for g, hint in e.mistakes if "Flipped" in hint)


def test_effective_field_centre_counts_paths_by_polynomial_powers():
    e = PAGES["effective-receptive-field"]()[1]
    one_axis = np.polynomial.polynomial.polypow([1, 1, 1], 4)  # (1 + t + t²)^4
    assert e.answer == one_axis[len(one_axis) // 2] ** 2 == 361
    assert mistake_for(e, "all paths") == 9**4
    assert mistake_for(e, "one axis") == one_axis[len(one_axis) // 2]


def test_sharing_factor_is_the_number_of_torch_output_positions():
    for seed in SEEDS:
        e = GENERATORS["sharing-factor"](seed)
        p = e.params
        conv = torch.nn.Conv2d(p["c_in"], p["c_out"], p["k"], padding=p["padding"])
        out = conv(torch.zeros(1, p["c_in"], p["size"], p["size"]))
        assert e.answer == out.shape[-1] * out.shape[-2]
        dense = (p["c_in"] * p["size"] ** 2 + 1) * out[0].numel()
        assert mistake_for(e, "together") in (None, round(dense / torch_count(conv)))
        assert mistake_for(e, "input size") in (None, p["size"] ** 2)


def circular_torch(x, w):
    kh, kw = w.shape[-2:]
    padded = F.pad(x, (kw // 2, kw - 1 - kw // 2, kh // 2, kh - 1 - kh // 2), mode="circular")
    return F.conv2d(padded, w)


def test_shifted_feature_map_equals_torch_circular_conv_of_the_shifted_input():
    for seed in SEEDS:
        e = GENERATORS["shifted-feature-map"](seed)
        x = torch.tensor(e.params["x"], dtype=torch.float64)[None, None]
        w = torch.tensor(e.params["w"], dtype=torch.float64)[None, None]
        y = circular_torch(x, w)[0, 0].numpy()
        assert np.array_equal(e.shown["y"], y)
        shifted = circular_torch(torch.roll(x, 1, -1), w)[0, 0].numpy()
        assert np.array_equal(e.answer, shifted)
        assert np.array_equal(shifted, np.roll(y, 1, -1))  # equivariance, by torch
        for grid, hint in e.mistakes:
            if "original input" in hint:
                assert np.array_equal(grid, y)


def test_conv_parameter_count_equals_torch_and_mistakes_are_the_named_layers():
    for seed in SEEDS:
        e = GENERATORS["conv-parameter-count"](seed)
        p = e.params
        shape = (p["c_in"], p["c_out"], (p["k1"], p["k2"]))
        assert e.answer == torch_count(torch.nn.Conv2d(*shape, groups=p["groups"]))
        no_bias = torch_count(torch.nn.Conv2d(*shape, groups=p["groups"], bias=False))
        assert mistake_for(e, "Forgot the bias") == no_bias
        assert mistake_for(e, "groups") in (None, torch_count(torch.nn.Conv2d(*shape)))
        if p["groups"] > 1:
            assert mistake_for(e, "groups") is not None


def test_fixed_parameter_counts_equal_torch():
    page = PAGES["parameter-count"]()
    assert page[1].answer == torch_count(torch.nn.Linear(784, 10))
    assert mistake_for(page[1], "bias") == torch_count(torch.nn.Linear(784, 10, bias=False))
    assert page[2].answer == torch_count(torch.nn.Conv2d(64, 64, 3, groups=64))
    assert mistake_for(page[2], "groups") == torch_count(torch.nn.Conv2d(64, 64, 3))
    sharing = PAGES["weight-sharing"]()[2]
    assert sharing.answer == torch_count(torch.nn.Conv2d(1, 6, 5))


def global_pool_net(layers, seed):
    torch.manual_seed(seed)
    mods = []
    for kind, s in layers:
        if kind == "conv":
            mods += [
                torch.nn.Conv2d(
                    2 if mods else 1,
                    2,
                    3,
                    stride=s,
                    padding=1,
                    padding_mode="circular",
                    dtype=torch.float64,
                )
            ]
        else:
            if not mods:
                mods += [torch.nn.Conv2d(1, 2, 1, dtype=torch.float64)]
            mods += [torch.nn.MaxPool2d(s)]
        mods += [torch.nn.Tanh()]  # pointwise like a ReLU, but never a dead (all-zero) network
    return torch.nn.Sequential(*mods, torch.nn.AdaptiveAvgPool2d(1))


def test_total_stride_is_the_smallest_shift_torch_global_pooling_ignores():
    for seed in range(12):
        e = GENERATORS["total-stride"](seed)
        layers, s = e.params["layers"], e.answer
        assert s == np.prod([stride for _, stride in layers]) > 1
        net = global_pool_net(layers, seed)
        x = torch.rand(1, 1, 4 * s, 4 * s, dtype=torch.float64)
        with torch.no_grad():
            out = net(x)
            assert torch.allclose(net(torch.roll(x, s, -1)), out, rtol=0, atol=1e-12)
            for d in range(1, s):
                assert not torch.allclose(net(torch.roll(x, d, -1)), out, rtol=0, atol=1e-9)
        assert mistake_for(e, "Added") in (None, sum(stride for _, stride in layers))


def test_pooled_shift_equals_torch_max_pool_of_the_shifted_map():
    for seed in SEEDS:
        e = GENERATORS["pooled-shift"](seed)
        x = torch.tensor(e.params["x"], dtype=torch.float64)[None, None]
        assert np.array_equal(e.answer, F.max_pool2d(torch.roll(x, 2, -1), 2)[0, 0].numpy())
        pooled = F.max_pool2d(x, 2)[0, 0].numpy()
        assert np.array_equal(e.answer, np.roll(pooled, 1, -1))  # one cell, by torch
        for grid, hint in e.mistakes:
            if "original" in hint:
                assert np.array_equal(grid, pooled)


def test_choice_on_global_pooling_names_the_total_stride_of_two():
    choice = PAGES["translation-invariance"]()[2]
    assert "here 2" in choice.explanations[choice.correct]
    net = global_pool_net([("conv", 1), ("max_pool", 2), ("conv", 1)], 0)
    x = torch.rand(1, 1, 8, 8, dtype=torch.float64)
    with torch.no_grad():
        assert not torch.allclose(net(torch.roll(x, 1, -1)), net(x), rtol=0, atol=1e-9)


# The generators' independent checks (tests/test_exercises_catalog.py holds every generator to one).
INDEPENDENT = {
    "locally-connected-count": test_locally_connected_count_is_a_torch_conv_per_output_position,
    "receptive-field-stack": (
        test_receptive_field_stack_equals_torch_gradient_support_and_named_mistakes
    ),
    "two-layer-gradient-map": test_gradient_map_equals_torch_autograd_and_the_flip_is_the_mistake,
    "sharing-factor": test_sharing_factor_is_the_number_of_torch_output_positions,
    "shifted-feature-map": (
        test_shifted_feature_map_equals_torch_circular_conv_of_the_shifted_input
    ),
    "conv-parameter-count": (
        test_conv_parameter_count_equals_torch_and_mistakes_are_the_named_layers
    ),
    "total-stride": test_total_stride_is_the_smallest_shift_torch_global_pooling_ignores,
    "pooled-shift": test_pooled_shift_equals_torch_max_pool_of_the_shifted_map,
}
