"""Bad input to cnnbook.residual."""

from __future__ import annotations

import pytest

from cnnbook import gradient_norms, residual_stack

CASES = [
    ("cnnbook.residual_stack", lambda: residual_stack(0), ValueError, r"depth \(=0\)"),
    (
        "cnnbook.residual_stack",
        lambda: residual_stack(2, residual="yes"),
        TypeError,
        r"residual \(='yes'\)",
    ),
    (
        "cnnbook.residual_stack",
        lambda: residual_stack(2, seed=-1),
        ValueError,
        r"seed \(=-1\) must be a non-negative int",
    ),
    ("cnnbook.gradient_norms", lambda: gradient_norms(2, batch=0), ValueError, r"batch \(=0\)"),
    ("cnnbook.gradient_norms", lambda: gradient_norms(2, size=2.5), TypeError, r"size \(=2\.5\)"),
    (
        "cnnbook.gradient_norms",
        lambda: gradient_norms(2, channels=-3),
        ValueError,
        r"channels \(=-3\)",
    ),
]


@pytest.mark.parametrize(("name", "call", "exc", "match"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_named(name, call, exc, match):
    with pytest.raises(exc, match=match):
        call()
