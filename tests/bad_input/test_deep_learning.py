"""Bad input to the two-layer network of the Deep Learning page: each a named error."""

from __future__ import annotations

import numpy as np
import pytest

from cnnbook import DescentHistory, gradient_check, gradient_descent, two_layer_network, xor_data
from cnnbook.optim import Adam

X, Y = np.zeros((4, 2)), np.array([0, 1, 0, 1])
NET = two_layer_network(2, rng=0)

CASES = [  # (public dotted name, zero-arg call, exception type, regex the message matches)
    ("cnnbook.xor_data", lambda: xor_data(0), ValueError, r"n \(=0\) must be positive"),
    ("cnnbook.xor_data", lambda: xor_data(10, noise=-1.0), ValueError, r"noise \(=-1.0\)"),
    ("cnnbook.xor_data", lambda: xor_data(10, noise=np.inf), ValueError, r"noise .* finite"),
    ("cnnbook.xor_data", lambda: xor_data(10, seed=-2), ValueError, r"seed \(=-2\)"),
    ("cnnbook.two_layer_network", lambda: two_layer_network(0), ValueError, r"hidden \(=0\)"),
    (
        "cnnbook.two_layer_network",
        lambda: two_layer_network(4, activation="softmax"),
        ValueError,
        r"activation \(='softmax'\) must be one of \['relu', 'sigmoid', 'tanh'\]",
    ),
    ("cnnbook.two_layer_network", lambda: two_layer_network(4.5), TypeError, r"hidden \(=4.5\)"),
    (
        "cnnbook.gradient_descent",
        lambda: gradient_descent("net", X, Y),
        TypeError,
        r"model \(='net'\) must be a cnnbook.nn.Module",
    ),
    (
        "cnnbook.gradient_descent",
        lambda: gradient_descent(NET, X, Y[:3]),
        ValueError,
        r"y has 3 labels; x has 4 rows",
    ),
    (
        "cnnbook.gradient_descent",
        lambda: gradient_descent(NET, X, Y * 0.5),
        TypeError,
        r"y has dtype float64; expected integer class labels",
    ),
    (
        "cnnbook.gradient_descent",
        lambda: gradient_descent(NET, X.ravel(), Y),
        ValueError,
        r"x has ndim 1",
    ),
    ("cnnbook.gradient_descent", lambda: gradient_descent(NET, X, Y, lr=0.0), ValueError, r"lr"),
    (
        "cnnbook.gradient_descent",
        lambda: gradient_descent(NET, X, Y, steps=0),
        ValueError,
        r"steps \(=0\)",
    ),
    (
        "cnnbook.gradient_descent",
        lambda: gradient_descent(NET, X, Y, optimizer=Adam(NET.parameters())),
        TypeError,
        r"optimizer \(=a Adam\) must be a cnnbook.optim.Optimizer subclass",
    ),
    (
        "cnnbook.gradient_check",
        lambda: gradient_check(two_layer_network(2, rng=0).float(), X, Y),
        TypeError,
        r"model must be float64",
    ),
    (
        "cnnbook.gradient_check",
        lambda: gradient_check(NET, X, Y, eps=0.0),
        ValueError,
        r"eps must be > 0",
    ),
    (
        "cnnbook.gradient_check",
        lambda: gradient_check(NET, [[1, 2], [3]], Y),
        ValueError,
        r"x is a ragged nested sequence",
    ),
    (
        "cnnbook.DescentHistory",
        lambda: DescentHistory(np.zeros(2)),
        TypeError,
        r"accuracy",
    ),
]


@pytest.mark.parametrize(("name", "call", "exc", "match"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_named(name, call, exc, match):
    with pytest.raises(exc, match=match):
        call()
