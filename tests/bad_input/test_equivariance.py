"""Bad input to the shift and equivariance measurements is named."""

import numpy as np
import pytest

from cnnbook import conv2d_circular, equivariance_error, error_vs_shift, invariance_error, shift

X = np.random.default_rng(0).random((1, 1, 8, 8))


def ident(a):
    return a


CASES = [  # (public dotted name, zero-arg call, exception type, regex the message matches)
    ("cnnbook.shift", lambda: shift([[1, 2], [3]], 1, 0), ValueError, r"x is a ragged"),
    ("cnnbook.shift", lambda: shift(X, 1.5, 0), TypeError, r"shift \(=\(1.5, 0\)\) must be"),
    ("cnnbook.shift", lambda: shift(X, 1, 0, mode="wrap"), ValueError, r"mode \(='wrap'\)"),
    ("cnnbook.shift", lambda: shift(np.array(["a"]), 0, 0), TypeError, r"x has dtype"),
    ("cnnbook.conv2d_circular", lambda: conv2d_circular(X[0, 0], np.ones((3, 3))), ValueError,
     r"must both be 4-D"),
    ("cnnbook.conv2d_circular", lambda: conv2d_circular(X, np.ones((1, 1, 3, 3)) * 1j),
     TypeError, r"weight has dtype complex"),
    ("cnnbook.equivariance_error", lambda: equivariance_error(ident, X, (1, 0), stride=0),
     ValueError, r"stride \(=0\) must be positive"),
    ("cnnbook.invariance_error", lambda: invariance_error(ident, X, (True, 0)), TypeError,
     r"shift_by \(=\(True, 0\)\) must be an int or a pair"),
    ("cnnbook.error_vs_shift", lambda: error_vs_shift(ident, X, [1.5]), TypeError,
     r"shifts \(=\[1.5\]\) must be a non-empty sequence of ints"),
    ("cnnbook.error_vs_shift", lambda: error_vs_shift(ident, X, []), TypeError,
     r"must be a non-empty sequence"),
    ("cnnbook.error_vs_shift", lambda: error_vs_shift(ident, X, [1], axis=0), ValueError,
     r"axis \(=0\) must be -1"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "call", "exc", "match"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_named(name, call, exc, match):
    with pytest.raises(exc, match=match):
        call()
