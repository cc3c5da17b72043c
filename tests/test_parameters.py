"""Parameter counts equal torch's layers; locality and weight sharing are two separate savings."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from cnnbook import (
    ConnectivitySavings,
    connectivity_savings,
    conv2d,
    conv2d_parameter_count,
    linear_parameter_count,
    locally_connected_parameter_count,
)


def _numel(module: torch.nn.Module) -> int:
    return sum(p.numel() for p in module.parameters())


@pytest.mark.parametrize(("k1", "k2"), [(1, 1), (3, 3), (3, 5), (7, 2)])
def test_one_filter_on_one_channel_has_k1_times_k2_plus_one_parameters(k1, k2):
    assert conv2d_parameter_count(1, 1, (k1, k2)) == k1 * k2 + 1


@pytest.mark.torch
@given(
    groups=st.integers(1, 4),
    in_per_group=st.integers(1, 4),
    out_per_group=st.integers(1, 4),
    kernel=st.integers(1, 5) | st.tuples(st.integers(1, 5), st.integers(1, 5)),
    bias=st.booleans(),
)
def test_conv2d_parameter_count_equals_torch_conv2d(
    groups, in_per_group, out_per_group, kernel, bias
):
    c_in, c_out = groups * in_per_group, groups * out_per_group
    layer = torch.nn.Conv2d(c_in, c_out, kernel, bias=bias, groups=groups)
    assert conv2d_parameter_count(c_in, c_out, kernel, bias=bias, groups=groups) == _numel(layer)


@pytest.mark.torch
@given(n_in=st.integers(1, 300), n_out=st.integers(1, 300), bias=st.booleans())
def test_linear_parameter_count_equals_torch_linear(n_in, n_out, bias):
    assert linear_parameter_count(n_in, n_out, bias=bias) == _numel(
        torch.nn.Linear(n_in, n_out, bias=bias)
    )


@pytest.mark.torch
@pytest.mark.parametrize(
    ("c_in", "c_out", "size", "kernel", "kwargs"),
    [
        (1, 1, 28, 5, {}),
        (3, 8, (10, 12), 3, {"stride": 2, "padding": 1}),
        (4, 6, 9, (3, 2), {"dilation": 2, "groups": 2}),
        (2, 4, 7, 3, {"padding": "same", "bias": False}),
        (2, 2, (6, 5), 2, {"padding": "valid"}),
    ],
)
def test_connectivity_savings_match_torch_conv_linear_and_unfold(c_in, c_out, size, kernel, kwargs):
    s = connectivity_savings(c_in, c_out, size, kernel, **kwargs)
    bias = kwargs.get("bias", True)
    conv_kwargs = {key: v for key, v in kwargs.items() if key != "bias"}
    conv = torch.nn.Conv2d(c_in, c_out, kernel, bias=bias, **conv_kwargs)
    h, w = (size, size) if isinstance(size, int) else size
    x = torch.zeros(1, c_in, h, w)
    out_shape = tuple(conv(x).shape[1:])
    dense = torch.nn.Linear(x.numel(), int(torch.tensor(out_shape).prod()), bias=bias)
    assert s.input_shape == (c_in, h, w)
    assert s.output_shape == out_shape
    assert s.conv_parameters == _numel(conv)
    assert s.dense_parameters == _numel(dense)
    # A locally connected layer: one weight row per window that torch's unfold extracts,
    # per output channel, each row with its own bias.
    unfold_kwargs = {k: v for k, v in conv_kwargs.items() if k in ("stride", "dilation")}
    pad = conv_kwargs.get("padding", 0)
    if isinstance(pad, str):  # "valid" is 0; "same" (stride 1) pads the dilated span
        kh, kw = (kernel, kernel) if isinstance(kernel, int) else kernel
        pad = 0 if pad == "valid" else ((kh - 1) // 2, (kw - 1) // 2)
    cols = torch.nn.functional.unfold(x, kernel, padding=pad, **unfold_kwargs)
    per_unit = cols.shape[1] // kwargs.get("groups", 1) + (1 if bias else 0)
    assert s.locally_connected_parameters == c_out * cols.shape[2] * per_unit
    assert s.total_factor == _numel(dense) / _numel(conv)


def test_connectivity_savings_record_is_frozen():
    s = connectivity_savings(1, 1, 8, 3)
    assert isinstance(s, ConnectivitySavings)
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.total_factor = 1.0  # type: ignore[misc]


def test_locality_and_sharing_are_two_savings_whose_product_is_dense_over_conv():
    # LeNet-5's first layer: six 5x5 filters on a 28x28 grey image, no padding.
    s = connectivity_savings(1, 6, 28, 5)
    positions = 24 * 24
    assert s.dense_parameters == (28 * 28 + 1) * 6 * positions
    assert s.locally_connected_parameters == 6 * positions * (5 * 5 + 1) == 89_856
    assert s.conv_parameters == 6 * (5 * 5 + 1) == 156
    assert s.sharing_factor == positions == 576
    assert round(s.total_factor) == 17_391
    assert s.locality_factor * s.sharing_factor == pytest.approx(s.total_factor, rel=1e-12)
    assert s.locality_factor < s.total_factor / 100  # locality alone is far from the total


@given(size=st.integers(5, 12), k=st.integers(1, 4), c_out=st.integers(1, 3), bias=st.booleans())
def test_locally_connected_count_is_the_convolutions_connections_plus_a_bias_per_unit(
    size, k, c_out, bias
):
    # The convolution's Jacobian (one-hot images in, outputs out) has one non-zero entry
    # per connection; untying the weights gives every connection a parameter of its own.
    rng = np.random.default_rng(size * 10 + k)
    w = rng.uniform(1.0, 2.0, (c_out, 1, k, k))  # no zero weight: every connection shows
    one_hot = np.eye(size * size).reshape(-1, 1, size, size)
    jacobian = conv2d(one_hot, w).reshape(size * size, -1)
    units = jacobian.shape[1]
    expected = np.count_nonzero(jacobian) + (units if bias else 0)
    out = size - k + 1
    assert locally_connected_parameter_count(1, c_out, k, out, bias=bias) == expected


@given(size=st.integers(5, 30), k=st.integers(1, 5))
def test_sharing_factor_is_the_number_of_output_positions(size, k):
    s = connectivity_savings(2, 3, size, k)
    assert s.sharing_factor == (size - k + 1) ** 2


@given(size=st.integers(5, 40))
def test_conv_parameters_do_not_depend_on_the_image_size(size):
    s = connectivity_savings(3, 4, size, 3)
    assert s.conv_parameters == connectivity_savings(3, 4, 5, 3).conv_parameters
    assert s.dense_parameters == (3 * size * size + 1) * 4 * (size - 2) ** 2


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "match"),
    [
        ((3, 4, 3), {"groups": 2}, ValueError, r"groups \(=2\) must divide in_channels \(=3\)"),
        ((4, 3, 3), {"groups": 2}, ValueError, r"groups \(=2\) must divide out_channels \(=3\)"),
        ((0, 4, 3), {}, ValueError, r"in_channels \(=0\) must be positive"),
        ((2, 4, (3, 0)), {}, ValueError, r"kernel_size \(=\(3, 0\)\) must be positive"),
        ((2, 4, 3.0), {}, TypeError, r"kernel_size \(=3.0\) must be an int or a pair of ints"),
        ((2, 4, 3), {"groups": 0}, ValueError, r"groups \(=0\) must be positive"),
        ((2.5, 4, 3), {}, TypeError, r"in_channels \(=2.5\) must be an int"),
    ],
)
def test_conv2d_parameter_count_rejects_bad_arguments(args, kwargs, error, match):
    with pytest.raises(error, match=match):
        conv2d_parameter_count(*args, **kwargs)


@pytest.mark.parametrize(
    ("args", "error", "match"),
    [
        ((0, 3), ValueError, r"in_features \(=0\) must be positive"),
        ((3, -1), ValueError, r"out_features \(=-1\) must be positive"),
        ((3, "4"), TypeError, r"out_features \(='4'\) must be an int"),
    ],
)
def test_linear_parameter_count_rejects_bad_arguments(args, error, match):
    with pytest.raises(error, match=match):
        linear_parameter_count(*args)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"input_size": 2, "kernel_size": 3}, r"output size .* must be at least 1"),
        ({"input_size": 8, "kernel_size": 3, "stride": 2, "padding": "same"}, r"stride 1"),
        ({"input_size": (8, 0), "kernel_size": 3}, r"input_size \(=\(8, 0\)\) must be positive"),
        ({"input_size": 8, "kernel_size": 3, "padding": -1}, r"padding \(=-1\) must be non-"),
    ],
)
def test_connectivity_savings_rejects_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        connectivity_savings(1, 1, **kwargs)
