"""Bad input to the dropout measurements of the Dropout page: each a named error."""

from __future__ import annotations

import numpy as np
import pytest

from cnnbook import OverfittingCurves, dropout_comparison, dropout_mlp, overfitting_run

CASES = [  # (public dotted name, zero-arg call, exception type, regex the message matches)
    (
        "cnnbook.dropout_mlp",
        lambda: dropout_mlp(1.0),
        ValueError,
        r"p \(=1.0\) must be a .*\[0, 1\)",
    ),
    ("cnnbook.dropout_mlp", lambda: dropout_mlp("0.5"), ValueError, r"p \(='0.5'\)"),
    ("cnnbook.dropout_mlp", lambda: dropout_mlp(0.5, hidden=0), ValueError, r"hidden \(=0\)"),
    ("cnnbook.dropout_mlp", lambda: dropout_mlp(0.5, rng=-1), ValueError, r"rng \(=-1\)"),
    ("cnnbook.overfitting_run", lambda: overfitting_run(-0.1), ValueError, r"p \(=-0.1\)"),
    ("cnnbook.overfitting_run", lambda: overfitting_run(0.5, seed=-1), ValueError, r"seed \(=-1\)"),
    (
        "cnnbook.overfitting_run",
        lambda: overfitting_run(0.5, train_size=1797),
        ValueError,
        r"train_size \(=1797\) must leave held-out digits \(< 1797\)",
    ),
    ("cnnbook.overfitting_run", lambda: overfitting_run(0.5, epochs=0), ValueError, r"epochs"),
    ("cnnbook.overfitting_run", lambda: overfitting_run(0.5, lr=np.nan), ValueError, r"lr"),
    (
        "cnnbook.overfitting_run",
        lambda: overfitting_run(0.5, batch_size=2.0),
        TypeError,
        r"batch_size \(=2.0\) must be an int",
    ),
    (
        "cnnbook.dropout_comparison",
        lambda: dropout_comparison((0.5,), (0,), cache=False, hiden=8),
        TypeError,
        r"unknown argument\(s\) of overfitting_run: \['hiden'\]",
    ),
    (
        "cnnbook.dropout_comparison",
        lambda: dropout_comparison((2.0,), (0,), cache=False),
        ValueError,
        r"p \(=2.0\)",
    ),
    (
        "cnnbook.dropout_comparison",
        lambda: dropout_comparison((0.5,), (-3,), cache=False),
        ValueError,
        r"seed \(=-3\)",
    ),
    (
        "cnnbook.dropout_comparison",
        lambda: dropout_comparison((0.5,), (0,), cache="no"),
        TypeError,
        r"cache \(='no'\) must be a bool",
    ),
    ("cnnbook.OverfittingCurves", lambda: OverfittingCurves(np.zeros(2)), TypeError, r"test_loss"),
]


@pytest.mark.parametrize(("name", "call", "exc", "match"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_named(name, call, exc, match):
    with pytest.raises(exc, match=match):
        call()
