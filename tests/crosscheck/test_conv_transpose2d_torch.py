"""conv_transpose2d, pad and the layers built on them equal torch (float64, with gradients)."""

from __future__ import annotations

import itertools
import warnings

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from cnnbook import conv_transpose2d, conv_transpose2d_backward, nn, pad, pad_backward
from tests.crosscheck.harness import crosscheck

pytestmark = pytest.mark.torch


def _backward(grad_output, x, weight, bias, **kw):
    grad_x, grad_weight, grad_bias = conv_transpose2d_backward(grad_output, x, weight, **kw)
    return {"x": grad_x, "weight": grad_weight, "bias": grad_bias}


def _torch(x, weight, bias, **kw):
    return F.conv_transpose2d(x, weight, bias, **kw)


def _pair(v):
    return (v, v) if isinstance(v, int) else v


GRID = [
    (s, p, op, d)
    for s, p, op, d in itertools.product([1, 2, 3, (2, 1)], [0, 1, (2, 0)], [0, 1, 2], [1, 2])
    if all(o < max(si, di) for o, si, di in zip(_pair(op), _pair(s), _pair(d), strict=True))
]


@pytest.mark.parametrize(("stride", "padding", "output_padding", "dilation"), GRID, ids=str)
@pytest.mark.parametrize("groups", [1, 2])
def test_forward_and_every_gradient_match_torch_over_the_grid(
    stride, padding, output_padding, dilation, groups
):
    rng = np.random.default_rng(len(str((stride, padding, output_padding, dilation, groups))))
    inputs = {
        "x": rng.normal(size=(2, 4, 5, 4)),
        "weight": rng.normal(size=(4, 6 // groups, 3, 2)),
        "bias": rng.normal(size=6),
    }
    kw = {
        "stride": stride,
        "padding": padding,
        "output_padding": output_padding,
        "groups": groups,
        "dilation": dilation,
    }
    try:
        F.conv_transpose2d(*(torch.tensor(v) for v in inputs.values()), **kw)
    except RuntimeError:  # padding crops the whole output: both refuse
        with pytest.raises(ValueError, match=r"below 1|at least 1"):
            conv_transpose2d(*inputs.values(), **kw)
        return
    crosscheck(conv_transpose2d, _torch, inputs, kwargs=kw, numpy_backward=_backward)


@pytest.mark.parametrize(("n", "c", "h", "w", "out", "k"), [(1, 1, 1, 1, 1, 1), (3, 3, 7, 2, 5, 4)])
def test_odd_sizes_without_bias_and_unbatched_input_match_torch(n, c, h, w, out, k):
    rng = np.random.default_rng(n + k)
    inputs = {"x": rng.normal(size=(n, c, h, w)), "weight": rng.normal(size=(c, out, k, k))}
    crosscheck(
        lambda x, w, **kw: conv_transpose2d(x, w, stride=2, **kw),
        lambda x, w, **kw: F.conv_transpose2d(x, w, stride=2, **kw),
        inputs,
        numpy_backward=lambda g, x, w: conv_transpose2d_backward(g, x, w, stride=2)[:2],
    )
    one = {"x": inputs["x"][0], "weight": inputs["weight"]}
    crosscheck(conv_transpose2d, F.conv_transpose2d, one)


@pytest.mark.parametrize("value", [np.nan, np.inf])
def test_nan_and_inf_reach_the_entries_torch_gives_them(value):
    rng = np.random.default_rng(1)
    inputs = {
        "x": rng.normal(size=(2, 2, 4, 5)),
        "weight": rng.normal(size=(2, 3, 3, 3)),
        "bias": rng.normal(size=3),
    }
    inputs["x"][1, 0, 3, 4] = value
    inputs["weight"][0, 2, 0, 1] = value
    kw = {"stride": 2, "padding": 1, "output_padding": 1}
    with np.errstate(invalid="ignore", over="ignore"):
        crosscheck(conv_transpose2d, _torch, inputs, kwargs=kw, numpy_backward=_backward)


PADS = [(1, 1, 1, 1), (2, 0, 1, 3), (0, 3, 2, 0), (-1, 2, 1, -1), (3, 3, 4, 4)]


@pytest.mark.parametrize("mode", ["constant", "reflect", "replicate", "circular"])
@pytest.mark.parametrize("padding", PADS, ids=str)
@pytest.mark.parametrize("shape", [(2, 3, 5, 4), (3, 5, 4)], ids=str)
def test_pad_and_its_backward_match_torch(mode, padding, shape):
    x = np.random.default_rng(2).normal(size=shape)
    try:
        F.pad(torch.tensor(x), padding, mode=mode)
    except RuntimeError:  # reflect/circular beyond the size: both refuse
        with pytest.raises(ValueError, match=r"pad \(="):
            pad(x, padding, mode)
        return
    crosscheck(
        lambda x, **kw: pad(x, padding, mode),
        lambda x, **kw: F.pad(x, padding, mode=mode),
        {"x": x},
        numpy_backward=lambda g, x: (pad_backward(g, x.shape, padding, mode),),
        atol=1e-12,
    )


def test_constant_pad_value_and_a_pad_of_one_axis_match_torch():
    x = np.random.default_rng(3).normal(size=(2, 3, 4))
    for padding in [(1, 2), (1, 1, 0, 2, 1, 0)]:
        ours = pad(x, padding, value=-1.5)
        np.testing.assert_array_equal(ours, F.pad(torch.tensor(x), padding, value=-1.5).numpy())


def _copy_parameters(ours, theirs):
    with torch.no_grad():
        theirs.weight.copy_(torch.tensor(ours.weight.data))
        if ours.bias is not None:
            theirs.bias.copy_(torch.tensor(ours.bias.data))


def _layer_check(ours, theirs, x, **forward_kw):
    assert repr(ours) == repr(theirs)
    _copy_parameters(ours, theirs)
    xt = torch.tensor(x, requires_grad=True)
    yt = theirs(xt, **forward_kw)
    g = np.random.default_rng(0).normal(size=tuple(yt.shape))
    yt.backward(torch.tensor(g))
    np.testing.assert_allclose(ours(x, **forward_kw), yt.detach().numpy(), atol=1e-10, rtol=0)
    np.testing.assert_allclose(ours.backward(g), xt.grad.numpy(), atol=1e-10, rtol=0)
    np.testing.assert_allclose(ours.weight.grad, theirs.weight.grad.numpy(), atol=1e-10, rtol=0)
    if ours.bias is not None:
        np.testing.assert_allclose(ours.bias.grad, theirs.bias.grad.numpy(), atol=1e-10, rtol=0)


@pytest.mark.parametrize("mode", ["zeros", "reflect", "replicate", "circular"])
@pytest.mark.parametrize(
    "kw",
    [
        {"kernel_size": 3, "padding": 1},
        {"kernel_size": 3, "padding": (2, 1), "stride": 2},
        {"kernel_size": 3, "padding": "same", "dilation": 2},
        {"kernel_size": (2, 4), "padding": "same"},  # odd total: extra pixel right/bottom
        {"kernel_size": 3, "padding": 1, "groups": 2, "bias": False},
    ],
    ids=str,
)
def test_conv2d_padding_modes_match_torch_forward_and_backward(mode, kw):
    ours = nn.Conv2d(4, 6, padding_mode=mode, dtype=np.float64, **kw)
    theirs = torch.nn.Conv2d(4, 6, padding_mode=mode, dtype=torch.float64, **kw)
    x = np.random.default_rng(1).normal(size=(2, 4, 7, 6))
    with warnings.catch_warnings():  # torch warns that it pads a copy for even kernels
        warnings.simplefilter("ignore", UserWarning)
        _layer_check(ours, theirs, x)


@pytest.mark.parametrize(
    "kw",
    [
        {},
        {"stride": 2, "padding": 1, "output_padding": 1},
        {"stride": (1, 2), "dilation": (3, 1), "output_padding": (2, 1), "groups": 2},
        {"bias": False, "stride": 3},
    ],
    ids=str,
)
def test_conv_transpose2d_layer_matches_torch(kw):
    ours = nn.ConvTranspose2d(4, 6, 3, dtype=np.float64, **kw)
    theirs = torch.nn.ConvTranspose2d(4, 6, 3, dtype=torch.float64, **kw)
    _layer_check(ours, theirs, np.random.default_rng(2).normal(size=(2, 4, 5, 4)))


@pytest.mark.parametrize("size", [(9, 7), (10, 8), [2, 6, 10, 7]], ids=str)
def test_conv_transpose2d_output_size_matches_torch(size):
    ours = nn.ConvTranspose2d(4, 6, 3, stride=2, padding=1, dtype=np.float64)
    theirs = torch.nn.ConvTranspose2d(4, 6, 3, stride=2, padding=1, dtype=torch.float64)
    _layer_check(ours, theirs, np.random.default_rng(3).normal(size=(2, 4, 5, 4)), output_size=size)


def test_conv_transpose2d_default_init_has_torchs_bounds():
    # torch's fan_in of a transposed weight (in, out/groups, kh, kw) is out/groups*kh*kw.
    layer = nn.ConvTranspose2d(64, 2, 3, rng=np.random.default_rng(0), dtype=np.float64)
    bound = 1 / np.sqrt(2 * 9)
    assert np.abs(layer.weight.data).max() <= bound
    assert np.abs(layer.weight.data).max() > 0.9 * bound
    assert np.abs(layer.bias.data).max() <= bound


def test_a_sequence_of_random_geometries_matches_torch_call_after_call():
    # Calls share reused buffers keyed by shape: a call must not see what an earlier call
    # with another geometry left there (the input's scratch columns once did).
    rng = np.random.default_rng(11)
    checked = 0
    while checked < 300:
        n, c, o = rng.integers(1, 3, 3)
        h, w, kh, kw = rng.integers(1, 6, 4)
        s, d = (tuple(int(v) for v in rng.integers(1, 4, 2)) for _ in range(2))
        p = tuple(int(v) for v in rng.integers(0, 4, 2))
        op = tuple(int(rng.integers(0, max(si, di))) for si, di in zip(s, d, strict=True))
        x, weight, bias = rng.normal(size=(n, c, h, w)), rng.normal(size=(c, o, kh, kw)), None
        kw_ = {"stride": s, "padding": p, "output_padding": op, "dilation": d}
        try:
            expected = F.conv_transpose2d(torch.tensor(x), torch.tensor(weight), bias, **kw_)
        except RuntimeError:  # the padding crops the whole output
            continue
        np.testing.assert_allclose(
            conv_transpose2d(x, weight, **kw_), expected.numpy(), atol=1e-12, err_msg=str(kw_)
        )
        checked += 1
