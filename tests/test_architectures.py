"""The classic networks as data: published parameter counts and receptive fields, pinned."""

from __future__ import annotations

import pytest

from cnnbook import (
    ALEXNET,
    LENET5,
    VGG16,
    architecture_summary,
    parameter_count,
    receptive_field_after,
)


@pytest.mark.parametrize(
    ("arch", "published"),
    [(LENET5, 61_706), (ALEXNET, 61_100_840), (VGG16, 138_357_544)],
    ids=["lenet5", "alexnet", "vgg16"],
)
def test_parameter_count_equals_the_published_figure(arch, published):
    assert parameter_count(arch) == published


@pytest.mark.parametrize(
    ("arch", "araujo"),
    [(VGG16, 212), (ALEXNET, 195)],
    ids=["vgg16-pool5", "alexnet-pool5"],
)
def test_vgg16_and_alexnet_receptive_fields_equal_araujo_et_al_table(arch, araujo):
    # Araujo, Norris & Sim, "Computing Receptive Fields of CNNs", Distill 2019, table 1.
    assert receptive_field_after(arch, "maxpool") == (araujo, araujo)


def test_lenet5_receptive_field_is_derived_by_hand_not_taken_from_a_table():
    # LeNet-5 is not in Araujo et al.'s table. By hand, r += (k - 1) * jump, jump *= stride:
    # conv 5 -> 5 (jump 1), pool 2/2 -> 6 (jump 2), conv 5 -> 6 + 4*2 = 14, pool 2/2 -> 14 + 1*2.
    assert receptive_field_after(LENET5, "avgpool") == (16, 16)


def test_vgg16_receptive_field_grows_block_by_block():
    pools = [r.receptive_field[0] for r in architecture_summary(VGG16) if r.type == "maxpool"]
    assert pools == [6, 16, 44, 100, 212]  # 2 + 2*2 convs then pools, by hand


@pytest.mark.parametrize(
    ("arch", "flat", "classes"),
    [(LENET5, 400, 10), (ALEXNET, 9216, 1000), (VGG16, 25088, 1000)],
    ids=["lenet5", "alexnet", "vgg16"],
)
def test_flattened_features_match_the_first_linear_layer(arch, flat, classes):
    rows = architecture_summary(arch)
    flatten = next(r for r in rows if r.type == "flatten")
    first_linear = next(layer for layer in arch.layers if layer["type"] == "linear")
    assert flatten.output_shape == (flat,) == (first_linear["in_features"],)
    assert rows[-1].output_shape == (classes,)


@pytest.mark.parametrize("arch", [LENET5, ALEXNET, VGG16], ids=["lenet5", "alexnet", "vgg16"])
def test_summary_rows_sum_to_the_parameter_count(arch):
    assert sum(r.parameters for r in architecture_summary(arch)) == parameter_count(arch)


def test_lenet5_per_layer_parameters_by_hand():
    params = [r.parameters for r in architecture_summary(LENET5) if r.parameters]
    assert params == [6 * 25 + 6, 16 * 6 * 25 + 16, 400 * 120 + 120, 120 * 84 + 84, 84 * 10 + 10]


def test_unknown_layer_kind_raises_value_error():
    with pytest.raises(ValueError, match=r"kind \(='conv3d'\) names no layer of VGG-16"):
        receptive_field_after(VGG16, "conv3d")
