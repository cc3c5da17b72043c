"""MaxPool2d and AvgPool2d layers: hand-checkable values, the functional core, named errors."""

from __future__ import annotations

import numpy as np
import pytest

from cnnbook import avg_pool2d_backward, max_pool2d_backward, nn


def test_max_pool_sends_the_gradient_to_each_window_maximum():
    x = np.array([[[[1.0, 5.0, 2.0, 0.0], [3.0, 4.0, 8.0, 1.0]]]])
    pool = nn.MaxPool2d(2)
    np.testing.assert_array_equal(pool(x), [[[[5.0, 8.0]]]])
    np.testing.assert_array_equal(
        pool.backward(np.array([[[[10.0, 20.0]]]])),
        [[[[0.0, 10.0, 0.0, 0.0], [0.0, 0.0, 20.0, 0.0]]]],
    )


@pytest.mark.parametrize(
    "kwargs",
    [
        {"kernel_size": 3, "stride": 2, "padding": 1},
        {"kernel_size": 2, "dilation": 2},
        {"kernel_size": 3, "stride": 2, "ceil_mode": True},
    ],
)
@pytest.mark.parametrize("training", [True, False])
def test_max_pool_backward_equals_the_recomputing_core_in_both_modes(kwargs, training):
    x = np.random.default_rng(0).standard_normal((2, 3, 9, 8))
    pool = nn.MaxPool2d(**kwargs).train(training)
    y = pool(x)
    g = np.random.default_rng(1).standard_normal(y.shape)
    np.testing.assert_array_equal(pool.backward(g), max_pool2d_backward(g, x, **kwargs))


def test_avg_pool_averages_and_spreads_evenly():
    x = np.arange(8.0).reshape(1, 1, 2, 4)
    pool = nn.AvgPool2d(2)
    np.testing.assert_array_equal(pool(x), [[[[2.5, 4.5]]]])
    np.testing.assert_array_equal(
        pool.backward(np.array([[[[4.0, 8.0]]]])),
        [[[[1.0, 1.0, 2.0, 2.0], [1.0, 1.0, 2.0, 2.0]]]],
    )


@pytest.mark.parametrize(
    "kwargs",
    [
        {"kernel_size": 3, "stride": 2, "padding": 1, "count_include_pad": False},
        {"kernel_size": 3, "ceil_mode": True},
        {"kernel_size": 2, "divisor_override": 3},
    ],
)
def test_avg_pool_backward_is_the_core(kwargs):
    x = np.random.default_rng(0).standard_normal((2, 2, 7, 7))
    pool = nn.AvgPool2d(**kwargs)
    y = pool(x)
    g = np.random.default_rng(1).standard_normal(y.shape)
    np.testing.assert_array_equal(pool.backward(g), avg_pool2d_backward(g, x, **kwargs))


def test_stride_defaults_to_kernel_size_like_torch():
    assert nn.MaxPool2d(3).stride == 3 and nn.AvgPool2d((2, 3)).stride == (2, 3)


def test_pooling_keeps_float32():
    x = np.ones((1, 1, 4, 4), dtype=np.float32)
    for pool in (nn.MaxPool2d(2), nn.AvgPool2d(2)):
        y = pool(x)
        assert y.dtype == np.float32 and pool.backward(np.ones_like(y)).dtype == np.float32


def test_window_larger_than_input_names_the_layer_and_shape():
    with pytest.raises(
        ValueError,
        match=r"MaxPool2d\(kernel_size=4, stride=4, .*\) got input of shape \(1, 1, 3, 3\)",
    ):
        nn.MaxPool2d(4)(np.zeros((1, 1, 3, 3)))


def test_wrong_ndim_names_the_layer():
    with pytest.raises(ValueError, match=r"AvgPool2d\(kernel_size=2.*got input of shape \(4, 4\)"):
        nn.AvgPool2d(2)(np.zeros((4, 4)))


@pytest.mark.parametrize(
    ("layer", "kwargs", "match"),
    [
        (nn.MaxPool2d, {"kernel_size": 0}, r"kernel_size \(=0\) must be positive"),
        (nn.MaxPool2d, {"kernel_size": 2, "padding": 2}, r"padding \(=2\) must be at most half"),
        (nn.MaxPool2d, {"kernel_size": 2, "stride": -1}, r"stride \(=-1\) must be positive"),
        (nn.AvgPool2d, {"kernel_size": 3, "padding": -1}, r"padding \(=-1\) must be non-negative"),
        (nn.AvgPool2d, {"kernel_size": 2, "divisor_override": 0}, r"divisor_override \(=0\)"),
    ],
)
def test_bad_constructor_argument_is_named_at_construction(layer, kwargs, match):
    with pytest.raises(ValueError, match=match):
        layer(**kwargs)


def test_adaptive_avg_pool_layer_is_the_functional_core():
    from cnnbook import adaptive_avg_pool2d, adaptive_avg_pool2d_backward

    x = np.random.default_rng(0).standard_normal((2, 3, 7, 6))
    pool = nn.AdaptiveAvgPool2d((3, 4))
    np.testing.assert_array_equal(pool(x), adaptive_avg_pool2d(x, (3, 4)))
    g = np.random.default_rng(1).standard_normal((2, 3, 3, 4))
    np.testing.assert_array_equal(pool.backward(g), adaptive_avg_pool2d_backward(g, x, (3, 4)))
    assert repr(pool) == "AdaptiveAvgPool2d(output_size=(3, 4))"


def test_pooling_flags_must_be_bools_not_strings():
    with pytest.raises(TypeError, match=r"ceil_mode \(='False'\) must be a bool"):
        nn.MaxPool2d(2, ceil_mode="False")
    with pytest.raises(TypeError, match=r"count_include_pad \(='False'\) must be a bool"):
        nn.AvgPool2d(2, count_include_pad="False")
