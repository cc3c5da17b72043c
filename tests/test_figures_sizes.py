"""The size figures draw the sizes and counts the package computes (checked against formulas)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from cnnbook import ALEXNET, LENET5, VGG16, architecture_summary
from cnnbook.figures import (
    OUTPUT_SIZE_CURVES,
    output_size_figure,
    parameters_by_layer_figure,
    weight_sharing_figure,
)


def _formula(i: int, k: int, p: int, s: int, d: int) -> float:
    y = (i + 2 * p - d * (k - 1) - 1) // s + 1
    return float(y) if y >= 1 else math.nan


@pytest.mark.parametrize("input_size", [5, 8, 11])
def test_output_size_lines_follow_the_general_formula(input_size):
    ks = list(range(1, 9))
    lines = {line.get_label(): line for line in output_size_figure(input_size, ks).axes[0].lines}
    assert set(OUTPUT_SIZE_CURVES) <= set(lines)
    expected = {
        "valid (p = 0)": [_formula(input_size, k, 0, 1, 1) for k in ks],
        "same": [float(input_size)] * len(ks),
        "full (p = k - 1)": [float(input_size + k - 1) for k in ks],
        "stride 2, p = 0": [_formula(input_size, k, 0, 2, 1) for k in ks],
        "dilation 2, p = 0": [_formula(input_size, k, 0, 1, 2) for k in ks],
    }
    for label, values in expected.items():
        np.testing.assert_array_equal(lines[label].get_xdata(), ks)
        np.testing.assert_array_equal(lines[label].get_ydata(), values)


def test_valid_line_is_input_minus_kernel_plus_one():
    line = output_size_figure(8, range(1, 9)).axes[0].lines[0]
    np.testing.assert_array_equal(line.get_ydata(), [8 - k + 1 for k in range(1, 9)])


def test_weight_sharing_bars_are_hand_counted_dense_local_and_conv_parameters():
    sizes = (8, 28)
    ax = weight_sharing_figure(1, 6, 5, sizes).axes[0]
    heights = [p.get_height() for p in ax.patches]
    dense, local, conv = (heights[i * len(sizes) : (i + 1) * len(sizes)] for i in range(3))
    # dense: (1*n*n inputs) x (6*m*m outputs) weights + 6*m*m biases, m = n - 5 + 1
    assert dense == [(n * n) * (6 * (n - 4) ** 2) + 6 * (n - 4) ** 2 for n in sizes]
    # locally connected: each of the 6*m*m output units has its own 5*5 weights and bias
    assert local == [6 * (n - 4) ** 2 * (5 * 5 + 1) for n in sizes]
    assert conv == [6 * 5 * 5 + 6] * len(sizes)
    labels = [t.get_text() for t in ax.texts]
    assert labels == [f"×{d / lo:,.0f}" for d, lo in zip(dense, local, strict=True)] + [
        f"×{(n - 4) ** 2:,}" for n in sizes
    ]


@pytest.mark.parametrize("arch", [LENET5, ALEXNET, VGG16], ids=lambda a: a.name)
def test_parameter_bars_are_the_layers_with_parameters_and_sum_to_the_published_total(arch):
    ax = parameters_by_layer_figure(arch).axes[0]
    widths = [p.get_width() for p in ax.patches]
    rows = [r for r in architecture_summary(arch) if r.parameters]
    assert widths == [r.parameters for r in rows]
    published = {"LeNet-5": 61_706, "AlexNet": 61_100_840, "VGG-16": 138_357_544}
    assert sum(widths) == published[arch.name]
    assert f"{published[arch.name]:,} parameters" in ax.get_title()


def test_lenet5_bars_are_counted_by_hand():
    widths = [p.get_width() for p in parameters_by_layer_figure(LENET5).axes[0].patches]
    assert widths == [6 * 25 + 6, 16 * 6 * 25 + 16, 400 * 120 + 120, 120 * 84 + 84, 84 * 10 + 10]
