"""UNet and ConvAutoencoder against their torch twins via the bridge, float64 (1e-8)."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from cnnbook import nn
from cnnbook.models import ConvAutoencoder, UNet
from cnnbook.torch_bridge import from_torch, parity_report, to_torch
from tests.crosscheck.test_nn_parity import one_torch_thread

pytestmark = pytest.mark.torch
__all__ = ["one_torch_thread"]  # the autouse fixture, shared with test_nn_parity

TOL = 1e-8


@pytest.mark.parametrize("up_mode", ["bilinear", "transpose"])
@pytest.mark.parametrize("optimizer", ["sgd", "adamw"])
def test_unet_trains_like_its_torch_twin_on_per_pixel_labels(up_mode, optimizer):
    rng = np.random.default_rng(0)
    net = UNet(2, 3, base_channels=2, depth=2, up_mode=up_mode, rng=rng, dtype=np.float64)
    x = rng.normal(size=(2, 2, 8, 4))
    y = rng.integers(0, 3, (2, 8, 4))
    loss = nn.CrossEntropyLoss(np.array([1.0, 2.0, 0.5]), label_smoothing=0.1)
    report = parity_report(net, x, y, loss=loss, steps=4, optimizer=optimizer, lr=0.02)
    assert report.forward_backward < TOL, str(report)
    assert report.after_steps < TOL and report.loss_curve < TOL, str(report)
    assert "down.0.1.running_var" in report.buffers


@pytest.mark.parametrize("up_mode", ["bilinear", "transpose"])
def test_unet_twin_is_plain_torch_with_the_same_keys_and_crosses_back(up_mode):
    net = UNet(
        1, 2, base_channels=2, up_mode=up_mode, rng=np.random.default_rng(1), dtype=np.float64
    )
    tnet = to_torch(net)
    assert list(tnet.state_dict()) == list(net.state_dict())
    assert all(type(m).__module__.startswith("torch.nn") for m in tnet.children())
    x = np.random.default_rng(2).normal(size=(1, 1, 8, 8))
    net.eval()
    tnet.eval()
    with torch.no_grad():
        expected = tnet(torch.from_numpy(x)).numpy()
    np.testing.assert_allclose(net(x), expected, rtol=0, atol=1e-12)
    back = from_torch(tnet)
    assert type(back) is UNet and back.up_mode == up_mode and repr(back) == repr(net)
    np.testing.assert_array_equal(back(x), net(x))


def test_from_torch_refuses_a_unet_twin_with_other_layers():
    tnet = to_torch(UNet(1, 2, base_channels=2, up_mode="bilinear", rng=np.random.default_rng(0)))
    tnet.head = torch.nn.Conv2d(2, 2, 3, padding=1)
    with pytest.raises(TypeError, match=r"from_torch: head is Conv2d\(2, 2, kernel_size=\(3, 3\)"):
        from_torch(tnet)


@pytest.mark.parametrize("loss", [nn.MSELoss(), nn.L1Loss(reduction="sum")], ids=repr)
def test_autoencoder_trains_like_its_torch_twin(loss):
    rng = np.random.default_rng(3)
    ae = ConvAutoencoder(1, (3, 4), latent_channels=2, rng=rng, dtype=np.float64)
    x = rng.random((3, 1, 8, 8))
    report = parity_report(ae, x, x, loss=loss, steps=4, optimizer="adam", lr=0.01)
    assert report.forward_backward < TOL and report.after_steps < TOL, str(report)
    back = from_torch(to_torch(ae))
    assert type(back) is ConvAutoencoder and repr(back) == repr(ae)
    np.testing.assert_array_equal(back(x), ae(x))
