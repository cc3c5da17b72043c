"""Networks whose forward is not a chain: custom Modules that add or concatenate earlier maps.

Finite differences check that each custom `backward` routes the gradient correctly
(to the input and to every parameter), and the Module machinery (registration,
train/eval, zero_grad, state_dict) sees the sub-modules held as attributes.
"""

from __future__ import annotations

import numpy as np
import pytest

from cnnbook import nn
from cnnbook.models import BasicBlock
from tests.test_nn_gradcheck import assert_gradients_match_finite_differences


class Residual(nn.Module):
    """y = x + body(x): the simplest skip connection, written as a torch user would."""

    def __init__(self, channels: int, rng: np.random.Generator) -> None:
        super().__init__()
        self.conv = nn.Conv2d(channels, channels, 3, padding=1, rng=rng, dtype=np.float64)
        self.act = nn.Tanh()

    def forward(self, x):
        return x + self.act(self.conv(x))

    def backward(self, grad):
        return grad + self.conv.backward(self.act.backward(grad))


class ConcatSkip(nn.Module):
    """A U-Net-style join: encode, then concatenate the encoder's map with the input."""

    def __init__(self, rng: np.random.Generator) -> None:
        super().__init__()
        self.enc = nn.Conv2d(2, 3, 3, padding=1, rng=rng, dtype=np.float64)
        self.act = nn.Sigmoid()
        self.head = nn.Conv2d(5, 2, 1, rng=rng, dtype=np.float64)

    def forward(self, x):
        e = self.act(self.enc(x))
        self._sizes = [e.shape[1], x.shape[1]]
        return self.head(nn.cat([e, x], dim=1))

    def backward(self, grad):
        g_e, g_x = nn.split(self.head.backward(grad), self._sizes, dim=1)
        return self.enc.backward(self.act.backward(g_e)) + g_x


def _check_gradients(model: nn.Module, x: np.ndarray, seed: int = 0) -> None:
    g = np.random.default_rng(seed).normal(size=model(x).shape)
    assert_gradients_match_finite_differences(model, x, g, rtol=1e-6, atol=1e-7)


def test_residual_module_gradients_match_finite_differences():
    rng = np.random.default_rng(0)
    _check_gradients(Residual(2, rng), rng.normal(size=(2, 2, 4, 4)))


def test_concatenating_module_gradients_match_finite_differences():
    rng = np.random.default_rng(1)
    _check_gradients(ConcatSkip(rng), rng.normal(size=(2, 2, 3, 4)))


@pytest.mark.parametrize(("inplanes", "planes", "stride"), [(3, 3, 1), (2, 4, 2), (3, 2, 1)])
@pytest.mark.parametrize("training", [True, False])
def test_basic_block_gradients_match_finite_differences(inplanes, planes, stride, training):
    rng = np.random.default_rng(inplanes * 10 + planes)
    block = BasicBlock(inplanes, planes, stride, rng=rng, dtype=np.float64)
    x = rng.normal(size=(3, inplanes, 5, 5))
    if not training:
        for _ in range(2):  # give the running statistics values other than 0 and 1
            block(rng.normal(1.0, 2.0, size=x.shape))
        block.eval()
    # In training mode each forward also moves the running statistics; that does not
    # change the output (batch statistics are used), so the differences are exact.
    _check_gradients(block, x)


def test_residual_block_registers_attributes_as_children_and_propagates_modes():
    block = BasicBlock(2, 4, stride=2, rng=np.random.default_rng(0))
    names = [name for name, _ in block.named_modules()]
    assert names == [
        "", "conv1", "bn1", "relu1", "conv2", "bn2",
        "downsample", "downsample.0", "downsample.1", "relu2",
    ]  # fmt: skip
    block.eval()
    assert not any(m.training for m in block.modules())
    block.train()
    assert all(m.training for m in block.modules())
    block(np.ones((2, 2, 4, 4), np.float32))
    block.backward(np.ones((2, 4, 2, 2), np.float32))
    assert all(p.grad is not None for p in block.parameters())
    block.zero_grad()
    assert all(p.grad is None for p in block.parameters())


def test_identity_shortcut_adds_the_upstream_gradient_to_the_body_gradient():
    block = BasicBlock(2, 2, rng=np.random.default_rng(0), dtype=np.float64)
    assert block.downsample is None
    for p in block.parameters():  # a body that outputs 0: only the shortcut remains
        p.data[...] = 0
    x = np.random.default_rng(1).normal(size=(2, 2, 3, 3))
    y = block(x)
    np.testing.assert_array_equal(y, np.maximum(x, 0))
    np.testing.assert_array_equal(block.backward(np.ones_like(y)), (x > 0).astype(float))


def test_a_shortcut_of_the_wrong_shape_is_a_named_error():
    block = BasicBlock(2, 4, downsample=nn.Identity(), rng=np.random.default_rng(0))
    with pytest.raises(ValueError, match=r"shortcut gives shape \(1, 2, 4, 4\).*\(1, 4, 4, 4\)"):
        block(np.ones((1, 2, 4, 4), np.float32))


def test_cat_then_split_returns_the_pieces():
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=(2, 3, 4)), rng.normal(size=(2, 1, 4))
    pa, pb = nn.split(nn.cat([a, b], dim=1), [3, 1], dim=1)
    np.testing.assert_array_equal(pa, a)
    np.testing.assert_array_equal(pb, b)
    assert [c.shape[0] for c in nn.split(np.zeros((7, 2)), 3)] == [3, 3, 1]
