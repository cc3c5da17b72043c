"""Output sizes equal the shapes PyTorch produces; bad arguments raise naming the rule."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from hypothesis import given
from hypothesis import strategies as st

from cnnbook import (
    conv_output_size,
    pool_output_size,
    same_padding,
    transposed_conv_output_size,
)

sizes = st.integers(1, 12)
kernels = st.integers(1, 6)
steps = st.integers(1, 4)
pads = st.integers(0, 4)


def _torch_size(fn, *args, **kwargs) -> int | None:
    """Output height of a torch op, or None when torch rejects the arguments."""
    try:
        return int(fn(*args, **kwargs).shape[-2])
    except RuntimeError:
        return None


def _ours(fn, *args, **kwargs) -> int | None:
    try:
        return fn(*args, **kwargs)
    except ValueError:
        return None


@pytest.mark.torch
@given(i=sizes, k=kernels, s=steps, p=pads, d=steps)
def test_conv_output_size_equals_torch_conv2d_shape(i, k, s, p, d):
    x, w = torch.zeros(1, 1, i, i), torch.zeros(1, 1, k, k)
    expected = _torch_size(F.conv2d, x, w, stride=s, padding=p, dilation=d)
    assert _ours(conv_output_size, i, k, stride=s, padding=p, dilation=d) == expected


@pytest.mark.torch
@pytest.mark.filterwarnings("ignore:Using padding='same' with even kernel:UserWarning")
@given(i=sizes, k=kernels, d=steps, mode=st.sampled_from(["valid", "same"]))
def test_conv_output_size_with_string_padding_equals_torch(i, k, d, mode):
    x, w = torch.zeros(1, 1, i, i), torch.zeros(1, 1, k, k)
    expected = _torch_size(F.conv2d, x, w, padding=mode, dilation=d)
    assert _ours(conv_output_size, i, k, padding=mode, dilation=d) == expected


@pytest.mark.torch
@given(i=sizes, k=kernels, s=st.none() | steps, p=pads, d=steps, ceil=st.booleans())
def test_pool_output_size_equals_torch_max_pool2d_shape(i, k, s, p, d, ceil):
    x = torch.zeros(1, 1, i, i)
    expected = _torch_size(F.max_pool2d, x, k, stride=s, padding=p, dilation=d, ceil_mode=ceil)
    assert _ours(pool_output_size, i, k, stride=s, padding=p, dilation=d, ceil_mode=ceil) == (
        expected
    )


@pytest.mark.torch
@given(i=sizes, k=kernels, s=st.none() | steps, p=pads, ceil=st.booleans())
def test_pool_output_size_equals_torch_avg_pool2d_shape(i, k, s, p, ceil):
    x = torch.zeros(1, 1, i, i)
    expected = _torch_size(F.avg_pool2d, x, k, stride=s, padding=p, ceil_mode=ceil)
    assert _ours(pool_output_size, i, k, stride=s, padding=p, ceil_mode=ceil) == expected


@pytest.mark.torch
@given(i=sizes, k=kernels, s=steps, p=pads, o=st.integers(0, 3), d=steps)
def test_transposed_conv_output_size_equals_torch_conv_transpose2d(i, k, s, p, o, d):
    x, w = torch.zeros(1, 1, i, i), torch.zeros(1, 1, k, k)
    expected = _torch_size(
        F.conv_transpose2d, x, w, stride=s, padding=p, output_padding=o, dilation=d
    )
    got = _ours(
        transposed_conv_output_size, i, k, stride=s, padding=p, output_padding=o, dilation=d
    )
    assert got == expected


@given(i=sizes, k=kernels, s=steps, d=steps)
def test_convolution_maps_transposed_output_size_back_to_the_input_size(i, k, s, d):
    y = _ours(transposed_conv_output_size, i, k, stride=s, dilation=d)
    if y is not None:
        assert conv_output_size(y, k, stride=s, dilation=d) == i


@pytest.mark.parametrize(("i", "k"), [(28, 5), (5, 5), (7, 1), (32, 3)])
def test_conv_output_size_without_padding_is_input_minus_kernel_plus_one(i, k):
    assert conv_output_size(i, k) == i - k + 1


@pytest.mark.torch
@pytest.mark.filterwarnings("ignore:Using padding='same' with even kernel:UserWarning")
@pytest.mark.parametrize("k", [1, 2, 3, 4, 5])
@pytest.mark.parametrize("d", [1, 2, 3])
def test_same_padding_reproduces_torch_same_convolution(k, d):
    x = torch.arange(81.0).reshape(1, 1, 9, 9)
    w = torch.rand(1, 1, k, k, generator=torch.Generator().manual_seed(k * 10 + d))
    before, after = same_padding(k, d)
    assert before + after == d * (k - 1)
    padded = F.pad(x, (before, after, before, after))
    expected = F.conv2d(x, w, padding="same", dilation=d)
    torch.testing.assert_close(F.conv2d(padded, w, dilation=d), expected)


CONV_BAD = [
    ((0, 3), {}, ValueError, r"input_size \(=0\) must be positive"),
    ((5, 0), {}, ValueError, r"kernel_size \(=0\) must be positive"),
    ((5, 3), {"stride": 0}, ValueError, r"stride \(=0\) must be positive"),
    ((5, 3), {"dilation": -1}, ValueError, r"dilation \(=-1\) must be positive"),
    ((5, 3), {"padding": -1}, ValueError, r"padding \(=-1\) must be non-negative"),
    ((5, 3), {"padding": "full"}, ValueError, r"padding \(='full'\) must be an int, "),
    ((5, 3), {"stride": 2, "padding": "same"}, ValueError, r"requires stride 1 \(got stride=2\)"),
    ((5, 7), {}, ValueError, r"output size .* = -1 must be at least 1"),
    ((5, 3), {"dilation": 3}, ValueError, r"output size .* = -1 must be at least 1"),
    ((5.0, 3), {}, TypeError, r"input_size \(=5.0\) must be an int"),
    ((5, True), {}, TypeError, r"kernel_size \(=True\) must be an int"),
]


@pytest.mark.parametrize(("args", "kwargs", "error", "match"), CONV_BAD)
def test_conv_output_size_rejects_bad_arguments(args, kwargs, error, match):
    with pytest.raises(error, match=match):
        conv_output_size(*args, **kwargs)


POOL_BAD = [
    ((8, 3), {"padding": 2}, ValueError, r"padding \(=2\) must be at most half the kernel size"),
    ((8, 3), {"stride": 0}, ValueError, r"stride \(=0\) must be positive"),
    ((8, 2), {"padding": -1}, ValueError, r"padding \(=-1\) must be non-negative"),
    ((3, 4), {}, ValueError, r"output size floor.* = 0 must be at least 1"),
    ((8, 2), {"stride": 1.5}, TypeError, r"stride \(=1.5\) must be an int"),
]


@pytest.mark.parametrize(("args", "kwargs", "error", "match"), POOL_BAD)
def test_pool_output_size_rejects_bad_arguments(args, kwargs, error, match):
    with pytest.raises(error, match=match):
        pool_output_size(*args, **kwargs)


def test_pool_output_size_padding_error_states_the_limit():
    with pytest.raises(ValueError, match=r"\(kernel_size=3, so padding <= 1\)"):
        pool_output_size(8, 3, padding=2)


TRANSPOSED_BAD = [
    ({"output_padding": 1}, r"output_padding \(=1\) must be smaller than stride \(=1\) or"),
    ({"padding": 5}, r"output size \(I - 1\)s .* must be at least 1"),
    ({"output_padding": -1}, r"output_padding \(=-1\) must be non-negative"),
]


@pytest.mark.parametrize(("kwargs", "match"), TRANSPOSED_BAD)
def test_transposed_conv_output_size_rejects_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        transposed_conv_output_size(3, 3, **kwargs)


@pytest.mark.parametrize(("k", "d"), [(0, 1), (3, 0)])
def test_same_padding_rejects_non_positive_sizes(k, d):
    with pytest.raises(ValueError, match="must be positive"):
        same_padding(k, d)
