"""torch_bridge: to_torch / from_torch copy models exactly; the parity report measures."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from cnnbook import nn
from cnnbook.torch_bridge import from_torch, parity_report, to_torch
from tests.crosscheck.test_nn_parity import one_torch_thread, random_model

pytestmark = [
    pytest.mark.torch,
    pytest.mark.filterwarnings("ignore:Using padding='same' with even kernel:UserWarning"),
]
__all__ = ["one_torch_thread"]  # the autouse fixture, shared with test_nn_parity


def _lenet(dtype=np.float64) -> nn.Sequential:
    rng = np.random.default_rng(0)
    return nn.Sequential(
        nn.Conv2d(1, 8, 3, padding=1, rng=rng, dtype=dtype),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(8, 16, 3, stride=1, dilation=1, groups=2, bias=False, rng=rng, dtype=dtype),
        nn.Tanh(),
        nn.AvgPool2d(2, ceil_mode=True, count_include_pad=False),
        nn.Flatten(),
        nn.Dropout(0.25),
        nn.Linear(16, 10, rng=rng, dtype=dtype),
    )


def test_repr_is_torchs_repr_of_the_same_model():
    model = _lenet()
    assert repr(model) == repr(to_torch(model))
    for extra in (
        nn.Conv2d(2, 4, (1, 3), stride=(2, 1), padding=(0, 1), dilation=2),
        nn.Conv2d(2, 4, 3, padding="same"),
        nn.MaxPool2d((2, 3), 1, (1, 0), ceil_mode=True),
        nn.AvgPool2d(3, 2, 1),
        nn.Flatten(0, 2),
        nn.Dropout(0.1),
        nn.CrossEntropyLoss(),
    ):
        assert repr(extra) == repr(to_torch(extra))


def test_to_torch_copies_weights_dtype_and_mode_without_shuffling_axes():
    model = _lenet().eval()
    tmodel = to_torch(model)
    assert isinstance(tmodel, torch.nn.Sequential) and not tmodel.training
    for (name, p), (t_name, tp) in zip(
        model.named_parameters(), tmodel.named_parameters(), strict=True
    ):
        assert name == t_name and tp.dtype == torch.float64
        np.testing.assert_array_equal(p.data, tp.detach().numpy())
    tmodel[0].weight.data.zero_()
    assert model[0].weight.data.any()  # a copy, not shared memory


def test_to_torch_leaves_torchs_random_state_alone():
    torch.manual_seed(0)
    to_torch(_lenet())
    after = torch.rand(1)
    torch.manual_seed(0)
    assert torch.equal(after, torch.rand(1))


def test_from_torch_of_to_torch_is_the_same_model():
    model = _lenet(np.float32)
    back = from_torch(to_torch(model))
    assert repr(back) == repr(model)
    for (_, p), (_, q) in zip(model.named_parameters(), back.named_parameters(), strict=True):
        assert q.dtype == np.float32
        np.testing.assert_array_equal(p.data, q.data)


def test_from_torch_model_computes_what_torch_computes():
    torch.manual_seed(1)
    tmodel = torch.nn.Sequential(
        torch.nn.Conv2d(3, 4, 3, padding=1, dtype=torch.float64),
        torch.nn.ReLU(),
        torch.nn.MaxPool2d(2),
        torch.nn.Flatten(),
        torch.nn.Linear(16, 5, dtype=torch.float64),
    ).eval()
    x = np.random.default_rng(0).standard_normal((2, 3, 4, 4))
    expected = tmodel(torch.from_numpy(x)).detach().numpy()
    np.testing.assert_allclose(from_torch(tmodel)(x), expected, rtol=0, atol=1e-12)


def test_nested_sequentials_cross_both_ways():
    model = nn.Sequential(nn.Sequential(nn.Flatten(), nn.Linear(4, 3)), nn.ReLU())
    tmodel = to_torch(model)
    assert isinstance(tmodel[0], torch.nn.Sequential)
    assert [n for n, _ in from_torch(tmodel).named_parameters()] == ["0.1.weight", "0.1.bias"]


@pytest.mark.parametrize(
    ("module", "match"),
    [
        (torch.nn.Sequential(torch.nn.ReLU(), torch.nn.GELU()), r"cannot convert GELU at '1'"),
        (torch.nn.ReLU(inplace=True), r"does not support inplace=True"),
        (torch.nn.MaxPool2d(2, return_indices=True), r"does not support return_indices=True"),
    ],
)
def test_from_torch_refuses_what_cnnbook_lacks(module, match):
    with pytest.raises(TypeError, match=match):
        from_torch(module)


def test_to_torch_refuses_an_unknown_module():
    class Custom(nn.Module):
        pass

    with pytest.raises(TypeError, match=r"to_torch cannot convert Custom"):
        to_torch(nn.Sequential(Custom()))


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize(
    ("optimizer", "kwargs"),
    [
        ("sgd", {"lr": 0.05, "momentum": 0.9, "weight_decay": 1e-3, "nesterov": True}),
        ("adam", {"lr": 0.01, "weight_decay": 1e-4}),
    ],
)
def test_report_on_random_models_with_training_dropout_is_within_1e_8(seed, optimizer, kwargs):
    model, shape, classes = random_model(seed, dropout="train")
    rng = np.random.default_rng(seed)
    x, y = rng.standard_normal((5, *shape)), rng.integers(0, classes, 5)
    report = parity_report(model, x, y, steps=5, optimizer=optimizer, **kwargs)
    assert report.forward_backward < 1e-8
    assert report.after_steps < 1e-8
    assert report.loss_curve < 1e-8
    assert len(report.layers) == len(model) and len(report.losses_numpy) == 5


def test_report_of_a_100_step_run_on_batches_agrees_to_1e_6():
    model = _lenet()
    rng = np.random.default_rng(3)
    batches = [(rng.standard_normal((8, 1, 8, 8)), rng.integers(0, 10, 8)) for _ in range(100)]
    report = parity_report(
        model, *batches[0], batches=batches, optimizer="sgd", lr=0.05, momentum=0.9
    )
    assert len(report.losses_torch) == 100
    assert report.loss_curve < 1e-6


def test_report_finds_a_planted_difference_in_the_right_layer():
    model = _lenet().eval()
    x = np.random.default_rng(0).standard_normal((4, 1, 8, 8))
    y = np.array([0, 1, 2, 3])
    base = parity_report(model, x, y, steps=0)

    class ShiftedReLU(nn.ReLU):  # still crosses over as torch's ReLU
        def forward(self, h):
            return super().forward(h) + 1e-3

    # Break ReLU in cnnbook only: the report must blame layer (1) and nothing before it.
    broken_model = nn.Sequential(*[ShiftedReLU() if i == 1 else m for i, m in enumerate(model)])
    broken = parity_report(broken_model, x, y, steps=0)
    assert base.layers[1].output < 1e-12
    assert broken.layers[0].output < 1e-12 and broken.layers[1].output == pytest.approx(1e-3)


def test_report_does_not_change_the_model():
    model = _lenet()
    before = model.state_dict()
    parity_report(model, np.ones((2, 1, 8, 8)), np.array([0, 1]), steps=3, lr=0.1)
    for name, value in model.state_dict().items():
        np.testing.assert_array_equal(value, before[name])


def test_report_prints_a_table_with_every_layer_and_both_curves():
    model = _lenet()
    report = parity_report(
        model, np.ones((2, 1, 8, 8)), np.array([0, 1]), steps=12, optimizer="adam"
    )
    text = str(report)
    for layer in model:
        assert repr(layer) in text
    assert "after 12 Adam(lr=0.01) steps" in text and "0.weight" in text
    assert f"{report.losses_numpy[-1]:14.10f}" in text and "..." in text


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        (
            {"optimizer": "rmsprop"},
            r"optimizer \(='rmsprop'\) must be one of \['adam', 'adamw', 'sgd'\]",
        ),
        ({"steps": -1}, r"steps \(=-1\) must be non-negative"),
    ],
)
def test_report_bad_arguments_are_named(kwargs, match):
    with pytest.raises(ValueError, match=match):
        parity_report(_lenet(), np.ones((1, 1, 8, 8)), np.array([0]), **kwargs)
