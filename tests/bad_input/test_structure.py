"""Bad input to the structure of a network: receptive fields and architectures as data."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cnnbook import (
    LENET5,
    Architecture,
    EmpiricalField,
    LayerSummary,
    ReceptiveField,
    architecture_summary,
    empirical_receptive_field,
    parameter_count,
    receptive_field,
    receptive_field_after,
)
from cnnbook.receptive_field import GEOMETRY_KEYS, LAYER_ONLY_KEYS

CONV3 = {"kernel_size": 3, "padding": 1}
RELU = {"type": "relu"}


def conv(cin: int, cout: int, **more: object) -> dict[str, object]:
    return {"type": "conv", "in_channels": cin, "out_channels": cout, "kernel_size": 3, **more}


def arch(*layers: object, input_shape: object = (1, 8, 8)) -> Architecture:
    return Architecture("test", input_shape, tuple(layers), "bad-input cases")  # type: ignore[arg-type]


CASES = [  # (public dotted name, zero-arg call, exception type, regex the message matches)
    # -- typos and unknown keys -----------------------------------------------------------------
    (
        "cnnbook.receptive_field",
        lambda: receptive_field([{"kernel_size": 3, "strides": 2}]),
        ValueError,
        r"layers\[0\] \(=\{'kernel_size': 3, 'strides': 2\}\) has unknown keys \['strides'\]",
    ),
    (
        "cnnbook.empirical_receptive_field",
        lambda: empirical_receptive_field([{"kernel_size": 3, "pad": 1}], 8),
        ValueError,
        r"layers\[0\] .* has unknown keys \['pad'\]",
    ),
    (
        "cnnbook.Architecture",
        lambda: arch({"type": "conv2d"}),
        ValueError,
        r"layers\[0\]\['type'\] \(='conv2d'\) must be one of \['conv', 'maxpool'",
    ),
    (
        "cnnbook.Architecture",
        lambda: arch(conv(1, 4, strides=2)),
        ValueError,
        r"layers\[0\] .* has unknown keys \['strides'\]; a conv has",
    ),
    # -- things that are not layers ---------------------------------------------------------------
    (
        "cnnbook.receptive_field",
        lambda: receptive_field([None]),
        TypeError,
        r"layers\[0\] \(=None\) must be a mapping with 'kernel_size' or a layer object",
    ),
    (
        "cnnbook.receptive_field",
        lambda: receptive_field([CONV3, "conv"]),
        TypeError,
        r"layers\[1\] \(='conv'\) must be a mapping",
    ),
    (
        "cnnbook.receptive_field",
        lambda: receptive_field([3]),
        TypeError,
        r"layers\[0\] \(=3\) must be a mapping",
    ),
    (
        "cnnbook.receptive_field",
        lambda: receptive_field(None),  # type: ignore[arg-type]
        TypeError,
        r"layers \(=None\) must be a list of layers",
    ),
    (
        "cnnbook.Architecture",
        lambda: arch("relu"),
        TypeError,
        r"layers\[0\] \(='relu'\) must be a mapping with a 'type'",
    ),
    # -- missing keys (never a KeyError) ----------------------------------------------------------
    (
        "cnnbook.receptive_field",
        lambda: receptive_field([{"stride": 2}]),
        ValueError,
        r"layers\[0\] \(=\{'stride': 2\}\) is missing the key 'kernel_size'",
    ),
    (
        "cnnbook.Architecture",
        lambda: arch({"type": "conv", "in_channels": 1, "kernel_size": 3}),
        ValueError,
        r"layers\[0\] .* is missing the keys \['out_channels'\] of a conv",
    ),
    (
        "cnnbook.Architecture",
        lambda: arch({"kernel_size": 3}),
        ValueError,
        r"layers\[0\]\['type'\] \(=None\) must be one of",
    ),
    # -- inconsistent shapes ------------------------------------------------------------------
    (
        "cnnbook.Architecture",
        lambda: arch(conv(3, 4)),
        ValueError,
        r"layers\[0\].in_channels \(=3\) must equal its input's channels \(=1, shape \(1, 8, 8\)\)",
    ),
    (
        "cnnbook.Architecture",
        lambda: arch(
            conv(1, 4),
            {"type": "flatten"},
            {"type": "linear", "in_features": 99, "out_features": 2},
        ),
        ValueError,
        r"layers\[2\].in_features \(=99\) must equal the features of its input \(shape \(144,\)",
    ),
    (
        "cnnbook.Architecture",
        lambda: arch({"type": "flatten"}, conv(64, 4)),
        ValueError,
        r"layers\[1\] is a conv but its input has shape \(64,\)",
    ),
    (
        "cnnbook.Architecture",
        lambda: arch(RELU, input_shape=(1, 8)),
        ValueError,
        r"input_shape \(=\(1, 8\)\) must be \(C, H, W\), three positive ints",
    ),
    # -- bad values inside a layer ----------------------------------------------------------------
    (
        "cnnbook.receptive_field",
        lambda: receptive_field([{"kernel_size": 3, "ceil_mode": "False"}]),
        TypeError,
        r"layers\[0\].ceil_mode \(='False'\) must be a bool",
    ),
    (
        "cnnbook.Architecture",
        lambda: arch(conv(1, 4, bias="False")),
        TypeError,
        r"layers\[0\].bias \(='False'\) must be a bool",
    ),
    (
        "cnnbook.Architecture",
        lambda: arch(conv(1, 0)),
        ValueError,
        r"layers\[0\].out_channels \(=0\) must be positive",
    ),
    (
        "cnnbook.Architecture",
        lambda: arch({"type": "maxpool", "kernel_size": 2, "stride": 0}),
        ValueError,
        r"layers\[0\].stride \(=0\) must be positive",
    ),
    (
        "cnnbook.Architecture",
        lambda: Architecture(None, (1, 8, 8), (RELU,), "s"),  # type: ignore[arg-type]
        TypeError,
        r"name \(=None\) must be a str",
    ),
    # -- the functions that take an architecture --------------------------------------------
    (
        "cnnbook.architecture_summary",
        lambda: architecture_summary(LENET5.layers),  # type: ignore[arg-type]
        TypeError,
        r"arch \(=\(\{'type': 'conv'.*\) must be an Architecture",
    ),
    (
        "cnnbook.parameter_count",
        lambda: parameter_count(None),  # type: ignore[arg-type]
        TypeError,
        r"arch \(=None\) must be an Architecture",
    ),
    (
        "cnnbook.receptive_field_after",
        lambda: receptive_field_after(LENET5, "conv3d"),
        ValueError,
        r"kind \(='conv3d'\) names no layer of LeNet-5",
    ),
    (
        "cnnbook.receptive_field_after",
        lambda: receptive_field_after(LENET5, None),  # type: ignore[arg-type]
        TypeError,
        r"kind \(=None\) must be a layer type",
    ),
    # -- sizes: the measured field -------------------------------------------------------------
    (
        "cnnbook.empirical_receptive_field",
        lambda: empirical_receptive_field([CONV3], 4, unit=5),  # type: ignore[arg-type]
        TypeError,
        r"unit \(=5\) must be a pair \(i, j\) of ints",
    ),
    (
        "cnnbook.empirical_receptive_field",
        lambda: empirical_receptive_field([CONV3], 4, unit=(4, 0)),
        ValueError,
        r"unit \(=\(4, 0\)\) must index the output, of size \(4, 4\)",
    ),
    (
        "cnnbook.empirical_receptive_field",
        lambda: empirical_receptive_field([CONV3], 10**6),
        ValueError,
        r"input_size would need 7450.6 GiB",
    ),
    (
        "cnnbook.empirical_receptive_field",
        lambda: empirical_receptive_field([CONV3], 0),
        ValueError,
        r"input_size \(=0\) must be positive",
    ),
]


@pytest.mark.parametrize(("name", "call", "exc", "match"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_named(name: str, call: object, exc: type, match: str) -> None:
    with pytest.raises(exc, match=match):
        call()  # type: ignore[operator]


def test_result_records_hold_what_they_are_given() -> None:
    """`ReceptiveField`, `EmpiricalField` and `LayerSummary` are the results of the functions
    above (frozen records); what is checked is the input of those functions."""
    rf = receptive_field([CONV3])[0]
    assert isinstance(rf, ReceptiveField) and rf.size == (3, 3)
    field = empirical_receptive_field([CONV3], 5)
    assert isinstance(field, EmpiricalField) and field.size == (3, 3)
    assert isinstance(architecture_summary(LENET5)[0], LayerSummary)


@given(key=st.text(min_size=1).filter(lambda k: k not in GEOMETRY_KEYS + LAYER_ONLY_KEYS))
def test_any_unknown_geometry_key_is_refused(key: str) -> None:
    with pytest.raises(ValueError, match=r"has unknown keys"):
        receptive_field([{"kernel_size": 3, key: 1}])


@given(layer=st.one_of(st.none(), st.integers(), st.floats(), st.text(), st.lists(st.integers())))
def test_no_scalar_string_or_list_counts_as_an_identity_layer(layer: object) -> None:
    with pytest.raises(TypeError, match=r"layers\[0\] .* must be a mapping"):
        receptive_field([layer])


@given(cin=st.integers(1, 64).filter(lambda c: c != 1))
def test_a_conv_whose_in_channels_differ_from_its_input_is_refused(cin: int) -> None:
    with pytest.raises(ValueError, match=rf"in_channels \(={cin}\) must equal"):
        arch(conv(cin, 4))


def test_the_published_architectures_still_build_and_check() -> None:
    assert parameter_count(LENET5) == 61706
    assert np.all([row.parameters >= 0 for row in architecture_summary(LENET5)])
