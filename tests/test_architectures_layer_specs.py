"""One layer as data: its keys checked, its parameters and output shape as PyTorch's layer."""

from __future__ import annotations

import pytest

from cnnbook.architectures import summary
from cnnbook.architectures.layer_specs import (
    LAYER_KEYS,
    check_layer,
    layer_output_shape,
    layer_parameters,
)
from cnnbook.output_size import conv_output_size


def conv(cin: int, cout: int, k: int = 3, **more: object) -> dict[str, object]:
    return {"type": "conv", "in_channels": cin, "out_channels": cout, "kernel_size": k, **more}


def test_every_layer_type_takes_its_required_keys_alone() -> None:
    for kind, (required, _) in LAYER_KEYS.items():
        layer = {"type": kind, **dict.fromkeys(required, 2)}
        assert check_layer(layer) == kind


def test_a_layer_on_its_own_is_named_layer_and_in_an_architecture_by_position() -> None:
    with pytest.raises(ValueError, match=r"^layer \(=.*\) has unknown keys \['strides'\]"):
        check_layer(conv(1, 4, strides=2))
    with pytest.raises(ValueError, match=r"^layers\[5\]\['type'\] \(='conv2d'\) must be one of"):
        check_layer({"type": "conv2d"}, index=5)
    with pytest.raises(TypeError, match=r"^layer \(='relu'\) must be a mapping"):
        check_layer("relu")


def test_the_shape_and_parameter_functions_check_the_layer_first() -> None:
    with pytest.raises(ValueError, match="missing the keys"):
        layer_parameters({"type": "linear", "in_features": 4})
    with pytest.raises(ValueError, match="missing the keys"):
        layer_output_shape({"type": "conv", "kernel_size": 3}, (1, 8, 8))


@pytest.mark.parametrize(
    ("layer", "count"),
    [
        (conv(3, 64), 3 * 64 * 9 + 64),  # weights (out, in, 3, 3) and a bias per output
        (conv(4, 8, bias=False, groups=2), 8 * 2 * 9),  # each output sees in/groups channels
        ({"type": "batchnorm", "num_features": 16}, 2 * 16),  # weight and bias per channel
        ({"type": "linear", "in_features": 400, "out_features": 120}, 400 * 120 + 120),
        ({"type": "maxpool", "kernel_size": 2}, 0),
        # ResNet's block without a projection: two 3x3 convs (no bias) and two batch norms.
        ({"type": "basic_block", "inplanes": 64, "planes": 64}, 2 * 64 * 64 * 9 + 4 * 64),
    ],
)
def test_parameters_are_those_of_the_torch_layer(layer: dict[str, object], count: int) -> None:
    assert layer_parameters(layer) == count


def test_a_block_that_changes_shape_adds_a_projection_and_its_batch_norm() -> None:
    plain = 64 * 128 * 9 + 128 * 128 * 9 + 4 * 128
    projection = 64 * 128 + 2 * 128
    layer = {"type": "basic_block", "inplanes": 64, "planes": 128, "stride": 2}
    assert layer_parameters(layer) == plain + projection


@pytest.mark.parametrize(
    ("layer", "shape", "out"),
    [
        (
            conv(3, 8, 5, stride=2, padding=1),
            (3, 32, 32),
            (8, *[conv_output_size(32, 5, 2, 1)] * 2),
        ),
        (
            {"type": "maxpool", "kernel_size": 3, "stride": 2, "ceil_mode": True},
            (4, 8, 8),
            (4, 4, 4),
        ),
        ({"type": "avgpool", "kernel_size": 2}, (6, 28, 28), (6, 14, 14)),  # stride = kernel
        ({"type": "adaptive_avgpool", "output_size": 1}, (512, 7, 7), (512, 1, 1)),
        ({"type": "flatten"}, (16, 5, 5), (400,)),
        ({"type": "linear", "in_features": 400, "out_features": 10}, (400,), (10,)),
        (
            {"type": "basic_block", "inplanes": 64, "planes": 128, "stride": 2},
            (64, 7, 7),
            (128, 4, 4),
        ),
        ({"type": "relu"}, (3, 2, 2), (3, 2, 2)),
    ],
)
def test_output_shapes_follow_the_size_formulas(
    layer: dict[str, object], shape: tuple[int, ...], out: tuple[int, ...]
) -> None:
    assert layer_output_shape(layer, shape) == out


def test_a_layer_that_does_not_fit_its_input_is_refused_naming_both() -> None:
    with pytest.raises(ValueError, match=r"^layer\.in_channels \(=3\) must equal its input's"):
        layer_output_shape(conv(3, 4), (1, 8, 8))
    with pytest.raises(ValueError, match=r"^layers\[2\] is a conv but its input has shape \(9,\)"):
        layer_output_shape(conv(1, 4), (9,), index=2)


def test_the_summary_module_still_exports_the_layer_vocabulary() -> None:
    assert summary.LAYER_KEYS is LAYER_KEYS
