"""conv2d and its three gradients equal torch.nn.functional.conv2d + autograd (float64, 1e-10)."""

from __future__ import annotations

import itertools
import warnings

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from cnnbook import conv2d, conv2d_backward, conv2d_backward_from_cache, conv2d_forward
from tests.crosscheck.harness import crosscheck

pytestmark = pytest.mark.torch


def _backward(grad_output, x, weight, bias, **kw):
    grad_x, grad_weight, grad_bias = conv2d_backward(grad_output, x, weight, **kw)
    return {"x": grad_x, "weight": grad_weight, "bias": grad_bias}


def _inputs(rng, n, c, h, w, out, k, groups, bias):
    kh, kw = (k, k) if isinstance(k, int) else k
    return {
        "x": rng.normal(size=(n, c, h, w)),
        "weight": rng.normal(size=(out, c // groups, kh, kw)),
        "bias": rng.normal(size=out) if bias else None,
    }


GEOMETRY = list(
    itertools.product(
        [1, 2, (2, 1)],  # stride
        [0, 1, (2, 0), "valid"],  # padding
        [1, 2, (1, 3)],  # dilation
    )
)


@pytest.mark.parametrize(("stride", "padding", "dilation"), GEOMETRY)
def test_forward_and_gradients_match_torch_over_stride_padding_dilation(stride, padding, dilation):
    rng = np.random.default_rng(len(str((stride, padding, dilation))))
    inputs = _inputs(rng, 2, 3, 11, 12, 4, (3, 2), 1, bias=True)
    kw = {"stride": stride, "padding": padding, "dilation": dilation}
    crosscheck(conv2d, F.conv2d, inputs, kwargs=kw, numpy_backward=_backward)


@pytest.mark.parametrize("k", [1, 2, 3, (2, 5), (4, 1)])
@pytest.mark.parametrize("dilation", [1, 2, (2, 1)])
def test_same_padding_matches_torch_for_odd_and_even_kernels(k, dilation):
    # Even d*(k-1) pads symmetrically; odd puts the extra pixel at the bottom/right.
    rng = np.random.default_rng(7)
    inputs = _inputs(rng, 2, 2, 9, 8, 3, k, 1, bias=False)
    kw = {"padding": "same", "dilation": dilation}
    with warnings.catch_warnings():  # torch warns that it pads an extra copy for even kernels
        warnings.simplefilter("ignore", UserWarning)
        crosscheck(conv2d, F.conv2d, inputs, kwargs=kw, numpy_backward=_backward)


@pytest.mark.parametrize(("c", "out", "groups"), [(4, 6, 2), (6, 6, 6), (6, 3, 3), (4, 8, 4)])
@pytest.mark.parametrize("stride", [1, 2])
def test_grouped_and_depthwise_conv_match_torch(c, out, groups, stride):
    rng = np.random.default_rng(c * out + groups)
    inputs = _inputs(rng, 3, c, 7, 10, out, 3, groups, bias=True)
    kw = {"stride": stride, "padding": 1, "groups": groups}
    crosscheck(conv2d, F.conv2d, inputs, kwargs=kw, numpy_backward=_backward)


@pytest.mark.parametrize(
    ("n", "c", "h", "w", "k"),
    [(1, 1, 1, 1, 1), (5, 1, 3, 17, 3), (1, 3, 16, 5, (5, 2)), (4, 2, 6, 6, 6), (2, 5, 2, 9, 2)],
)
def test_batch_and_odd_non_square_sizes_match_torch(n, c, h, w, k):
    rng = np.random.default_rng(n + c + h + w)
    inputs = _inputs(rng, n, c, h, w, 3, k, 1, bias=True)
    crosscheck(conv2d, F.conv2d, inputs, numpy_backward=_backward)


def test_unbatched_input_matches_torch():
    rng = np.random.default_rng(3)
    inputs = _inputs(rng, 1, 2, 6, 7, 3, 3, 1, bias=True)
    inputs["x"] = inputs["x"][0]
    crosscheck(conv2d, F.conv2d, inputs, kwargs={"padding": 1}, numpy_backward=_backward)


def test_cached_pair_matches_torch_and_skips_grad_x_on_request():
    rng = np.random.default_rng(4)
    inp = _inputs(rng, 2, 4, 8, 9, 6, 3, 2, bias=True)
    kw = {"stride": (1, 2), "padding": (1, 2), "dilation": (2, 1), "groups": 2}

    def backward(grad_output, x, weight, bias, **kw):
        _, cache = conv2d_forward(x, weight, bias, **kw)
        _, gw0, gb0 = conv2d_backward_from_cache(grad_output, cache, need_grad_x=False)
        gx, gw, gb = conv2d_backward_from_cache(grad_output, cache)
        np.testing.assert_array_equal(gw0, gw)
        np.testing.assert_array_equal(gb0, gb)
        return {"x": gx, "weight": gw, "bias": gb}

    def forward(x, weight, bias, **kw):
        return conv2d_forward(x, weight, bias, **kw)[0]

    crosscheck(forward, F.conv2d, inp, kwargs=kw, numpy_backward=backward)


@pytest.mark.parametrize("stride", [1, 2])
def test_float32_stays_float32_and_matches_torch(stride):
    rng = np.random.default_rng(5)
    x = rng.normal(size=(2, 3, 10, 10)).astype(np.float32)
    w = rng.normal(size=(4, 3, 3, 3)).astype(np.float32)
    b = rng.normal(size=4).astype(np.float32)
    y = conv2d(x, w, b, stride=stride, padding=1)
    expected = F.conv2d(torch.from_numpy(x), torch.from_numpy(w), torch.from_numpy(b), stride, 1)
    assert y.dtype == np.float32
    np.testing.assert_allclose(y, expected.numpy(), rtol=1e-5, atol=1e-5)
    grads = conv2d_backward(np.ones_like(y), x, w, stride=stride, padding=1)
    assert all(g.dtype == np.float32 for g in grads)


NON_FINITE_GEOMETRY = [
    {},
    {"padding": 1},
    {"stride": 2, "padding": (0, 1)},
    {"dilation": 2, "padding": 2},
    {"stride": (1, 2), "padding": (2, 0), "dilation": (1, 2)},
    {"padding": 1, "groups": 2},
]
# Corners, borders and the interior of a (2, 4, 7, 8) input / (6, 4 // g, 3, 3) weight.
X_POSITIONS = [(0, 0, 0, 0), (1, 3, 6, 7), (0, 2, 3, 0), (1, 1, 0, 5), (0, 1, 4, 4)]
W_POSITIONS = [(0, 0, 0, 0), (5, 1, 2, 2), (2, 1, 0, 2), (3, 0, 1, 1)]


@pytest.mark.parametrize("kw", NON_FINITE_GEOMETRY, ids=str)
@pytest.mark.parametrize("value", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("where", ["x", "weight"])
def test_nan_and_inf_reach_exactly_the_outputs_and_gradients_torch_gives_them(kw, value, where):
    # The harness compares with assert_allclose, where NaN equals only NaN and inf only
    # inf of the same sign: every non-finite entry must sit where torch puts it.
    rng = np.random.default_rng(3)
    groups = kw.get("groups", 1)
    for pos in X_POSITIONS if where == "x" else W_POSITIONS:
        inputs = _inputs(rng, 2, 4, 7, 8, 6, 3, groups, bias=True)
        inputs[where][pos] = value
        with np.errstate(invalid="ignore", over="ignore"):
            crosscheck(conv2d, F.conv2d, inputs, kwargs=kw, numpy_backward=_backward)


@pytest.mark.parametrize("value", [np.nan, np.inf])
def test_nan_and_inf_in_the_cached_pair_and_the_layer_match_torch(value):
    from cnnbook import nn

    rng = np.random.default_rng(4)
    x = rng.normal(size=(2, 3, 6, 9))
    x[0, 1, 0, 8] = value
    layer = nn.Conv2d(3, 4, 3, padding=1, dtype=np.float64, rng=rng)
    layer.weight.data[1, 2, 0, 0] = value
    ref = torch.nn.Conv2d(3, 4, 3, padding=1, dtype=torch.float64)
    with torch.no_grad():
        ref.weight.copy_(torch.tensor(layer.weight.data))
        ref.bias.copy_(torch.tensor(layer.bias.data))
    xt = torch.tensor(x, requires_grad=True)
    yt = ref(xt)
    g = rng.normal(size=tuple(yt.shape))
    yt.backward(torch.tensor(g))
    with np.errstate(invalid="ignore", over="ignore"):
        y = layer(x)
        gx = layer.backward(g)
    np.testing.assert_allclose(y, yt.detach().numpy(), atol=1e-10)
    np.testing.assert_allclose(gx, xt.grad.numpy(), atol=1e-10)
    np.testing.assert_allclose(layer.weight.grad, ref.weight.grad.numpy(), atol=1e-10)
    np.testing.assert_allclose(layer.bias.grad, ref.bias.grad.numpy(), atol=1e-10)
    assert np.isnan(layer.weight.grad).any() or np.isinf(layer.weight.grad).any()


def test_a_kernel_nearly_as_large_as_the_image_matches_torch_in_bounded_memory():
    # 60x60 kernel on a 61x64 image: 2x5 outputs. Compact columns (not 64-wide rows).
    rng = np.random.default_rng(5)
    inputs = _inputs(rng, 1, 2, 61, 64, 3, 60, 1, bias=True)
    crosscheck(conv2d, F.conv2d, inputs, numpy_backward=_backward)


@pytest.mark.parametrize(("kernel", "padding"), [(3, 1), (5, (2, 0)), ((1, 4), 0), ((3, 2), 1)])
def test_the_kernel_row_products_forward_equals_torch(kernel, padding):
    # Many channels and images of >= 512 output pixels: conv2d's forward takes the path of
    # cnnbook.kernel_row_products (see tests/test_kernel_row_products.py for the routing).
    rng = np.random.default_rng(21)
    kh, kw = (kernel, kernel) if isinstance(kernel, int) else kernel
    x = rng.standard_normal((2, 48, 26, 27))
    weight = rng.standard_normal((5, 48, kh, kw))
    bias = rng.standard_normal(5)
    expected = F.conv2d(*map(torch.from_numpy, (x, weight, bias)), padding=padding).numpy()
    np.testing.assert_allclose(
        conv2d(x, weight, bias, padding=padding), expected, rtol=1e-10, atol=1e-10
    )
