"""Bad input to `cnnbook.global_invariance` is refused naming the argument and the rule."""

import numpy as np
import pytest

from cnnbook import ShiftInvariance, global_pool_invariance, global_pool_network, total_stride

CASES = [  # (public dotted name, zero-arg call, exception type, regex the message matches)
    ("cnnbook.total_stride", lambda: total_stride([("avg_pool", 2)]), ValueError,
     r"layers\[0\] \(=\('avg_pool', 2\)\) must be \('conv', stride\) or \('max_pool', size\)"),
    ("cnnbook.total_stride", lambda: total_stride([("conv", 0)]), ValueError,
     r"layers\[0\] stride \(=0\) must be positive"),
    ("cnnbook.global_pool_network",
     lambda: global_pool_network([("conv", 1)], np.random.default_rng(0), channels=0),
     ValueError, r"channels \(=0\) must be positive"),
    ("cnnbook.global_pool_network",
     lambda: global_pool_network([("conv", 1.5)], np.random.default_rng(0)), TypeError,
     r"layers\[0\] stride \(=1.5\) must be an int"),
    ("cnnbook.global_pool_invariance", lambda: global_pool_invariance(np.ones((8, 8))),
     ValueError, r"x has ndim 2"),
    ("cnnbook.ShiftInvariance", lambda: ShiftInvariance("net"), TypeError,
     r"missing 3 required"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "call", "exc", "match"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_named(name, call, exc, match):
    with pytest.raises(exc, match=match):
        call()
