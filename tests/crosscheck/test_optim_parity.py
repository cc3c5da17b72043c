"""cnnbook.optim vs torch.optim on random parameters and gradient sequences, step by step."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from cnnbook import nn, optim
from tests.crosscheck.test_nn_parity import one_torch_thread

pytestmark = pytest.mark.torch
__all__ = ["one_torch_thread"]  # the autouse fixture, shared with test_nn_parity

SHAPES = [(3, 2, 3, 3), (3,), (5, 4)]


def _run(kind: str, kwargs: dict, seed: int, steps: int, dtype=np.float64, skip_second=False):
    """Take `steps` steps with both libraries on the same gradients; return both parameter lists."""
    rng = np.random.default_rng(seed)
    init = [rng.standard_normal(s).astype(dtype) for s in SHAPES]
    params = [nn.Parameter(a.copy()) for a in init]
    t_params = [torch.nn.Parameter(torch.from_numpy(a.copy())) for a in init]
    opt = {"sgd": optim.SGD, "adam": optim.Adam}[kind](params, **kwargs)
    t_opt = {"sgd": torch.optim.SGD, "adam": torch.optim.Adam}[kind](t_params, **kwargs)
    for step in range(steps):
        opt.zero_grad()
        t_opt.zero_grad()
        for i, (p, tp) in enumerate(zip(params, t_params, strict=True)):
            if skip_second and i == 1 and step % 2:
                continue  # no gradient this step: both must leave it (and its state) alone
            g = rng.standard_normal(p.shape).astype(dtype)
            p.grad = g.copy()
            tp.grad = torch.from_numpy(g.copy())
        opt.step()
        t_opt.step()
    return [p.data for p in params], [tp.detach().numpy() for tp in t_params]


@settings(max_examples=25)
@given(
    lr=st.floats(1e-3, 0.5),
    momentum=st.sampled_from([0.0, 0.5, 0.9, 0.99]),
    weight_decay=st.sampled_from([0.0, 1e-4, 1e-2]),
    nesterov=st.booleans(),
    seed=st.integers(0, 2**16),
)
def test_sgd_steps_equal_torch(lr, momentum, weight_decay, nesterov, seed):
    kwargs = {"lr": lr, "momentum": momentum, "weight_decay": weight_decay}
    kwargs["nesterov"] = nesterov and momentum > 0
    ours, theirs = _run("sgd", kwargs, seed, steps=8)
    for a, b in zip(ours, theirs, strict=True):
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-12)


@settings(max_examples=25)
@given(
    lr=st.floats(1e-4, 0.1),
    beta1=st.sampled_from([0.0, 0.5, 0.9]),
    beta2=st.sampled_from([0.9, 0.999, 0.9999]),
    eps=st.sampled_from([0.0, 1e-8, 1e-3]),
    weight_decay=st.sampled_from([0.0, 1e-4, 1e-2]),
    seed=st.integers(0, 2**16),
)
def test_adam_steps_equal_torch(lr, beta1, beta2, eps, weight_decay, seed):
    kwargs = {"lr": lr, "betas": (beta1, beta2), "eps": eps, "weight_decay": weight_decay}
    ours, theirs = _run("adam", kwargs, seed, steps=8)
    for a, b in zip(ours, theirs, strict=True):
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-12)


@pytest.mark.parametrize(
    ("kind", "kwargs"),
    [
        ("sgd", {"lr": 0.1, "momentum": 0.9}),
        ("sgd", {"lr": 0.1, "momentum": 0.9, "dampening": 0.5}),
        ("adam", {"lr": 0.01}),
    ],
)
def test_steps_without_a_gradient_are_skipped_like_torch(kind, kwargs):
    ours, theirs = _run(kind, kwargs, seed=3, steps=7, skip_second=True)
    for a, b in zip(ours, theirs, strict=True):
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-12)


@pytest.mark.parametrize(
    ("kind", "kwargs"),
    [
        ("sgd", {"lr": 0.05, "momentum": 0.9, "weight_decay": 1e-3, "nesterov": True}),
        ("adam", {"lr": 0.01, "weight_decay": 1e-3}),
    ],
)
def test_float32_steps_stay_close_to_torch_float32(kind, kwargs):
    ours, theirs = _run(kind, kwargs, seed=5, steps=20, dtype=np.float32)
    for a, b in zip(ours, theirs, strict=True):
        assert a.dtype == np.float32
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-5)
