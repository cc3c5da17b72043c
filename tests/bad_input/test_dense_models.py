"""Bad input to the dense-prediction models (UNet, double_conv, ConvAutoencoder)."""

from __future__ import annotations

import numpy as np
import pytest

from cnnbook.models import ConvAutoencoder, UNet, double_conv

CASES = [
    ("cnnbook.models.UNet", lambda: UNet(depth=0), ValueError, r"depth \(=0\)"),
    ("cnnbook.models.UNet", lambda: UNet(base_channels=2.5), TypeError, r"base_channels \(=2\.5\)"),
    (
        "cnnbook.models.UNet",
        lambda: UNet(up_mode="nearest"),
        ValueError,
        r"up_mode \(='nearest'\) must be one of",
    ),
    (
        "cnnbook.models.UNet",
        lambda: UNet(up_mode="bilinear")(np.zeros((1, 1, 5, 8))),
        ValueError,
        r"multiples of 2\*\*depth",
    ),
    (
        "cnnbook.models.UNet",
        lambda: UNet(up_mode="bilinear").backward(np.zeros((1, 2, 4, 4))),
        RuntimeError,
        r"backward called before forward",
    ),
    ("cnnbook.models.double_conv", lambda: double_conv(0, 4), ValueError, r"in_channels \(=0\)"),
    (
        "cnnbook.models.ConvAutoencoder",
        lambda: ConvAutoencoder(channels=()),
        TypeError,
        r"channels \(=\(\)\) must be a non-empty tuple",
    ),
    (
        "cnnbook.models.ConvAutoencoder",
        lambda: ConvAutoencoder(channels=(4, -1)),
        ValueError,
        r"channels\[1\] \(=-1\)",
    ),
    (
        "cnnbook.models.ConvAutoencoder",
        lambda: ConvAutoencoder(latent_channels=0),
        ValueError,
        r"latent_channels \(=0\)",
    ),
    (
        "cnnbook.models.ConvAutoencoder",
        lambda: ConvAutoencoder()(np.zeros((1, 1, 6, 6))),
        ValueError,
        r"multiples of 4",
    ),
]


@pytest.mark.parametrize(("name", "call", "exc", "match"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_named(name, call, exc, match):
    with pytest.raises(exc, match=match):
        call()
