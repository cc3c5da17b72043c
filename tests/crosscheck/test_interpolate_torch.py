"""interpolate / Upsample forward and gradient equal torch.nn.functional.interpolate (float64)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from cnnbook import interpolate, interpolate_backward, nn
from tests.crosscheck.harness import crosscheck

pytestmark = pytest.mark.torch

SHAPES = [(2, 3, 5, 7), (1, 2, 1, 4), (1, 1, 8, 8)]
SCALES = [2, 3, 0.5, 0.3, 1.5, 1.7, 2.5, 0.999, (2, 0.75), (1 / 3, 3.3)]
SIZES = [1, 4, (3, 10), (9, 2), (5, 7)]
MODES = [("nearest", None), ("bilinear", None), ("bilinear", False), ("bilinear", True)]


def _backward(g, x, **kw):
    return (interpolate_backward(g, x, **kw),)


def _input(shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape)


def _run(shape, mode, align_corners, **resize):
    kwargs = dict(mode=mode, align_corners=align_corners, **resize)
    x = _input(shape)
    try:
        F.interpolate(torch.tensor(x), **kwargs)
    except RuntimeError:  # an empty output: torch refuses, so must we (with a named error)
        with pytest.raises(ValueError, match=r"scale_factor .* gives output size"):
            interpolate(x, **kwargs)
        return
    crosscheck(
        interpolate, F.interpolate, {"x": x}, kwargs=kwargs,
        numpy_backward=_backward, atol=1e-13, rtol=1e-13,
    )  # fmt: skip


@pytest.mark.parametrize("recompute", [None, True])
@pytest.mark.parametrize(("mode", "align_corners"), MODES)
@pytest.mark.parametrize(("shape", "scale"), list(itertools.product(SHAPES, SCALES)))
def test_interpolate_scale_factor_forward_and_gradient_equal_torch(
    shape, scale, mode, align_corners, recompute
):
    _run(shape, mode, align_corners, scale_factor=scale, recompute_scale_factor=recompute)


@pytest.mark.parametrize(("mode", "align_corners"), MODES)
@pytest.mark.parametrize(("shape", "size"), list(itertools.product(SHAPES, SIZES)))
def test_interpolate_size_forward_and_gradient_equal_torch(shape, size, mode, align_corners):
    _run(shape, mode, align_corners, size=size)


@pytest.mark.parametrize(("mode", "align_corners"), MODES)
def test_interpolate_nearest_forward_is_bit_equal_and_float32_close_to_torch(mode, align_corners):
    x = _input((2, 3, 13, 11)).astype(np.float32)
    for scale in (2, 0.3, 1.7, (1 / 3, 3.3)):
        kw = dict(scale_factor=scale, mode=mode, align_corners=align_corners)
        expected = F.interpolate(torch.tensor(x), **kw).numpy()
        out = interpolate(x, **kw)
        assert out.dtype == np.float32
        if mode == "nearest":
            np.testing.assert_array_equal(out, expected)
        np.testing.assert_allclose(out, expected, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("value", [np.nan, np.inf])
@pytest.mark.parametrize(("mode", "align_corners"), MODES)
@pytest.mark.parametrize("size", [(20, 17), (12, 17), (5, 4)])
def test_interpolate_nan_and_inf_reach_the_same_outputs_as_torch(value, mode, align_corners, size):
    x = np.zeros((1, 1, 12, 12))
    x[0, 0, 5, 6] = value
    kw = dict(size=size, mode=mode, align_corners=align_corners)
    expected = F.interpolate(torch.tensor(x), **kw).numpy()
    np.testing.assert_array_equal(interpolate(x, **kw), expected)  # NaN positions included


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(size=4, mode="nearest", align_corners=True),
        dict(size=4, scale_factor=2),
        dict(),
        dict(size=4, recompute_scale_factor=True),
        dict(scale_factor=0.1),
    ],
    ids=["align-with-nearest", "size-and-scale", "neither", "recompute-with-size", "empty-output"],
)
def test_interpolate_rejects_what_torch_rejects(kwargs):
    x = np.zeros((1, 1, 5, 5))
    with pytest.raises(RuntimeError if kwargs == dict(scale_factor=0.1) else ValueError):
        F.interpolate(torch.tensor(x), **kwargs)
    with pytest.raises(ValueError):
        interpolate(x, **kwargs)


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(scale_factor=2),
        dict(scale_factor=(2, 1.5), mode="bilinear"),
        dict(size=(3, 4), mode="bilinear", align_corners=True),
        dict(size=5),
        dict(scale_factor=0.5, mode="bilinear", recompute_scale_factor=True),
    ],
)
def test_upsample_layer_repr_forward_and_backward_equal_torch(kwargs):
    ours, theirs = nn.Upsample(**kwargs), torch.nn.Upsample(**kwargs)
    assert repr(ours) == repr(theirs)
    x = _input((2, 2, 4, 6))
    xt = torch.tensor(x, requires_grad=True)
    yt = theirs(xt)
    g = _input(tuple(yt.shape), seed=1)
    yt.backward(torch.tensor(g))
    np.testing.assert_allclose(ours(x), yt.detach().numpy(), rtol=1e-13, atol=1e-13)
    np.testing.assert_allclose(ours.backward(g), xt.grad.numpy(), rtol=1e-13, atol=1e-13)
