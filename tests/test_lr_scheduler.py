"""Learning-rate schedules: closed forms by hand, cnnbook.train.step_lr reproduced, protocol.

Torch's own sequences are compared in tests/crosscheck/test_lr_scheduler_parity.py; the
refused arguments in tests/bad_input/test_optim.py.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from cnnbook import nn, optim
from cnnbook.optim import lr_scheduler
from cnnbook.train import step_lr


def _opt(lr=1.0, kind=optim.SGD, **kwargs):
    return kind([nn.Parameter(np.zeros(2))], lr=lr, **kwargs)


def _rates(scheduler, steps: int, key: str | None = None) -> list:
    """The rate (or group[key]) in force for each of `steps` epochs, stepping as torch's loop."""
    out = []
    for i in range(steps):
        group = scheduler.optimizer.param_groups[0]
        out.append(group[key] if key else scheduler.get_last_lr()[0])
        if i < steps - 1:
            scheduler.optimizer.step()
            scheduler.step()
    return out


def test_step_lr_multiplies_by_gamma_every_step_size_epochs():
    assert _rates(lr_scheduler.StepLR(_opt(), step_size=2, gamma=0.5), 7) == [
        1,
        1,
        0.5,
        0.5,
        0.25,
        0.25,
        0.125,
    ]


@pytest.mark.parametrize("milestones", [[1], [2], [3, 5], [1, 2, 3], [4, 9, 10], [50]])
@pytest.mark.parametrize("gamma", [0.1, 0.5, 1.0])
def test_multistep_lr_reproduces_train_step_lr_epoch_by_epoch(milestones, gamma):
    # fit() calls schedule(epoch) before epoch 1, 2, ...: after epoch - 1 scheduler steps.
    schedule = step_lr(0.3, milestones, gamma)
    rates = _rates(lr_scheduler.MultiStepLR(_opt(0.3), milestones, gamma), 12)
    # gamma multiplies the current rate (torch's chainable form), step_lr takes gamma**k: ulps.
    np.testing.assert_allclose(rates, [schedule(epoch) for epoch in range(1, 13)], rtol=1e-15)


@pytest.mark.parametrize("step_size", [1, 2, 5])
def test_step_lr_reproduces_train_step_lr_with_evenly_spaced_milestones(step_size):
    schedule = step_lr(0.3, range(step_size, 40, step_size), 0.5)
    rates = _rates(lr_scheduler.StepLR(_opt(0.3), step_size, 0.5), 20)
    np.testing.assert_allclose(rates, [schedule(e) for e in range(1, 21)], rtol=1e-15)


def test_cosine_annealing_follows_the_closed_form_and_reaches_eta_min_at_t_max():
    T, lo, base = 12, 0.01, 0.5
    rates = _rates(lr_scheduler.CosineAnnealingLR(_opt(base), T_max=T, eta_min=lo), T + 1)
    closed = [lo + (base - lo) * (1 + math.cos(math.pi * e / T)) / 2 for e in range(T + 1)]
    np.testing.assert_allclose(rates, closed, rtol=1e-14)
    assert rates[T] == pytest.approx(lo, rel=1e-14)


def test_cosine_annealing_rises_again_after_t_max_without_restart():
    rates = _rates(lr_scheduler.CosineAnnealingLR(_opt(1.0), T_max=4), 9)
    np.testing.assert_allclose(rates[4:], rates[4::-1], atol=1e-15)  # mirror image


def test_one_cycle_goes_from_max_over_div_to_max_to_the_final_floor():
    total, peak = 20, 2.0
    sched = lr_scheduler.OneCycleLR(
        _opt(0.1), max_lr=peak, total_steps=total, pct_start=0.25, div_factor=10.0,
        final_div_factor=100.0,
    )  # fmt: skip
    rates = _rates(sched, total)  # steps 0 .. total - 1: the cycle
    assert rates[0] == pytest.approx(peak / 10, rel=1e-15)
    assert rates[4] == peak  # pct_start * total - 1: the end of the warm-up
    assert rates[total - 1] == pytest.approx(peak / 10 / 100, rel=1e-12)
    assert np.all(np.diff(rates[:5]) > 0) and np.all(np.diff(rates[4:]) < 0)


def test_one_cycle_moves_the_momentum_against_the_rate_and_adam_beta1_likewise():
    sgd = lr_scheduler.OneCycleLR(_opt(momentum=0.5), max_lr=1.0, total_steps=10)
    momenta = _rates(sgd, 10, key="momentum")
    assert momenta[0] == 0.95 and momenta[2] == 0.85 and momenta[9] == pytest.approx(0.95)
    adam = lr_scheduler.OneCycleLR(_opt(kind=optim.Adam), max_lr=1.0, total_steps=10)
    betas = _rates(adam, 10, key="betas")
    assert [b[0] for b in betas] == momenta and {b[1] for b in betas} == {0.999}


def test_one_cycle_epochs_times_steps_per_epoch_is_the_total():
    sched = lr_scheduler.OneCycleLR(_opt(), max_lr=1.0, epochs=3, steps_per_epoch=7)
    assert sched.total_steps == 21


def test_a_scheduler_records_initial_lr_and_takes_epoch_zero():
    opt = _opt(0.2)
    sched = lr_scheduler.StepLR(opt, step_size=3)
    assert opt.param_groups[0]["initial_lr"] == 0.2
    assert (sched.base_lrs, sched.last_epoch, sched.get_last_lr()) == ([0.2], 0, [0.2])


def test_get_last_lr_is_a_copy():
    sched = lr_scheduler.StepLR(_opt(0.2), step_size=3)
    sched.get_last_lr().append(5.0)
    assert sched.get_last_lr() == [0.2]


def test_state_dict_round_trip_resumes_the_same_sequence():
    first = lr_scheduler.CosineAnnealingLR(_opt(1.0), T_max=10)
    _rates(first, 4)
    state = first.state_dict()
    assert "optimizer" not in state
    second_opt = _opt(first.optimizer.param_groups[0]["lr"])
    second = lr_scheduler.CosineAnnealingLR(second_opt, T_max=10)
    second.load_state_dict(state)
    assert _rates(second, 6) == _rates(first, 6)


def test_stepping_the_scheduler_before_the_optimizer_warns():
    sched = lr_scheduler.StepLR(_opt(), step_size=2)
    with pytest.warns(UserWarning, match=r"before `optimizer.step\(\)`"):
        sched.step()


def test_a_schedule_that_makes_a_bad_momentum_is_stopped_at_the_optimizer_step():
    opt = _opt(momentum=0.9, nesterov=True)
    sched = lr_scheduler.OneCycleLR(opt, max_lr=1.0, total_steps=10, base_momentum=0.0)
    opt.param_groups[0]["params"][0].grad = np.ones(2)
    for _ in range(2):  # the warm-up ends at step 2, where the momentum is base_momentum
        opt.step()
        sched.step()
    assert opt.param_groups[0]["momentum"] == 0.0
    with pytest.raises(ValueError, match=r"nesterov'\] \(=True\) needs momentum > 0"):
        opt.step()
