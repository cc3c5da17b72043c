"""Bad input to the Transposed Convolution page's names and to BatchNorm2d's ``bias``."""

import pytest

from cnnbook import nn

CASES = [  # (public dotted name, zero-arg call, exception type, regex the message matches)
    ("cnnbook.nn.BatchNorm2d", lambda: nn.BatchNorm2d(2, bias="False"), TypeError,
     r"bias \(='False'\) must be a bool"),
    ("cnnbook.nn.BatchNorm2d", lambda: nn.BatchNorm2d(2, bias=1), TypeError,
     r"bias \(=1\) must be a bool"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "call", "exc", "match"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_named(name, call, exc, match):
    with pytest.raises(exc, match=match):
        call()
