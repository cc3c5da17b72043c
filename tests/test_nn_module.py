"""Module, Parameter and Sequential: registration, torch's parameter order, modes, state."""

from __future__ import annotations

import numpy as np
import pytest

from cnnbook import nn


def _model(dtype=np.float64) -> nn.Sequential:
    rng = np.random.default_rng(0)
    return nn.Sequential(
        nn.Conv2d(1, 2, 3, rng=rng, dtype=dtype),
        nn.ReLU(),
        nn.Sequential(nn.MaxPool2d(2), nn.Dropout(0.5, rng=rng)),
        nn.Flatten(),
        nn.Linear(2 * 3 * 3, 4, rng=rng, dtype=dtype),
    )


def test_parameter_grad_accumulates_until_zero_grad():
    p = nn.Parameter(np.zeros(3))
    p.accumulate(np.ones(3))
    p.accumulate(2 * np.ones(3))
    np.testing.assert_array_equal(p.grad, [3.0, 3.0, 3.0])
    p.zero_grad(set_to_none=False)
    np.testing.assert_array_equal(p.grad, [0.0, 0.0, 0.0])
    p.zero_grad()
    assert p.grad is None


def test_two_backward_passes_give_twice_the_gradient():
    model = _model().eval()
    x = np.random.default_rng(1).standard_normal((2, 1, 8, 8))
    g = np.ones((2, 4))
    model(x)
    model.backward(g)
    once = [p.grad.copy() for p in model.parameters()]
    model.backward(g)
    for p, first in zip(model.parameters(), once, strict=True):
        np.testing.assert_allclose(p.grad, 2 * first)


def test_named_parameters_follow_torch_order_and_keys():
    names = [n for n, _ in _model().named_parameters()]
    assert names == ["0.weight", "0.bias", "4.weight", "4.bias"]
    assert [p.shape for p in _model().parameters()] == [(2, 1, 3, 3), (2,), (4, 18), (4,)]


def test_a_shared_parameter_is_listed_once():
    a = nn.Linear(3, 3, rng=np.random.default_rng(0))
    b = nn.Linear(3, 3, rng=np.random.default_rng(1))
    b.weight = a.weight
    assert len(list(nn.Sequential(a, b).parameters())) == 3


def test_model_zero_grad_clears_every_parameter():
    model = _model().eval()
    model(np.ones((1, 1, 8, 8)))
    model.backward(np.ones((1, 4)))
    model.zero_grad()
    assert all(p.grad is None for p in model.parameters())


def test_train_and_eval_switch_every_descendant():
    model = _model()
    assert all(m.training for m in model.modules())
    assert model.eval() is model
    assert not any(m.training for m in model.modules())
    model.train()
    assert all(m.training for m in model.modules())


def test_sequential_is_indexable_sized_and_iterable():
    model = _model()
    assert len(model) == 5
    assert isinstance(model[0], nn.Conv2d) and isinstance(model[-1], nn.Linear)
    assert [type(m).__name__ for m in model] == [
        "Conv2d",
        "ReLU",
        "Sequential",
        "Flatten",
        "Linear",
    ]
    head = model[3:]
    assert isinstance(head, nn.Sequential) and len(head) == 2 and head[1] is model[4]


def test_sequential_index_out_of_range_names_the_length():
    with pytest.raises(IndexError, match="index 7 is out of range for a Sequential of 5 layers"):
        _model()[7]


def test_sequential_rejects_a_non_module():
    with pytest.raises(TypeError, match="Sequential takes Modules; got int"):
        nn.Sequential(nn.ReLU(), 3)


def test_sequential_backward_equals_layer_by_layer_backward():
    model = _model().eval()
    x = np.random.default_rng(2).standard_normal((3, 1, 8, 8))
    g = np.random.default_rng(3).standard_normal((3, 4))
    model(x)
    got = model.backward(g)
    h = g
    for layer in reversed(list(model)):
        h = layer.backward(h)
    np.testing.assert_array_equal(got, h)


def test_backward_without_input_grad_returns_none_and_same_parameter_grads():
    model = _model().eval()
    x = np.random.default_rng(2).standard_normal((3, 1, 8, 8))
    g = np.random.default_rng(3).standard_normal((3, 4))
    model(x)
    model.backward(g)
    full = [p.grad for p in model.parameters()]
    model.zero_grad()
    assert model.backward(g, need_input_grad=False) is None
    for p, expected in zip(model.parameters(), full, strict=True):
        np.testing.assert_array_equal(p.grad, expected)


def test_state_dict_round_trip_is_exact():
    a, b = _model(), _model()
    for p in b.parameters():
        p.data[...] = 0
    b.load_state_dict(a.state_dict())
    for (na, pa), (nb, pb) in zip(a.named_parameters(), b.named_parameters(), strict=True):
        assert na == nb
        np.testing.assert_array_equal(pa.data, pb.data)


def test_state_dict_is_a_copy():
    model = _model()
    state = model.state_dict()
    state["0.weight"][...] = 123.0
    assert not np.any(model[0].weight.data == 123.0)


def test_load_state_dict_names_missing_and_unexpected_keys():
    state = _model().state_dict()
    state["9.weight"] = state.pop("4.weight")
    with pytest.raises(
        ValueError, match=r"missing keys \['4.weight'\], unexpected keys \['9.weight'\]"
    ):
        _model().load_state_dict(state)


def test_load_state_dict_names_the_key_and_both_shapes():
    state = _model().state_dict()
    state["4.weight"] = np.zeros((4, 72))
    with pytest.raises(ValueError, match=r"state\['4.weight'\] has shape \(4, 72\); .* \(4, 18\)"):
        _model().load_state_dict(state)


def test_to_converts_every_parameter_dtype():
    model = _model(np.float32)
    assert {p.dtype for p in model.parameters()} == {np.dtype(np.float32)}
    model.double()
    assert {p.dtype for p in model.parameters()} == {np.dtype(np.float64)}
    model.float()
    assert {p.dtype for p in model.parameters()} == {np.dtype(np.float32)}


def test_to_rejects_an_integer_dtype():
    with pytest.raises(TypeError, match=r"dtype \(=int64\) must be a floating dtype"):
        _model().to(np.int64)


@pytest.mark.parametrize(
    "layer",
    [
        nn.ReLU(),
        nn.Tanh(),
        nn.Flatten(),
        nn.MaxPool2d(2),
        nn.AvgPool2d(2),
        nn.Linear(2, 2),
        nn.Conv2d(1, 1, 1),
        nn.Dropout(0.5),
        nn.CrossEntropyLoss(),
    ],
    ids=lambda m: type(m).__name__,
)
def test_backward_before_forward_is_a_clear_error(layer):
    with pytest.raises(RuntimeError, match="backward called before forward"):
        layer.backward(np.ones((1, 2)))


def test_module_without_super_init_is_explained():
    class Broken(nn.Module):
        def __init__(self):
            self.w = nn.Parameter(np.zeros(1))

    with pytest.raises(AttributeError, match=r"must call super\(\).__init__\(\) first"):
        Broken()


def test_base_module_forward_is_not_implemented():
    with pytest.raises(NotImplementedError, match="Module does not define forward"):
        nn.Module()(np.zeros(1))


@pytest.mark.parametrize(
    ("data", "error", "match"),
    [
        ("abc", TypeError, r"Parameter data \(='abc'\) has dtype <U3; expected a real numeric"),
        ([{}], TypeError, r"has dtype object; expected a real numeric"),
        (np.array([1j]), TypeError, r"has dtype complex128"),
        ([[1.0], [1.0, 2.0]], ValueError, r"ragged nested sequence"),
    ],
)
def test_parameter_refuses_non_numeric_data(data, error, match):
    with pytest.raises(error, match=match):
        nn.Parameter(data)


def test_load_state_dict_refuses_complex_and_overflowing_values_and_changes_nothing():
    model = nn.Sequential(nn.Linear(2, 1, rng=np.random.default_rng(0)))
    before = {k: v.copy() for k, v in model.state_dict().items()}
    bad = dict(before)
    bad["0.weight"] = np.array([[1 + 2j, 0]])
    with pytest.raises(TypeError, match=r"state\['0.weight'\] has dtype complex128"):
        model.load_state_dict(bad)
    bad["0.weight"] = np.array([[1e300, 0.0]])
    with pytest.raises(ValueError, match=r"too large for the model's dtype float32"):
        model.load_state_dict(bad)
    for key, value in model.state_dict().items():
        np.testing.assert_array_equal(value, before[key])


def test_backward_before_forward_says_to_call_forward_first():
    for layer in (nn.ReLU(), nn.Tanh(), nn.Sigmoid(), nn.Flatten(), nn.BatchNorm2d(2)):
        with pytest.raises(RuntimeError, match=r"backward called before forward"):
            layer.backward(np.ones((1, 2, 1, 1)))
    with pytest.raises(RuntimeError, match=r"backward called before forward"):
        nn.CrossEntropyLoss().backward()


@pytest.mark.parametrize(
    ("layer", "x"),
    [
        (nn.ReLU(), np.ones((2, 3))),
        (nn.Tanh(), np.ones((2, 3))),
        (nn.Sigmoid(), np.ones((2, 3))),
        (nn.LeakyReLU(), np.ones((2, 3))),
        (nn.Identity(), np.ones((2, 3))),
        (nn.Flatten(), np.ones((2, 3, 1))),
        (nn.Dropout(0.5), np.ones((2, 3))),
        (nn.Linear(3, 3, dtype=np.float64), np.ones((2, 3))),
    ],
    ids=lambda v: type(v).__name__,
)
def test_backward_refuses_a_gradient_that_would_broadcast(layer, x):
    layer(x)
    with pytest.raises(ValueError, match=r"grad_output has shape \(3,\); expected exactly"):
        layer.backward(np.ones(3))


def test_bias_flag_must_be_a_real_bool():
    with pytest.raises(TypeError, match=r"bias \(='False'\) must be a bool"):
        nn.Linear(2, 2, bias="False")
