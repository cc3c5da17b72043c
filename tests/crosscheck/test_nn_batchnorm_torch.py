"""BatchNorm2d against torch.nn.BatchNorm2d in float64: output, every gradient, running stats."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from cnnbook import nn

pytestmark = pytest.mark.torch

TOL = 1e-10


def _twins(c: int, **kwargs):
    ours = nn.BatchNorm2d(c, dtype=np.float64, **kwargs)
    theirs = torch.nn.BatchNorm2d(c, dtype=torch.float64, **kwargs)
    rng = np.random.default_rng(c)
    if ours.weight is not None:
        ours.weight.data[...] = rng.uniform(0.5, 2.0, c)
        with torch.no_grad():
            theirs.weight.copy_(torch.from_numpy(ours.weight.data))
    if ours.bias is not None:
        ours.bias.data[...] = rng.normal(size=c)
        with torch.no_grad():
            theirs.bias.copy_(torch.from_numpy(ours.bias.data))
    return ours, theirs


def _step(ours, theirs, x: np.ndarray, g: np.ndarray) -> None:
    """One forward and backward through both; compare output and every gradient."""
    tx = torch.tensor(x, requires_grad=True)
    ty = theirs(tx)
    ty.backward(torch.tensor(g))
    y = ours(x)
    np.testing.assert_allclose(y, ty.detach().numpy(), rtol=0, atol=TOL, err_msg="output")
    ours.zero_grad()
    gx = ours.backward(g)
    np.testing.assert_allclose(gx, tx.grad.numpy(), rtol=0, atol=TOL, err_msg="grad x")
    for name in ("weight", "bias"):
        mine, twin = getattr(ours, name), getattr(theirs, name)
        assert (mine is None) == (twin is None), name
        if mine is not None:
            np.testing.assert_allclose(mine.grad, twin.grad.numpy(), atol=TOL, err_msg=name)
    theirs.zero_grad()


def _compare_running(ours, theirs) -> None:
    for name in ("running_mean", "running_var", "num_batches_tracked"):
        a, t = getattr(ours, name), getattr(theirs, name)
        if t is None:
            assert a is None, name
        else:
            np.testing.assert_allclose(a, t.numpy(), rtol=0, atol=TOL, err_msg=name)


@pytest.mark.parametrize("momentum", [0.1, 0.5, None])
@pytest.mark.parametrize("affine", [True, False])
@pytest.mark.parametrize("shape", [(4, 3, 5, 6), (2, 2, 1, 3), (1, 5, 3, 3)])
def test_training_steps_then_eval_match_torch_including_running_statistics(momentum, affine, shape):
    ours, theirs = _twins(shape[1], momentum=momentum, affine=affine, eps=1e-3)
    rng = np.random.default_rng(hash((momentum, affine, shape)) % 2**32)
    for _ in range(5):  # K = 5 training steps, inputs with a non-zero mean and scale
        x = rng.normal(1.5, 3.0, size=shape)
        _step(ours, theirs, x, rng.normal(size=shape))
        _compare_running(ours, theirs)
    ours.eval()
    theirs.eval()
    x = rng.normal(size=shape)
    _step(ours, theirs, x, rng.normal(size=shape))
    _compare_running(ours, theirs)


@pytest.mark.parametrize("training", [True, False])
def test_without_running_stats_eval_uses_batch_statistics_like_torch(training):
    ours, theirs = _twins(3, track_running_stats=False)
    ours.train(training)
    theirs.train(training)
    rng = np.random.default_rng(3)
    x = rng.normal(2.0, 0.5, size=(3, 3, 4, 4))
    _step(ours, theirs, x, rng.normal(size=x.shape))
    _compare_running(ours, theirs)
    assert ours.state_dict().keys() == theirs.state_dict().keys()


def test_state_dict_keys_and_values_are_torchs_after_training():
    ours, theirs = _twins(2)
    rng = np.random.default_rng(4)
    for _ in range(3):
        x = rng.normal(size=(2, 2, 3, 3))
        _step(ours, theirs, x, np.ones_like(x))
    ours_state, torch_state = ours.state_dict(), theirs.state_dict()
    assert list(ours_state) == list(torch_state)
    for key, value in torch_state.items():
        np.testing.assert_allclose(ours_state[key], value.numpy(), atol=TOL, err_msg=key)


@pytest.mark.parametrize("affine", [True, False])
def test_bias_false_keeps_the_scale_only_like_torch(affine):
    ours, theirs = _twins(3, affine=affine, bias=False, momentum=0.2)
    assert repr(ours) == repr(theirs)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert [n for n, _ in ours.named_parameters()] == [n for n, _ in theirs.named_parameters()]
    rng = np.random.default_rng(11)
    for _ in range(3):
        x = rng.normal(-1.0, 2.0, size=(4, 3, 3, 5))
        _step(ours, theirs, x, rng.normal(size=x.shape))
        _compare_running(ours, theirs)
    ours.eval()
    theirs.eval()
    x = rng.normal(size=(2, 3, 3, 5))
    _step(ours, theirs, x, rng.normal(size=x.shape))


@pytest.mark.parametrize(
    "kwargs", [{}, {"affine": False}, {"momentum": None, "track_running_stats": False}]
)
def test_repr_is_torchs(kwargs):
    assert repr(nn.BatchNorm2d(7, **kwargs)) == repr(torch.nn.BatchNorm2d(7, **kwargs))


def test_float32_batch_with_a_large_mean_matches_torch_in_float64():
    # Per-channel sums by BLAS and two-pass variance: float32 data far from zero keep
    # their accuracy (E[x^2] - E[x]^2 in float32 would lose the variance here).
    x = np.random.default_rng(1).normal(1000.0, 1.0, size=(16, 3, 20, 20)).astype(np.float32)
    g = np.random.default_rng(2).standard_normal(x.shape).astype(np.float32)
    ours, theirs = nn.BatchNorm2d(3), torch.nn.BatchNorm2d(3).double()
    tx = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    ty = theirs(tx)
    ty.backward(torch.tensor(g, dtype=torch.float64))
    y = ours(x)
    np.testing.assert_allclose(y, ty.detach().numpy(), rtol=0, atol=1e-3)
    np.testing.assert_allclose(ours.backward(g), tx.grad.numpy(), rtol=0, atol=1e-4)
    np.testing.assert_allclose(ours.running_var, theirs.running_var.numpy(), rtol=1e-5)
    np.testing.assert_allclose(ours.running_mean, theirs.running_mean.numpy(), rtol=1e-6)
