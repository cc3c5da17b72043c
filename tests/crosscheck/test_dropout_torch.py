"""nn.Dropout against torch.nn.Dropout: scaling, expectation, eval mode, and backward on a mask.

The two draw their masks from different generators, so the masks cannot match; what
must match is everything else: the values a kept element takes, how often an element is
dropped, the mean, evaluation mode, and forward and backward given the same mask.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

from cnnbook import nn
from tests.crosscheck.harness import crosscheck


@pytest.mark.parametrize("p", [0.1, 0.5, 0.9])
def test_kept_elements_are_scaled_by_one_over_one_minus_p_as_in_torch(p):
    x = np.full((400, 250), 3.0)
    ours = nn.Dropout(p, rng=np.random.default_rng(0))(x)
    torch.manual_seed(0)
    theirs = torch.nn.Dropout(p).train()(torch.from_numpy(x)).numpy()
    np.testing.assert_allclose(np.unique(ours), np.unique(theirs), rtol=1e-15)
    np.testing.assert_allclose(np.unique(ours), [0.0, 3.0 / (1 - p)], rtol=1e-15)
    # 100,000 Bernoulli(p) draws each: the dropped fraction within 5 standard deviations.
    sd = np.sqrt(p * (1 - p) / x.size)
    for out in (ours, theirs):
        assert abs((out == 0).mean() - p) < 5 * sd
        assert abs(out.mean() - 3.0) < 5 * 3.0 / (1 - p) * sd  # the expectation is kept


@pytest.mark.parametrize("p", [0.2, 0.5, 0.8])
def test_forward_and_backward_with_torchs_mask_equal_torch(p):
    x = np.random.default_rng(1).standard_normal((6, 3, 4, 5))
    torch.manual_seed(7)
    mask = torch.nn.functional.dropout(torch.ones(x.shape, dtype=torch.float64), p) != 0

    def torch_dropout(tx):
        torch.manual_seed(7)  # the same state, hence the same mask as above
        return torch.nn.functional.dropout(tx, p, training=True)

    drop = nn.Dropout(p)
    errors = crosscheck(
        lambda v: drop(v, mask=mask.numpy()),
        torch_dropout,
        {"x": x},
        numpy_backward=lambda g, v: (drop.backward(g),),
        atol=0.0,
    )
    assert errors == {"out": 0.0, "grad_x": 0.0}


def test_eval_mode_is_the_identity_in_both():
    x = np.random.default_rng(2).standard_normal((5, 7))
    ours = nn.Dropout(0.5).eval()
    theirs = torch.nn.Dropout(0.5).eval()
    np.testing.assert_array_equal(ours(x), x)
    np.testing.assert_array_equal(theirs(torch.from_numpy(x)).numpy(), x)
    g = np.ones_like(x)
    np.testing.assert_array_equal(ours.backward(g), g)


@pytest.mark.parametrize("p", [0.0, 1.0])
def test_the_extreme_probabilities_agree_with_torch(p):
    x = np.random.default_rng(3).standard_normal((4, 6))
    ours = nn.Dropout(p, rng=np.random.default_rng(0))(x)
    theirs = torch.nn.Dropout(p).train()(torch.from_numpy(x)).numpy()
    np.testing.assert_array_equal(ours, theirs)
    np.testing.assert_array_equal(ours, x if p == 0 else np.zeros_like(x))
