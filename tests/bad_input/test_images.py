"""Bad input to the test images (`cnnbook.images`), by cause."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cnnbook import checkerboard, photograph, square

CASES = [  # (public dotted name, zero-arg call, exception type, regex the message matches)
    # -- out of range ---------------------------------------------------------------------------
    ("cnnbook.checkerboard", lambda: checkerboard(0), ValueError, r"shape \(=0\) must be positive"),
    (
        "cnnbook.checkerboard",
        lambda: checkerboard(4, cell=0),
        ValueError,
        r"cell \(=0\) must be positive",
    ),
    (
        "cnnbook.square",
        lambda: square(3, 5),
        ValueError,
        r"side \(=5\) must be at most size \(=3\)",
    ),
    ("cnnbook.square", lambda: square(-2), ValueError, r"size \(=-2\) must be positive"),
    # -- wrong types ----------------------------------------------------------------------------
    ("cnnbook.checkerboard", lambda: checkerboard("8"), TypeError, r"shape \(='8'\) must be"),
    (
        "cnnbook.checkerboard",
        lambda: checkerboard(8, cell=(2, 3)),  # type: ignore[arg-type]
        TypeError,
        r"cell \(=\(2, 3\)\) must be an int",
    ),
    ("cnnbook.square", lambda: square(1.5), TypeError, r"size \(=1.5\) must be an int"),  # type: ignore[arg-type]
    ("cnnbook.square", lambda: square(8, True), TypeError, r"side \(=True\) must be an int"),  # type: ignore[arg-type]
    # -- huge requests, refused before allocating ----------------------------------------------
    (
        "cnnbook.checkerboard",
        lambda: checkerboard(10**6),
        ValueError,
        r"shape would need 7450.6 GiB \(shape \(1000000, 1000000\)\)",
    ),
    ("cnnbook.square", lambda: square(10**6), ValueError, r"size would need 7450.6 GiB"),
]

#: Public names of this topic that take no argument, so no input can be bad.
NO_INPUT = {"cnnbook.photograph": "takes no argument (returns a copy of a fixed image)"}


@pytest.mark.parametrize(("name", "call", "exc", "match"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_named(name: str, call: object, exc: type, match: str) -> None:
    with pytest.raises(exc, match=match):
        call()  # type: ignore[operator]


def test_photograph_takes_no_argument_and_returns_a_fresh_copy() -> None:
    with pytest.raises(TypeError):
        photograph(1)  # type: ignore[call-arg]
    a = photograph()
    a[0, 0] = -1.0
    assert photograph()[0, 0] >= 0.0


@given(side=st.integers(min_value=1, max_value=64), size=st.integers(min_value=1, max_value=64))
def test_a_square_larger_than_its_image_is_refused(side: int, size: int) -> None:
    if side > size:
        with pytest.raises(ValueError, match=rf"side \(={side}\) must be at most size"):
            square(size, side)
    else:
        assert square(size, side).sum() == side * side
