"""A ragged nested list given to any layer is named, not NumPy's "inhomogeneous shape"."""

import pytest

from cnnbook import nn

RAGGED = [[[[1.0, 2.0], [3.0]]]]
LAYERS = {
    "Flatten": nn.Flatten,
    "Linear": lambda: nn.Linear(2, 2),
    "Conv2d": lambda: nn.Conv2d(1, 1, 1),
    "ConvTranspose2d": lambda: nn.ConvTranspose2d(1, 1, 1),
    "BatchNorm2d": lambda: nn.BatchNorm2d(1),
    "Identity": nn.Identity,
    "Dropout": nn.Dropout,
    "Sequential": lambda: nn.Sequential(nn.Identity()),
}
CASES = [  # (public dotted name, zero-arg call, exception type, regex the message matches)
    (f"cnnbook.nn.{name}", lambda make=make: make()(RAGGED), ValueError,
     r"got a ragged nested sequence as input 0")
    for name, make in LAYERS.items()
]  # fmt: skip


@pytest.mark.parametrize(("name", "call", "exc", "match"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_named(name, call, exc, match):
    with pytest.raises(exc, match=match):
        call()
