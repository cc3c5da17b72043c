"""Bad input to `cnnbook.parameters` is refused with a message naming the argument and the rule."""

import pytest

from cnnbook import (
    ConnectivitySavings,
    connectivity_savings,
    conv2d_parameter_count,
    linear_parameter_count,
    locally_connected_parameter_count,
)

CASES = [  # (public dotted name, zero-arg call, exception type, regex the message matches)
    ("cnnbook.conv2d_parameter_count", lambda: conv2d_parameter_count(3, 4, 3, groups=2),
     ValueError, r"groups \(=2\) must divide in_channels \(=3\)"),
    ("cnnbook.linear_parameter_count", lambda: linear_parameter_count(0, 4), ValueError,
     r"in_features \(=0\) must be positive"),
    ("cnnbook.locally_connected_parameter_count",
     lambda: locally_connected_parameter_count(1, 6, 5, (24, 0)), ValueError,
     r"output_size \(=\(24, 0\)\) must be positive"),
    ("cnnbook.locally_connected_parameter_count",
     lambda: locally_connected_parameter_count(1, 6, 5, 2.5), TypeError, r"output_size"),
    ("cnnbook.connectivity_savings", lambda: connectivity_savings(1, 1, 2, 3), ValueError,
     r"output size .* must be at least 1"),
    ("cnnbook.connectivity_savings", lambda: connectivity_savings(1, 1, (8, 0), 3), ValueError,
     r"input_size \(=\(8, 0\)\) must be positive"),
    ("cnnbook.ConnectivitySavings", lambda: ConnectivitySavings((1, 8, 8)), TypeError,
     r"missing 7 required"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "call", "exc", "match"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_named(name, call, exc, match):
    with pytest.raises(exc, match=match):
        call()
