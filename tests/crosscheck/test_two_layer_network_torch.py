"""The two-layer network's gradients and its whole gradient-descent run equal torch's."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from cnnbook import gradient_descent, nn, two_layer_network, xor_data


def torch_twin(model: nn.Sequential, activation: type[torch.nn.Module]) -> torch.nn.Sequential:
    first, last = model[0], model[2]
    twin = torch.nn.Sequential(
        torch.nn.Linear(2, first.out_features), activation(), torch.nn.Linear(first.out_features, 2)
    ).double()  # float64 before the copy: a float32 twin would round our weights
    with torch.no_grad():
        for t, ours in ((twin[0], first), (twin[2], last)):
            t.weight.copy_(torch.from_numpy(ours.weight.data))
            t.bias.copy_(torch.from_numpy(ours.bias.data))
    return twin


@pytest.mark.parametrize(
    ("activation", "t_activation"),
    [("tanh", torch.nn.Tanh), ("relu", torch.nn.ReLU), ("sigmoid", torch.nn.Sigmoid)],
)
def test_gradients_equal_torch_autograd(activation, t_activation):
    x, y = xor_data(64, seed=1)
    model = two_layer_network(7, activation, rng=3)
    twin = torch_twin(model, t_activation)
    loss_fn = nn.CrossEntropyLoss()
    loss = loss_fn(model(x), y)
    model.backward(loss_fn.backward())
    t_loss = torch.nn.functional.cross_entropy(twin(torch.from_numpy(x)), torch.from_numpy(y))
    t_loss.backward()
    assert loss == pytest.approx(t_loss.item(), rel=1e-14)
    for p, t in zip(model.parameters(), twin.parameters(), strict=True):
        np.testing.assert_allclose(p.grad, t.grad.numpy(), rtol=0, atol=1e-14)


def test_the_pages_gradient_descent_run_equals_torch_sgd_step_for_step():
    x, y = xor_data()
    model = two_layer_network(rng=0)
    twin = torch_twin(model, torch.nn.Tanh)
    history = gradient_descent(model, x, y, steps=300, lr=0.5)
    opt = torch.optim.SGD(twin.parameters(), lr=0.5)
    tx, ty = torch.from_numpy(x), torch.from_numpy(y)
    t_losses = []
    for step in range(301):
        loss = torch.nn.functional.cross_entropy(twin(tx), ty)
        t_losses.append(loss.item())
        if step == 300:
            break
        opt.zero_grad()
        loss.backward()
        opt.step()
    np.testing.assert_allclose(history.loss, t_losses, rtol=0, atol=1e-12)
    for p, t in zip(model.parameters(), twin.parameters(), strict=True):
        np.testing.assert_allclose(p.data, t.detach().numpy(), rtol=0, atol=1e-10)
