"""cnnbook.models.BasicBlock against a torchvision-style BasicBlock written in torch, float64."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from cnnbook import nn, optim
from cnnbook.models import BasicBlock

pytestmark = pytest.mark.torch

TOL = 1e-9


class TorchBasicBlock(torch.nn.Module):
    """torchvision.models.resnet.BasicBlock, with the projection built as its _make_layer does."""

    def __init__(self, inplanes: int, planes: int, stride: int = 1) -> None:
        super().__init__()
        self.conv1 = torch.nn.Conv2d(inplanes, planes, 3, stride, 1, bias=False)
        self.bn1 = torch.nn.BatchNorm2d(planes)
        self.relu = torch.nn.ReLU()
        self.conv2 = torch.nn.Conv2d(planes, planes, 3, 1, 1, bias=False)
        self.bn2 = torch.nn.BatchNorm2d(planes)
        self.downsample = None
        if stride != 1 or inplanes != planes:
            self.downsample = torch.nn.Sequential(
                torch.nn.Conv2d(inplanes, planes, 1, stride, bias=False),
                torch.nn.BatchNorm2d(planes),
            )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        identity = x if self.downsample is None else self.downsample(x)
        return self.relu(out + identity)


def _twins(inplanes, planes, stride, seed):
    rng = np.random.default_rng(seed)
    ours = BasicBlock(inplanes, planes, stride, rng=rng, dtype=np.float64)
    for name, p in ours.named_parameters():  # batch-norm affine parameters away from 1 and 0
        if "bn" in name or "downsample.1" in name:
            p.data[...] = rng.uniform(0.5, 1.5, p.shape)
    theirs = TorchBasicBlock(inplanes, planes, stride).double()
    assert list(ours.state_dict()) == list(theirs.state_dict())
    theirs.load_state_dict({k: torch.from_numpy(v) for k, v in ours.state_dict().items()})
    return ours, theirs


@pytest.mark.parametrize(("inplanes", "planes", "stride"), [(4, 4, 1), (3, 6, 2), (4, 2, 1)])
def test_basic_block_matches_torch_in_training_then_eval(inplanes, planes, stride):
    ours, theirs = _twins(inplanes, planes, stride, seed=inplanes + planes)
    rng = np.random.default_rng(stride)
    for training in (True, True, False):
        ours.train(training)
        theirs.train(training)
        x = rng.normal(0.5, 2.0, size=(3, inplanes, 7, 6))
        tx = torch.tensor(x, requires_grad=True)
        ty = theirs(tx)
        g = rng.normal(size=tuple(ty.shape))
        ty.backward(torch.tensor(g))
        ours.zero_grad()
        y = ours(x)
        np.testing.assert_allclose(y, ty.detach().numpy(), rtol=0, atol=TOL)
        np.testing.assert_allclose(ours.backward(g), tx.grad.numpy(), rtol=0, atol=TOL)
        for (name, p), (_, tp) in zip(
            ours.named_parameters(), theirs.named_parameters(), strict=True
        ):
            np.testing.assert_allclose(p.grad, tp.grad.numpy(), rtol=0, atol=TOL, err_msg=name)
        theirs.zero_grad()
        for key, value in theirs.state_dict().items():  # running statistics included
            np.testing.assert_allclose(ours.state_dict()[key], value.numpy(), atol=TOL)


def test_a_model_mixing_the_new_layers_trains_like_torch_for_several_sgd_steps():
    """Conv, BatchNorm2d, LeakyReLU, a projection BasicBlock, Identity, Sigmoid, Linear and a
    smoothed, weighted cross-entropy: logits, loss, parameters and running statistics equal
    torch's after every one of 5 SGD steps with momentum (float64)."""
    rng = np.random.default_rng(0)
    ours = nn.Sequential(
        nn.Conv2d(2, 4, 3, padding=1, bias=False, rng=rng, dtype=np.float64),
        nn.BatchNorm2d(4, momentum=None, dtype=np.float64),
        nn.LeakyReLU(0.1),
        BasicBlock(4, 6, stride=2, rng=rng, dtype=np.float64),
        nn.Identity(),
        nn.Flatten(),
        nn.Linear(6 * 3 * 3, 5, rng=rng, dtype=np.float64),
        nn.Sigmoid(),
        nn.Linear(5, 3, rng=rng, dtype=np.float64),
    )
    theirs = torch.nn.Sequential(
        torch.nn.Conv2d(2, 4, 3, padding=1, bias=False),
        torch.nn.BatchNorm2d(4, momentum=None),
        torch.nn.LeakyReLU(0.1),
        TorchBasicBlock(4, 6, stride=2),
        torch.nn.Identity(),
        torch.nn.Flatten(),
        torch.nn.Linear(6 * 3 * 3, 5),
        torch.nn.Sigmoid(),
        torch.nn.Linear(5, 3),
    ).double()
    theirs.load_state_dict({k: torch.from_numpy(v) for k, v in ours.state_dict().items()})
    weight = np.array([1.0, 2.0, 0.5])
    loss_fn = nn.CrossEntropyLoss(weight=weight, label_smoothing=0.1)
    t_loss_fn = torch.nn.CrossEntropyLoss(weight=torch.tensor(weight), label_smoothing=0.1)
    opt = optim.SGD(ours.parameters(), lr=0.1, momentum=0.9)
    t_opt = torch.optim.SGD(theirs.parameters(), lr=0.1, momentum=0.9)
    for step in range(5):
        x = rng.normal(size=(4, 2, 6, 6))
        y = rng.integers(0, 3, size=4)
        opt.zero_grad()
        t_opt.zero_grad()
        loss = loss_fn(ours(x), y)
        t_loss = t_loss_fn(theirs(torch.tensor(x)), torch.tensor(y))
        assert loss == pytest.approx(t_loss.item(), abs=1e-10), step
        ours.backward(loss_fn.backward())
        t_loss.backward()
        opt.step()
        t_opt.step()
        for key, value in theirs.state_dict().items():
            np.testing.assert_allclose(
                ours.state_dict()[key], value.numpy(), rtol=0, atol=1e-8, err_msg=f"{step} {key}"
            )
