import numpy as np
import pytest

from cnnbook import (
    activation_maximization,
    feature_network,
    initial_similarity,
    load_feature_network,
    top_patches,
    trained_feature_networks,
)

_M = feature_network(np.random.default_rng(0))
_X = np.zeros((2, 1, 28, 28), np.float32)

CASES = [  # (public dotted name, zero-arg call, exception type, regex the message matches)
    ("cnnbook.feature_network", lambda: feature_network(rng=3), TypeError, r"rng"),
    (
        "cnnbook.trained_feature_networks",
        lambda: trained_feature_networks(seed=-1),
        ValueError,
        r"seed \(=-1\) must be a non-negative int",
    ),
    (
        "cnnbook.trained_feature_networks",
        lambda: trained_feature_networks(small="yes"),
        TypeError,
        r"small",
    ),
    (
        "cnnbook.load_feature_network",
        lambda: load_feature_network({}, "adam"),
        TypeError,
        r"result \(=dict\) must be trained_feature_networks\(\)'s",
    ),
    (
        "cnnbook.initial_similarity",
        lambda: initial_similarity(None, "adam"),
        TypeError,
        r"result \(=NoneType\)",
    ),
    (
        "cnnbook.top_patches",
        lambda: top_patches(_M, 9, 0, _X),
        ValueError,
        r"layer \(=9\) must be an index of the model's layers, 0 to 7",
    ),
    (
        "cnnbook.top_patches",
        lambda: top_patches(_M, 1, 8, _X),
        ValueError,
        r"channel \(=8\) must index a channel of layer 1's maps",
    ),
    (
        "cnnbook.top_patches",
        lambda: top_patches(_M, 1, 0, _X[0]),
        ValueError,
        r"images must be a batch of shape \(N, C, H, W\)",
    ),
    ("cnnbook.top_patches", lambda: top_patches(_M, 1, 0, _X, k=0), ValueError, r"k \(=0\)"),
    (
        "cnnbook.top_patches",
        lambda: top_patches(_M, 4, 0, _X, k=10**6),
        ValueError,
        r"k \(=1000000\) must be at most the number of units, 128",
    ),
    (
        "cnnbook.top_patches",
        lambda: top_patches(nn_linear(), 0, 0, _X),
        TypeError,
        r"model \(=Linear\) must be an nn.Sequential",
    ),
    (
        "cnnbook.activation_maximization",
        lambda: activation_maximization(_M, 1, 0, (1, 28, 28), steps=0),
        ValueError,
        r"steps \(=0\)",
    ),
    (
        "cnnbook.activation_maximization",
        lambda: activation_maximization(_M, 1, 0, (1, 28, 28), blur=1.5),
        ValueError,
        r"blur \(=1.5\) must be in \[0, 1\]",
    ),
    (
        "cnnbook.activation_maximization",
        lambda: activation_maximization(_M, 6, 0, (1, 28, 28), steps=1),
        ValueError,
        r"channel \(=0\) must index a channel of layer 6's maps",
    ),
]


def nn_linear():
    from cnnbook import nn

    return nn.Linear(2, 2)


@pytest.mark.parametrize(("name", "call", "exc", "match"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_named(name, call, exc, match):
    with pytest.raises(exc, match=match):
        call()
