"""cnnbook.optim vs torch.optim: 100-step float64 trajectories for every option, and schedules.

Each library's gradient is computed from its *own* parameters (a quadratic pull plus
seeded noise), so any difference in an update compounds over the trajectory.
Gradients of the wrong shape, bad hyper-parameters and the schedules alone are in
tests/test_optim*.py and tests/crosscheck/test_lr_scheduler_parity.py.
"""

from __future__ import annotations

import inspect
import itertools

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
OURS = {"sgd": optim.SGD, "adam": optim.Adam, "adamw": optim.AdamW}
THEIRS = {"sgd": torch.optim.SGD, "adam": torch.optim.Adam, "adamw": torch.optim.AdamW}


def _run(
    kind: str,
    kwargs: dict,
    seed: int,
    steps: int,
    dtype=np.float64,
    skip_second=False,
    schedule=None,
):
    """Take `steps` steps with both libraries; return both parameter lists (and both lr lists).

    `schedule` is ``(name, kwargs)`` of a scheduler in both ``lr_scheduler`` modules,
    stepped after every optimizer step.
    """
    rng = np.random.default_rng(seed)
    init = [rng.standard_normal(s).astype(dtype) for s in SHAPES]
    params = [nn.Parameter(a.copy()) for a in init]
    t_params = [torch.nn.Parameter(torch.from_numpy(a.copy())) for a in init]
    opt = OURS[kind](params, **kwargs)
    t_opt = THEIRS[kind](t_params, **kwargs)
    sched = t_sched = None
    if schedule is not None:
        name, s_kwargs = schedule
        sched = getattr(optim.lr_scheduler, name)(opt, **s_kwargs)
        t_sched = getattr(torch.optim.lr_scheduler, name)(t_opt, **s_kwargs)
    # Maximising ascends -0.25 |p|^2 + noise . p: a pull to 0 either way, so nothing explodes.
    pull = -0.5 if kwargs.get("maximize") else 0.5
    lrs, t_lrs = [], []
    for step in range(steps):
        opt.zero_grad()
        t_opt.zero_grad()
        for i, (p, tp) in enumerate(zip(params, t_params, strict=True)):
            if skip_second and i == 1 and step % 2:
                continue  # no gradient this step: both must leave it (and its state) alone
            noise = rng.standard_normal(p.shape).astype(dtype)
            p.grad = pull * p.data + noise
            tp.grad = pull * tp.detach().clone() + torch.from_numpy(noise)
        opt.step()
        t_opt.step()
        if sched is not None:
            sched.step()
            t_sched.step()
            lrs.append(sched.get_last_lr())
            t_lrs.append(t_sched.get_last_lr())
    ours = [p.data for p in params]
    theirs = [tp.detach().numpy() for tp in t_params]
    return ours, theirs, lrs, t_lrs


def _assert_same(ours, theirs, atol=1e-12):
    for a, b in zip(ours, theirs, strict=True):
        np.testing.assert_allclose(a, b, rtol=0, atol=atol)


SGD_OPTIONS = [
    {"momentum": mu, "dampening": damp, "nesterov": nest, "weight_decay": wd, "maximize": mx}
    for mu, damp, nest, wd, mx in itertools.product(
        [0.0, 0.9], [0.0, 0.5], [False, True], [0.0, 1e-2], [False, True]
    )
    if not (nest and (mu == 0 or damp != 0))
]
ADAM_OPTIONS = [
    {"weight_decay": wd, "amsgrad": ams, "maximize": mx}
    for wd, ams, mx in itertools.product([0.0, 0.1], [False, True], [False, True])
]
TRAJECTORIES = (
    [("sgd", {"lr": 0.05, **o}) for o in SGD_OPTIONS]
    + [("adam", {"lr": 0.01, **o}) for o in ADAM_OPTIONS]
    + [("adamw", {"lr": 0.01, **o}) for o in ADAM_OPTIONS]
    + [("sgd", {}), ("adam", {}), ("adamw", {})]  # torch's defaults, lr included
)


@pytest.mark.parametrize(("kind", "kwargs"), TRAJECTORIES, ids=lambda v: str(v))
def test_100_step_trajectory_equals_torch_for_every_option(kind, kwargs):
    ours, theirs, _, _ = _run(kind, kwargs, seed=11, steps=100)
    _assert_same(ours, theirs)


SCHEDULES = [
    ("StepLR", {"step_size": 7, "gamma": 0.5}),
    ("MultiStepLR", {"milestones": [10, 30, 31, 80], "gamma": 0.3}),
    ("CosineAnnealingLR", {"T_max": 30, "eta_min": 1e-3}),  # down, up and down again
    ("OneCycleLR", {"max_lr": 0.1, "total_steps": 100}),
    ("OneCycleLR", {"max_lr": 0.1, "total_steps": 100, "three_phase": True}),
    ("OneCycleLR", {"max_lr": 0.1, "total_steps": 120, "anneal_strategy": "linear"}),
]


@pytest.mark.parametrize("schedule", SCHEDULES, ids=lambda s: f"{s[0]}-{s[1]}")
@pytest.mark.parametrize(
    ("kind", "kwargs"),
    [
        ("sgd", {"lr": 0.05, "momentum": 0.9, "nesterov": True, "weight_decay": 1e-3}),
        ("adam", {"lr": 0.01, "amsgrad": True}),
        ("adamw", {"lr": 0.01, "weight_decay": 0.05}),
    ],
    ids=["sgd", "adam", "adamw"],
)
def test_100_step_trajectory_driven_by_a_scheduler_equals_torch(kind, kwargs, schedule):
    ours, theirs, lrs, t_lrs = _run(kind, kwargs, seed=4, steps=100, schedule=schedule)
    assert lrs == t_lrs  # the schedule itself, to the last bit
    _assert_same(ours, theirs)


@settings(max_examples=25)
@given(
    lr=st.floats(1e-3, 0.5),
    momentum=st.sampled_from([0.0, 0.5, 0.9, 0.99]),
    dampening=st.sampled_from([0.0, 0.1, 1.0]),
    weight_decay=st.sampled_from([0.0, 1e-4, 1e-2]),
    nesterov=st.booleans(),
    seed=st.integers(0, 2**16),
)
def test_sgd_steps_equal_torch(lr, momentum, dampening, weight_decay, nesterov, seed):
    nesterov = nesterov and momentum > 0
    kwargs = {"lr": lr, "momentum": momentum, "weight_decay": weight_decay, "nesterov": nesterov}
    kwargs["dampening"] = 0.0 if nesterov else dampening
    ours, theirs, _, _ = _run("sgd", kwargs, seed, steps=8)
    _assert_same(ours, theirs)


@settings(max_examples=25)
@given(
    kind=st.sampled_from(["adam", "adamw"]),
    lr=st.floats(1e-4, 0.1),
    beta1=st.sampled_from([0.0, 0.3, 0.5, 0.9]),  # both branches of torch's lerp
    beta2=st.sampled_from([0.0, 0.9, 0.999, 0.9999]),
    eps=st.sampled_from([0.0, 1e-8, 1e-3]),
    weight_decay=st.sampled_from([0.0, 1e-4, 1e-2]),
    amsgrad=st.booleans(),
    seed=st.integers(0, 2**16),
)
def test_adam_steps_equal_torch(kind, lr, beta1, beta2, eps, weight_decay, amsgrad, seed):
    kwargs = {"lr": lr, "betas": (beta1, beta2), "eps": eps, "weight_decay": weight_decay}
    ours, theirs, _, _ = _run(kind, {**kwargs, "amsgrad": amsgrad}, seed, steps=8)
    _assert_same(ours, theirs)


@pytest.mark.parametrize(
    ("kind", "kwargs"),
    [
        ("sgd", {"lr": 0.1, "momentum": 0.9}),
        ("sgd", {"lr": 0.1, "momentum": 0.9, "dampening": 0.5}),
        ("adam", {"lr": 0.01}),
        ("adamw", {"lr": 0.01, "amsgrad": True}),
    ],
)
def test_steps_without_a_gradient_are_skipped_like_torch(kind, kwargs):
    ours, theirs, _, _ = _run(kind, kwargs, seed=3, steps=7, skip_second=True)
    _assert_same(ours, theirs)


@pytest.mark.parametrize(
    ("kind", "kwargs"),
    [
        ("sgd", {"lr": 0.05, "momentum": 0.9, "weight_decay": 1e-3, "nesterov": True}),
        ("adam", {"lr": 0.01, "weight_decay": 1e-3}),
        ("adamw", {"lr": 0.01}),
    ],
)
def test_float32_steps_stay_close_to_torch_float32(kind, kwargs):
    ours, theirs, _, _ = _run(kind, kwargs, seed=5, steps=20, dtype=np.float32)
    for a, b in zip(ours, theirs, strict=True):
        assert a.dtype == np.float32
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-5)


def test_per_group_learning_rates_and_hand_edits_follow_torch():
    rng = np.random.default_rng(0)
    init = [rng.standard_normal(4) for _ in range(2)]
    params = [nn.Parameter(a.copy()) for a in init]
    t_params = [torch.nn.Parameter(torch.from_numpy(a.copy())) for a in init]
    opt = optim.Adam([{"params": [params[0]]}, {"params": [params[1]], "lr": 0.1}], lr=0.01)
    t_opt = torch.optim.Adam(
        [{"params": [t_params[0]]}, {"params": [t_params[1]], "lr": 0.1}], lr=0.01
    )
    for step in range(30):
        if step == 10:
            for o in (opt, t_opt):
                o.param_groups[0]["lr"] = 0.05
                o.param_groups[1]["betas"] = (0.5, 0.9)
        for p, tp in zip(params, t_params, strict=True):
            g = rng.standard_normal(4)
            p.grad, tp.grad = g.copy(), torch.from_numpy(g.copy())
        opt.step()
        t_opt.step()
    _assert_same([p.data for p in params], [tp.detach().numpy() for tp in t_params])


TORCH_ONLY = {"foreach", "capturable", "differentiable", "fused"}  # devices and autograd


def _signature(fn, skip=()):
    return [
        (p.name, p.kind, p.default)
        for p in inspect.signature(fn).parameters.values()
        if p.name not in skip
    ]


@pytest.mark.parametrize("kind", ["sgd", "adam", "adamw"])
def test_signature_names_order_and_defaults_are_torchs(kind):
    assert _signature(OURS[kind]) == _signature(THEIRS[kind], TORCH_ONLY)
