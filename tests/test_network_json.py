"""The in-browser network's JSON: exact round trip, torch's layouts, atomic export."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from cnnbook import browser_network, nn
from cnnbook.models import lenet_like
from cnnbook.network_json import LAYER_TYPES, from_json, to_json


def _every_layer_model() -> nn.Sequential:
    rng = np.random.default_rng(3)
    return nn.Sequential(
        nn.Conv2d(2, 4, (3, 2), stride=(1, 2), padding=(1, 0), dilation=(2, 1), rng=rng),
        nn.LeakyReLU(0.2),
        nn.Conv2d(4, 4, 3, padding=1, groups=2, bias=False, rng=rng),
        nn.Tanh(),
        nn.MaxPool2d(2, stride=1, padding=1, dilation=2),
        nn.AvgPool2d(2, padding=1),
        nn.Sigmoid(),
        nn.Dropout(0.3),
        nn.ReLU(),
        nn.Flatten(),
        nn.Linear(4 * 4 * 3, 3, rng=rng),
    )


@pytest.mark.parametrize(
    "build", [_every_layer_model, lambda: lenet_like(image_size=10, padding=1)]
)
def test_exported_json_loads_back_into_an_identical_model(build) -> None:
    model = build()
    model.eval()
    shape, classes = (
        ((2, 9, 10), list("abc"))
        if model[0].in_channels == 2
        else ((1, 10, 10), list("0123456789"))
    )
    text = json.dumps(to_json(model, shape, classes))
    again = from_json(text)
    assert again.input_shape == shape
    original, loaded = model.state_dict(), again.model.state_dict()
    assert list(original) == list(loaded)
    for key in original:
        assert np.array_equal(original[key], loaded[key]), key
    x = np.random.default_rng(0).standard_normal((4, *shape)).astype(np.float32)
    assert np.array_equal(model(x), again.model(x))


def test_every_known_layer_type_is_exercised() -> None:
    used = {type(layer).__name__ for layer in _every_layer_model()}
    assert used == set(LAYER_TYPES)


def test_weights_are_in_torchs_layouts() -> None:
    torch = pytest.importorskip("torch")
    model = _every_layer_model()
    model.eval()
    data = to_json(model, (2, 9, 10), ["a", "b", "c"])
    t = (
        torch.nn.Sequential(
            torch.nn.Conv2d(2, 4, (3, 2), stride=(1, 2), padding=(1, 0), dilation=(2, 1)),
            torch.nn.LeakyReLU(0.2),
            torch.nn.Conv2d(4, 4, 3, padding=1, groups=2, bias=False),
            torch.nn.Tanh(),
            torch.nn.MaxPool2d(2, stride=1, padding=1, dilation=2),
            torch.nn.AvgPool2d(2, padding=1),
            torch.nn.Sigmoid(),
            torch.nn.Dropout(0.3),
            torch.nn.ReLU(),
            torch.nn.Flatten(),
            torch.nn.Linear(48, 3),
        )
        .double()
        .eval()
    )
    with torch.no_grad():
        for layer, entry in zip(t, data["layers"], strict=True):
            if "weight" in entry:
                layer.weight.copy_(torch.tensor(entry["weight"]).reshape(layer.weight.shape))
                if entry["bias"] is not None:
                    layer.bias.copy_(torch.tensor(entry["bias"]))
        x = np.random.default_rng(1).standard_normal((3, 2, 9, 10))
        expected = t(torch.from_numpy(x)).numpy()
    ours = from_json(data).model.to(np.float64)(x)
    np.testing.assert_allclose(ours, expected, rtol=1e-10, atol=1e-12)


def test_export_writes_both_files_atomically(tmp_path: Path) -> None:
    folder = tmp_path / "network"
    (tmp_path / "assets" / "network").mkdir(parents=True)
    stale = tmp_path / browser_network.MODEL_JSON
    stale.write_text("half a file")
    paths = browser_network.export(tmp_path)
    assert [p.relative_to(tmp_path) for p in paths] == [
        browser_network.MODEL_JSON,
        browser_network.EXAMPLES_JSON,
    ]
    model = from_json(paths[0])
    examples = json.loads(paths[1].read_text())
    assert model.input_shape == (1, 10, 10)
    # No temporary file is left next to them.
    assert sorted(p.name for p in paths[0].parent.iterdir()) == ["examples.json", "model.json"]
    assert not folder.exists()
    # The examples' predictions are the exported model's own.
    x = np.array([e["pixels"] for e in examples], dtype=np.float32).reshape(-1, 1, 10, 10)
    assert model.model(x).argmax(axis=1).tolist() == [e["prediction"] for e in examples]
    assert any(e["prediction"] != e["label"] for e in examples)
    assert {e["label"] for e in examples if e["prediction"] == e["label"]} == set(range(10))
