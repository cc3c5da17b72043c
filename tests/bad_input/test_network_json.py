import numpy as np
import pytest

from cnnbook import browser_network, nn
from cnnbook.network_json import from_json, to_json

_LIN = nn.Sequential(nn.Flatten(), nn.Linear(4, 2, rng=np.random.default_rng(0)))
_OK = to_json(_LIN, (1, 2, 2), ["a", "b"])


def _with_layer(**changes):
    layers = [dict(layer) for layer in _OK["layers"]]
    layers[1].update(changes)
    return {**_OK, "layers": layers}


CASES = [  # (public dotted name, zero-arg call, exception type, regex the message matches)
    (
        "cnnbook.network_json.to_json",
        lambda: to_json(nn.Linear(4, 2), (1, 2, 2), ["a", "b"]),
        TypeError,
        r"model \(=Linear\) must be an nn.Sequential",
    ),
    (
        "cnnbook.network_json.to_json",
        lambda: to_json(nn.Sequential(nn.BatchNorm2d(1)), (1, 2, 2), ["a"]),
        ValueError,
        r"model\[0\] \(=BatchNorm2d.*\) has no JSON form; the layers known are Conv2d",
    ),
    (
        "cnnbook.network_json.to_json",
        lambda: to_json(nn.Sequential(nn.Conv2d(1, 1, 3, padding="same")), (1, 4, 4), ["a"]),
        ValueError,
        r"model\[0\] .* must pad with zeros by an explicit number",
    ),
    (
        "cnnbook.network_json.to_json",
        lambda: to_json(nn.Sequential(nn.MaxPool2d(2, ceil_mode=True)), (1, 4, 4), ["a"]),
        ValueError,
        r"must have ceil_mode=False",
    ),
    (
        "cnnbook.network_json.to_json",
        lambda: to_json(_LIN, (1, 2), ["a", "b"]),
        ValueError,
        r"input_shape \(=\(1, 2\)\) must be three positive ints",
    ),
    (
        "cnnbook.network_json.to_json",
        lambda: to_json(_LIN, (1, 2, 2), "ab"),
        ValueError,
        r"classes \(='ab'\) must be a non-empty list of names",
    ),
    (
        "cnnbook.network_json.to_json",
        lambda: to_json(_LIN, (1, 2, 2), [0, 1]),
        TypeError,
        r"classes \(=\[0, 1\]\) must be names \(str\)",
    ),
    (
        "cnnbook.network_json.to_json",
        lambda: to_json(_LIN, (1, 2, 2), ["a", "b", "c"]),
        ValueError,
        r"classes \(=3 names\) must name each of the network's outputs",
    ),
    (
        "cnnbook.network_json.from_json",
        lambda: from_json("{not json"),
        ValueError,
        r"data is not JSON",
    ),
    (
        "cnnbook.network_json.from_json",
        lambda: from_json({"layers": 3}),
        ValueError,
        r"data must be an object with 'input_shape', 'classes' and 'layers'",
    ),
    (
        "cnnbook.network_json.from_json",
        lambda: from_json(_with_layer(type="Softmax")),
        ValueError,
        r"layers\[1\] .* must be an object whose 'type' is one of",
    ),
    (
        "cnnbook.network_json.from_json",
        lambda: from_json(_with_layer(weight=[0.0] * 7)),
        ValueError,
        r"layers\[1\]\['weight'\] must be a flat list of 8 finite numbers",
    ),
    (
        "cnnbook.network_json.from_json",
        lambda: from_json(_with_layer(bias=[0.0, np.nan])),
        ValueError,
        r"layers\[1\]\['bias'\] must be a flat list of 2 finite numbers",
    ),
    (
        "cnnbook.network_json.from_json",
        lambda: from_json({**_OK, "layers": [{"type": "Linear", "in_features": 4}]}),
        ValueError,
        r"layers\[0\] \(Linear\) lacks out_features",
    ),
    (
        "cnnbook.browser_network.digit_network",
        lambda: browser_network.digit_network(-1),
        ValueError,
        r"seed",
    ),
    (
        "cnnbook.browser_network.held_out_digits",
        lambda: browser_network.held_out_digits(correct=0),
        ValueError,
        r"correct \(=0\)",
    ),
    (
        "cnnbook.browser_network.held_out_digits",
        lambda: browser_network.held_out_digits(wrong=1.5),
        TypeError,
        r"wrong \(=1.5\)",
    ),
    (
        "cnnbook.browser_network.export",
        lambda: browser_network.export(3),
        TypeError,
        r"site_dir \(=3\) must be a path",
    ),
    (
        "cnnbook.browser_network.export",
        lambda: browser_network.export(__file__),
        ValueError,
        r"site_dir \(=.*\) must be a folder, not a file",
    ),
]


@pytest.mark.parametrize(("name", "call", "exc", "match"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_named(name, call, exc, match):
    with pytest.raises(exc, match=match):
        call()
