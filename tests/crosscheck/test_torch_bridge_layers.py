"""torch_bridge with the newer layers: BatchNorm2d (parameters and buffers, both modes),
Sigmoid, LeakyReLU, Identity, BasicBlock, the losses with every option, AdamW and the
optimizer options; random models mixing them train like torch to 1e-8 in float64."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from cnnbook import nn, optim
from cnnbook.models import BasicBlock
from cnnbook.torch_bridge import (
    from_torch,
    optimizer_to_torch,
    parity_report,
    register_twin,
    to_torch,
)
from tests.crosscheck.test_nn_parity import one_torch_thread

pytestmark = pytest.mark.torch
__all__ = ["one_torch_thread"]  # the autouse fixture, shared with test_nn_parity

TOL = 1e-8


def _perturb_batchnorms(model: nn.Module, rng: np.random.Generator) -> None:
    """Move affine parameters and running statistics away from their start (1, 0, 0, 1)."""
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            if m.weight is not None and m.bias is not None:
                m.weight.data[...] = rng.uniform(0.5, 1.5, m.weight.shape)
                m.bias.data[...] = rng.normal(0, 0.3, m.bias.shape)
            if m.running_mean is not None and m.running_var is not None:
                m.running_mean[...] = rng.normal(0, 0.5, m.running_mean.shape)
                m.running_var[...] = rng.uniform(0.5, 2.0, m.running_var.shape)
                m.num_batches_tracked[...] = rng.integers(0, 9)


def random_model(seed: int) -> tuple[nn.Sequential, int]:
    """A random float64 CNN on (3, 8, 8) inputs mixing every newer layer; returns it and C."""
    rng = np.random.default_rng(seed)
    c = int(rng.integers(2, 5))
    momentum = [0.1, None, 0.3][seed % 3]
    act = [nn.ReLU(), nn.LeakyReLU(float(rng.uniform(0.01, 0.3))), nn.Sigmoid(), nn.Tanh()]
    layers: list[nn.Module] = [
        nn.Conv2d(3, c, 3, padding=1, bias=bool(seed % 2), rng=rng, dtype=np.float64),
        nn.BatchNorm2d(c, eps=float(rng.uniform(1e-5, 1e-2)), momentum=momentum, dtype=np.float64),
        act[seed % 4],
        BasicBlock(c, c, rng=rng, dtype=np.float64),
        nn.Identity(),
        BasicBlock(c, 2 * c, stride=2, rng=rng, dtype=np.float64),
        nn.BatchNorm2d(2 * c, affine=seed % 2 == 0, dtype=np.float64),
        act[(seed + 1) % 4],
    ]
    if seed % 3 == 2:
        layers.append(nn.BatchNorm2d(2 * c, track_running_stats=False, dtype=np.float64))
    model = nn.Sequential(*layers)
    _perturb_batchnorms(model, rng)
    return model, 2 * c


def test_batchnorm_crosses_with_its_buffers_and_mode_both_ways():
    rng = np.random.default_rng(0)
    bn = nn.BatchNorm2d(3, eps=1e-3, momentum=None, dtype=np.float64)
    _perturb_batchnorms(bn, rng)
    bn.eval()
    tbn = to_torch(bn)
    assert repr(tbn) == repr(bn) and not tbn.training
    assert tbn.weight.dtype == torch.float64
    for key, value in bn.state_dict().items():
        np.testing.assert_array_equal(tbn.state_dict()[key].numpy(), value)
    assert int(tbn.num_batches_tracked) == int(bn.num_batches_tracked)
    back = from_torch(tbn)
    assert not back.training and repr(back) == repr(bn)
    for key, value in bn.state_dict().items():
        np.testing.assert_array_equal(back.state_dict()[key], value)
        assert back.state_dict()[key].dtype == value.dtype


@pytest.mark.parametrize("training", [True, False])
def test_batchnorm_twin_computes_the_same_output_and_running_statistics(training):
    rng = np.random.default_rng(1)
    bn = nn.BatchNorm2d(4, momentum=0.2, dtype=np.float64)
    _perturb_batchnorms(bn, rng)
    bn.train(training)
    tbn = to_torch(bn)
    for _ in range(3):
        x = rng.normal(1.0, 2.0, (5, 4, 3, 2))
        with torch.no_grad():
            expected = tbn(torch.from_numpy(x)).numpy()
        np.testing.assert_allclose(bn(x), expected, rtol=0, atol=1e-12)
    for key, value in bn.state_dict().items():
        np.testing.assert_allclose(tbn.state_dict()[key].numpy(), value, rtol=0, atol=1e-12)


@pytest.mark.parametrize(
    "layer",
    [
        nn.Sigmoid(),
        nn.LeakyReLU(0.2),
        nn.Identity(),
        nn.BatchNorm2d(5, 1e-3, 0.3, affine=False, track_running_stats=False),
        nn.CrossEntropyLoss(np.array([1.0, 2.0, 0.5]), ignore_index=1, label_smoothing=0.1),
        nn.CrossEntropyLoss(reduction="sum"),
        nn.MSELoss(reduction="none"),
        nn.L1Loss(reduction="sum"),
        nn.BCEWithLogitsLoss(
            np.array([1.0, 2.0]), reduction="sum", pos_weight=np.array([3.0, 0.5])
        ),
    ],
    ids=repr,
)
def test_layers_and_losses_round_trip_with_every_option(layer):
    tlayer = to_torch(layer)
    assert repr(tlayer) == repr(layer)
    back = from_torch(tlayer)
    assert type(back) is type(layer) and repr(back) == repr(layer)
    for attr in (
        "weight",
        "pos_weight",
        "ignore_index",
        "label_smoothing",
        "reduction",
        "negative_slope",
        "eps",
        "momentum",
    ):
        if hasattr(layer, attr) and not isinstance(getattr(layer, attr), nn.Parameter):
            ours, theirs = getattr(layer, attr), getattr(tlayer, attr)
            theirs = theirs.numpy() if isinstance(theirs, torch.Tensor) else theirs
            np.testing.assert_array_equal(getattr(back, attr), ours)
            np.testing.assert_array_equal(theirs, ours)


LOSS_CASES = [
    (
        nn.CrossEntropyLoss(np.array([0.5, 1.0, 2.0, 1.5]), ignore_index=2, label_smoothing=0.2),
        "index",
    ),
    (nn.CrossEntropyLoss(reduction="sum", label_smoothing=0.05), "probs"),
    (nn.CrossEntropyLoss(reduction="none"), "index"),
    (nn.MSELoss(), "real"),
    (nn.L1Loss(reduction="sum"), "real"),
    (
        nn.BCEWithLogitsLoss(
            reduction="mean", pos_weight=np.array([2.0, 0.5, 1.0, 3.0])[:, None, None]
        ),
        "binary",
    ),
    (nn.BCEWithLogitsLoss(np.linspace(0.5, 1.5, 4)[:, None, None], reduction="none"), "binary"),
]


def _targets(kind: str, shape: tuple[int, ...], rng: np.random.Generator) -> np.ndarray:
    n, c, h, w = shape
    if kind == "index":
        return rng.integers(0, c, (n, h, w))
    if kind == "probs":
        p = rng.random(shape)
        return p / p.sum(axis=1, keepdims=True)
    if kind == "binary":
        return (rng.random(shape) < 0.4).astype(np.float64)
    return rng.normal(size=shape)


@pytest.mark.parametrize(("loss", "kind"), LOSS_CASES, ids=[repr(c[0]) for c in LOSS_CASES])
def test_per_pixel_losses_train_like_torch(loss, kind):
    """A fully convolutional model with a per-pixel loss: every option, 4 SGD steps."""
    rng = np.random.default_rng(3)
    model = nn.Sequential(
        nn.Conv2d(2, 4, 3, padding=1, rng=rng, dtype=np.float64),
        nn.BatchNorm2d(4, dtype=np.float64),
        nn.LeakyReLU(0.1),
        nn.Conv2d(4, 4, 1, rng=rng, dtype=np.float64),
    )
    x = rng.normal(size=(3, 2, 5, 4))
    y = _targets(kind, (3, 4, 5, 4), rng)
    report = parity_report(model, x, y, loss=loss, steps=4, lr=0.05, momentum=0.9)
    assert report.forward_backward < TOL
    assert report.after_steps < TOL and report.loss_curve < TOL
    assert set(report.buffers) == {"1.running_mean", "1.running_var", "1.num_batches_tracked"}


OPTIMIZER_CASES = [
    ("sgd", {"lr": 0.05, "momentum": 0.9, "dampening": 0.1, "weight_decay": 1e-3}),
    ("sgd", {"lr": 0.02, "momentum": 0.8, "nesterov": True, "maximize": True}),
    ("adam", {"lr": 0.01, "amsgrad": True, "weight_decay": 1e-3}),
    ("adam", {"lr": 0.01, "weight_decay": 1e-2, "decoupled_weight_decay": True, "maximize": True}),
    ("adamw", {"lr": 0.01, "betas": (0.8, 0.99), "amsgrad": True}),
    ("adamw", {"lr": 0.005, "weight_decay": 0.1, "eps": 1e-6}),
]


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize(("optimizer", "kwargs"), OPTIMIZER_CASES)
def test_random_models_mixing_new_layers_agree_with_torch_over_steps(seed, optimizer, kwargs):
    model, classes = random_model(seed)
    rng = np.random.default_rng(100 + seed)
    x = rng.normal(size=(4, 3, 8, 8))
    y = rng.integers(0, classes, (4, 4, 4))
    loss = nn.CrossEntropyLoss(rng.uniform(0.5, 2.0, classes), ignore_index=0, label_smoothing=0.1)
    report = parity_report(model, x, y, loss=loss, steps=5, optimizer=optimizer, **kwargs)
    assert report.forward_backward < TOL, str(report)
    assert report.after_steps < TOL and report.loss_curve < TOL, str(report)
    assert any(k.endswith("running_var") for k in report.buffers)
    assert any("downsample.1.weight" in k for k in report.parameters)


def test_eval_mode_models_compare_with_running_statistics():
    model, classes = random_model(1)
    model.eval()
    rng = np.random.default_rng(7)
    report = parity_report(
        model, rng.normal(size=(2, 3, 8, 8)), rng.integers(0, classes, (2, 4, 4)), steps=3
    )
    assert report.forward_backward < TOL and report.after_steps < TOL


def test_basic_block_twin_has_torchvisions_keys_and_crosses_both_ways():
    rng = np.random.default_rng(2)
    block = BasicBlock(3, 6, stride=2, rng=rng, dtype=np.float64)
    _perturb_batchnorms(block, rng)
    tblock = to_torch(block)
    assert list(tblock.state_dict()) == list(block.state_dict())
    assert list(tblock.state_dict())[:2] == ["conv1.weight", "bn1.weight"]
    assert all(type(m).__module__.startswith("torch.nn") for m in tblock.children())
    x = rng.normal(size=(2, 3, 7, 7))
    with torch.no_grad():
        expected = tblock(torch.from_numpy(x)).numpy()
    np.testing.assert_allclose(block(x), expected, rtol=0, atol=1e-12)
    back = from_torch(tblock)  # the statistics the torch forward updated come back
    assert type(back) is BasicBlock and repr(back) == repr(block)
    for key, value in tblock.state_dict().items():
        np.testing.assert_array_equal(back.state_dict()[key], value.numpy())


@pytest.mark.parametrize("affine", [True, False])
def test_batchnorm_without_bias_converts_both_ways(affine):
    tbn = torch.nn.BatchNorm2d(3, affine=affine, bias=False, dtype=torch.float64)
    with torch.no_grad():
        tbn(torch.randn(4, 3, 2, 2, dtype=torch.float64))  # running statistics move
    bn = from_torch(tbn)
    assert bn.bias is None and repr(bn) == repr(tbn)
    twin = to_torch(bn)
    assert twin.bias is None and repr(twin) == repr(tbn)
    for key, value in tbn.state_dict().items():
        np.testing.assert_array_equal(bn.state_dict()[key], value.numpy())
        np.testing.assert_array_equal(twin.state_dict()[key].numpy(), value.numpy())


def test_from_torch_refuses_a_block_that_changes_shape_without_downsample():
    tblock = to_torch(BasicBlock(2, 2, rng=np.random.default_rng(0)))
    tblock.conv1 = torch.nn.Conv2d(2, 2, 3, 2, 1, bias=False)
    with pytest.raises(TypeError, match=r"changes the map's shape .* no downsample"):
        from_torch(tblock)


def test_a_users_module_is_refused_by_name_and_position():
    class Gate(nn.Module):
        def forward(self, x):
            return x

    model = nn.Sequential(nn.ReLU(), nn.Sequential(nn.Identity(), Gate()))
    with pytest.raises(TypeError, match=r"to_torch cannot convert Gate at '1\.1' .*register_twin"):
        to_torch(model)


def test_a_registered_users_module_converts_and_trains_like_torch():
    class Scale(nn.Module):  # y = a * x, one learnable scalar per channel
        def __init__(self, c):
            super().__init__()
            self.a = nn.Parameter(np.linspace(0.5, 1.5, c))

        def forward(self, x):
            self._x = x
            return x * self.a.data[:, None, None]

        def backward(self, g):
            self.a.grad = (0 if self.a.grad is None else self.a.grad) + (g * self._x).sum(
                axis=(0, 2, 3)
            )
            return g * self.a.data[:, None, None]

    class TorchScale(torch.nn.Module):
        def __init__(self, c):
            super().__init__()
            self.a = torch.nn.Parameter(torch.ones(c, dtype=torch.float64))

        def forward(self, x):
            return x * self.a[:, None, None]

    register_twin(
        Scale, lambda m: TorchScale(m.a.shape[0]), TorchScale, lambda t: Scale(t.a.shape[0])
    )
    rng = np.random.default_rng(4)
    model = nn.Sequential(nn.Conv2d(1, 3, 3, rng=rng, dtype=np.float64), Scale(3))
    report = parity_report(model, rng.normal(size=(2, 1, 5, 5)), rng.integers(0, 3, (2, 3, 3)))
    assert report.forward_backward < TOL and report.after_steps < TOL
    back = from_torch(to_torch(model))
    np.testing.assert_array_equal(back[1].a.data, model[1].a.data)


def test_optimizer_to_torch_keeps_groups_and_every_option():
    rng = np.random.default_rng(5)
    model = nn.Sequential(nn.Linear(3, 2, rng=rng), nn.Sigmoid(), nn.Linear(2, 1, rng=rng))
    opt = optim.Adam(
        [{"params": model[0].parameters(), "lr": 0.1}, {"params": model[2].parameters()}],
        lr=0.01,
        amsgrad=True,
        maximize=True,
        decoupled_weight_decay=True,
        weight_decay=0.3,
    )
    topt = optimizer_to_torch(opt, model, to_torch(model))
    assert type(topt) is torch.optim.Adam
    tparams = dict(to_torch(model).named_parameters())
    for group, tgroup in zip(opt.param_groups, topt.param_groups, strict=True):
        for key, value in group.items():
            if key != "params":
                assert tgroup[key] == value, key
        assert [p.shape for p in group["params"]] == [tuple(t.shape) for t in tgroup["params"]]
    assert len(tparams) == 4


def test_optimizer_to_torch_refuses_a_stepped_optimizer_and_foreign_parameters():
    rng = np.random.default_rng(6)
    model = nn.Sequential(nn.Linear(2, 1, rng=rng, dtype=np.float64))
    other = nn.Linear(2, 1, rng=rng)
    with pytest.raises(TypeError, match=r"param_groups\[0\]\['params'\]\[0\] is not a parameter"):
        optimizer_to_torch(optim.SGD(other.parameters()), model, to_torch(model))
    opt = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    model(np.ones((1, 2)))
    model.backward(np.ones((1, 1)))
    opt.step()
    with pytest.raises(ValueError, match=r"already stepped"):
        optimizer_to_torch(opt, model, to_torch(model))


@pytest.mark.parametrize(
    "upsample",
    [
        nn.Upsample(scale_factor=2),
        nn.Upsample(size=(7, 9), mode="bilinear"),
        nn.Upsample(scale_factor=(1.5, 2), mode="bilinear", align_corners=True),
    ],
    ids=repr,
)
@pytest.mark.parametrize("optimizer", ["sgd", "adamw"])
def test_models_with_upsample_and_adaptive_pooling_train_like_torch(upsample, optimizer):
    rng = np.random.default_rng(8)
    model = nn.Sequential(
        nn.Conv2d(2, 3, 3, padding=1, rng=rng, dtype=np.float64),
        nn.BatchNorm2d(3, dtype=np.float64),
        nn.ReLU(),
        upsample,
        nn.Conv2d(3, 4, 3, rng=rng, dtype=np.float64),
        nn.AdaptiveAvgPool2d((2, None)),
        nn.AdaptiveAvgPool2d(1),
        nn.Flatten(),
        nn.Linear(4, 3, rng=rng, dtype=np.float64),
    )
    assert repr(to_torch(model)) == repr(model)
    report = parity_report(
        model, rng.normal(size=(3, 2, 5, 6)), np.array([0, 2, 1]), optimizer=optimizer, lr=0.05
    )
    assert report.forward_backward < TOL and report.after_steps < TOL and report.loss_curve < TOL
    assert repr(from_torch(to_torch(model))) == repr(model)


@pytest.mark.parametrize(
    "layer",
    [
        nn.Conv2d(2, 4, 3, padding=1, padding_mode="reflect"),
        nn.Conv2d(2, 4, (3, 2), padding=(2, 1), padding_mode="circular", bias=False),
        nn.Conv2d(2, 2, 3, padding=1, padding_mode="replicate", groups=2),
        nn.ConvTranspose2d(2, 4, 3, stride=2, padding=1, output_padding=1),
        nn.ConvTranspose2d(4, 2, (2, 3), stride=(2, 1), dilation=2, groups=2, bias=False),
    ],
    ids=repr,
)
def test_conv_layers_with_padding_modes_and_transposed_round_trip(layer):
    tlayer = to_torch(layer)
    assert repr(tlayer) == repr(layer)
    back = from_torch(tlayer)
    assert repr(back) == repr(layer)
    np.testing.assert_array_equal(back.weight.data, layer.weight.data)


@pytest.mark.parametrize("padding_mode", ["zeros", "reflect", "replicate", "circular"])
@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
def test_encoder_decoder_with_padding_modes_and_transposed_convs_trains_like_torch(
    padding_mode, optimizer
):
    rng = np.random.default_rng(9)
    model = nn.Sequential(
        nn.Conv2d(
            2, 4, 3, stride=2, padding=1, padding_mode=padding_mode, rng=rng, dtype=np.float64
        ),
        nn.BatchNorm2d(4, dtype=np.float64),
        nn.LeakyReLU(0.1),
        nn.ConvTranspose2d(
            4, 3, 3, stride=2, padding=1, output_padding=1, rng=rng, dtype=np.float64
        ),
        nn.Sigmoid(),
        nn.ConvTranspose2d(3, 2, (2, 3), dilation=(1, 2), groups=1, rng=rng, dtype=np.float64),
    )
    x = rng.normal(size=(2, 2, 6, 6))
    out_shape = model(x).shape
    y = (rng.random(out_shape) < 0.5).astype(np.float64)
    report = parity_report(
        model, x, y, loss=nn.BCEWithLogitsLoss(pos_weight=np.array([2.0, 0.5])[:, None, None]),
        optimizer=optimizer, steps=4, lr=0.02,
    )  # fmt: skip
    assert report.forward_backward < TOL and report.after_steps < TOL, str(report)
