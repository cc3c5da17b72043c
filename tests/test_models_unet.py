"""models.UNet: shapes, skip concatenations, gradients equal to finite differences."""

from __future__ import annotations

import numpy as np
import pytest

from cnnbook import nn
from cnnbook.models import UNet, double_conv
from tests.test_nn_gradcheck import check_gradient_by_probes, numerical_gradient

UP_MODES = ["bilinear", pytest.param("transpose", id="transpose")]


@pytest.mark.parametrize("up_mode", UP_MODES)
@pytest.mark.parametrize(("depth", "size"), [(1, (4, 6)), (2, (8, 4))])
def test_unet_gives_one_logit_per_class_and_pixel(up_mode, depth, size):
    net = UNet(2, 3, base_channels=2, depth=depth, up_mode=up_mode, rng=np.random.default_rng(0))
    x = np.random.default_rng(1).random((2, 2, *size)).astype(np.float32)
    logits = net(x)
    assert logits.shape == (2, 3, *size) and logits.dtype == np.float32
    assert net.backward(np.ones_like(logits)).shape == x.shape


@pytest.mark.parametrize("up_mode", UP_MODES)
@pytest.mark.parametrize("training", [True, False])
def test_unet_gradients_match_finite_differences(up_mode, training):
    """The input gradient equals central differences entry by entry; every parameter's
    gradient (all 36 tensors, ~2,000 entries) equals them along a random direction (which
    involves every entry) and at its largest and three random entries
    (``check_gradient_by_probes``): one difference per entry would take ~4,300 forward
    passes per case instead of ~400."""
    rng = np.random.default_rng(2)
    net = UNet(1, 2, base_channels=2, depth=2, up_mode=up_mode, rng=rng, dtype=np.float64)
    net.train(training)
    x = rng.normal(size=(2, 1, 4, 4))
    g = rng.normal(size=(2, 2, 4, 4))

    def loss() -> float:
        return float(np.sum(net(x) * g))

    net.zero_grad()
    net(x)
    grad_x = net.backward(g)
    # rtol 1e-5: through ten ReLUs and two max-poolings a few central differences land
    # within EPS of a kink (seen at ~1e-6 relative); a wrong route would be off by O(1).
    np.testing.assert_allclose(grad_x, numerical_gradient(loss, x), rtol=1e-5, atol=1e-6)
    named = list(net.named_parameters())
    assert len(named) == 36  # every weight, bias and batch-norm scale and shift is probed
    for name, p in named:
        check_gradient_by_probes(
            loss, p.data, p.grad.copy(), rng, rtol=1e-5, atol=1e-6, err_msg=name
        )


def test_unet_skip_carries_detail_the_pooling_drops():
    """Zero the decoder's path from the bottleneck: the skips alone still reach the logits."""
    rng = np.random.default_rng(3)
    net = UNet(1, 1, base_channels=2, depth=1, up_mode="bilinear", rng=rng, dtype=np.float64)
    for p in net.up.parameters():
        p.data[...] = 0  # the upsampled path contributes only zeros
    net.eval()
    x = rng.normal(size=(1, 1, 4, 4))
    x2 = x.copy()
    x2[0, 0, 0, 0] += 1.0  # one pixel: its effect can only reach the output through the skip
    assert not np.allclose(net(x), net(x2))
    g = net.backward(np.ones((1, 1, 4, 4)))
    assert np.abs(g).sum() > 0


def test_unet_attributes_and_state_dict_keys():
    net = UNet(1, 2, base_channels=4, depth=2, up_mode="bilinear", rng=np.random.default_rng(0))
    assert len(net.down) == len(net.pools) == len(net.up) == len(net.dec) == 2
    assert [m[0].out_channels for m in net.down] == [4, 8]
    assert net.bottleneck[0].out_channels == 16 and net.head.out_channels == 2
    keys = list(net.state_dict())
    assert keys[0] == "down.0.0.weight" and "down.0.1.running_mean" in keys
    assert keys[-1] == "head.bias"


def test_unet_refuses_a_size_its_poolings_cannot_undo():
    net = UNet(up_mode="bilinear", depth=2, rng=np.random.default_rng(0))
    with pytest.raises(
        ValueError, match=r"input of shape \(1, 1, 6, 8\) .* multiples of 2\*\*depth \(=4\)"
    ):
        net(np.zeros((1, 1, 6, 8), np.float32))


def test_double_conv_keeps_the_size():
    block = double_conv(3, 5, rng=np.random.default_rng(0), dtype=np.float64)
    assert block(np.zeros((1, 3, 5, 7))).shape == (1, 5, 5, 7)
    assert sum(isinstance(m, nn.BatchNorm2d) for m in block) == 2
