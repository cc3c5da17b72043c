"""Layer costs: multiply-adds, activation memory and parameters, against direct counts."""

from __future__ import annotations

import math

import numpy as np
import pytest

from cnnbook import (
    ALEXNET,
    LENET5,
    RESNET18,
    VGG16,
    activation_memory,
    architecture_summary,
    avg_pool2d,
    conv2d,
    conv2d_macs,
    layer_costs,
    linear_macs,
    parameter_count,
    total_macs,
)
from cnnbook.im2col import im2col


def test_vgg16_at_224_takes_about_15_5_giga_multiply_adds():
    assert round(total_macs(VGG16) / 1e9, 1) == 15.5


def test_vgg16_total_equals_the_sum_written_by_hand():
    convs = [(224, 3, 64), (224, 64, 64), (112, 64, 128), (112, 128, 128)]
    convs += [(56, 128, 256), (56, 256, 256), (56, 256, 256)]
    convs += [(28, 256, 512), (28, 512, 512), (28, 512, 512)]
    convs += [(14, 512, 512)] * 3
    by_hand = sum(size * size * cin * cout * 9 for size, cin, cout in convs)
    by_hand += 512 * 7 * 7 * 4096 + 4096 * 4096 + 4096 * 1000
    assert total_macs(VGG16) == by_hand


def test_lenet5_total_equals_the_sum_written_by_hand():
    by_hand = 6 * 28 * 28 * 5 * 5 + 16 * 10 * 10 * 6 * 5 * 5 + 400 * 120 + 120 * 84 + 84 * 10
    assert total_macs(LENET5) == by_hand


@pytest.mark.parametrize(
    ("arch", "published"),
    [(ALEXNET, 0.71), (VGG16, 15.47), (RESNET18, 1.81)],
    ids=["alexnet", "vgg16", "resnet18"],
)
def test_totals_match_torchvisions_published_giga_multiply_adds(arch, published):
    """torchvision's model table lists 0.71, 15.47 and 1.81 'GFLOPS' (multiply-adds, in fact)."""
    assert round(total_macs(arch) / 1e9, 2) == published


def test_lenet5_macs_equal_the_matrix_products_of_a_real_forward_pass():
    """Run LeNet-5 with conv2d; count each GEMM's size from the im2col matrix it multiplies."""
    rng = np.random.default_rng(0)
    x = rng.standard_normal((1, *LENET5.input_shape))
    counted = []
    for layer in LENET5.layers:
        kind = layer["type"]
        if kind == "conv":
            w = rng.standard_normal((layer["out_channels"], layer["in_channels"], 5, 5))
            p = layer.get("padding", 0)
            y = conv2d(x, w, padding=p)
            cols = im2col(x, (5, 5), padding=(p, p, p, p))[..., : y.shape[-1]]
            counted.append(w.shape[0] * cols.shape[0] * math.prod(cols.shape[1:]))
            x = y
        elif kind == "linear":
            w = rng.standard_normal((layer["out_features"], layer["in_features"]))
            counted.append(w.size * x.shape[0])  # one multiply-add per weight per input
            x = x @ w.T
        else:
            counted.append(0)
            x = {"avgpool": lambda v: avg_pool2d(v, 2), "flatten": lambda v: v.reshape(1, -1)}.get(
                kind, np.tanh
            )(x)
    assert [row.macs for row in layer_costs(LENET5)] == counted


@pytest.mark.parametrize("arch", [LENET5, ALEXNET, VGG16, RESNET18], ids=lambda a: a.name)
def test_rows_follow_the_architecture_summary(arch):
    rows, summary = layer_costs(arch), architecture_summary(arch)
    assert [(r.position, r.type, r.output_shape, r.parameters) for r in rows] == [
        (s.position, s.type, s.output_shape, s.parameters) for s in summary
    ]
    assert sum(r.parameters for r in rows) == parameter_count(arch)
    assert all(r.macs == 0 for r in rows if r.type not in ("conv", "linear", "basic_block"))


@pytest.mark.parametrize("size", [1, 2, 4])
def test_activation_bytes_are_output_values_times_the_element_size(size):
    for row in layer_costs(VGG16, bytes_per_element=size):
        assert row.activations == math.prod(row.output_shape)
        assert row.activation_bytes == size * row.activations
    assert activation_memory(LENET5, size, batch_size=3) == 3 * size * sum(
        math.prod(r.output_shape) for r in architecture_summary(LENET5)
    )


def test_vgg16_first_layer_by_hand():
    first = layer_costs(VGG16)[0]
    assert first.macs == 64 * 224 * 224 * (3 * 3 * 3)
    assert first.activation_bytes == 4 * 64 * 224 * 224
    assert first.parameters == 64 * 27 + 64


def test_resnet18_block_with_projection_counts_three_convolutions():
    rows = layer_costs(RESNET18)
    down = next(r for r, layer in zip(rows, RESNET18.layers, strict=True)
                if layer.get("stride", 1) == 2 and r.type == "basic_block")  # fmt: skip
    # 64 -> 128 at stride 2: 28 x 28 outputs; 3x3 64->128, 3x3 128->128, 1x1 64->128.
    assert down.macs == 28 * 28 * 128 * (64 * 9 + 128 * 9 + 64)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((1, 1, 1, 1), 1),
        ((3, 8, (3, 5), (4, 6)), 8 * 4 * 6 * 3 * 15),
        ((8, 4, 3, 2, 4), 4 * 4 * 2 * 9),
    ],
)
def test_conv2d_macs_is_outputs_times_the_dot_product_length(args, expected):
    assert conv2d_macs(*args) == expected


def test_linear_macs_is_one_per_weight():
    assert linear_macs(7, 3) == 21
