"""pad / pad_backward: the four modes on a small ruler, and the gradient as pad's adjoint."""

from __future__ import annotations

import numpy as np
import pytest

from cnnbook import pad, pad_backward

RULER = np.array([[[[1.0, 2.0, 3.0, 4.0]]]])


@pytest.mark.parametrize(
    ("mode", "expected"),
    [
        ("constant", [0, 0, 1, 2, 3, 4, 0]),
        ("reflect", [3, 2, 1, 2, 3, 4, 3]),
        ("replicate", [1, 1, 1, 2, 3, 4, 4]),
        ("circular", [3, 4, 1, 2, 3, 4, 1]),
    ],
)
def test_each_mode_continues_the_border_as_its_definition_says(mode, expected):
    np.testing.assert_array_equal(pad(RULER, (2, 1, 0, 0), mode)[0, 0, 0], expected)


@pytest.mark.parametrize("mode", ["constant", "reflect", "replicate", "circular"])
@pytest.mark.parametrize("padding", [(1, 2, 2, 1), (-1, 2, 0, -1), (3, 0, 0, 3)], ids=str)
def test_pad_backward_is_the_adjoint_of_pad(mode, padding):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(2, 3, 4, 5))
    y = pad(x, padding, mode)
    g = rng.normal(size=y.shape)
    assert np.vdot(y, g) == pytest.approx(np.vdot(x, pad_backward(g, x.shape, padding, mode)))


def test_pad_returns_a_new_array_even_with_zero_padding():
    x = RULER.copy()
    out = pad(x, (0, 0, 0, 0), "reflect")
    out[...] = 0
    np.testing.assert_array_equal(x, RULER)
