"""Receptive fields: hand-derived values, the formula equals the gradient's support, errors."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from cnnbook import ReceptiveField, empirical_receptive_field, receptive_field

CONV3 = {"kernel_size": 3, "stride": 1, "padding": 1, "dilation": 1}
POOL2 = {"kernel_size": 2, "stride": 2, "padding": 0, "dilation": 1}


def test_single_layer_field_is_the_dilated_kernel_span():
    # one layer sees d(k-1)+1 cells; its first unit is centred on the middle of that span
    rf = receptive_field([{"kernel_size": (3, 4), "dilation": (2, 1), "stride": (1, 3)}])[0]
    assert rf == ReceptiveField(size=(5, 4), jump=(1, 3), start=(2.0, 1.5))


def test_stacked_3x3_convs_grow_the_field_by_two_each():
    sizes = [rf.size for rf in receptive_field([CONV3] * 4)]
    assert sizes == [(3, 3), (5, 5), (7, 7), (9, 9)]


def test_padding_moves_the_first_centre_onto_the_first_input_cell():
    # "same" 3x3 convolutions keep unit u centred on input cell u
    assert all(rf.start == (0.0, 0.0) for rf in receptive_field([CONV3, CONV3]))
    assert receptive_field([{"kernel_size": 5, "padding": "same"}])[0].start == (0.0, 0.0)


def test_stride_multiplies_the_jump_and_pooling_stride_defaults_to_kernel():
    rf = receptive_field([{"kernel_size": 3, "stride": 2}, {"kernel_size": 2, "stride": None}])
    assert [r.jump for r in rf] == [(2, 2), (4, 4)]
    assert rf[-1].size == (3 + 1 * 2, 3 + 1 * 2)


def test_layers_without_kernel_size_pass_the_field_through():
    relu = SimpleNamespace()
    conv = SimpleNamespace(kernel_size=(3, 3), stride=(2, 2), padding=(1, 1), dilation=(1, 1))
    rf = receptive_field([conv, relu, conv])
    assert rf[1] == rf[0] and rf[2].size == (7, 7)


def test_bounds_of_a_unit_are_its_centre_plus_minus_half_the_size():
    rf = receptive_field([CONV3, POOL2, CONV3, POOL2])[-1]  # size 10, jump 4, start 1.5
    assert (rf.size, rf.jump, rf.start) == ((10, 10), (4, 4), (1.5, 1.5))
    assert rf.bounds(2, 0) == ((5, 14), (-3, 6))


@st.composite
def stacks(draw):
    layers = []
    for _ in range(draw(st.integers(1, 3))):
        k = draw(st.integers(1, 4))
        layers.append(
            {
                "kernel_size": k,
                "stride": draw(st.integers(1, 2)),
                "padding": draw(st.integers(0, k // 2)),
                "dilation": draw(st.integers(1, 2)),
            }
        )
    return layers


@given(stacks())
def test_formula_equals_the_measured_field_of_an_interior_unit(layers):
    rf = receptive_field(layers)[-1]
    h = 2 * rf.size[0] + 4 * rf.jump[0] + 4
    # the unit whose formula field starts just inside the input
    u = max(0, int(np.ceil(((rf.size[0] - 1) / 2 - rf.start[0]) / rf.jump[0])))
    (top, bottom), _ = rf.bounds(u, u)
    assume(top >= 0 and bottom < h)
    field = empirical_receptive_field(layers, h, unit=(u, u))
    assert field.size == rf.size
    assert (field.rows, field.cols) == rf.bounds(u, u)


def test_measured_field_of_a_dilated_layer_has_holes():
    field = empirical_receptive_field([{"kernel_size": 3, "dilation": 2}], 7, unit=(0, 0))
    assert field.size == (5, 5)
    np.testing.assert_array_equal(field.mask[:5, 0], [True, False, True, False, True])


def test_measured_field_is_clipped_at_the_border():
    field = empirical_receptive_field([CONV3, CONV3], 6, unit=(0, 0))
    assert field.rows == (0, 2) and field.size == (3, 3)  # formula: rows -2..2


@pytest.mark.parametrize(
    ("layers", "match"),
    [
        (
            [CONV3, {"stride": 2}],
            r"layers\[1\] \(=\{'stride': 2\}\) is missing the key 'kernel_size'",
        ),
        ([{"kernel_size": 0}], r"layers\[0\].kernel_size \(=0\) must be positive"),
        ([{"kernel_size": 3, "stride": 0}], r"layers\[0\].stride \(=0\) must be positive"),
        ([{"kernel_size": 3, "padding": -1}], r"layers\[0\].padding \(=-1\) must be non-negative"),
        ([{"kernel_size": 3, "dilation": 0}], r"layers\[0\].dilation \(=0\) must be positive"),
        ([{"kernel_size": 3, "padding": "full"}], r"layers\[0\].padding \(='full'\) must be"),
    ],
)
def test_bad_layers_raise_value_error_naming_layer_argument_and_rule(layers, match):
    with pytest.raises(ValueError, match=match):
        receptive_field(layers)


def test_unit_outside_the_output_raises_value_error():
    with pytest.raises(
        ValueError, match=r"unit \(=\(4, 0\)\) must index the output, of size \(4, 4\)"
    ):
        empirical_receptive_field([CONV3], 4, unit=(4, 0))


def test_architecture_layers_pass_as_they_are_and_pooling_strides_by_its_kernel():
    from cnnbook import VGG16, architecture_summary

    spatial = [layer for layer in VGG16.layers if layer["type"] in ("conv", "maxpool")]
    sizes = [rf.size for rf in receptive_field(spatial)]
    rows = [r.receptive_field for r in architecture_summary(VGG16) if r.type in ("conv", "maxpool")]
    assert sizes == rows
    pool = {"type": "maxpool", "kernel_size": 2}  # no stride: torch's default is the kernel
    assert receptive_field([pool])[0].jump == (2, 2)
    assert receptive_field([{"kernel_size": 2}])[0].jump == (1, 1)  # a bare mapping: stride 1
