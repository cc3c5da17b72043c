"""A convolutional autoencoder: down to a small latent map and back to the input's size.

Strided convolutions encode, transposed convolutions decode.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
from numpy.typing import DTypeLike

from cnnbook import nn
from cnnbook._validation import positive_int

__all__ = ["ConvAutoencoder"]


class ConvAutoencoder(nn.Module):
    r"""Encoder (stride-2 3×3 convolutions) → latent map → decoder (transposed convolutions).

    Each encoder step halves the height and width (``Conv2d(c, c', 3, stride=2,
    padding=1)``, ReLU); a 1×1 convolution makes the latent map of
    `latent_channels`; each decoder step doubles the map back exactly with
    ``ConvTranspose2d(c', c, 3, stride=2, padding=1, output_padding=1)`` (output
    size $(H-1)\cdot 2 - 2 + 3 + 1 = 2H$), and a final Sigmoid gives values in
    (0, 1), to compare with the input by ``MSELoss`` or ``BCEWithLogitsLoss`` on
    the pre-sigmoid output.

    Parameters
    ----------
    in_channels : int, default 1
    channels : tuple of int, default (8, 16)
        Channels after each encoder step (one step each).
    latent_channels : int, default 4
    rng : numpy.random.Generator, optional
    dtype : float dtype, default float32

    Attributes
    ----------
    encoder, decoder : Sequential
        ``forward(x) = decoder(encoder(x))``; ``encoder(x)`` is the latent code.

    Examples
    --------
    >>> ae = ConvAutoencoder(rng=np.random.default_rng(0), dtype=np.float64)
    >>> x = np.random.default_rng(1).random((2, 1, 8, 8))
    >>> ae.encoder(x).shape, ae(x).shape
    ((2, 4, 2, 2), (2, 1, 8, 8))
    """

    def __init__(
        self,
        in_channels: int = 1,
        channels: tuple[int, ...] = (8, 16),
        latent_channels: int = 4,
        *,
        rng: np.random.Generator | None = None,
        dtype: DTypeLike = np.float32,
    ) -> None:
        super().__init__()
        self.in_channels = positive_int("in_channels", in_channels)
        self.latent_channels = positive_int("latent_channels", latent_channels)
        if not isinstance(channels, tuple | list) or not channels:
            raise TypeError(f"channels (={channels!r}) must be a non-empty tuple of ints")
        self.channels = tuple(positive_int(f"channels[{i}]", c) for i, c in enumerate(channels))
        kw: dict[str, Any] = {"rng": rng, "dtype": dtype}
        widths = [self.in_channels, *self.channels]
        enc: list[nn.Module] = []
        for c_in, c_out in itertools.pairwise(widths):
            enc += [nn.Conv2d(c_in, c_out, 3, stride=2, padding=1, **kw), nn.ReLU()]
        enc.append(nn.Conv2d(widths[-1], self.latent_channels, 1, **kw))
        self.encoder = nn.Sequential(*enc)
        dec: list[nn.Module] = [nn.Conv2d(self.latent_channels, widths[-1], 1, **kw), nn.ReLU()]
        for c_in, c_out in zip(widths[:0:-1], widths[-2::-1], strict=True):
            dec.append(
                nn.ConvTranspose2d(c_in, c_out, 3, stride=2, padding=1, output_padding=1, **kw)
            )
            dec.append(nn.ReLU())
        dec[-1] = nn.Sigmoid()  # the last step gives the image, in (0, 1)
        self.decoder = nn.Sequential(*dec)

    def forward(self, x: Any) -> np.ndarray:
        """Return the reconstruction of `x` ``(N, in_channels, H, W)``, H and W even per step."""
        x = np.asarray(x)
        step = 2 ** len(self.channels)
        if x.ndim != 4 or x.shape[2] % step or x.shape[3] % step:
            raise ValueError(
                f"{type(self).__name__}: input of shape {x.shape} must be (N, C, H, W) with H "
                f"and W multiples of {step} (one halving per encoder step), to come back "
                "the same size"
            )
        return self.decoder(self.encoder(x))

    def backward(self, grad_output: np.ndarray) -> np.ndarray:
        """Return the input gradient (decoder, then encoder, in reverse)."""
        g: Any = self.decoder.backward(grad_output)
        g = self.encoder.backward(g)
        return g
