"""Conv2d: torch's parameter shapes and init bounds, the functional core, named errors."""

from __future__ import annotations

import numpy as np
import pytest

from cnnbook import conv2d, conv2d_backward, nn


@pytest.mark.parametrize(
    ("args", "kwargs", "shape"),
    [
        ((3, 8, 3), {}, (8, 3, 3, 3)),
        ((4, 6, (2, 5)), {"groups": 2}, (6, 2, 2, 5)),
        ((4, 4, 3), {"groups": 4, "bias": False}, (4, 1, 3, 3)),
    ],
)
def test_weight_has_torch_shape(args, kwargs, shape):
    conv = nn.Conv2d(*args, **kwargs, rng=np.random.default_rng(0))
    assert conv.weight.shape == shape
    assert (conv.bias is None) == (kwargs.get("bias") is False)


def test_initial_values_lie_within_one_over_sqrt_fan_in_and_fill_it():
    conv = nn.Conv2d(4, 64, 3, groups=2, rng=np.random.default_rng(0))
    bound = 1 / np.sqrt(2 * 3 * 3)
    for p in (conv.weight.data, conv.bias.data):
        assert np.abs(p).max() <= bound
    assert np.abs(conv.weight.data).max() > 0.95 * bound  # 1152 uniform draws reach the edge


def test_same_generator_seed_gives_same_weights():
    a = nn.Conv2d(2, 3, 3, rng=np.random.default_rng(5))
    b = nn.Conv2d(2, 3, 3, rng=np.random.default_rng(5))
    np.testing.assert_array_equal(a.weight.data, b.weight.data)
    np.testing.assert_array_equal(a.bias.data, b.bias.data)


@pytest.mark.parametrize(
    "kwargs",
    [{}, {"stride": 2, "padding": 1}, {"dilation": 2, "padding": "same"}, {"groups": 2}],
)
def test_forward_and_backward_are_the_functional_core(kwargs):
    rng = np.random.default_rng(1)
    conv = nn.Conv2d(2, 4, 3, **kwargs, rng=rng, dtype=np.float64)
    x = rng.standard_normal((3, 2, 7, 6))
    y = conv(x)
    core = dict(kwargs)
    np.testing.assert_allclose(y, conv2d(x, conv.weight.data, conv.bias.data, **core), atol=1e-14)
    g = rng.standard_normal(y.shape)
    gx = conv.backward(g)
    ex, ew, eb = conv2d_backward(g, x, conv.weight.data, **core)
    np.testing.assert_allclose(gx, ex, atol=1e-13)
    np.testing.assert_allclose(conv.weight.grad, ew, atol=1e-13)
    np.testing.assert_allclose(conv.bias.grad, eb, atol=1e-13)


def test_float32_layer_keeps_float32():
    conv = nn.Conv2d(1, 2, 3, rng=np.random.default_rng(0))
    y = conv(np.ones((1, 1, 5, 5), dtype=np.float32))
    assert y.dtype == np.float32
    assert conv.backward(np.ones_like(y)).dtype == np.float32
    assert conv.weight.grad.dtype == np.float32


def test_wrong_channel_count_names_the_layer_and_shapes():
    conv = nn.Conv2d(3, 8, 3)
    with pytest.raises(
        ValueError,
        match=r"Conv2d\(3, 8, kernel_size=\(3, 3\), stride=\(1, 1\)\) got input of shape "
        r"\(2, 1, 8, 8\); expected \(N, 3, H, W\)",
    ):
        conv(np.zeros((2, 1, 8, 8), dtype=np.float32))


def test_input_smaller_than_kernel_names_the_layer():
    with pytest.raises(
        ValueError, match=r"Conv2d\(1, 1, kernel_size=\(5, 5\).* got input of shape"
    ):
        nn.Conv2d(1, 1, 5)(np.zeros((1, 1, 3, 3), dtype=np.float32))


def test_input_of_another_dtype_is_refused():
    with pytest.raises(TypeError, match=r"got input of dtype float64; its parameters are float32"):
        nn.Conv2d(1, 1, 3)(np.zeros((1, 1, 3, 3)))


def test_integer_input_is_refused():
    with pytest.raises(TypeError, match="got input of dtype int64"):
        nn.Conv2d(1, 1, 3)(np.zeros((1, 1, 3, 3), dtype=np.int64))


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"groups": 2}, ValueError, r"groups \(=2\) must divide in_channels \(=3\)"),
        ({"kernel_size": 0}, ValueError, r"kernel_size \(=0\) must be positive"),
        ({"stride": 0}, ValueError, r"stride \(=0\) must be positive"),
        ({"padding": -1}, ValueError, r"padding \(=-1\) must be non-negative"),
        ({"padding": "full"}, ValueError, r"padding \(='full'\) must be 'valid', 'same'"),
        ({"padding": "same", "stride": 2}, ValueError, r"padding='same' needs stride 1"),
        ({"dilation": 0}, ValueError, r"dilation \(=0\) must be positive"),
        ({"out_channels": 0}, ValueError, r"out_channels \(=0\) must be positive"),
        ({"in_channels": 2.5}, TypeError, r"in_channels \(=2.5\) must be an int"),
        ({"dtype": np.int32}, TypeError, r"dtype \(=int32\) must be a floating dtype"),
        ({"rng": 0}, TypeError, r"rng \(=0\) must be a numpy.random.Generator or None"),
    ],
)
def test_bad_constructor_argument_is_named(kwargs, error, match):
    args = {"in_channels": 3, "out_channels": 6, "kernel_size": 3, **kwargs}
    with pytest.raises(error, match=match):
        nn.Conv2d(**args)


def test_out_channels_not_divisible_by_groups_is_named():
    with pytest.raises(ValueError, match=r"groups \(=4\) must divide out_channels \(=6\)"):
        nn.Conv2d(4, 6, 3, groups=4)


@pytest.mark.parametrize("flag", ["False", 0, None, 1.0])
def test_bias_must_be_a_real_bool_not_a_truthy_string(flag):
    with pytest.raises(TypeError, match=r"bias \(=.*\) must be a bool"):
        nn.Conv2d(1, 2, 3, bias=flag)


def test_reflect_padding_mode_reads_the_mirrored_border():
    conv = nn.Conv2d(1, 1, (1, 3), padding=(0, 1), padding_mode="reflect", bias=False)
    conv.weight.data[...] = [[[[1.0, 0.0, 0.0]]]]  # output = the left neighbour
    x = np.array([[[[1.0, 2.0, 3.0]]]], dtype=np.float32)
    np.testing.assert_array_equal(conv(x)[0, 0, 0], [2.0, 1.0, 2.0])  # left of 1 is 2
    assert "padding_mode=reflect" in repr(conv)
