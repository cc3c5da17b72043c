"""Bad input to cnnbook.torch_bridge: each a named TypeError/ValueError."""

from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from cnnbook import nn, optim  # noqa: E402
from cnnbook.torch_bridge import (  # noqa: E402
    from_torch,
    optimizer_to_torch,
    parity_report,
    register_twin,
    to_torch,
)

pytestmark = pytest.mark.torch


class _Unknown(nn.Module):
    pass


def _model() -> nn.Sequential:
    return nn.Sequential(nn.Flatten(), nn.Linear(4, 2, rng=np.random.default_rng(0)))


_X, _Y = np.ones((2, 1, 2, 2)), np.array([0, 1])

CASES = [
    (
        "cnnbook.torch_bridge.to_torch",
        lambda: to_torch("model"),
        TypeError,
        r"model \(='model'\) must be a cnnbook.nn.Module",
    ),
    (
        "cnnbook.torch_bridge.to_torch",
        lambda: to_torch(nn.Sequential(_Unknown())),
        TypeError,
        r"cannot convert _Unknown at '0'",
    ),
    (
        "cnnbook.torch_bridge.from_torch",
        lambda: from_torch(_model()),
        TypeError,
        r"(?s)module \(=Sequential.*\) must be a torch.nn.Module",
    ),
    (
        "cnnbook.torch_bridge.from_torch",
        lambda: from_torch(torch.nn.Sequential(torch.nn.GELU())),
        TypeError,
        r"cannot convert GELU at '0'",
    ),
    (
        "cnnbook.torch_bridge.parity_report",
        lambda: parity_report(_model(), _X, _Y, optimizer="rmsprop"),
        ValueError,
        r"optimizer \(='rmsprop'\) must be one of",
    ),
    (
        "cnnbook.torch_bridge.parity_report",
        lambda: parity_report(_model(), _X, _Y, steps=-1),
        ValueError,
        r"steps \(=-1\) must be non-negative",
    ),
    (
        "cnnbook.torch_bridge.parity_report",
        lambda: parity_report(_model(), _X, _Y, loss=nn.ReLU()),
        TypeError,
        r"loss \(=ReLU\(\)\) must be a cnnbook CrossEntropyLoss",
    ),
    (
        "cnnbook.torch_bridge.register_twin",
        lambda: register_twin(int, lambda m: m),
        TypeError,
        r"cls \(=<class 'int'>\) must be a subclass of cnnbook.nn.Module",
    ),
    (
        "cnnbook.torch_bridge.register_twin",
        lambda: register_twin(_Unknown, None),
        TypeError,
        r"to_torch \(=None\) must be callable",
    ),
    (
        "cnnbook.torch_bridge.register_twin",
        lambda: register_twin(_Unknown, lambda m: m, torch.nn.ReLU),
        ValueError,
        r"torch_cls and from_torch go together",
    ),
    (
        "cnnbook.torch_bridge.register_twin",
        lambda: register_twin(_Unknown, lambda m: m, int, lambda t: t),
        TypeError,
        r"torch_cls \(=<class 'int'>\) must be a subclass of torch.nn.Module",
    ),
    (
        "cnnbook.torch_bridge.optimizer_to_torch",
        lambda: optimizer_to_torch("sgd", _model(), to_torch(_model())),
        TypeError,
        r"optimizer_to_torch cannot convert str",
    ),
    (
        "cnnbook.torch_bridge.optimizer_to_torch",
        lambda: optimizer_to_torch(
            optim.SGD(nn.Linear(1, 1).parameters()), _model(), to_torch(_model())
        ),
        TypeError,
        r"param_groups\[0\]\['params'\]\[0\] is not a parameter of model",
    ),
]


@pytest.mark.parametrize(("name", "call", "exc", "match"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_named(name, call, exc, match):
    with pytest.raises(exc, match=match):
        call()
