"""max/avg pooling forward, indices and backward equal torch.nn.functional, argument by argument."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from cnnbook import (
    avg_pool2d,
    avg_pool2d_backward,
    global_avg_pool2d,
    global_avg_pool2d_backward,
    global_max_pool2d,
    global_max_pool2d_backward,
    max_pool2d,
    max_pool2d_backward,
    pool_output_size,
)
from tests.crosscheck.harness import crosscheck

pytestmark = pytest.mark.torch

SHAPES = [(2, 2, 7, 9), (1, 1, 6, 5)]
KERNELS = [1, 2, 3, (2, 3)]
STRIDES = [None, 1, 2, (3, 1)]
PADDINGS = [0, 1, (1, 0)]
DILATIONS = [1, (2, 1)]


def _pair(v):
    return (v, v) if isinstance(v, int) else v


def _fits(shape, k, s, p, d, ceil_mode):
    k, p, d = _pair(k), _pair(p), _pair(d)
    if any(pi > ki // 2 for pi, ki in zip(p, k, strict=True)):
        return False
    s = k if s is None else _pair(s)
    try:
        for a in range(2):
            pool_output_size(shape[2 + a], k[a], s[a], p[a], d[a], ceil_mode)
    except ValueError:
        return False
    return all(d[a] * (k[a] - 1) + 1 <= shape[2 + a] + 2 * p[a] for a in range(2))


def _cases(dilations):
    for shape, k, s, p, d, c in itertools.product(
        SHAPES, KERNELS, STRIDES, PADDINGS, dilations, (False, True)
    ):
        if _fits(shape, k, s, p, d, c):
            yield pytest.param(shape, k, s, p, d, c, id=f"{shape}-k{k}-s{s}-p{p}-d{d}-ceil{c}")


def _input(shape, ties, seed=0):
    rng = np.random.default_rng(seed)
    if ties:  # small integers: most windows hold a tied maximum
        return rng.integers(0, 3, size=shape).astype(np.float64)
    return rng.standard_normal(shape)


@pytest.mark.parametrize("ties", [False, True], ids=["distinct", "ties"])
@pytest.mark.parametrize(("shape", "k", "s", "p", "d", "ceil_mode"), list(_cases(DILATIONS)))
def test_max_pool2d_forward_indices_backward_equal_torch(shape, k, s, p, d, ceil_mode, ties):
    x = _input(shape, ties)
    args = dict(kernel_size=k, stride=s, padding=p, dilation=d, ceil_mode=ceil_mode)
    crosscheck(
        max_pool2d, F.max_pool2d, {"x": x}, kwargs=args, atol=1e-12,
        numpy_backward=lambda g, v, **kw: (max_pool2d_backward(g, v, **kw),),
    )  # fmt: skip
    out, idx = max_pool2d(x, return_indices=True, **args)
    out_t, idx_t = F.max_pool2d(torch.tensor(x), return_indices=True, **args)
    np.testing.assert_array_equal(out, out_t.numpy())
    np.testing.assert_array_equal(idx, idx_t.numpy())  # ties: the same (first) cell as torch
    g = np.random.default_rng(1).standard_normal(out.shape)
    np.testing.assert_array_equal(
        max_pool2d_backward(g, x, indices=idx, **args), max_pool2d_backward(g, x, **args)
    )


@pytest.mark.parametrize("count_include_pad", [True, False])
@pytest.mark.parametrize(("shape", "k", "s", "p", "d", "ceil_mode"), list(_cases([1])))
def test_avg_pool2d_forward_backward_equal_torch(shape, k, s, p, d, ceil_mode, count_include_pad):
    args = dict(
        kernel_size=k, stride=s, padding=p, ceil_mode=ceil_mode,
        count_include_pad=count_include_pad,
    )  # fmt: skip
    crosscheck(
        avg_pool2d, F.avg_pool2d, {"x": _input(shape, ties=False)}, kwargs=args, atol=1e-12,
        numpy_backward=lambda g, v, **kw: (avg_pool2d_backward(g, v, **kw),),
    )  # fmt: skip


@pytest.mark.parametrize("divisor_override", [1, 5])
def test_avg_pool2d_divisor_override_equals_torch(divisor_override):
    x = _input((2, 2, 7, 6), ties=False)
    args = dict(
        kernel_size=3, stride=2, padding=1, ceil_mode=True, divisor_override=divisor_override
    )
    xt = torch.tensor(x, requires_grad=True)
    yt = F.avg_pool2d(xt, **args)
    yt.sum().backward()
    np.testing.assert_allclose(avg_pool2d(x, **args), yt.detach().numpy(), rtol=1e-12)
    grad = avg_pool2d_backward(np.ones(tuple(yt.shape)), x, **args)
    np.testing.assert_allclose(grad, xt.grad.numpy(), atol=1e-12)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_max_pool2d_2x2_fast_path_equals_torch_on_odd_sizes_and_dtypes(dtype):
    x = _input((3, 4, 11, 8), ties=True).astype(dtype)
    expected = F.max_pool2d(torch.tensor(x), 2).numpy()
    out = max_pool2d(x, 2)
    assert out.dtype == dtype
    np.testing.assert_array_equal(out, expected)


def test_unbatched_chw_input_equals_torch():
    x = _input((3, 7, 8), ties=True)
    xt = torch.tensor(x)
    np.testing.assert_array_equal(max_pool2d(x, 3, 2, 1), F.max_pool2d(xt, 3, 2, 1).numpy())
    np.testing.assert_allclose(avg_pool2d(x, 3, 2, 1), F.avg_pool2d(xt, 3, 2, 1).numpy())


@pytest.mark.parametrize("ties", [False, True], ids=["distinct", "ties"])
def test_global_pooling_forward_backward_equal_torch_adaptive(ties):
    x = _input((2, 3, 5, 7), ties)
    g = np.random.default_rng(2).standard_normal((2, 3, 1, 1))
    for ours, back, theirs in (
        (global_avg_pool2d, global_avg_pool2d_backward, F.adaptive_avg_pool2d),
        (global_max_pool2d, global_max_pool2d_backward, F.adaptive_max_pool2d),
    ):
        xt = torch.tensor(x, requires_grad=True)
        yt = theirs(xt, 1)
        yt.backward(torch.tensor(g))
        np.testing.assert_allclose(ours(x), yt.detach().numpy(), rtol=1e-12)
        np.testing.assert_allclose(back(g, x), xt.grad.numpy(), atol=1e-12)


NAN, INF = float("nan"), float("inf")

# Edge cases of torch's max-pooling scan (issue 10): NaN, -inf, windows of padding only,
# ceil-mode windows wider than the padded input. Each is (input, pooling arguments).
EDGE_CASES = {
    "nan-overlapping": (
        [[[[1, 3, NAN, 4], [2, NAN, 6, 0], [5, 1, 2, 3], [0, 0, 0, 0]]]],
        dict(kernel_size=2, stride=1),
    ),
    "nan-several-in-a-window": ([[[[NAN, NAN], [1, NAN]]]], dict(kernel_size=2)),
    "nan-2x2-stride2": (
        [[[[1, NAN, 2, 3], [NAN, 0, 5, 5], [-INF, -INF, NAN, 1], [-INF, -INF, 1, NAN]]]],
        dict(kernel_size=2),
    ),
    "minus-inf-with-padding": (
        [[[[-INF] * 3, [-INF] * 3]]],
        dict(kernel_size=2, stride=1, padding=1),
    ),
    "minus-inf-dilated": (
        [[[[-INF, 1, -INF, -INF, -INF], [-INF, -INF, -INF, -INF, -INF]]]],
        dict(kernel_size=2, stride=1, padding=1, dilation=2),
    ),
    "padding-only-window-dilated": (
        [[[[0, 1, 2]], [[3, 4, 5]]]],
        dict(kernel_size=(1, 2), stride=1, padding=(0, 1), dilation=(1, 4)),
    ),
    "ceil-window-wider-than-padded-input": (
        [[[[0, 1, 2]]]],
        dict(kernel_size=(1, 2), stride=(1, 2), padding=(0, 1), dilation=(1, 5), ceil_mode=True),
    ),
    "ceil-window-wider-rows": (
        [[[[5], [-1], [7]]]],
        dict(kernel_size=(2, 1), stride=(2, 1), padding=(1, 0), dilation=(5, 1), ceil_mode=True),
    ),
}


@pytest.mark.parametrize("case", list(EDGE_CASES))
def test_max_pool2d_edge_cases_values_indices_and_gradients_equal_torch(case):
    data, args = EDGE_CASES[case]
    x = np.asarray(data, dtype=np.float64)
    xt = torch.tensor(x, requires_grad=True)
    out_t, idx_t = F.max_pool2d(xt, return_indices=True, **args)
    g = np.random.default_rng(3).standard_normal(tuple(out_t.shape))
    out, idx = max_pool2d(x, return_indices=True, **args)
    np.testing.assert_array_equal(out, out_t.detach().numpy())  # NaN == NaN here
    np.testing.assert_array_equal(idx, idx_t.numpy())
    np.testing.assert_array_equal(max_pool2d(x, **args), out)  # the index-free path agrees
    plane = x.shape[-2] * x.shape[-1]
    inside = (idx_t >= 0) & (idx_t < plane)
    if bool(inside.all()):
        out_t.backward(torch.tensor(g))
        expected = xt.grad.numpy()
    else:
        # torch's CPU backward writes an index outside the plane into the next channel's
        # plane, or past the tensor's end (it aborts the process): never call it there.
        # Its rule on the in-plane indices is a scatter-add of the gradient, done here.
        flat = torch.where(inside, idx_t, 0).view(*x.shape[:2], -1)
        src = (torch.tensor(g) * inside).view(*x.shape[:2], -1)
        expected = torch.zeros(*x.shape[:2], plane, dtype=torch.float64).scatter_add(-1, flat, src)
        expected = expected.view(x.shape).numpy()
    np.testing.assert_array_equal(max_pool2d_backward(g, x, **args), expected)
    np.testing.assert_array_equal(max_pool2d_backward(g, x, indices=idx, **args), expected)


def test_nn_max_pool2d_training_mode_keeps_nan_like_torch():
    from cnnbook import nn

    x = np.array([[[[3.0, 1.0, 4.0, 2.0], [0.0, 0.0, 6.0, NAN]]]])
    ours, theirs = nn.MaxPool2d((2, 1), stride=(1, 1)), torch.nn.MaxPool2d((2, 1), stride=(1, 1))
    np.testing.assert_array_equal(ours(x), theirs(torch.tensor(x)).numpy())
    np.testing.assert_array_equal(ours(x), [[[[3.0, 1.0, 6.0, NAN]]]])


def test_global_max_pool2d_gradient_goes_to_the_last_nan_like_torch_adaptive():
    x = np.array([[[[1.0, NAN, 3.0], [NAN, 5.0, -INF]], [[-INF, -INF, -INF], [2.0, 2.0, 1.0]]]])
    xt = torch.tensor(x, requires_grad=True)
    yt = F.adaptive_max_pool2d(xt, 1)
    g = np.array([[[[2.0]], [[3.0]]]])
    yt.backward(torch.tensor(g))
    np.testing.assert_array_equal(global_max_pool2d(x), yt.detach().numpy())
    np.testing.assert_array_equal(global_max_pool2d_backward(g, x), xt.grad.numpy())


@pytest.mark.parametrize("count_include_pad", [True, False])
def test_avg_pool2d_ceil_mode_kernel_wider_than_the_input_equals_torch(count_include_pad):
    x = np.array([[[[1.0, 4.0]], [[-2.0, 3.0]]]])
    args = dict(kernel_size=(1, 3), stride=3, ceil_mode=True, count_include_pad=count_include_pad)
    crosscheck(
        avg_pool2d, F.avg_pool2d, {"x": x}, kwargs=args, atol=1e-15,
        numpy_backward=lambda g, v, **kw: (avg_pool2d_backward(g, v, **kw),),
    )  # fmt: skip


def test_average_pooling_has_no_dilation_like_torch():
    import inspect

    from cnnbook import avg_pool2d as cnnbook_avg_pool2d
    from cnnbook.nn import AvgPool2d as CnnbookAvgPool2d

    # torch's average pooling takes no dilation; max pooling does (the page's formula says so).
    assert "dilation" not in inspect.signature(torch.nn.AvgPool2d).parameters
    assert "dilation" in inspect.signature(torch.nn.MaxPool2d).parameters
    assert "dilation" not in inspect.signature(cnnbook_avg_pool2d).parameters
    assert "dilation" not in inspect.signature(CnnbookAvgPool2d).parameters
    with pytest.raises(TypeError, match="dilation"):
        cnnbook_avg_pool2d(np.ones((1, 1, 4, 4)), 2, dilation=2)  # type: ignore[call-arg]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shape", [(3, 2, 6, 8), (2, 3, 7, 5), (1, 1, 2, 2)])
@pytest.mark.parametrize("seed", range(4))
def test_max_pool2d_2x2_values_indices_and_layer_gradients_equal_torch_with_nan_inf_ties(
    dtype, shape, seed
):
    # The 2x2 / stride-2 tournament detects NaN on its output, not its input: windows of
    # NaN, +-inf, signed zeros and ties, anywhere in the window, must still be torch's.
    rng = np.random.default_rng(seed)
    values = np.array([NAN, -INF, INF, 0.0, -0.0, 1.0, 1.0, 2.0, -3.0], dtype=dtype)
    x = values[rng.integers(0, len(values), size=shape)]
    if seed == 0:
        x[x != x] = 1.0  # one input without NaN: the NaN-free branch with the same ties
    g = rng.standard_normal((*shape[:2], shape[2] // 2, shape[3] // 2)).astype(dtype)
    xt = torch.tensor(x, requires_grad=True)
    out_t, idx_t = F.max_pool2d(xt, 2, return_indices=True)
    out_t.backward(torch.tensor(g))
    out, idx = max_pool2d(x, 2, return_indices=True)
    np.testing.assert_array_equal(out, out_t.detach().numpy())
    np.testing.assert_array_equal(idx, idx_t.numpy())
    expected = xt.grad.numpy()
    np.testing.assert_array_equal(max_pool2d_backward(g, x, 2), expected)
    np.testing.assert_array_equal(max_pool2d_backward(g, x, 2, indices=idx), expected)
    from cnnbook import nn

    layer = nn.MaxPool2d(2)
    np.testing.assert_array_equal(layer(x), out)
    np.testing.assert_array_equal(layer.backward(g), expected)
