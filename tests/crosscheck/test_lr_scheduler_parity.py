"""cnnbook.optim.lr_scheduler vs torch.optim.lr_scheduler: whole learning-rate sequences.

Rates (and OneCycleLR's momenta) are compared with ``==``: the formulas are torch's,
evaluated in the same order, so they agree to the last bit.
"""

from __future__ import annotations

import inspect
import itertools
import warnings

import numpy as np
import pytest
import torch

from cnnbook import nn, optim
from tests.crosscheck.test_nn_parity import one_torch_thread

pytestmark = pytest.mark.torch
__all__ = ["one_torch_thread"]  # the autouse fixture, shared with test_nn_parity


def _pair(kind: str, group_lrs=(0.1,), **kwargs):
    """The same optimizer in both libraries, one parameter per group, lrs per group."""
    ours = [{"params": [nn.Parameter(np.zeros(2))], "lr": lr} for lr in group_lrs]
    theirs = [{"params": [torch.nn.Parameter(torch.zeros(2))], "lr": lr} for lr in group_lrs]
    cls = {"sgd": (optim.SGD, torch.optim.SGD), "adam": (optim.Adam, torch.optim.Adam)}[kind]
    return cls[0](ours, **kwargs), cls[1](theirs, **kwargs)


def _sequences(name: str, kwargs: dict, steps: int, kind="sgd", group_lrs=(0.1,), edit=None):
    """Step both schedulers `steps` times; return (ours, torch's) lists of per-step records.

    A record is the rates and each group's momentum (SGD) or betas (Adam). `edit(opt, step)`
    may change the groups by hand before a step, identically in both libraries.
    """
    opt_kwargs = {"momentum": 0.9} if kind == "sgd" else {}
    opt, t_opt = _pair(kind, group_lrs, **opt_kwargs)
    sched = getattr(optim.lr_scheduler, name)(opt, **kwargs)
    t_sched = getattr(torch.optim.lr_scheduler, name)(t_opt, **kwargs)
    key = "momentum" if kind == "sgd" else "betas"
    records = ([], [])
    for step in range(steps + 1):
        for o, s, out in ((opt, sched, records[0]), (t_opt, t_sched, records[1])):
            out.append((s.get_last_lr(), [g[key] for g in o.param_groups], s.last_epoch))
            if step == steps:
                continue
            if edit is not None:
                edit(o, step)
            o.step()
            s.step()
    return records


STEP_CONFIGS = [
    ("StepLR", {"step_size": s, "gamma": g})
    for s, g in itertools.product([1, 2, 7, 30], [0.1, 0.5, 0.9, 2.0])
]
MULTISTEP_CONFIGS = [
    ("MultiStepLR", {"milestones": m, "gamma": g})
    for m, g in itertools.product([[], [0], [1], [3, 5], [10, 30, 31, 80], [200]], [0.1, 0.7])
]
COSINE_CONFIGS = [
    ("CosineAnnealingLR", {"T_max": t, "eta_min": e})
    for t, e in itertools.product([1, 2, 5, 17, 50, 100], [0.0, 1e-4, 0.05, 0.3])
]


@pytest.mark.parametrize(
    ("name", "kwargs"), STEP_CONFIGS + MULTISTEP_CONFIGS + COSINE_CONFIGS, ids=str
)
@pytest.mark.parametrize("group_lrs", [(0.1,), (1.0, 0.01)], ids=["1group", "2groups"])
def test_epoch_schedules_equal_torch_over_three_hundred_steps(name, kwargs, group_lrs):
    ours, theirs = _sequences(name, kwargs, steps=300, group_lrs=group_lrs)
    assert ours == theirs


ONE_CYCLE_CONFIGS = [
    {
        "max_lr": max_lr,
        "total_steps": total,
        "pct_start": pct,
        "anneal_strategy": anneal,
        "three_phase": three,
        "div_factor": div,
        "final_div_factor": final,
    }
    for max_lr, total, pct, anneal, three, (div, final) in itertools.product(
        [0.1, [1.0, 0.2]],
        [7, 100],
        [0.0, 0.25, 0.3, 0.45],
        ["cos", "linear"],
        [False, True],
        [(25.0, 1e4), (3.0, 10.0)],
    )
]


@pytest.mark.parametrize("kwargs", ONE_CYCLE_CONFIGS, ids=str)
@pytest.mark.parametrize("kind", ["sgd", "adam"])
def test_one_cycle_rates_and_momenta_equal_torch_over_the_whole_cycle(kind, kwargs):
    ours, theirs = _sequences(
        "OneCycleLR", kwargs, steps=kwargs["total_steps"], kind=kind, group_lrs=(0.1, 0.1)
    )
    assert ours == theirs


@pytest.mark.parametrize("kind", ["sgd", "adam"])
@pytest.mark.parametrize(
    "extra",
    [
        {"cycle_momentum": False},
        {"base_momentum": 0.5, "max_momentum": 0.99},
        {"base_momentum": [0.8, 0.6], "max_momentum": [0.9, 0.95]},
        {"epochs": 4, "steps_per_epoch": 9},
    ],
    ids=str,
)
def test_one_cycle_momentum_options_equal_torch(kind, extra):
    kwargs = {"max_lr": 0.5, "total_steps": None if "epochs" in extra else 40, **extra}
    steps = 36 if "epochs" in extra else 40
    ours, theirs = _sequences("OneCycleLR", kwargs, steps=steps, kind=kind, group_lrs=(0.1, 0.1))
    assert ours == theirs


def test_a_rate_changed_by_hand_is_carried_along_like_torch():
    def edit(opt, step):
        if step in (5, 23):
            opt.param_groups[0]["lr"] *= 3.0

    for name, kwargs in [
        ("StepLR", {"step_size": 4}),
        ("MultiStepLR", {"milestones": [7, 20]}),
        ("CosineAnnealingLR", {"T_max": 10, "eta_min": 0.01}),
    ]:
        ours, theirs = _sequences(name, kwargs, steps=40, edit=edit)
        assert ours == theirs, name


def test_two_chained_schedulers_compose_like_torch():
    opt, t_opt = _pair("sgd", (0.1,))
    ours = [
        optim.lr_scheduler.CosineAnnealingLR(opt, T_max=20),
        optim.lr_scheduler.MultiStepLR(opt, [5, 12], gamma=0.5),
    ]
    theirs = [
        torch.optim.lr_scheduler.CosineAnnealingLR(t_opt, T_max=20),
        torch.optim.lr_scheduler.MultiStepLR(t_opt, [5, 12], gamma=0.5),
    ]
    for _ in range(40):
        opt.step()
        t_opt.step()
        for s, t in zip(ours, theirs, strict=True):
            s.step()
            t.step()
        assert opt.param_groups[0]["lr"] == t_opt.param_groups[0]["lr"]


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("StepLR", {"step_size": 3, "gamma": 0.5}),
        ("MultiStepLR", {"milestones": [2, 9], "gamma": 0.5}),
        ("CosineAnnealingLR", {"T_max": 8, "eta_min": 0.001}),
    ],
)
def test_step_with_an_epoch_uses_the_closed_form_like_torch(name, kwargs):
    opt, t_opt = _pair("sgd", (0.2,))
    sched = getattr(optim.lr_scheduler, name)(opt, **kwargs)
    t_sched = getattr(torch.optim.lr_scheduler, name)(t_opt, **kwargs)
    opt.step()
    t_opt.step()
    for epoch in [4, 11, 0, 7, 23]:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # both deprecate the argument
            sched.step(epoch)
            t_sched.step(epoch)
        assert sched.get_last_lr() == t_sched.get_last_lr()
        assert sched.last_epoch == t_sched.last_epoch == epoch


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [("StepLR", {"step_size": 3}), ("CosineAnnealingLR", {"T_max": 8, "eta_min": 0.001})],
)
def test_resuming_with_last_epoch_continues_like_torch(name, kwargs):
    opt, t_opt = _pair("sgd", (0.2,))
    for o in (opt, t_opt):
        o.param_groups[0]["initial_lr"] = 0.5
    sched = getattr(optim.lr_scheduler, name)(opt, last_epoch=5, **kwargs)
    t_sched = getattr(torch.optim.lr_scheduler, name)(t_opt, last_epoch=5, **kwargs)
    for _ in range(12):
        opt.step()
        t_opt.step()
        sched.step()
        t_sched.step()
        assert sched.get_last_lr() == t_sched.get_last_lr()


def test_stepping_before_the_optimizer_warns_like_torch():
    opt, t_opt = _pair("sgd")
    sched = optim.lr_scheduler.StepLR(opt, step_size=2)
    t_sched = torch.optim.lr_scheduler.StepLR(t_opt, step_size=2)
    with pytest.warns(UserWarning, match=r"before `optimizer.step\(\)`"):
        t_sched.step()
    with pytest.warns(UserWarning, match=r"before `optimizer.step\(\)`"):
        sched.step()


def test_one_cycle_refuses_the_step_after_the_last_like_torch():
    opt, t_opt = _pair("sgd")
    sched = optim.lr_scheduler.OneCycleLR(opt, max_lr=1.0, total_steps=3)
    t_sched = torch.optim.lr_scheduler.OneCycleLR(t_opt, max_lr=1.0, total_steps=3)
    for _ in range(3):
        opt.step()
        t_opt.step()
        sched.step()
        t_sched.step()
    with pytest.raises(ValueError, match="Tried to step 4 times"):
        t_sched.step()
    with pytest.raises(ValueError, match=r"stepped 4 times; the cycle has total_steps \(=3\)"):
        sched.step()


@pytest.mark.parametrize(
    "kwargs",
    [
        {"total_steps": 10, "pct_start": 0.1},  # warm-up of zero length: torch divides by 0
        {"total_steps": 10, "pct_start": 1.0},  # final phase of zero length
        {"total_steps": 9, "pct_start": 5 / 9, "three_phase": True},
    ],
    ids=str,
)
def test_one_cycle_refuses_up_front_what_torch_divides_by_zero_in(kwargs):
    def run_torch():
        opt = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.1, momentum=0.9)
        sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=1.0, **kwargs)
        for _ in range(kwargs["total_steps"]):
            opt.step()
            sched.step()

    with pytest.raises(ZeroDivisionError):
        run_torch()
    opt = optim.SGD([nn.Parameter(np.zeros(1))], lr=0.1, momentum=0.9)
    with pytest.raises(ValueError, match=r"pct_start \(=.*\)"):
        optim.lr_scheduler.OneCycleLR(opt, max_lr=1.0, **kwargs)


@pytest.mark.parametrize(
    "name", ["LRScheduler", "StepLR", "MultiStepLR", "CosineAnnealingLR", "OneCycleLR"]
)
def test_signature_names_order_and_defaults_are_torchs(name):
    def signature(cls):
        return [(p.name, p.kind, p.default) for p in inspect.signature(cls).parameters.values()]

    ours = getattr(optim.lr_scheduler, name)
    assert signature(ours) == signature(getattr(torch.optim.lr_scheduler, name))
    assert [m for m in ("step", "get_last_lr", "get_lr", "state_dict") if hasattr(ours, m)] == [
        "step",
        "get_last_lr",
        "get_lr",
        "state_dict",
    ]
