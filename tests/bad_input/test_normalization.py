"""Bad input to the Batch Normalization page's measurements and figure is named."""

import pytest

from cnnbook import activation_spread, deep_stack
from cnnbook.figures import activation_spread_figure

CASES = [  # (public dotted name, zero-arg call, exception type, regex the message matches)
    ("cnnbook.deep_stack", lambda: deep_stack(0), ValueError, r"depth \(=0\) must be positive"),
    ("cnnbook.deep_stack", lambda: deep_stack(2, batch_norm="yes"), TypeError,
     r"batch_norm \(='yes'\) must be a bool"),
    ("cnnbook.deep_stack", lambda: deep_stack(2, seed=-1), ValueError,
     r"seed \(=-1\) must be a non-negative int"),
    ("cnnbook.activation_spread", lambda: activation_spread(3, batch=0), ValueError,
     r"batch \(=0\) must be positive"),
    ("cnnbook.activation_spread", lambda: activation_spread(3, channels=2.5), TypeError,
     r"channels \(=2.5\) must be an int"),
    ("cnnbook.activation_spread", lambda: activation_spread(3, seed=1.5), ValueError,
     r"seed \(=1.5\) must be a non-negative int"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "call", "exc", "match"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_named(name, call, exc, match):
    with pytest.raises(exc, match=match):
        call()


def test_the_figure_names_a_bad_depth():
    # Figures are not in the public namespaces the coverage walks, but they check too.
    with pytest.raises(ValueError, match=r"depth \(=-2\) must be positive"):
        activation_spread_figure(depth=-2)
