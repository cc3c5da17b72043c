"""Losses and element-wise layers against torch in float64: value and gradient of the input."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from cnnbook import nn

pytestmark = pytest.mark.torch

TOL = 1e-10


def _check_loss(ours, theirs, x: np.ndarray, *targets: np.ndarray, seed: int = 0) -> None:
    """Forward value and input gradient (any reduction) of a cnnbook loss vs its torch twin."""
    tx = torch.tensor(x, requires_grad=True)
    out_t = theirs(tx, *[torch.tensor(t) for t in targets])
    out = ours(x, *targets)
    expected = out_t.detach().numpy()
    np.testing.assert_allclose(out, expected, rtol=0, atol=TOL, err_msg="loss")
    if ours.reduction == "none":
        g = np.random.default_rng(seed).normal(size=expected.shape)
        out_t.backward(torch.tensor(g))
        grad = ours.backward(g)
    else:
        out_t.backward(torch.tensor(0.7, dtype=torch.float64))
        grad = ours.backward(0.7)
    assert grad.shape == x.shape
    np.testing.assert_allclose(grad, tx.grad.numpy(), rtol=0, atol=TOL, err_msg="gradient")


REDUCTIONS = ["none", "mean", "sum"]


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("cls", ["MSELoss", "L1Loss"])
def test_regression_losses_match_torch(cls, reduction):
    rng = np.random.default_rng(1)
    x = rng.normal(size=(3, 2, 4, 5))
    y = rng.normal(size=x.shape)
    y[0, 0, 0, 0] = x[0, 0, 0, 0]  # an exact tie: L1's gradient is 0 there in both
    _check_loss(
        getattr(nn, cls)(reduction=reduction), getattr(torch.nn, cls)(reduction=reduction), x, y
    )


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize(
    ("weight_shape", "pos_weight_shape"),
    [(None, None), ((4,), None), (None, (4,)), ((3, 1), (4,)), ((1,), (1,))],
)
def test_bce_with_logits_matches_torch_with_broadcast_weights(
    reduction, weight_shape, pos_weight_shape
):
    rng = np.random.default_rng(2)
    x = rng.normal(scale=30, size=(3, 4))  # large logits: the stable form matters
    y = rng.uniform(size=x.shape)
    w = None if weight_shape is None else rng.uniform(0.1, 2, size=weight_shape)
    pw = None if pos_weight_shape is None else rng.uniform(0.1, 4, size=pos_weight_shape)
    ours = nn.BCEWithLogitsLoss(weight=w, reduction=reduction, pos_weight=pw)
    theirs = torch.nn.BCEWithLogitsLoss(
        weight=None if w is None else torch.tensor(w),
        reduction=reduction,
        pos_weight=None if pw is None else torch.tensor(pw),
    )
    _check_loss(ours, theirs, x, y)


def test_bce_with_logits_pos_weight_per_channel_of_a_map_matches_torch():
    rng = np.random.default_rng(3)
    x = rng.normal(size=(2, 3, 4, 4))
    y = (rng.uniform(size=x.shape) > 0.5).astype(float)
    pw = rng.uniform(0.5, 3, size=(3, 1, 1))
    _check_loss(
        nn.BCEWithLogitsLoss(pos_weight=pw),
        torch.nn.BCEWithLogitsLoss(pos_weight=torch.tensor(pw)),
        x,
        y,
    )


CE_CASES = {
    "plain": {},
    "weight": {"weight": True},
    "ignore": {"ignore_index": 1},
    "ignore_default": {"ignore_index": -100},
    "smoothing": {"label_smoothing": 0.2},
    "all": {"weight": True, "ignore_index": 0, "label_smoothing": 0.3},
}


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("case", list(CE_CASES))
@pytest.mark.parametrize("shape", [(5,), (6, 5), (3, 5, 4), (2, 5, 3, 4)])
def test_cross_entropy_with_class_indices_matches_torch(shape, case, reduction):
    opts = dict(CE_CASES[case])
    rng = np.random.default_rng(len(shape))
    c = 5
    x = rng.normal(scale=3, size=shape)
    target_shape = () if len(shape) == 1 else (shape[0], *shape[2:])
    t = rng.integers(0, c, size=target_shape)
    if "ignore_index" in opts and t.ndim:
        t.flat[::3] = opts["ignore_index"]  # some targets ignored, some (for 0/1) kept
    w = rng.uniform(0.2, 2, size=c) if opts.pop("weight", False) else None
    ours = nn.CrossEntropyLoss(weight=w, reduction=reduction, **opts)
    theirs = torch.nn.CrossEntropyLoss(
        weight=None if w is None else torch.tensor(w), reduction=reduction, **opts
    )
    _check_loss(ours, theirs, x, t)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("case", list(CE_CASES))
def test_cross_entropy_with_minus_inf_logits_off_the_target_matches_torch(case, reduction):
    # A class the network rules out (logit -inf) costs nothing unless it is the target or
    # smoothing puts weight on it: no 0 * inf NaN, no warning, for kept and ignored samples.
    opts = dict(CE_CASES[case])
    rng = np.random.default_rng(11)
    x = rng.normal(scale=3, size=(6, 5))
    t = rng.integers(0, 5, size=6)
    if "ignore_index" in opts:
        t[::3] = opts["ignore_index"]
    for i in range(6):
        x[i, (t[i] + 1 + i % 4) % 5] = -np.inf  # never the target class
    w = rng.uniform(0.2, 2, size=5) if opts.pop("weight", False) else None
    ours = nn.CrossEntropyLoss(weight=w, reduction=reduction, **opts)
    theirs = torch.nn.CrossEntropyLoss(
        weight=None if w is None else torch.tensor(w), reduction=reduction, **opts
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _check_loss(ours, theirs, x, t)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("opts", [{}, {"label_smoothing": 0.25}, {"weight": True}])
@pytest.mark.parametrize("shape", [(4,), (6, 4), (2, 4, 3, 3)])
def test_cross_entropy_with_class_probabilities_matches_torch(shape, opts, reduction):
    opts = dict(opts)
    rng = np.random.default_rng(7)
    x = rng.normal(size=shape)
    axis = 0 if len(shape) == 1 else 1
    p = rng.uniform(size=shape)
    p /= p.sum(axis=axis, keepdims=True)
    w = rng.uniform(0.2, 2, size=shape[axis]) if opts.pop("weight", False) else None
    ours = nn.CrossEntropyLoss(weight=w, reduction=reduction, **opts)
    theirs = torch.nn.CrossEntropyLoss(
        weight=None if w is None else torch.tensor(w), reduction=reduction, **opts
    )
    _check_loss(ours, theirs, x, p)


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        (nn.Sigmoid(), torch.nn.Sigmoid()),
        (nn.LeakyReLU(), torch.nn.LeakyReLU()),
        (nn.LeakyReLU(0.3), torch.nn.LeakyReLU(0.3)),
        (nn.Identity(), torch.nn.Identity()),
        (nn.ReLU(), torch.nn.ReLU()),
        (nn.Tanh(), torch.nn.Tanh()),
    ],
    ids=lambda m: repr(m),
)
def test_elementwise_layers_match_torch_with_their_repr(ours, theirs):
    rng = np.random.default_rng(5)
    x = rng.normal(scale=4, size=(3, 2, 4))
    x[0, 0, :2] = [0.0, -0.0]  # the kink: both take the same side
    x[1, 1, :2] = [800.0, -800.0]  # sigmoid saturates without overflow
    g = rng.normal(size=x.shape)
    tx = torch.tensor(x, requires_grad=True)
    ty = theirs(tx)
    ty.backward(torch.tensor(g))
    np.testing.assert_allclose(ours(x), ty.detach().numpy(), rtol=0, atol=TOL)
    np.testing.assert_allclose(ours.backward(g), tx.grad.numpy(), rtol=0, atol=TOL)
    assert repr(ours) == repr(theirs)


def test_loss_reprs_are_torchs():
    assert repr(nn.CrossEntropyLoss(label_smoothing=0.1)) == repr(
        torch.nn.CrossEntropyLoss(label_smoothing=0.1)
    )
    for name in ("MSELoss", "L1Loss", "BCEWithLogitsLoss"):
        assert repr(getattr(nn, name)()) == repr(getattr(torch.nn, name)())


def test_cross_entropy_mean_with_weights_divides_by_the_targets_weight_sum():
    x = np.zeros((2, 3))
    t = np.array([0, 2])
    w = np.array([1.0, 1.0, 3.0])
    loss = nn.CrossEntropyLoss(weight=w)(x, t)
    # each sample's loss is w[t] * log 3; torch's mean divides by w[0] + w[2] = 4, not by 2
    assert loss == pytest.approx((1 + 3) * np.log(3) / 4)
    assert loss == pytest.approx(
        F.cross_entropy(torch.tensor(x), torch.tensor(t), torch.tensor(w)).item()
    )


@pytest.mark.parametrize("label_smoothing", [0.0, 0.2])
def test_cross_entropy_with_every_target_ignored_is_nan_with_zero_gradient_as_torch(
    label_smoothing,
):
    x = np.random.default_rng(0).normal(size=(2, 3))
    tx = torch.tensor(x, requires_grad=True)
    opts = {"ignore_index": 1, "label_smoothing": label_smoothing}
    out_t = torch.nn.CrossEntropyLoss(**opts)(tx, torch.tensor([1, 1]))
    out_t.backward()
    ours = nn.CrossEntropyLoss(**opts)
    assert np.isnan(ours(x, np.array([1, 1]))) and np.isnan(out_t.item())
    np.testing.assert_array_equal(ours.backward(), tx.grad.numpy())
