"""Global pooling makes a network shift-invariant only at multiples of its total stride."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from cnnbook import (
    GLOBAL_POOL_NETWORKS,
    global_pool_invariance,
    global_pool_network,
    invariance_error,
    photograph,
    total_stride,
)

# The page's input: every 8th pixel of the photograph's top 576 rows, (1, 1, 72, 64).
PHOTO = photograph()[:576:8, ::8][None, None]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_global_pool_invariant_only_at_multiples_of_total_stride(seed):
    results = global_pool_invariance(PHOTO, range(9), seed=seed)
    assert [r.network for r in results] == list(GLOBAL_POOL_NETWORKS)
    assert [r.total_stride for r in results] == [1, 2, 2]
    for r in results:
        np.testing.assert_array_equal(r.shifts, np.arange(9))
        at_multiple = r.shifts % r.total_stride == 0
        assert np.all(r.errors[at_multiple] < 1e-12), r.network
        assert np.all(r.errors[~at_multiple] > 1e-4), r.network  # not rounding: a real change


def test_stride_one_global_pool_network_is_invariant_to_every_shift_in_both_directions():
    f = global_pool_network([("conv", 1)] * 3, np.random.default_rng(3))
    for dy, dx in [(1, 0), (0, 1), (5, -3), (-7, 11)]:
        assert invariance_error(f, PHOTO, (dy, dx)) < 1e-12


@given(seed=st.integers(0, 2**16), k=st.integers(1, 3))
def test_total_stride_four_network_is_invariant_at_multiples_of_four_only(seed, k):
    layers = [("conv", 2), ("max_pool", 2)]
    assert total_stride(layers) == 4
    f = global_pool_network(layers, np.random.default_rng(seed))
    x = np.random.default_rng(seed + 1).standard_normal((1, 1, 16, 16))
    assert invariance_error(f, x, (0, 4 * k)) < 1e-12
    assert invariance_error(f, x, (0, 4 * k - 2)) > 1e-6  # a multiple of 2, not of 4


@pytest.mark.parametrize(
    "layers", [[("conv", 1)], [("conv", 2), ("max_pool", 2)], [("max_pool", 2), ("conv", 3)]]
)
def test_total_stride_is_the_input_shift_that_moves_a_torch_stack_by_one_cell(layers):
    torch.manual_seed(0)
    mods = [
        torch.nn.Conv2d(1, 1, 3, stride=s, padding=1, padding_mode="circular")
        if kind == "conv"
        else torch.nn.MaxPool2d(s)
        for kind, s in layers
    ]
    stack = torch.nn.Sequential(*mods).double()
    x = torch.from_numpy(np.random.default_rng(0).standard_normal((1, 1, 24, 24)))
    s = total_stride(layers)
    with torch.no_grad():
        y, y_shifted = stack(x), stack(torch.roll(x, s, dims=-1))
    torch.testing.assert_close(y_shifted, torch.roll(y, 1, dims=-1))


def test_global_pool_network_draws_from_the_generator_only():
    x = np.random.default_rng(0).standard_normal((1, 1, 8, 8))
    layers = GLOBAL_POOL_NETWORKS["conv → stride-2 conv → global avg pool"]
    a = global_pool_network(layers, np.random.default_rng(5))(x)
    b = global_pool_network(layers, np.random.default_rng(5))(x)
    np.testing.assert_array_equal(a, b)
    assert a.shape == (1, 4, 1, 1)
