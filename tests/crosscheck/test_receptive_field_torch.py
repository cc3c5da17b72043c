"""Receptive fields: torch autograd's gradient support equals cnnbook's measured/formula field."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch import nn

from cnnbook import empirical_receptive_field, receptive_field

pytestmark = pytest.mark.torch


def _torch_layer(spec):
    if spec["kind"] == "avgpool":
        return nn.AvgPool2d(spec["kernel_size"], spec["stride"], spec["padding"])
    conv = nn.Conv2d(
        1, 1, spec["kernel_size"], spec["stride"], spec["padding"], spec["dilation"], bias=False
    )
    with torch.no_grad():
        conv.weight.fill_(1.0)  # positive weights: no contribution cancels in the gradient
    return conv


def _random_stack(rng):
    specs = []
    for _ in range(rng.integers(1, 5)):
        k = int(rng.integers(1, 5))
        kind = "avgpool" if rng.random() < 0.4 else "conv"
        specs.append(
            {
                "kind": kind,
                "kernel_size": k,
                "stride": int(rng.integers(1, 3)),
                "padding": int(rng.integers(0, k // 2 + 1)),
                "dilation": 1 if kind == "avgpool" else int(rng.integers(1, 3)),
            }
        )
    return specs


@pytest.mark.parametrize("seed", range(12))
def test_torch_gradient_support_equals_cnnbook_measured_and_formula_field(seed):
    specs = _random_stack(np.random.default_rng(seed))
    layers = [{k: v for k, v in s.items() if k != "kind"} for s in specs]
    rf = receptive_field(layers)[-1]
    size = 2 * rf.size[0] + 4 * rf.jump[0] + 4
    model = nn.Sequential(*(_torch_layer(s) for s in specs)).double()
    x = torch.zeros(1, 1, size, size, dtype=torch.float64, requires_grad=True)
    y = model(x)
    i, j = y.shape[-2] // 2, y.shape[-1] // 2
    y[0, 0, i, j].backward()
    torch_mask = (x.grad[0, 0] > 0).numpy()
    ours = empirical_receptive_field(layers, size, unit=(i, j))
    np.testing.assert_array_equal(ours.mask, torch_mask)
    rows, cols = np.flatnonzero(torch_mask.any(1)), np.flatnonzero(torch_mask.any(0))
    (top, bottom), (left, right) = rf.bounds(i, j)
    assert (rows[0], rows[-1]) == (max(top, 0), min(bottom, size - 1))
    assert (cols[0], cols[-1]) == (max(left, 0), min(right, size - 1))


def test_torch_modules_are_read_by_duck_typing():
    model = [
        nn.Conv2d(3, 8, (3, 5), stride=(1, 2), padding=(1, 2), dilation=(2, 1)),
        nn.ReLU(),
        nn.MaxPool2d(3, stride=2, padding=1, dilation=2),
        nn.AvgPool2d(2),
        nn.Conv2d(8, 8, 3, padding="same"),
    ]
    as_dicts = [
        {"kernel_size": (3, 5), "stride": (1, 2), "padding": (1, 2), "dilation": (2, 1)},
        {"kernel_size": 3, "stride": 2, "padding": 1, "dilation": 2},
        {"kernel_size": 2, "stride": 2},
        {"kernel_size": 3, "padding": 1},
    ]
    fields = receptive_field(model)
    assert fields[1] == fields[0]  # ReLU has no kernel_size: the field passes through
    assert fields[:1] + fields[2:] == receptive_field(as_dicts)
