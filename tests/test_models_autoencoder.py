"""models.ConvAutoencoder: the latent map, the reconstruction's size, finite differences."""

from __future__ import annotations

import numpy as np
import pytest

from cnnbook import nn
from cnnbook.models import ConvAutoencoder
from tests.test_nn_skip_connections import _check_gradients


@pytest.mark.parametrize(
    ("channels", "size"), [((4,), (6, 4)), ((4, 8), (8, 12)), ((2, 3, 4), (8, 8))]
)
def test_autoencoder_halves_per_step_and_comes_back_the_same_size(channels, size):
    ae = ConvAutoencoder(2, channels, latent_channels=3, rng=np.random.default_rng(0))
    x = np.random.default_rng(1).random((2, 2, *size)).astype(np.float32)
    k = 2 ** len(channels)
    assert ae.encoder(x).shape == (2, 3, size[0] // k, size[1] // k)
    y = ae(x)
    assert y.shape == x.shape and ((y > 0) & (y < 1)).all()
    assert sum(isinstance(m, nn.ConvTranspose2d) for m in ae.decoder) == len(channels)


def test_autoencoder_gradients_match_finite_differences():
    rng = np.random.default_rng(2)
    ae = ConvAutoencoder(1, (2, 3), latent_channels=2, rng=rng, dtype=np.float64)
    _check_gradients(ae, rng.normal(size=(2, 1, 4, 4)))


def test_autoencoder_learns_to_reconstruct_smooth_images():
    """100 Adam steps on smooth ramps cut the reconstruction error tenfold (trains end to end)."""
    from cnnbook import optim

    rng = np.random.default_rng(3)
    ae = ConvAutoencoder(1, (4, 8), latent_channels=4, rng=rng, dtype=np.float64)
    r = np.linspace(0, 1, 8)
    w = rng.random((4, 2))  # each image a ramp a*row + b*col: two numbers to encode
    x = (0.2 + 0.3 * (w[:, 0, None, None] * r[:, None] + w[:, 1, None, None] * r[None, :]))[:, None]
    loss_fn = nn.MSELoss()
    opt = optim.Adam(ae.parameters(), lr=0.02)
    losses = []
    for _ in range(100):
        ae.zero_grad()
        losses.append(loss_fn(ae(x), x))
        ae.backward(loss_fn.backward())
        opt.step()
    assert losses[-1] < 0.1 * losses[0]


def test_autoencoder_refuses_an_odd_size():
    ae = ConvAutoencoder(rng=np.random.default_rng(0))
    with pytest.raises(ValueError, match=r"input of shape \(1, 1, 6, 6\) .* multiples of 4"):
        ae(np.zeros((1, 1, 6, 6), np.float32))
