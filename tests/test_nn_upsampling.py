"""Upsample: torch's repr and stored factor, the functional core forward and backward."""

from __future__ import annotations

import numpy as np
import pytest

from cnnbook import interpolate, interpolate_backward, nn


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"scale_factor": 2}, "Upsample(scale_factor=2.0, mode='nearest')"),
        ({"scale_factor": (2, 3)}, "Upsample(scale_factor=(2.0, 3.0), mode='nearest')"),
        ({"size": (4, 5), "mode": "bilinear"}, "Upsample(size=(4, 5), mode='bilinear')"),
    ],
)
def test_repr_prints_like_torch(kwargs, expected):
    assert repr(nn.Upsample(**kwargs)) == expected


def test_forward_and_backward_are_the_functional_core():
    x = np.random.default_rng(0).standard_normal((2, 3, 4, 5))
    up = nn.Upsample(scale_factor=1.5, mode="bilinear", align_corners=True)
    y = up(x)
    kw = dict(scale_factor=1.5, mode="bilinear", align_corners=True)
    np.testing.assert_array_equal(y, interpolate(x, **kw))
    g = np.random.default_rng(1).standard_normal(y.shape)
    np.testing.assert_array_equal(up.backward(g), interpolate_backward(g, x, **kw))
    assert list(up.parameters()) == []


def test_bad_arguments_fail_at_construction():
    with pytest.raises(ValueError, match=r"align_corners \(=True\) can only be set"):
        nn.Upsample(scale_factor=2, align_corners=True)
    with pytest.raises(ValueError, match=r"only one of size"):
        nn.Upsample(size=3, scale_factor=2)


def test_backward_before_forward_is_a_clear_error():
    with pytest.raises(RuntimeError, match=r"backward called before forward"):
        nn.Upsample(scale_factor=2).backward(np.ones((1, 1, 2, 2)))
