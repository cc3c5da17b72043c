"""Bad input to cnnbook.optim and cnnbook.optim.lr_scheduler: each a named ValueError/TypeError.

Cases are grouped by cause: non-finite or out-of-range hyper-parameters (given, or
edited into ``param_groups`` and caught at step time), wrong types (None, strings for
flags, floats for counts), wrong structure (duplicates, sets, wrong-shape gradients).
"""

from __future__ import annotations

import numpy as np
import pytest

from cnnbook import nn
from cnnbook.optim import SGD, Adam, AdamW, Optimizer
from cnnbook.optim.lr_scheduler import (
    CosineAnnealingLR,
    LRScheduler,
    MultiStepLR,
    OneCycleLR,
    StepLR,
)

INF, NAN = float("inf"), float("nan")


def _p(shape=(2,), grad: bool = True) -> nn.Parameter:
    p = nn.Parameter(np.zeros(shape))
    if grad:
        p.grad = np.ones(shape)
    return p


def _stepped(opt, **edits):
    """Edit group 0 after construction, then step (the check must happen at step time)."""
    opt.param_groups[0].update(edits)
    opt.step()


def _grad(opt_cls, grad):
    p = _p((2, 3))
    p.grad = grad
    opt_cls([p]).step()


def _sgd(**kwargs):
    return SGD([_p()], lr=0.1, **kwargs)


CASES = [  # (public dotted name, zero-arg call, exception type, regex the message matches)
    # --- SGD: hyper-parameters
    ("cnnbook.optim.SGD", lambda: SGD([_p()], lr=INF), ValueError, r"lr \(=inf\) must be finite"),
    ("cnnbook.optim.SGD", lambda: SGD([_p()], lr=NAN), ValueError, r"lr \(=nan\) must be finite"),
    ("cnnbook.optim.SGD", lambda: SGD([_p()], lr=-1), ValueError, r"lr \(=-1\) must be positive"),
    ("cnnbook.optim.SGD", lambda: SGD([_p()], lr="0.1"),
     TypeError, r"lr \(='0.1'\) must be a real"),
    ("cnnbook.optim.SGD", lambda: _sgd(momentum=INF),
     ValueError, r"momentum \(=inf\) must be finite"),
    ("cnnbook.optim.SGD", lambda: _sgd(momentum=-0.9),
     ValueError, r"momentum \(=-0.9\) must be non-negative"),
    ("cnnbook.optim.SGD", lambda: _sgd(weight_decay=INF),
     ValueError, r"weight_decay \(=inf\) must be finite"),
    ("cnnbook.optim.SGD", lambda: _sgd(weight_decay=-1e-4),
     ValueError, r"weight_decay \(=-0.0001\) must be non-negative"),
    ("cnnbook.optim.SGD", lambda: _sgd(dampening=1.5),
     ValueError, r"dampening \(=1.5\) must be in \[0, 1\]"),
    ("cnnbook.optim.SGD", lambda: _sgd(dampening=-0.1),
     ValueError, r"dampening \(=-0.1\) must be in \[0, 1\]"),
    ("cnnbook.optim.SGD", lambda: _sgd(nesterov=True),
     ValueError, r"nesterov \(=True\) needs momentum > 0"),
    ("cnnbook.optim.SGD", lambda: _sgd(momentum=0.9, nesterov=True, dampening=0.1),
     ValueError, r"dampening == 0"),
    ("cnnbook.optim.SGD", lambda: _sgd(nesterov="False"),
     TypeError, r"nesterov \(='False'\) must be a bool"),
    ("cnnbook.optim.SGD", lambda: _sgd(maximize=1), TypeError, r"maximize \(=1\) must be a bool"),
    # --- SGD: edited after construction, caught at step
    ("cnnbook.optim.SGD", lambda: _stepped(_sgd(), lr=-0.1),
     ValueError, r"param_groups\[0\]\['lr'\] \(=-0.1\) must be non-negative"),
    ("cnnbook.optim.SGD", lambda: _stepped(_sgd(), lr=INF),
     ValueError, r"param_groups\[0\]\['lr'\] \(=inf\) must be finite"),
    ("cnnbook.optim.SGD", lambda: _stepped(_sgd(), lr=None),
     TypeError, r"param_groups\[0\]\['lr'\] \(=None\) must be a real"),
    ("cnnbook.optim.SGD", lambda: _stepped(_sgd(), dampening=1.5),
     ValueError, r"\['dampening'\] \(=1.5\) must be in \[0, 1\]"),
    ("cnnbook.optim.SGD", lambda: _stepped(_sgd(), weight_decay=-1),
     ValueError, r"\['weight_decay'\] \(=-1\) must be non-negative"),
    # --- SGD: structure
    ("cnnbook.optim.SGD", lambda: SGD(None),
     TypeError, r"params \(=None\) must be an iterable of cnnbook.nn.Parameter"),
    ("cnnbook.optim.SGD", lambda: SGD(_p()),
     TypeError, r"params \(=Parameter\(.*\)\) must be an iterable"),
    ("cnnbook.optim.SGD", lambda: SGD(np.zeros(3)),
     TypeError, r"params \(=array.*\) must be an iterable"),
    ("cnnbook.optim.SGD", lambda: SGD({_p()}), TypeError, r"params is a set; pass a list"),
    ("cnnbook.optim.SGD", lambda: SGD([]), ValueError, r"SGD got an empty parameter list"),
    ("cnnbook.optim.SGD", lambda: SGD([None]),
     TypeError,
     r"optimises cnnbook.nn.Parameter objects; got NoneType at param_groups\[0\]\['params'\]\[0\]"),
    ("cnnbook.optim.SGD", lambda: SGD([np.zeros(2)]),
     TypeError, r"got ndarray at param_groups\[0\]\['params'\]\[0\]"),
    ("cnnbook.optim.SGD", lambda: SGD([nn.Parameter(np.zeros(2, dtype=np.int64))]),
     TypeError, r"\['params'\]\[0\] has dtype int64; an optimizer updates floating-point"),
    ("cnnbook.optim.SGD", lambda: (lambda p: SGD([p, p]))(_p()),
     ValueError, r"lists the same parameter twice \(at 0 and 1\)"),
    ("cnnbook.optim.SGD", lambda: (lambda p: SGD([{"params": [p]}, {"params": [p]}]))(_p()),
     ValueError, r"some parameters appear in more than one parameter group"),
    ("cnnbook.optim.SGD", lambda: SGD([{"params": [_p()]}, _p()]),
     TypeError, r"params mixes parameter-group dicts and parameters"),
    ("cnnbook.optim.SGD", lambda: SGD([{"lr": 0.1}]),
     ValueError, r"param_group \(keys \['lr'\]\) has no 'params' key"),
    ("cnnbook.optim.SGD", lambda: SGD({"params": [_p()]}),
     TypeError, r"params \(=\{'params'.*\) must be an iterable"),
    ("cnnbook.optim.SGD", lambda: _grad(SGD, np.ones(3)),
     ValueError, r"\.grad has shape \(3,\); expected exactly \(2, 3\), the parameter's shape"),
    ("cnnbook.optim.SGD", lambda: _grad(SGD, np.ones((1, 3))),
     ValueError, r"\.grad has shape \(1, 3\); expected exactly \(2, 3\)"),
    ("cnnbook.optim.SGD", lambda: _grad(SGD, [[1.0] * 3] * 2),
     TypeError, r"\.grad is a list; expected a real-valued ndarray"),
    ("cnnbook.optim.SGD", lambda: _grad(SGD, np.ones((2, 3), dtype=complex)),
     TypeError, r"\.grad is a dtype complex128"),
    ("cnnbook.optim.SGD", lambda: _sgd().zero_grad(set_to_none="no"),
     TypeError, r"set_to_none \(='no'\) must be a bool"),
    # --- Adam
    ("cnnbook.optim.Adam", lambda: Adam([_p()], lr=INF), ValueError, r"lr \(=inf\) must be finite"),
    ("cnnbook.optim.Adam", lambda: Adam([_p()], lr=0), ValueError, r"lr \(=0\) must be positive"),
    ("cnnbook.optim.Adam", lambda: Adam([_p()], eps=INF),
     ValueError, r"eps \(=inf\) must be finite"),
    ("cnnbook.optim.Adam", lambda: Adam([_p()], eps=-1e-8),
     ValueError, r"eps \(=-1e-08\) must be non-negative"),
    ("cnnbook.optim.Adam", lambda: Adam([_p()], weight_decay=INF),
     ValueError, r"weight_decay \(=inf\) must be finite"),
    ("cnnbook.optim.Adam", lambda: Adam([_p()], betas=(0.9, 1.0)),
     ValueError, r"betas\[1\] \(=1.0\) must be in \[0, 1\)"),
    ("cnnbook.optim.Adam", lambda: Adam([_p()], betas=(-0.1, 0.9)),
     ValueError, r"betas\[0\] \(=-0.1\) must be in \[0, 1\)"),
    ("cnnbook.optim.Adam", lambda: Adam([_p()], betas=(NAN, 0.9)),
     ValueError, r"betas\[0\] \(=nan\) must be finite"),
    ("cnnbook.optim.Adam", lambda: Adam([_p()], betas=0.9),
     TypeError, r"betas \(=0.9\) must be a pair"),
    ("cnnbook.optim.Adam", lambda: Adam([_p()], amsgrad="True"),
     TypeError, r"amsgrad \(='True'\) must be a bool"),
    ("cnnbook.optim.Adam", lambda: Adam([_p()], maximize=None),
     TypeError, r"maximize \(=None\) must be a bool"),
    ("cnnbook.optim.Adam", lambda: Adam(None), TypeError, r"params \(=None\) must be an iterable"),
    ("cnnbook.optim.Adam", lambda: _stepped(Adam([_p()]), lr=-1e-3),
     ValueError, r"param_groups\[0\]\['lr'\] \(=-0.001\) must be non-negative"),
    ("cnnbook.optim.Adam", lambda: _stepped(Adam([_p()]), betas=(1.0, 0.9)),
     ValueError, r"param_groups\[0\]\['betas'\]\[0\] \(=1.0\) must be in \[0, 1\)"),
    ("cnnbook.optim.Adam", lambda: _stepped(Adam([_p()]), eps=INF),
     ValueError, r"\['eps'\] \(=inf\) must be finite"),
    ("cnnbook.optim.Adam", lambda: _grad(Adam, np.ones(3)),
     ValueError, r"\.grad has shape \(3,\); expected exactly \(2, 3\)"),
    ("cnnbook.optim.Adam", lambda: (lambda p: Adam([p, p]))(_p()),
     ValueError, r"lists the same parameter twice"),
    # --- AdamW
    ("cnnbook.optim.AdamW", lambda: AdamW([_p()], lr=INF),
     ValueError, r"lr \(=inf\) must be finite"),
    ("cnnbook.optim.AdamW", lambda: AdamW([_p()], weight_decay=-0.01),
     ValueError, r"weight_decay \(=-0.01\) must be non-negative"),
    ("cnnbook.optim.AdamW", lambda: AdamW([_p()], weight_decay=INF),
     ValueError, r"weight_decay \(=inf\) must be finite"),
    ("cnnbook.optim.AdamW", lambda: AdamW([_p()], betas=(0.9,)),
     TypeError, r"betas \(=\(0.9,\)\) must be a pair"),
    ("cnnbook.optim.AdamW", lambda: AdamW([_p()], amsgrad=0),
     TypeError, r"amsgrad \(=0\) must be a bool"),
    ("cnnbook.optim.AdamW", lambda: AdamW(None),
     TypeError, r"params \(=None\) must be an iterable"),
    ("cnnbook.optim.AdamW", lambda: AdamW([]), ValueError, r"AdamW got an empty parameter list"),
    ("cnnbook.optim.AdamW", lambda: _grad(AdamW, np.ones((3, 2))),
     ValueError, r"\.grad has shape \(3, 2\); expected exactly \(2, 3\)"),
    ("cnnbook.optim.AdamW", lambda: _stepped(AdamW([_p()]), weight_decay=-1.0),
     ValueError, r"\['weight_decay'\] \(=-1.0\) must be non-negative"),
    # --- Optimizer (the base class)
    ("cnnbook.optim.Optimizer", lambda: Optimizer(None, {}),
     TypeError, r"params \(=None\) must be an iterable"),
    ("cnnbook.optim.Optimizer", lambda: Optimizer([], {}),
     ValueError, r"Optimizer got an empty parameter list"),
    ("cnnbook.optim.Optimizer", lambda: Optimizer([_p()], {}).add_param_group([_p()]),
     TypeError, r"param_group \(=\[Parameter.*\]\) must be a dict"),
    ("cnnbook.optim.Optimizer", lambda: Optimizer([_p()], {}).add_param_group({"params": 3}),
     TypeError, r"param_groups\[1\]\['params'\] \(=3\) must be an iterable"),
    # --- LRScheduler (the base class) and every scheduler's optimizer
    ("cnnbook.optim.lr_scheduler.LRScheduler", lambda: LRScheduler(None),
     TypeError, r"optimizer \(=None\) must be a cnnbook.optim optimizer"),
    ("cnnbook.optim.lr_scheduler.LRScheduler", lambda: LRScheduler(_sgd(), last_epoch=1.5),
     TypeError, r"last_epoch \(=1.5\) must be an int"),
    ("cnnbook.optim.lr_scheduler.LRScheduler", lambda: LRScheduler(_sgd(), last_epoch=-2),
     ValueError, r"last_epoch \(=-2\) must be >= -1"),
    ("cnnbook.optim.lr_scheduler.LRScheduler", lambda: LRScheduler(_sgd(), last_epoch=3),
     ValueError, r"param_groups\[0\] has no 'initial_lr', needed to resume with last_epoch \(=3\)"),
    # --- StepLR
    ("cnnbook.optim.lr_scheduler.StepLR", lambda: StepLR(None, 3),
     TypeError, r"optimizer \(=None\) must be a cnnbook.optim optimizer"),
    ("cnnbook.optim.lr_scheduler.StepLR", lambda: StepLR(_sgd(), 0),
     ValueError, r"step_size \(=0\) must be positive"),
    ("cnnbook.optim.lr_scheduler.StepLR", lambda: StepLR(_sgd(), 2.5),
     TypeError, r"step_size \(=2.5\) must be an int"),
    ("cnnbook.optim.lr_scheduler.StepLR", lambda: StepLR(_sgd(), 2, gamma=INF),
     ValueError, r"gamma \(=inf\) must be finite"),
    ("cnnbook.optim.lr_scheduler.StepLR", lambda: StepLR(_sgd(), 2, gamma=0.0),
     ValueError, r"gamma \(=0.0\) must be positive"),
    ("cnnbook.optim.lr_scheduler.StepLR", lambda: StepLR(_sgd(), 2, gamma=-0.5),
     ValueError, r"gamma \(=-0.5\) must be positive"),
    ("cnnbook.optim.lr_scheduler.StepLR", lambda: StepLR(_sgd(), 2).step(epoch=1.5),
     TypeError, r"epoch \(=1.5\) must be an int"),
    # --- MultiStepLR
    ("cnnbook.optim.lr_scheduler.MultiStepLR", lambda: MultiStepLR(None, [2]),
     TypeError, r"optimizer \(=None\) must be a cnnbook.optim optimizer"),
    ("cnnbook.optim.lr_scheduler.MultiStepLR", lambda: MultiStepLR(_sgd(), [1.7]),
     TypeError, r"milestones\[0\] \(=1.7\) must be an int"),
    ("cnnbook.optim.lr_scheduler.MultiStepLR", lambda: MultiStepLR(_sgd(), [5, 3]),
     ValueError, r"milestones \(=\[5, 3\]\) must be strictly increasing"),
    ("cnnbook.optim.lr_scheduler.MultiStepLR", lambda: MultiStepLR(_sgd(), [3, 3]),
     ValueError, r"must be strictly increasing"),
    ("cnnbook.optim.lr_scheduler.MultiStepLR", lambda: MultiStepLR(_sgd(), [-1, 3]),
     ValueError, r"milestones\[0\] \(=-1\) must be >= 0"),
    ("cnnbook.optim.lr_scheduler.MultiStepLR", lambda: MultiStepLR(_sgd(), 3),
     TypeError, r"milestones \(=3\) must be an iterable of ints"),
    ("cnnbook.optim.lr_scheduler.MultiStepLR", lambda: MultiStepLR(_sgd(), None),
     TypeError, r"milestones \(=None\) must be an iterable of ints"),
    ("cnnbook.optim.lr_scheduler.MultiStepLR", lambda: MultiStepLR(_sgd(), [True]),
     TypeError, r"milestones\[0\] \(=True\) must be an int"),
    ("cnnbook.optim.lr_scheduler.MultiStepLR", lambda: MultiStepLR(_sgd(), [2], gamma=NAN),
     ValueError, r"gamma \(=nan\) must be finite"),
    # --- CosineAnnealingLR
    ("cnnbook.optim.lr_scheduler.CosineAnnealingLR", lambda: CosineAnnealingLR(None, 10),
     TypeError, r"optimizer \(=None\) must be a cnnbook.optim optimizer"),
    ("cnnbook.optim.lr_scheduler.CosineAnnealingLR", lambda: CosineAnnealingLR(_sgd(), 0),
     ValueError, r"T_max \(=0\) must be positive"),
    ("cnnbook.optim.lr_scheduler.CosineAnnealingLR", lambda: CosineAnnealingLR(_sgd(), 10.0),
     TypeError, r"T_max \(=10.0\) must be an int"),
    ("cnnbook.optim.lr_scheduler.CosineAnnealingLR",
     lambda: CosineAnnealingLR(_sgd(), 10, eta_min=-0.1),
     ValueError, r"eta_min \(=-0.1\) must be non-negative"),
    ("cnnbook.optim.lr_scheduler.CosineAnnealingLR",
     lambda: CosineAnnealingLR(_sgd(), 10, eta_min=INF),
     ValueError, r"eta_min \(=inf\) must be finite"),
    # --- OneCycleLR
    ("cnnbook.optim.lr_scheduler.OneCycleLR", lambda: OneCycleLR(None, 1.0, 10),
     TypeError, r"optimizer \(=None\) must be a cnnbook.optim optimizer"),
    ("cnnbook.optim.lr_scheduler.OneCycleLR", lambda: OneCycleLR(_sgd(), 1.0),
     ValueError, r"give total_steps, or both epochs and steps_per_epoch"),
    ("cnnbook.optim.lr_scheduler.OneCycleLR", lambda: OneCycleLR(_sgd(), 1.0, epochs=3),
     ValueError, r"give total_steps, or both epochs and steps_per_epoch"),
    ("cnnbook.optim.lr_scheduler.OneCycleLR", lambda: OneCycleLR(_sgd(), 1.0, 0),
     ValueError, r"total_steps \(=0\) must be positive"),
    ("cnnbook.optim.lr_scheduler.OneCycleLR", lambda: OneCycleLR(_sgd(), 1.0, 10.0),
     TypeError, r"total_steps \(=10.0\) must be an int"),
    ("cnnbook.optim.lr_scheduler.OneCycleLR",
     lambda: OneCycleLR(_sgd(), 1.0, epochs=2, steps_per_epoch=0),
     ValueError, r"steps_per_epoch \(=0\) must be positive"),
    ("cnnbook.optim.lr_scheduler.OneCycleLR", lambda: OneCycleLR(_sgd(), INF, 10),
     ValueError, r"max_lr \(=inf\) must be finite"),
    ("cnnbook.optim.lr_scheduler.OneCycleLR", lambda: OneCycleLR(_sgd(), -1.0, 10),
     ValueError, r"max_lr \(=-1.0\) must be positive"),
    ("cnnbook.optim.lr_scheduler.OneCycleLR", lambda: OneCycleLR(_sgd(), [1.0, 2.0], 10),
     ValueError, r"max_lr has 2 values; expected one per parameter group \(1\)"),
    ("cnnbook.optim.lr_scheduler.OneCycleLR", lambda: OneCycleLR(_sgd(), 1.0, 10, pct_start=1.5),
     ValueError, r"pct_start \(=1.5\) must be in \[0, 1\]"),
    ("cnnbook.optim.lr_scheduler.OneCycleLR", lambda: OneCycleLR(_sgd(), 1.0, 10, pct_start=0.1),
     ValueError,
     r"pct_start \(=0.1\) \* total_steps \(=10\) is 1: the warm-up phase has zero length"),
    ("cnnbook.optim.lr_scheduler.OneCycleLR", lambda: OneCycleLR(_sgd(), 1.0, 10, pct_start=1.0),
     ValueError, r"pct_start \(=1.0\) leaves the final phase of 10 steps no length"),
    ("cnnbook.optim.lr_scheduler.OneCycleLR",
     lambda: OneCycleLR(_sgd(), 1.0, 10, anneal_strategy="cosine"),
     ValueError, r"anneal_strategy \(='cosine'\) must be 'cos' or 'linear'"),
    ("cnnbook.optim.lr_scheduler.OneCycleLR",
     lambda: OneCycleLR(_sgd(), 1.0, 10, three_phase="yes"),
     TypeError, r"three_phase \(='yes'\) must be a bool"),
    ("cnnbook.optim.lr_scheduler.OneCycleLR", lambda: OneCycleLR(_sgd(), 1.0, 10, cycle_momentum=1),
     TypeError, r"cycle_momentum \(=1\) must be a bool"),
    ("cnnbook.optim.lr_scheduler.OneCycleLR", lambda: OneCycleLR(_sgd(), 1.0, 10, div_factor=0),
     ValueError, r"div_factor \(=0\) must be positive"),
    ("cnnbook.optim.lr_scheduler.OneCycleLR",
     lambda: OneCycleLR(_sgd(), 1.0, 10, final_div_factor=INF),
     ValueError, r"final_div_factor \(=inf\) must be finite"),
    ("cnnbook.optim.lr_scheduler.OneCycleLR",
     lambda: OneCycleLR(Adam([_p()]), 1.0, 10, max_momentum=1.0),
     ValueError, r"max_momentum \(=1.0\) becomes betas\[0\]: it must be in \[0, 1\)"),
    ("cnnbook.optim.lr_scheduler.OneCycleLR",
     lambda: OneCycleLR(_sgd(), 1.0, 10, base_momentum=-0.5),
     ValueError, r"base_momentum \(=-0.5\) must be non-negative"),
    ("cnnbook.optim.lr_scheduler.OneCycleLR",
     lambda: OneCycleLR(_sgd(), 1.0, 10, base_momentum=[0.8, 0.9]),
     ValueError, r"base_momentum has 2 values; expected one per parameter group"),
    ("cnnbook.optim.lr_scheduler.OneCycleLR", lambda: _past_the_cycle(),
     ValueError, r"OneCycleLR stepped 3 times; the cycle has total_steps \(=2\)"),
]  # fmt: skip


def _past_the_cycle():
    opt = _sgd()
    sched = OneCycleLR(opt, 1.0, total_steps=2, pct_start=0.25)
    for _ in range(3):
        opt.step()
        sched.step()


@pytest.mark.parametrize(("name", "call", "exc", "match"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_named(name, call, exc, match):
    with pytest.raises(exc, match=match):
        call()


def test_no_input_array_is_modified_by_a_refused_step():
    p = _p((2, 3))
    bad = np.ones(3)
    p.grad = bad
    before = p.data.copy()
    with pytest.raises(ValueError, match="expected exactly"):
        Adam([p]).step()
    np.testing.assert_array_equal(p.data, before)
    np.testing.assert_array_equal(bad, np.ones(3))


def test_resuming_a_one_cycle_without_its_keys_is_named():
    opt = _sgd()
    opt.param_groups[0]["initial_lr"] = 0.1
    with pytest.raises(ValueError, match=r"param_groups\[0\] has no 'max_lr', needed to resume"):
        OneCycleLR(opt, 1.0, 10, last_epoch=3)
