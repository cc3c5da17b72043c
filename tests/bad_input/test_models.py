"""Bad input to the ready-made models: errors name the builder's own arguments."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cnnbook.models import lenet_like, reference_cnn

CASES = [  # (public dotted name, zero-arg call, exception type, regex the message matches)
    # -- the builder's argument, not the inner layer's (out_features, in_channels...) -----------
    (
        "cnnbook.models.reference_cnn",
        lambda: reference_cnn(n_classes=0),
        ValueError,
        r"^n_classes \(=0\) must be positive",
    ),
    (
        "cnnbook.models.reference_cnn",
        lambda: reference_cnn(in_channels=0),
        ValueError,
        r"^in_channels \(=0\) must be positive",
    ),
    (
        "cnnbook.models.reference_cnn",
        lambda: reference_cnn(dropout=1.0),
        ValueError,
        r"^dropout \(=1.0\) must be in \[0, 1\)",
    ),
    (
        "cnnbook.models.reference_cnn",
        lambda: reference_cnn(dropout=float("nan")),
        ValueError,
        r"^dropout \(=nan\) must be finite",
    ),
    (
        "cnnbook.models.lenet_like",
        lambda: lenet_like(n_classes=-1),
        ValueError,
        r"^n_classes \(=-1\) must be positive",
    ),
    (
        "cnnbook.models.lenet_like",
        lambda: lenet_like(padding=-1),
        ValueError,
        r"^padding \(=-1\) must be a non-negative int",
    ),
    (
        "cnnbook.models.lenet_like",
        lambda: lenet_like(image_size=4),
        ValueError,
        r"^image_size \(=4\) is too small for lenet_like with padding=0",
    ),
    # -- wrong types ----------------------------------------------------------------------------
    (
        "cnnbook.models.reference_cnn",
        lambda: reference_cnn(rng=0),  # type: ignore[arg-type]
        TypeError,
        r"reference_cnn: rng \(=0\) must be a numpy.random.Generator or None",
    ),
    (
        "cnnbook.models.reference_cnn",
        lambda: reference_cnn(dtype=np.int32),
        TypeError,
        r"reference_cnn: dtype \(=<class 'numpy.int32'>\) must be a floating dtype",
    ),
    (
        "cnnbook.models.lenet_like",
        lambda: lenet_like(dtype="int16"),
        TypeError,
        r"lenet_like: dtype \(='int16'\) must be a floating dtype",
    ),
    (
        "cnnbook.models.lenet_like",
        lambda: lenet_like(dtype="no such dtype"),
        TypeError,
        r"lenet_like: dtype \(='no such dtype'\) must be a floating dtype",
    ),
    (
        "cnnbook.models.lenet_like",
        lambda: lenet_like(image_size=28.0),  # type: ignore[arg-type]
        TypeError,
        r"^image_size \(=28.0\) must be an int",
    ),
]


@pytest.mark.parametrize(("name", "call", "exc", "match"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_named(name: str, call: object, exc: type, match: str) -> None:
    with pytest.raises(exc, match=match):
        call()  # type: ignore[operator]


@given(n_classes=st.integers(max_value=0))
def test_every_non_positive_class_count_names_n_classes(n_classes: int) -> None:
    with pytest.raises(ValueError, match=rf"^n_classes \(={n_classes}\)"):
        reference_cnn(n_classes=n_classes)
