"""Bad input to the convention converters (`cnnbook.conventions`), by cause."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cnnbook import (
    dilation_from_gap,
    exact_conv_output_size,
    flip_kernel,
    gap_from_dilation,
    hwio_to_oihw,
    nchw_to_nhwc,
    nhwc_to_nchw,
    oihw_to_hwio,
    split_padding,
    tf_same_padding,
)

CASES = [  # (public dotted name, zero-arg call, exception type, regex the message matches)
    # -- out of range -------------------------------------------------------------------------
    ("cnnbook.split_padding", lambda: split_padding(-1), ValueError, r"total \(=-1\) must be >= 0"),
    (
        "cnnbook.tf_same_padding",
        lambda: tf_same_padding(5, 3, 0),
        ValueError,
        r"stride \(=0\) must be >= 1",
    ),
    (
        "cnnbook.dilation_from_gap",
        lambda: dilation_from_gap(-1),
        ValueError,
        r"gap \(=-1\) must be >= 0",
    ),
    (
        "cnnbook.gap_from_dilation",
        lambda: gap_from_dilation(0),
        ValueError,
        r"dilation \(=0\) must be >= 1",
    ),
    (
        "cnnbook.exact_conv_output_size",
        lambda: exact_conv_output_size(2, 5),
        ValueError,
        r"output size .* must be at least 1",
    ),
    # -- wrong types ----------------------------------------------------------------------------
    ("cnnbook.split_padding", lambda: split_padding(1.5), TypeError, r"total \(=1.5\) must be"),
    (
        "cnnbook.gap_from_dilation",
        lambda: gap_from_dilation(True),
        TypeError,
        r"dilation \(=True\) must be an int",
    ),
    (
        "cnnbook.exact_conv_output_size",
        lambda: exact_conv_output_size("8", 3),  # type: ignore[arg-type]
        TypeError,
        r"input_size \(='8'\) must be an int",
    ),
    (
        "cnnbook.nchw_to_nhwc",
        lambda: nchw_to_nhwc(np.zeros((1, 1, 1, 1), complex)),
        TypeError,
        r"x has dtype complex128; expected a real numeric array",
    ),
    (
        "cnnbook.oihw_to_hwio",
        lambda: oihw_to_hwio(None),  # type: ignore[arg-type]
        TypeError,
        r"weight has dtype object",
    ),
    (
        "cnnbook.flip_kernel",
        lambda: flip_kernel(np.array([["a", "b"], ["c", "d"]])),
        TypeError,
        r"weight has dtype <U1",
    ),
    # -- ragged and wrong shapes ------------------------------------------------------------------
    (
        "cnnbook.nhwc_to_nchw",
        lambda: nhwc_to_nchw([[1], [1, 2]]),
        ValueError,
        r"x is a ragged nested sequence",
    ),
    (
        "cnnbook.nhwc_to_nchw",
        lambda: nhwc_to_nchw(np.zeros(3)),
        ValueError,
        r"x has ndim 1 \(shape \(3,\)\); expected ndim 4",
    ),
    (
        "cnnbook.hwio_to_oihw",
        lambda: hwio_to_oihw(np.zeros((3, 3, 3))),
        ValueError,
        r"weight has ndim 3 \(shape \(3, 3, 3\)\); expected ndim 4",
    ),
    (
        "cnnbook.flip_kernel",
        lambda: flip_kernel(np.zeros(3)),
        ValueError,
        r"weight has 1 axes; expected at least 2",
    ),
    (
        "cnnbook.tf_same_padding",
        lambda: tf_same_padding(0, 3),
        ValueError,
        r"input_size \(=0\) must be >= 1",
    ),
]


@pytest.mark.parametrize(("name", "call", "exc", "match"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_named(name: str, call: object, exc: type, match: str) -> None:
    with pytest.raises(exc, match=match):
        call()  # type: ignore[operator]


@given(value=st.one_of(st.floats(), st.text(), st.none(), st.booleans()))
def test_every_non_int_gap_is_a_type_error(value: object) -> None:
    with pytest.raises(TypeError, match=r"gap \(=.*\) must be an int"):
        dilation_from_gap(value)  # type: ignore[arg-type]


def test_no_input_array_is_modified() -> None:
    w = np.arange(16.0).reshape(1, 1, 4, 4)
    before = w.copy()
    flip_kernel(w)
    oihw_to_hwio(w)
    np.testing.assert_array_equal(w, before)
