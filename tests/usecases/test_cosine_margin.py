"""The large-margin cosine loss: loss and gradients against torch's autograd."""

from __future__ import annotations

import numpy as np
import pytest

from cnnbook.usecases import cosine_margin


def _torch_cosine_margin_loss(f, w, y, s, m):
    torch = pytest.importorskip("torch")
    ft = torch.tensor(f, requires_grad=True)
    wt = torch.tensor(w, requires_grad=True)
    cos = torch.nn.functional.normalize(ft, dim=1) @ torch.nn.functional.normalize(wt, dim=1).T
    onehot = torch.nn.functional.one_hot(torch.tensor(y), len(w)).double()
    logits = s * (cos - m * onehot)
    loss = torch.nn.functional.cross_entropy(logits, torch.tensor(y))
    loss.backward()
    return loss.item(), ft.grad.numpy(), wt.grad.numpy()


@pytest.mark.parametrize(("s", "m"), [(1.0, 0.0), (16.0, 0.2), (30.0, 0.35)])
def test_cosine_margin_loss_and_gradients_match_torch_autograd(s, m):
    rng = np.random.default_rng(int(s))
    f, w = rng.standard_normal((7, 5)), rng.standard_normal((4, 5))
    y = rng.integers(4, size=7)
    loss, gf, gw = cosine_margin.cosine_margin_loss(f, w, y, scale=s, margin=m)
    t_loss, t_gf, t_gw = _torch_cosine_margin_loss(f, w, y, s, m)
    # Not bit-equal: the normalisations guard a zero length differently (+1e-12 vs max).
    assert loss == pytest.approx(t_loss, rel=1e-10)
    np.testing.assert_allclose(gf, t_gf, rtol=1e-8, atol=1e-12)
    np.testing.assert_allclose(gw, t_gw, rtol=1e-8, atol=1e-12)


def test_cosine_margin_loss_ignores_the_length_of_features_and_weights():
    rng = np.random.default_rng(1)
    f, w, y = rng.standard_normal((5, 3)), rng.standard_normal((2, 3)), np.array([0, 1, 1, 0, 1])
    a = cosine_margin.cosine_margin_loss(f, w, y)[0]
    b = cosine_margin.cosine_margin_loss(3.0 * f, 0.5 * w, y)[0]
    assert a == pytest.approx(b, abs=1e-12)
